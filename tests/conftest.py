"""Settings for the whole suite."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

# No wall-clock limits on generated examples: CI machines are shared and noisy,
# and a slow first draw (caches filling, another process on the core) says
# nothing about the code. Tests that need a budget set their own.
settings.register_profile(
    "customer_core", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("customer_core")
