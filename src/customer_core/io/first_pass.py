"""The import's first pass: every row of a file read, parsed and keyed, a chunk at a time.

:func:`parsed_chunks` needs nothing but the table: what it hands out is a
function of the file alone (the area codes a city's rows teach are learned
from the whole file, the content key of a row without identifiers counts
the identical rows before it), so the grouping that follows never depends on
how the file is read.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence

import attrs

from customer_core.domain.matching.records import NameKey
from customer_core.domain.values.online import ExternalId
from customer_core.domain.values.tax_id import Cnpj, Cpf
from customer_core.errors import CustomerCoreError
from customer_core.io.area_codes import AreaCodes, CityPending
from customer_core.io.rows import Draft, RowError, parse_row
from customer_core.io.table import TableSource

__all__ = ["Chunk", "ReadOptions", "parsed_chunks"]


@attrs.frozen
class ReadOptions:
    """How the file is read and parsed."""

    region: str = "BR"
    strict: bool = False
    #: Rows a chunk holds (the last one may hold fewer).
    size: int = 5000
    #: Raises when a CPF/CNPJ may not be stored (the preset checks them with
    #: the tax registry); asked once per distinct value.
    check_tax_id: Callable[[Cpf | Cnpj], None] | None = None


@attrs.frozen
class Chunk:
    """Rows of the file in file order: the valid ones keyed, and what was wrong with the others.

    ``rows_read`` counts the lines read since the previous chunk (rows read
    again at the end, see :func:`parsed_chunks`, are not counted twice).
    """

    rows_read: int
    errors: tuple[RowError, ...]
    warnings: tuple[RowError, ...]
    #: Valid rows, a row without any identifier with its content key.
    drafts: tuple[Draft, ...]


def _content_key(draft: Draft, seen: dict[str, int]) -> str:
    """The key of a row without any identifier: what it says, and which copy of it it is.

    The folded name and the address, hashed, then the occurrence of identical
    rows in the file (the second "Maria Silva, Recife" is ``…:2``): reordering
    the file, blank lines or edits to other rows find the same customer again.
    """
    address = draft.address
    parts = [" ".join(NameKey.parse(draft.name).words)]
    if address is not None:
        parts += [
            str(part or "").casefold()
            for part in (address.street, address.number, address.city, address.uf, address.cep)
        ]
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]
    seen[digest] = seen.get(digest, 0) + 1
    return f"{digest}:{seen[digest]}"


def _keyed(draft: Draft, contents: dict[str, int]) -> Draft:
    """The row, with its content key when it has no identifier, so a re-run finds it.

    A row that names its customer by id (an export of this library) needs none.
    """
    if draft.customer_id is not None or draft.identity_keys():
        return draft
    return attrs.evolve(draft, external_id=ExternalId("import", _content_key(draft, contents)))


class _TaxIdCheck:
    """:attr:`ReadOptions.check_tax_id` on each row, once per distinct CPF/CNPJ of the file.

    A refused one is left out of its row as an invalid cell is: the row keeps
    its other values, with a warning (with ``strict``, the row fails).
    """

    def __init__(self, check: Callable[[Cpf | Cnpj], None], strict: bool) -> None:
        self._check, self._strict = check, strict
        self._refused: dict[str, CustomerCoreError | None] = {}

    def __call__(self, draft: Draft) -> Draft | list[RowError]:
        tax_id = draft.tax_id
        if tax_id is None:
            return draft
        if tax_id.digits not in self._refused:
            try:
                self._check(tax_id)
                self._refused[tax_id.digits] = None
            except CustomerCoreError as refusal:
                self._refused[tax_id.digits] = refusal
        refused = self._refused[tax_id.digits]
        if refused is None:
            return draft
        problem = RowError(
            draft.lines[0], "tax_id", refused.code, refused.message, tax_id.formatted
        )
        if self._strict:
            return [problem]
        warnings = (*draft.warnings, problem)
        return attrs.evolve(draft, tax_id=None, tax_id_repaired=False, warnings=warnings)


def _with_headers(
    reader: TableSource, errors: tuple[RowError, ...] | list[RowError], cells: Sequence[str]
) -> list[RowError]:
    """``errors`` of the row of ``cells``, with the user's header of each cell."""
    return [attrs.evolve(e, header=reader.header_for(e.column, e.value, cells)) for e in errors]


def parsed_chunks(reader: TableSource, options: ReadOptions) -> Iterator[Chunk]:
    """The file's rows, parsed and keyed, in chunks of ``options.size`` valid rows.

    The last chunk carries whatever is left, valid rows or not (it may hold
    no row at all, only the count and errors of the last lines).
    """
    region, strict = options.region, options.strict
    area_codes, pending = AreaCodes(), CityPending()
    contents: dict[str, int] = {}  # how many rows without identifiers had each content key
    rows_read = 0
    errors: list[RowError] = []
    warnings: list[RowError] = []
    drafts: list[Draft] = []

    registered = None if options.check_tax_id is None else _TaxIdCheck(options.check_tax_id, strict)

    def checked(parsed: Draft | list[RowError]) -> Draft | list[RowError]:
        return parsed if registered is None or isinstance(parsed, list) else registered(parsed)

    def parsed_rows() -> Iterator[tuple[Draft | list[RowError], Sequence[str]]]:
        """Each row parsed, with its cells (for the headers of what was wrong with it)."""
        nonlocal rows_read
        # Rows with a phone only their city's area code could complete are
        # read again once the whole file has taught the cities' codes: their
        # phones must not depend on which rows came before (a reordered file
        # changes nothing). They are few (a local number, a city, no other phone).
        later: list[tuple[int, dict[str, str], Sequence[str]]] = []
        for line, row in reader.rows():
            rows_read += 1
            pending.asked = False
            parsed = parse_row(line, row, region=region, strict=strict, area_codes=pending)
            if not isinstance(parsed, list):
                area_codes.learn(row.get("city"), parsed.phones)
            if pending.asked:
                later.append((line, row, reader.last_values))
            else:
                yield checked(parsed), reader.last_values
        for line, row, cells in later:
            again = parse_row(line, row, region=region, strict=strict, area_codes=area_codes)
            yield checked(again), cells

    def chunk() -> Chunk:
        nonlocal rows_read, errors, warnings, drafts
        done = Chunk(rows_read, tuple(errors), tuple(warnings), tuple(drafts))
        rows_read, errors, warnings, drafts = 0, [], [], []
        return done

    for parsed, cells in parsed_rows():
        if isinstance(parsed, list):
            errors += _with_headers(reader, parsed, cells)
            continue
        if parsed.warnings:
            parsed = attrs.evolve(
                parsed, warnings=tuple(_with_headers(reader, parsed.warnings, cells))
            )
        warnings += parsed.warnings
        drafts.append(_keyed(parsed, contents))
        if len(drafts) >= options.size:
            yield chunk()
    yield chunk()
