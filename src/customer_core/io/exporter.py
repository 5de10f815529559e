"""CSV export in the import format: streaming, visibility-filtered, injection-safe.

An exported file re-imports to the same data, as far as the template's
columns go (a phone's extension, *recado* note and fax type included; not a
phone's home/work type, nor a second address). Cells that a spreadsheet would
run as a formula (``=``, ``+``, ``-``, ``@``...) are prefixed with ``'``; the
importer removes that prefix again.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from typing import IO

from customer_core.domain.model.actor import Actor
from customer_core.domain.model.customer import Customer, RelationshipType
from customer_core.domain.values.phone import Phone, PhoneType
from customer_core.io.csv_format import COLUMNS, TEMPLATE_HEADER, neutralize
from customer_core.services.base import ServiceBase
from customer_core.services.directory import CustomerDirectory

__all__ = ["Exporter", "customer_row", "write_template"]


def _split_phone(phone: Phone) -> tuple[str, str, str]:
    """DDI, DDD and number, as the template's separate columns."""
    nsn = phone.e164[1 + len(str(phone.country_code)) :]
    if phone.country_code == 55:
        return "55", nsn[:2], nsn[2:]
    return str(phone.country_code), "", nsn


def _with_notes(phone: Phone, number: str) -> str:
    """``number`` followed by what the importer reads back into the same phone:
    the extension (*ramal*) and the note ``recado`` or ``fax``."""
    extension = f" ramal {phone.extension}" if phone.extension else ""
    note = " recado" if phone.message_number else " fax" if phone.type is PhoneType.FAX else ""
    return f"{number}{extension}{note}"


def customer_row(customer: Customer, /) -> dict[str, str]:
    """The template columns of one customer (primary phone and e-mail first)."""
    phones = sorted(customer.phones, key=lambda p: p.match_key != customer.primary_phone_key)
    emails = sorted(customer.emails, key=lambda e: e.match_key != customer.primary_email_key)
    row = dict.fromkeys(COLUMNS, "")
    row["name"] = customer.name
    if phones:
        row["country_code"], row["area_code"], number = _split_phone(phones[0])
        row["phone"] = _with_notes(phones[0], number)
        # National form for Brazilian lines: no leading "+" for spreadsheets to mistake.
        row["other_phones"] = " | ".join(
            _with_notes(p, p.national if p.country_code == 55 else p.international)
            for p in phones[1:]
        )
    if emails:
        row["email"] = str(emails[0])
        row["other_emails"] = " | ".join(str(e) for e in emails[1:])
    if customer.tax_id is not None:
        row["tax_id"] = customer.tax_id.formatted
    if customer.addresses:
        a = customer.addresses[0]
        for column in ("street", "number", "complement", "neighborhood", "city", "uf", "cep"):
            row[column] = getattr(a, column) or ""
    row["note"] = customer.note or ""
    code = next((x.id for x in customer.external_ids if x.system.lower() == "code"), "")
    row["external_id"] = code
    row["customer_id"] = customer.id  # an upsert of this file updates these customers by id
    return row


def write_template(stream: IO[str], /, *, delimiter: str = ";") -> None:
    """The empty import template (header only), as people download it."""
    csv.writer(stream, delimiter=delimiter, lineterminator="\r\n").writerow(TEMPLATE_HEADER)


class Exporter(ServiceBase):
    """Writes the customers an actor can see, page by page."""

    def run(
        self,
        tenant_id: str,
        actor: Actor,
        stream: IO[str],
        /,
        *,
        delimiter: str = ";",
        progress: Callable[[int], None] | None = None,
        relationship_type: RelationshipType | str | None = None,
        status: str | None = None,
        portfolio_id: str | None = None,
        unassigned: bool = False,
        responsible_id: str | None = None,
        my_portfolio: bool | None = None,
        seller_id: str | None = None,
    ) -> int:
        """Export to a text stream (open it with ``newline=""``); returns the rows written.

        ``progress`` is called with the rows written so far after each page.
        The filters (``relationship_type`` to ``seller_id``) are those of
        :meth:`CustomerDirectory.list <customer_core.services.CustomerDirectory.list>`,
        with the same defaults: "my portfolio" is on by default for sellers.
        """
        given = {
            "relationship_type": relationship_type,
            "status": status,
            "portfolio_id": portfolio_id,
            "unassigned": unassigned or None,
            "responsible_id": responsible_id,
            "my_portfolio": my_portfolio,
            "seller_id": seller_id,
        }
        filters = [name for name, value in given.items() if value is not None]
        directory = CustomerDirectory(self.uow_factory, preset=self.preset, clock=self.clock)
        writer = csv.writer(stream, delimiter=delimiter, lineterminator="\r\n")
        written, cursor, finished = 0, None, False
        try:
            writer.writerow(TEMPLATE_HEADER)
            while not finished:
                page = directory.list(
                    tenant_id,
                    actor,
                    relationship_type=relationship_type,
                    status=status,
                    portfolio_id=portfolio_id,
                    unassigned=unassigned,
                    responsible_id=responsible_id,
                    my_portfolio=my_portfolio,
                    seller_id=seller_id,
                    cursor=cursor,
                    limit=500,
                )
                for customer in page.items:
                    row = customer_row(customer)
                    writer.writerow([neutralize(row[c]) for c in COLUMNS])
                    written += 1
                if progress is not None:
                    progress(written)
                cursor = page.next_cursor
                finished = cursor is None
        finally:
            if written or finished:
                self._audit(tenant_id, actor, filters, written, finished)
        return written

    def _audit(
        self,
        tenant_id: str,
        actor: Actor,
        filters: Sequence[str],
        written: int,
        finished: bool,
    ) -> None:
        """One audit entry per export, however many rows: who, the filters' names, how many.

        Not an entry per customer: a million rows would write a million
        entries. Written when the export ends, or stops after writing rows.
        """
        with self.uow_factory() as uow:
            self._deps.audit(
                uow,
                actor,
                tenant_id,
                None,
                "export.csv",
                filters=",".join(filters),
                customers=written,
                complete=finished,
            )
            self._commit(uow)
