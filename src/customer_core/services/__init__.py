"""Use cases. Each talks only to ports; pick adapters when you build the service."""

from customer_core.services.customers import CustomerService

__all__ = ["CustomerService"]
