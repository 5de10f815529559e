"""Open a file of customers as a table, whatever its format.

A CSV (or Excel's "Unicode text", UTF-16 with tabs) is read by
:class:`~customer_core.io.CsvSource`; an .xlsx workbook, recognised by its
first bytes, by :class:`~customer_core.io.xlsx_format.XlsxSource` (the
``xlsx`` extra).
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import IO, Any

from customer_core.io.csv_format import CsvSource
from customer_core.io.table import TableSource
from customer_core.io.xlsx_format import ZIP_MAGIC, XlsxSource

__all__ = ["open_table"]


class _LeftOpen(io.RawIOBase):
    """The caller's stream, read through, never closed: the text and buffer layers
    put over it close what they wrap when they are let go of."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def seekable(self) -> bool:
        return bool(self._stream.seekable())

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._stream.seek(offset, whence)

    def tell(self) -> int:
        return self._stream.tell()


def open_table(
    stream: IO[bytes],
    /,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    mapping: Mapping[str, str] | None = None,
) -> TableSource:
    """The table in ``stream`` (a binary file the caller closes: it is left open).

    ``encoding`` and ``delimiter`` are a CSV's; a workbook has neither.
    """
    buffered = io.BufferedReader(_LeftOpen(stream))
    if buffered.peek(len(ZIP_MAGIC)).startswith(ZIP_MAGIC):
        return XlsxSource(buffered, mapping=mapping)
    return CsvSource(buffered, encoding=encoding, delimiter=delimiter, mapping=mapping)
