"""A shop whose orders are Django models and whose customers are customer_core's."""
