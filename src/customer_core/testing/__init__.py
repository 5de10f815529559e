"""Public test helpers for host applications.

- :mod:`customer_core.testing.strategies`: hypothesis strategies for every value
  object and for whole customers (needs ``customer-core[test]``).
"""
