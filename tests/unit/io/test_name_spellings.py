"""The fuller spelling of a name is kept: in a file, and against a stored customer."""

from __future__ import annotations

import io

from customer_core import Actor, connect

ADMIN = Actor(tenant_id="t", user_id="admin", role="admin")


def _names(core: object) -> list[str]:
    return sorted(c.name for c in core.directory.list("t", ADMIN).items)  # type: ignore[attr-defined]


def _run(core: object, text: str, mode: str = "create") -> object:
    return core.importer.run("t", ADMIN, io.BytesIO(text.encode()), mode=mode)  # type: ignore[attr-defined]


def test_the_accented_spelling_wins_whatever_the_order() -> None:
    for rows in (
        "João Pereira;joao@x.com.br\nJoao Pereira;joao@x.com.br\n",
        "Joao Pereira;joao@x.com.br\nJoão Pereira;joao@x.com.br\n",
    ):
        core = connect("memory://")
        _run(core, "Nome;E-mail\n" + rows)
        assert _names(core) == ["João Pereira"]


def test_reimporting_a_file_after_a_merge_keeps_the_survivors_fuller_name() -> None:
    core = connect("memory://")
    text = (
        "Nome;E-mail;Telefone;Cidade;Estado;CEP\n"
        "Daniela Wachholz Tavares;dani.wt@gmail.com;(65) 99111-2222;Cuiabá;MT;78005-000\n"
        "Daniela W. Tavares;daniela.tavares@hotmail.com;(65) 3322-1100;Cuiabá;MT;78005-000\n"
    )
    _run(core, text)
    customers = {c.name: c.id for c in core.directory.list("t", ADMIN).items}
    core.identity.merge(
        "t", ADMIN, customers["Daniela Wachholz Tavares"], [customers["Daniela W. Tavares"]]
    )
    report = _run(core, text, mode="upsert")
    assert (report.created, report.updated) == (0, 0)  # type: ignore[attr-defined]
    assert _names(core) == ["Daniela Wachholz Tavares"]


def test_an_upsert_still_renames_to_a_name_that_says_more() -> None:
    core = connect("memory://")
    _run(core, "Nome;E-mail\nJoao Silva;joao@x.com.br\nMARIA LIMA;maria@x.com.br\n")
    _run(
        core,
        "Nome;E-mail\nJoão da Silva;joao@x.com.br\nMaria Lima;maria@x.com.br\n",
        mode="upsert",
    )
    assert _names(core) == ["João da Silva", "Maria Lima"]


def test_an_upsert_writes_a_name_in_lower_case_as_a_name() -> None:
    core = connect("memory://")
    _run(core, "Nome;E-mail\nmaria da silva;maria@x.com.br\nAcme Ltda;acme@x.com.br\n")
    _run(core, "Nome;E-mail\nMaria da Silva;maria@x.com.br\nACME LTDA;acme@x.com.br\n", "upsert")
    assert _names(core) == ["Acme Ltda", "Maria da Silva"]


def test_a_fuller_name_typed_without_accents_keeps_those_another_spelling_had() -> None:
    core = connect("memory://")
    _run(core, "Nome;E-mail\nJosé Silva;jose@x.com.br\nJose da Silva;jose@x.com.br\n")
    _run(core, "Nome;E-mail\nMaria José;maria@x.com.br\n")
    _run(core, "Nome;E-mail\nMaria Jose da Silva;maria@x.com.br\n", "upsert")
    assert _names(core) == ["José da Silva", "Maria José da Silva"]
