"""Streaming CSV import and export (uses the services; no SQL here)."""

from customer_core.io.column_check import ColumnPlan, check_columns
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
from customer_core.io.report_file import REPORT_HEADER, OutcomeTally, ReportFileWriter
from customer_core.io.rows import Draft, RowError, parse_row
from customer_core.io.sources import open_table
from customer_core.io.table import IMPORT_COLUMNS, TableSource

__all__ = [
    "COLUMNS",
    "DEFAULT_BATCH_SIZE",
    "IMPORT_COLUMNS",
    "REPORT_HEADER",
    "TEMPLATE_HEADER",
    "ColumnPlan",
    "CsvSource",
    "Draft",
    "Exporter",
    "ImportMode",
    "ImportReport",
    "Importer",
    "OutcomeTally",
    "Progress",
    "ReportFileWriter",
    "RowError",
    "RowOutcome",
    "TableSource",
    "check_columns",
    "customer_row",
    "open_table",
    "parse_row",
    "write_template",
]
