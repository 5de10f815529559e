"""Identity matching (match keys, blocking, scoring, merge plans)."""
