"""Open a file of customers as a table, whatever its format."""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO

from customer_core.io.csv_format import CsvSource
from customer_core.io.table import TableSource

__all__ = ["open_table"]


def open_table(
    stream: IO[bytes],
    /,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    mapping: Mapping[str, str] | None = None,
) -> TableSource:
    """The table in ``stream`` (a binary file the caller closes)."""
    return CsvSource(stream, encoding=encoding, delimiter=delimiter, mapping=mapping)
