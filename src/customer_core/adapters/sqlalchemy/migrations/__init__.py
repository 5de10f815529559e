"""Alembic migrations of the SQL adapter (run by :func:`customer_core.adapters.sqlalchemy.upgrade`)."""
