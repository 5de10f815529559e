"""A phone or e-mail beyond the preset's limits is left out with a warning; the row is kept."""

from __future__ import annotations

import io

from customer_core import Actor, connect, presets
from customer_core.errors import Code

ADMIN = Actor(tenant_id="t", user_id="admin", role="admin")
FILE = (
    "Nome;Telefone;Outros telefones;Cidade\n"
    "Ana Lima;(11) 98765-0001;(11) 98765-0002|(11) 98765-0003|(11) 98765-0004;Recife\n"
    "Bia Lima;(11) 98765-0011;;\n"
    "Bia Lima;(11) 98765-0011;(11) 98765-0012|(11) 98765-0013|(11) 98765-0014;Natal\n"
)


def _phones(core: object, name: str) -> list[str]:
    found = [c for c in core.directory.list("t", ADMIN).items if c.name == name]  # type: ignore[attr-defined]
    (customer,) = found
    return [p.e164 for p in customer.phones]


def test_phones_over_the_limit_are_left_out_and_the_rows_kept() -> None:
    core = connect("memory://", preset=presets.OMNICHANNEL)  # at most 3 phones
    report = core.importer.run("t", ADMIN, io.BytesIO(FILE.encode()))
    assert (report.created, report.failed) == (2, 0)
    assert _phones(core, "Ana Lima") == ["+5511987650001", "+5511987650002", "+5511987650003"]
    assert len(_phones(core, "Bia Lima")) == 3
    left_out = [(w.line, w.code, w.value) for w in report.warnings]
    assert (2, Code.TOO_MANY_PHONES, "(11) 98765-0004") in left_out
    assert [w.code for w in report.warnings if w.line == 3] == [Code.TOO_MANY_PHONES]
    assert {w.header for w in report.warnings} <= {"Telefone", "Outros telefones", None}


def test_an_upsert_keeps_the_rows_note_and_city_when_a_phone_does_not_fit() -> None:
    core = connect("memory://", preset=presets.OMNICHANNEL)
    core.importer.run("t", ADMIN, io.BytesIO(FILE.encode()))
    again = "Nome;Telefone;Outros telefones;Cidade;Observação\nAna Lima;(11) 98765-0001;(11) 98765-0009;Olinda;cliente VIP\n"
    report = core.importer.run("t", ADMIN, io.BytesIO(again.encode()), mode="upsert")
    assert (report.updated, report.failed) == (1, 0)
    (ana,) = [c for c in core.directory.list("t", ADMIN).items if c.name == "Ana Lima"]
    assert ana.note == "cliente VIP"
    assert len(ana.phones) == 3 and "+5511987650009" not in [p.e164 for p in ana.phones]
    assert [(w.code, w.value) for w in report.warnings] == [
        (Code.TOO_MANY_PHONES, "(11) 98765-0009")
    ]
