"""A phone typed without its DDD takes the row's other phone's or its city's (issue 20)."""

from __future__ import annotations

import io

from customer_core import Actor, Phone
from customer_core.adapters.memory import MemoryStore
from customer_core.io import Draft, Importer, RowOutcome, parse_row
from customer_core.io.area_codes import AreaCodes

T = "loja"
ADMIN = Actor(tenant_id=T, user_id="admin", role="admin")


def cuiaba(rows: int = 3) -> AreaCodes:
    codes = AreaCodes()
    for _ in range(rows):
        codes.learn("Cuiabá", [Phone.parse("(65) 98991-0448")])
    return codes


def test_a_local_number_takes_the_area_code_of_the_rows_other_phone() -> None:
    row = {"name": "Ana Lima", "phone": "(11) 98765-4321", "other_phones": "3456-7890"}
    draft = parse_row(2, row, area_codes=AreaCodes())
    assert isinstance(draft, Draft)
    assert [p.e164 for p in draft.phones] == ["+5511987654321", "+551134567890"]
    [warning] = draft.warnings
    assert (warning.column, warning.code, warning.value) == (
        "other_phones",
        "area_code_added",
        "3456-7890",
    )
    assert "other phone" in warning.message


def test_a_local_number_takes_the_area_code_its_citys_rows_dial() -> None:
    row = {"name": "Renato Pereira", "phone": "96920-4125", "city": "CUIABA"}
    for strict in (False, True):  # a completed phone costs no row, even when strict
        draft = parse_row(2, row, strict=strict, area_codes=cuiaba())
        assert isinstance(draft, Draft)
        assert [p.e164 for p in draft.phones] == ["+5565969204125"]
        assert [w.code for w in draft.warnings] == ["area_code_added"]


def test_without_a_known_area_code_the_local_number_stays_an_error() -> None:
    row = {"name": "Renato Pereira", "phone": "96920-4125", "city": "Cuiabá"}
    for codes in (None, AreaCodes(), cuiaba(rows=2)):  # two rows are not enough to tell
        draft = parse_row(2, row, area_codes=codes)
        assert isinstance(draft, Draft) and draft.phones == ()
        assert [w.code for w in draft.warnings] == ["invalid_phone"]
    no_city = parse_row(2, {"name": "Renato Pereira", "phone": "96920-4125"}, area_codes=cuiaba())
    assert isinstance(no_city, Draft) and no_city.phones == ()


def test_a_city_whose_rows_dial_two_area_codes_completes_nothing() -> None:
    codes = cuiaba()
    for _ in range(3):
        codes.learn("Cuiabá", [Phone.parse("(66) 98991-0448")])
    assert codes.of_city("Cuiabá") is None


def test_two_area_codes_on_the_row_complete_nothing() -> None:
    row = {
        "name": "Ana Lima",
        "phone": "(11) 98765-4321",
        "other_phones": "(21) 98765-1234 | 3456-7890",
        "city": "Cuiabá",
    }
    draft = parse_row(2, row, area_codes=cuiaba())
    assert isinstance(draft, Draft) and len(draft.phones) == 2
    assert [w.code for w in draft.warnings] == ["invalid_phone"]


def test_the_import_joins_a_local_number_to_the_same_line_written_in_full() -> None:
    text = (
        "Nome;Telefone;Cidade\n"
        "Carla Dias;(65) 98111-1111;Cuiabá\n"
        "Bruno Reis;(65) 98222-2222;Cuiabá\n"
        "Elisa Melo;65 98333-3333;Cuiabá\n"
        "Renato Costa dos Santos Pereira;96920-4125;Cuiabá\n"
        "Renato C. S. Pereira;065 96920-4125;\n"
    )
    seen: list[RowOutcome] = []
    Importer(MemoryStore()).run(T, ADMIN, io.BytesIO(text.encode()), on_row=seen.append)
    renato = [o.customer_id for o in seen if o.line in (5, 6) and o.outcome != "warning"]
    assert len(renato) == 2 and renato[0] == renato[1] is not None
    [warning] = [o for o in seen if o.outcome == "warning"]
    assert (warning.line, warning.code) == (5, "area_code_added")


def test_rows_after_a_local_number_teach_its_city_too() -> None:
    """The whole file teaches the cities' codes: any order of its rows gives the same phones."""
    rows = [
        "Renato Costa Pereira;96920-4125;Cuiabá",
        "Carla Dias;(65) 98111-1111;Cuiabá",
        "Bruno Reis;(65) 98222-2222;Cuiabá",
        "Elisa Melo;65 98333-3333;Cuiabá",
    ]
    stored = []
    for order in (rows, rows[::-1], rows[1:] + rows[:1]):
        store = MemoryStore()
        text = "Nome;Telefone;Cidade\n" + "\n".join(order) + "\n"
        report = Importer(store).run(T, ADMIN, io.BytesIO(text.encode()))
        assert (report.created, len(report.errors)) == (4, 0)
        with store() as uow:
            customers = uow.customers.list_page(T, limit=10)
        stored.append(sorted((c.name, tuple(p.e164 for p in c.phones)) for c in customers))
    assert stored[0] == stored[1] == stored[2]
    assert ("Renato Costa Pereira", ("+5565969204125",)) in stored[0]


def _stored_phones(lines: list[str]) -> list[tuple[str, tuple[str, ...]]]:
    store = MemoryStore()
    text = "Nome;Telefone\n" + "\n".join(lines) + "\n"
    Importer(store).run(T, ADMIN, io.BytesIO(text.encode()))
    with store() as uow:
        customers = uow.customers.list_page(T, limit=10)
    return sorted((c.name, tuple(p.e164 for p in c.phones)) for c in customers)


def test_a_local_number_without_a_city_takes_the_ddd_of_the_same_number_in_full() -> None:
    """A thin row (a name, a local number) is the line another row writes in full (issue 20)."""
    rows = ["Ana da Silva Soares;98018-2441", "Ana da Silva Soares;(11) 98018-2441"]
    for order in (rows, rows[::-1]):  # the rows after the line teach it too
        assert _stored_phones(order) == [("Ana da Silva Soares", ("+5511980182441",))]
    codes = AreaCodes()
    codes.learn(None, [Phone.parse("(11) 98018-2441")])
    draft = parse_row(2, {"name": "Ana Soares", "phone": "98018-2441"}, area_codes=codes)
    assert isinstance(draft, Draft) and [p.e164 for p in draft.phones] == ["+5511980182441"]
    [warning] = draft.warnings
    assert warning.code == "area_code_added" and "written in full" in warning.message


def test_a_number_written_in_full_under_two_ddds_completes_nothing() -> None:
    codes = AreaCodes()
    codes.learn(None, [Phone.parse("(11) 98018-2441"), Phone.parse("(21) 98018-2441")])
    assert codes.of_number("98018-2441") is None
    draft = parse_row(2, {"name": "Ana Soares", "phone": "98018-2441"}, area_codes=codes)
    assert isinstance(draft, Draft) and draft.phones == ()
    assert codes.of_number("97777-1111") is None
