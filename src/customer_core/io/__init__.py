"""Streaming CSV import and export (uses the services; no SQL here)."""

from customer_core.io.csv_format import COLUMNS, TEMPLATE_HEADER, CsvSource
from customer_core.io.exporter import Exporter, customer_row, write_template
from customer_core.io.importer import (
    DEFAULT_BATCH_SIZE,
    Importer,
    ImportMode,
    ImportReport,
    Progress,
)
from customer_core.io.report import RowOutcome
from customer_core.io.report_file import REPORT_HEADER, ReportFileWriter
from customer_core.io.rows import Draft, RowError, parse_row

__all__ = [
    "COLUMNS",
    "DEFAULT_BATCH_SIZE",
    "REPORT_HEADER",
    "TEMPLATE_HEADER",
    "CsvSource",
    "Draft",
    "Exporter",
    "ImportMode",
    "ImportReport",
    "Importer",
    "Progress",
    "ReportFileWriter",
    "RowError",
    "RowOutcome",
    "customer_row",
    "parse_row",
    "write_template",
]
