"""Bulk data tables of the values (code lists), kept apart from the code that uses them."""
