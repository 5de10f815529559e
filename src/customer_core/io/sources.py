"""Open a file of customers as a table, whatever its format.

A CSV (or Excel's "Unicode text", UTF-16 with tabs) is read by
:class:`~customer_core.io.CsvSource`; an .xlsx workbook, recognised by its
first bytes, by :class:`~customer_core.io.xlsx_format.XlsxSource` (the
``xlsx`` extra).
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import IO, Any, cast

from customer_core.io.csv_format import CsvSource
from customer_core.io.table import TableSource
from customer_core.io.xlsx_format import ZIP_MAGIC, XlsxSource

__all__ = ["open_table"]


def open_table(
    stream: IO[bytes],
    /,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    mapping: Mapping[str, str] | None = None,
) -> TableSource:
    """The table in ``stream`` (a binary file the caller closes).

    ``encoding`` and ``delimiter`` are a CSV's; a workbook has neither.
    """
    buffered = (
        stream if isinstance(stream, io.BufferedReader) else io.BufferedReader(cast(Any, stream))
    )
    if buffered.peek(len(ZIP_MAGIC)).startswith(ZIP_MAGIC):
        return XlsxSource(buffered, mapping=mapping)
    return CsvSource(buffered, encoding=encoding, delimiter=delimiter, mapping=mapping)
