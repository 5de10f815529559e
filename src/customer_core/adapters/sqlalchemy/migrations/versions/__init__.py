"""Hand-written revisions, applied in order by Alembic."""
