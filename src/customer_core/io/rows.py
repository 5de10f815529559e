"""One spreadsheet row into validated values, with every problem reported by column."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from functools import partial
from typing import Any, TypeVar

import attrs

from customer_core.domain.matching.company_mailboxes import role_mailbox
from customer_core.domain.matching.company_names import looks_like_company
from customer_core.domain.matching.records import MatchRecord, NameKey
from customer_core.domain.model.customer import (
    Customer,
    CustomerKind,
    IdentityKey,
    Source,
    clean_name,
)
from customer_core.domain.model.identity import identity_keys_from
from customer_core.domain.values.address import Address
from customer_core.domain.values.email import Email
from customer_core.domain.values.ids import check_id
from customer_core.domain.values.online import ExternalId
from customer_core.domain.values.phone import Phone, phones_from_parts
from customer_core.domain.values.phone_lines import union_phones
from customer_core.domain.values.tax_id import Cnpj, Cpf
from customer_core.domain.values.text import clean_text
from customer_core.errors import Code, CustomerCoreError, InvalidPhone
from customer_core.io.area_codes import AreaCodes, with_area_code
from customer_core.io.cells import (
    ADDRESS_COLUMNS,
    RowError,
    parse_address,
    parse_kind,
    parse_phone_cell,
    parse_tax_id_cell,
    shown,
    split_emails,
    split_many,
    without_float_zeros,
)
from customer_core.io.table import NO_SAVED_VALUE

__all__ = ["Draft", "RowError", "parse_row", "row_match_record"]

T = TypeVar("T")
_MAX_NOTE = 4000


@attrs.frozen(kw_only=True)
class Draft:
    """A valid row (or several rows of the same customer merged), ready to store."""

    lines: tuple[int, ...]
    name: str
    #: The company's trade name (*nome fantasia*); ``name`` is then its legal name.
    trade_name: str | None = None
    #: The kind the row states (a ``Tipo`` column); a CNPJ makes a company anyway,
    #: and without either the name decides (see :attr:`customer_kind`).
    kind: CustomerKind | None = None
    tax_id: Cpf | Cnpj | None = None
    #: The tax id had lost its leading zeros (a spreadsheet's number) and was
    #: repaired: alone, it never links the row to a stored customer.
    tax_id_repaired: bool = False
    phones: tuple[Phone, ...] = ()
    emails: tuple[Email, ...] = ()
    address: Address | None = None
    note: str | None = None
    external_id: ExternalId | None = None
    #: Values of the row left out because they were not valid (the row was kept).
    warnings: tuple[RowError, ...] = ()
    #: The customer the row names by id (a file exported by this library).
    customer_id: str | None = None
    #: :attr:`customer_kind` once worked out: the grouping reads it in the first pass
    #: and the pickled row carries it to the second, where the customer is built
    #: (reading a name for a company's signals is most of what deciding costs).
    #: Not set by ``attrs.evolve``: a changed row works it out again.
    _kind_found: CustomerKind | None = attrs.field(default=None, init=False, eq=False, repr=False)

    def identity_keys(self) -> set[IdentityKey]:
        external_ids = () if self.external_id is None else (self.external_id,)
        return set(
            identity_keys_from(
                tax_id=self.tax_id,
                phones=self.phones,
                emails=self.emails,
                external_ids=external_ids,
            )
        )

    @property
    def customer_kind(self) -> CustomerKind:
        """A company with a CNPJ or when the row says so (``Tipo`` PJ), a person with a CPF
        or ``Tipo`` PF; else a company when the row carries a company's signal, a person
        otherwise (a row with no signal either way is no evidence of a company). The
        signals: a company's name or trade name
        (:func:`~customer_core.domain.matching.company_names.company_name_marker`:
        *José Rocha ME*, *Padaria Pão Quente*), a trade name (*nome fantasia*) of its
        own, or a role mailbox among its e-mails
        (:func:`~customer_core.domain.matching.company_mailboxes.role_mailbox`:
        ``contato@``, ``financeiro@``).
        """
        found = self._kind_found
        if found is None:
            found = self._work_out_kind()
            object.__setattr__(self, "_kind_found", found)  # frozen: a cache, not a change
        return found

    def _work_out_kind(self) -> CustomerKind:
        if isinstance(self.tax_id, Cnpj) or self.kind is CustomerKind.COMPANY:
            return CustomerKind.COMPANY
        if isinstance(self.tax_id, Cpf) or self.kind is CustomerKind.PERSON:
            return CustomerKind.PERSON
        if (
            self.trade_name is not None
            or looks_like_company(self.name)
            or any(role_mailbox(e.address) for e in self.emails)
        ):
            return CustomerKind.COMPANY
        return CustomerKind.PERSON

    def match_record(self) -> MatchRecord:
        """What the conflicting-evidence rule needs of the row: its kind, names and tax id."""
        tax = self.tax_id
        return row_match_record(
            self.name,
            self.trade_name,
            company=self.customer_kind is CustomerKind.COMPANY,
            tax_id=None if tax is None else f"{tax.kind}:{tax.digits}",
        )

    def new_customer(self, *, id: str, tenant_id: str, now: datetime, **fields: Any) -> Customer:
        """The customer this row describes, as an import creates it; ``fields`` add to it."""
        return Customer.create(
            id=id,
            tenant_id=tenant_id,
            name=self.name,
            now=now,
            source=Source.IMPORT,
            kind=self.customer_kind,
            trade_name=self.trade_name,
            tax_id=self.tax_id,
            phones=self.phones,
            emails=self.emails,
            addresses=(self.address,) if self.address else (),
            note=self.note,
            external_ids=(self.external_id,) if self.external_id else (),
            **fields,
        )

    def absorb(self, other: Draft) -> Draft:
        """Another row of the same customer: union of identifiers, first non-empty scalars.

        A line both rows hold keeps the richer phone; an extension or type of
        ``other``'s that it cannot keep is added to ``warnings``
        (:func:`phone_not_kept`).
        """
        phones, not_kept = union_phones(self.phones, other.phones)
        lost = tuple(phone_not_kept(min(other.lines), None, p) for p in not_kept)
        emails = self.emails + tuple(
            e for e in other.emails if e.match_key not in {f.match_key for f in self.emails}
        )
        return attrs.evolve(
            self,
            lines=tuple(sorted(self.lines + other.lines)),
            trade_name=self.trade_name or other.trade_name,
            kind=self.kind or other.kind,
            tax_id=self.tax_id or other.tax_id,
            tax_id_repaired=(
                self.tax_id_repaired if self.tax_id is not None else other.tax_id_repaired
            ),
            phones=phones,
            emails=emails,
            address=fuller_address(self.address, other.address),
            note=self.note or other.note,
            external_id=self.external_id or other.external_id,
            warnings=self.warnings + other.warnings + lost,
            customer_id=self.customer_id or other.customer_id,
        )


#: The parts of an address a row may fill in; the more it fills, the fuller it is.
ADDRESS_PARTS = ("street", "number", "complement", "neighborhood", "city", "uf", "cep")


def address_parts(address: Address) -> int:
    """How many parts of ``address`` are filled in."""
    return sum(1 for part in ADDRESS_PARTS if getattr(address, part))


def fuller_address(first: Address | None, other: Address | None) -> Address | None:
    """The address that says more of two rows' of one customer (``first`` on a tie):
    a row with only a city never takes the place of one with the street and CEP."""
    if first is None or other is None:
        return first or other
    return other if address_parts(other) > address_parts(first) else first


#: One line is one phone of a customer (its identity key): a second extension is left out.
PHONE_NOT_KEPT = (
    "one phone per line: the line is kept with another extension or type, so this one was "
    "left out (add the person at that extension as a contact)"
)


def phone_not_kept(line: int, column: str | None, lost: Phone) -> RowError:
    """The warning for a phone whose line is kept with another extension or type."""
    return RowError(
        line, column, Code.DUPLICATE_IDENTIFIER, PHONE_NOT_KEPT, shown(lost.typed or str(lost))
    )


def row_match_record(
    name: str, trade_name: str | None, *, company: bool, tax_id: str | None
) -> MatchRecord:
    """A row's :class:`MatchRecord` from its name, trade name, kind and tax id
    (``kind:digits``), as :meth:`Draft.match_record` makes it."""
    names = [NameKey.parse(name, company=company)]
    if trade_name:  # as MatchRecord.of reads a stored company
        trade = NameKey.parse(trade_name, company=company)
        if trade.words != names[0].words:
            names.append(trade)
    return MatchRecord(id="", company=company, names=tuple(names), tax_id=tax_id)


def parse_row(
    line: int,
    row: Mapping[str, str],
    /,
    *,
    region: str = "BR",
    strict: bool = False,
    area_codes: AreaCodes | None = None,
) -> Draft | list[RowError]:
    """Parse one row: a :class:`Draft`, or the errors that leave nothing to store.

    A value that is not valid is left out and reported in ``Draft.warnings``;
    the row is kept with every valid value (a second phone written wrong
    never costs the customer). The row is refused only without a name, or,
    with ``strict``, for any error. With ``area_codes``, a phone typed
    without its DDD takes the DDD of the row's other phones, of the same
    number written in full elsewhere in the file, or of its city
    (:mod:`~customer_core.io.area_codes`), reported as ``area_code_added``.
    """
    if "__error__" in row:
        return [RowError(line, None, Code.UNREADABLE_ROW, row["__error__"])]
    errors: list[RowError] = []

    def attempt(column: str, parse: Callable[[], T], value: str | None = None) -> T | None:
        try:
            return parse()
        except CustomerCoreError as exc:
            errors.append(RowError(line, column, exc.code, exc.message, shown(value)))
            return None

    if "__extra__" in row:
        errors.append(RowError(line, None, Code.EXTRA_FIELDS, row["__extra__"]))
    for key, formula in row.items():
        if key.startswith(NO_SAVED_VALUE):
            message = (
                "the formula has no value saved in the file: "
                "open the file in a spreadsheet app and save it again"
            )
            column = key.removeprefix(NO_SAVED_VALUE)
            errors.append(RowError(line, column, Code.INVALID_VALUE, message, shown(formula)))
    trade_text = row.get("trade_name", "")
    trade_name = (
        attempt("trade_name", partial(clean_name, trade_text, "trade_name"), trade_text)
        if trade_text
        else None
    )
    # A row with only a trade name is still someone to call: that is its name.
    name_text = row.get("name") or trade_name or ""
    name = attempt("name", lambda: clean_name(name_text), row.get("name"))
    kind_text = row.get("kind", "")
    kind = attempt("kind", partial(parse_kind, kind_text), kind_text) if kind_text else None
    # What was repaired is reported, but costs no row even with ``strict``.
    tax_problems: list[RowError] = []
    tax_text = row.get("tax_id", "")
    tax_id, tax_id_repaired = (
        parse_tax_id_cell(line, tax_text, tax_problems) if tax_text else (None, False)
    )
    if kind is CustomerKind.PERSON and isinstance(tax_id, Cnpj):
        # A CNPJ is a company's (a bakery typed PF by mistake): the row's Tipo is
        # left out, and said so, rather than the CNPJ checked by its digits.
        message = "a CNPJ is a company's: the row is imported as a company"
        errors.append(RowError(line, "kind", Code.INVALID_VALUE, message, shown(kind_text)))
        kind = None
    errors += [r for r in tax_problems if r.code != Code.REPAIRED]
    repairs = [r for r in tax_problems if r.code == Code.REPAIRED]
    phones: list[Phone] = []
    local: list[tuple[str, str, RowError]] = []  # typed without an area code

    def phones_in(column: str, text: str) -> list[Phone]:
        text = without_float_zeros(text)
        try:
            return parse_phone_cell(text, region=region)
        except CustomerCoreError as exc:
            error = RowError(line, column, exc.code, exc.message, shown(text))
            reason = (exc.details or {}).get("reason")
            if (
                area_codes is not None
                and isinstance(exc, InvalidPhone)
                and reason == "no_area_code"
            ):
                local.append((column, text, error))
            else:
                errors.append(error)
            return []

    number = row.get("phone", "")
    if number:
        if row.get("area_code") or row.get("country_code"):
            found = attempt(
                "phone",
                # Two numbers in the cell (``98765-4321 / 3333-4444``) share the row's DDD.
                lambda: phones_from_parts(
                    without_float_zeros(row.get("country_code") or "55"),
                    without_float_zeros(row.get("area_code") or ""),
                    without_float_zeros(number),
                ),
                number,
            )
        else:
            found = phones_in("phone", number)
        phones += found or []
    for text in split_many(row.get("other_phones", "")):
        merged, not_kept = union_phones(phones, phones_in("other_phones", text))
        phones = list(merged)
        errors += [phone_not_kept(line, "other_phones", p) for p in not_kept]
    if local and area_codes is not None:
        typed = list(phones)  # the row's own phones, before any local number is completed
        for column, text, error in local:
            code, source = area_codes.for_row(typed, row.get("city"), text)
            phone = with_area_code(code, text, column)
            if phone is None:
                errors.append(error)
                continue
            if phone.match_key not in {q.match_key for q in phones}:
                phones.append(phone)
            message = f"the area code {code} was taken from {source}"
            repairs.append(RowError(line, column, Code.AREA_CODE_ADDED, message, shown(text)))
    emails: list[Email] = []
    for column, texts in (
        ("email", split_emails(row.get("email", ""))),
        (
            "other_emails",
            [e for t in split_many(row.get("other_emails", "")) for e in split_emails(t)],
        ),
    ):
        for text in texts:
            if not text:
                continue
            email = attempt(column, partial(Email.parse, text), text)
            if isinstance(email, Email) and email.match_key not in {e.match_key for e in emails}:
                emails.append(email)
    address = (
        parse_address(line, row, errors, strict, repairs)
        if any(row.get(c) for c in ADDRESS_COLUMNS)
        else None
    )
    note = row.get("note") or None
    if note is not None and len(note) > _MAX_NOTE:
        errors.append(
            RowError(
                line, "note", Code.INVALID_VALUE, f"at most {_MAX_NOTE} characters", shown(note)
            )
        )
    elif note is not None:
        note = attempt("note", partial(clean_text, note, "note", multiline=True), note)
    external = row.get("external_id", "")
    external_id = (
        attempt("external_id", lambda: ExternalId.parse("code", external), external)
        if external
        else None
    )
    customer_id = row.get("customer_id") or None
    if customer_id is not None:
        customer_id = attempt(
            "customer_id", partial(check_id, customer_id, "customer_id"), customer_id
        )
    if not name or (strict and errors):
        return errors or [RowError(line, "name", Code.REQUIRED_FIELD, "the name is required")]
    return Draft(
        lines=(line,),
        name=name,
        trade_name=trade_name if trade_name != name else None,
        kind=kind,
        warnings=(*errors, *repairs),
        customer_id=customer_id,
        tax_id=tax_id,
        tax_id_repaired=tax_id_repaired,
        phones=tuple(phones),
        emails=tuple(emails),
        address=address,
        note=note,
        external_id=external_id,
    )
