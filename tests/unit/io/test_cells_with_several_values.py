"""A cell holding several phones or e-mails keeps each valid one."""

from __future__ import annotations

import io

from customer_core import Actor, connect

ADMIN = Actor(tenant_id="t", user_id="admin", role="admin")


def test_two_emails_and_two_phones_in_one_cell_are_all_kept() -> None:
    core = connect("memory://")
    text = (
        "Nome;E-mail;Telefone;Outros e-mails\n"
        "Ana Lima;ana@x.com.br, bia@y.com.br;11 98765-5234 / 3333-5555;cia@z.com.br | dani@w.com.br\n"
        "Caio Reis;caio@x.com.br;oops / 3333-5555;caio@x , eva@y.com.br\n"
    )
    report = core.importer.run("t", ADMIN, io.BytesIO(text.encode()))
    found = {c.name: c for c in core.directory.list("t", ADMIN).items}
    ana, caio = found["Ana Lima"], found["Caio Reis"]
    assert [e.address for e in ana.emails] == [
        "ana@x.com.br",
        "bia@y.com.br",
        "cia@z.com.br",
        "dani@w.com.br",
    ]
    assert [p.e164 for p in ana.phones] == ["+5511987655234", "+551133335555"]
    assert [e.address for e in caio.emails] == ["caio@x.com.br", "eva@y.com.br"]
    assert [(w.line, w.column, w.value) for w in report.warnings] == [
        (3, "phone", "oops / 3333-5555"),
        (3, "other_emails", "caio@x"),
    ]


def test_words_and_slashes_between_emails_are_no_values_left_out() -> None:
    core = connect("memory://")
    text = "Nome;E-mail\nAna Lima;ana@x.com.br / bia@y.com.br e <cia@z.com.br>\n"
    report = core.importer.run("t", ADMIN, io.BytesIO(text.encode()))
    (ana,) = core.directory.list("t", ADMIN).items
    assert [e.address for e in ana.emails] == ["ana@x.com.br", "bia@y.com.br", "cia@z.com.br"]
    assert report.warnings == ()


def test_two_numbers_beside_a_ddd_column_share_it() -> None:
    core = connect("memory://")
    text = "Nome;E-mail;DDI;DDD;Telefone\nAna Lima;ana@x.com.br;55;11;98765-5234 / 3333-5555\n"
    report = core.importer.run("t", ADMIN, io.BytesIO(text.encode()))
    (ana,) = core.directory.list("t", ADMIN).items
    assert [p.e164 for p in ana.phones] == ["+5511987655234", "+551133335555"]
    assert report.warnings == ()
