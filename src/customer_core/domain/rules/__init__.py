"""Pure rules: who sees which customers and who may do what."""

from customer_core.domain.rules.policies import AccessPolicy, Visibility

__all__ = ["AccessPolicy", "Visibility"]
