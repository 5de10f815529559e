"""Messages in Portuguese: every code has one, the catalogs ship compiled, the CLI takes --lang."""

from __future__ import annotations

import ast
import io
import re
import zipfile
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from customer_core import (
    Code,
    Email,
    InvalidEmail,
    InvalidPhone,
    MissingRequiredField,
    Phone,
    ValidationFailed,
)
from customer_core.cli import main
from customer_core.messages import (
    CODE_MESSAGES,
    FIELD_LABELS,
    KNOWN_MESSAGES,
    LOCALES,
    describe,
    field_label,
    localize,
    translation,
)

ROOT = Path(__file__).parents[2]
SRC = ROOT / "src" / "customer_core"
PO = LOCALES / "pt_BR" / "LC_MESSAGES" / "customer_core.po"
MO = PO.with_suffix(".mo")
POT = LOCALES / "customer_core.pot"


def po_strings() -> dict[str, str]:
    with PO.open("rb") as f:
        return {str(m.id): str(m.string) for m in read_po(f) if m.id}


# -- the catalog ------------------------------------------------------------------


def test_every_code_has_a_message_and_a_portuguese_translation() -> None:
    assert set(CODE_MESSAGES) == set(Code)
    strings = po_strings()
    for code in Code:
        english = CODE_MESSAGES[code]
        assert strings.get(english), f"{code} has no pt-BR message"
        assert strings[english] != english, code
        assert localize(_error(code), lang="pt-BR") == strings[english].format(
            field=field_label("city", lang="pt-BR")
        )


def _error(code: Code) -> MissingRequiredField:
    # Any error with this code; a message not in the catalog falls back to the code's.
    error = MissingRequiredField("not in any catalog", field="city")
    error.code = code
    return error


def test_every_marked_message_is_translated() -> None:
    strings = po_strings()
    for message in (*KNOWN_MESSAGES, *FIELD_LABELS):
        assert strings.get(message), message
    assert "{field}" in strings[CODE_MESSAGES[Code.REQUIRED_FIELD]]


def test_the_known_messages_are_raised_word_for_word_in_src() -> None:
    text = "\n".join(p.read_text("utf-8") for p in SRC.rglob("*.py") if p.name != "messages.py")
    for message in KNOWN_MESSAGES:
        pattern = re.escape(message)
        pattern = pattern.replace("CPF", "(?:CPF|\\{kind\\})").replace(
            "CNPJ", "(?:CNPJ|\\{kind\\})"
        )
        pattern = re.sub(r"1[14]", r"(?:\\d+|\\{length\\})", pattern)
        assert re.search(pattern, text), f"{message!r} is not raised any more: drop it"


def test_the_template_and_the_catalog_have_every_marked_message() -> None:
    marked = {
        message
        for _, message, _, _ in extract_from_file(
            "python", str(SRC / "messages.py"), keywords={"N_": None}
        )
    }
    with POT.open("rb") as f:
        template = {str(m.id) for m in read_po(f) if m.id}
    assert marked == template == set(po_strings())


def test_the_compiled_catalog_is_the_catalog() -> None:
    with MO.open("rb") as f:
        compiled = {str(m.id): str(m.string) for m in read_mo(f) if m.id}
    assert compiled == po_strings(), (
        "run: pybabel compile -D customer_core -d src/customer_core/locales"
    )


def test_the_wheel_ships_the_compiled_catalog(tmp_path: Path) -> None:
    from hatchling.builders.wheel import WheelBuilder

    wheel = next(
        iter(WheelBuilder(str(ROOT)).build(directory=str(tmp_path), versions=["standard"]))
    )
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "customer_core/locales/pt_BR/LC_MESSAGES/customer_core.mo" in names
    assert "customer_core/messages.py" in names


# -- choosing the language ---------------------------------------------------------


@pytest.mark.parametrize("lang", ["pt-BR", "pt_BR", "pt-br", "pt", "PT_br"])
def test_spellings_of_brazilian_portuguese(lang: str) -> None:
    assert translation(lang) is not None


@pytest.mark.parametrize("lang", ["en", "en-US", "C", "xx"])
def test_english_and_unknown_languages_keep_the_raised_message(lang: str) -> None:
    error = InvalidPhone("the number has no area code (DDD)", field="phone")
    assert translation(lang) is None
    assert localize(error, lang=lang) == "the number has no area code (DDD)"
    assert describe(error, lang=lang) == str(error)


@pytest.mark.parametrize(
    ("variable", "value", "portuguese"),
    [
        ("LANG", "pt_BR.UTF-8", True),
        ("LC_MESSAGES", "pt_BR", True),
        ("LC_ALL", "pt_BR.utf8", True),
        ("LANGUAGE", "pt_BR:en", True),
        ("LANG", "C.UTF-8", False),
        ("LANG", "en_US.UTF-8", False),
    ],
)
def test_without_lang_the_locale_decides(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, portuguese: bool
) -> None:
    monkeypatch.setenv(variable, value)
    error = InvalidPhone("the number has no area code (DDD)", field="phone")
    expected = "o número não tem DDD" if portuguese else error.message
    assert localize(error) == expected
    assert localize(error, lang="en") == error.message  # lang wins over the locale


# -- what a reader sees -----------------------------------------------------------------


@pytest.mark.parametrize("typed", ["ana@", "ana@@x.com", "ana@exemplo..com", "a b@x.com"])
def test_email_validator_english_is_never_shown_raw_in_portuguese(typed: str) -> None:
    with pytest.raises(InvalidEmail) as info:
        Email.parse(typed)
    error = info.value
    shown = localize(error, lang="pt-BR")
    assert shown == "endereço de e-mail inválido"
    assert error.message not in shown
    assert (error.code, error.field) == (Code.INVALID_EMAIL, "email")  # unchanged


def test_a_precise_message_is_translated_as_such() -> None:
    with pytest.raises(InvalidPhone) as info:
        Phone.parse("11 1234")
    assert localize(info.value, lang="pt-BR") == "o número é curto demais"


def test_required_fields_name_the_field_in_portuguese() -> None:
    error = MissingRequiredField("phone is required", field="phone")
    assert localize(error, lang="pt-BR") == "o campo telefone é obrigatório"
    assert field_label("addresses.city", lang="pt-BR") == "cidade"
    assert field_label("unknown_field", lang="pt-BR") == "unknown_field"


def test_a_validation_failure_is_localized_item_by_item() -> None:
    failed = ValidationFailed.of(
        [
            (InvalidPhone("the number is too short", field="phones"), 1),
            (MissingRequiredField("city is required", field="city"), None),
        ]
    )
    assert localize(failed, lang="pt-BR") == (
        "o número é curto demais; o campo cidade é obrigatório"
    )
    assert describe(failed, lang="pt-BR") == (
        "invalid_phone [phones[1]]: o número é curto demais; "
        "required_field [city]: o campo cidade é obrigatório"
    )
    assert describe(failed, lang="en") == str(failed)


# -- the command line ------------------------------------------------------------------


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    out = io.StringIO()
    status = main(argv, out=out)
    return status, out.getvalue(), capsys.readouterr().err


@pytest.mark.parametrize("where", ["before", "after"])
def test_cli_lang_gives_portuguese_errors_with_the_same_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    empty = tmp_path / "vazio.csv"
    empty.write_bytes(b"")
    command = ["import", str(empty), "--database", f"sqlite:///{tmp_path / 'c.db'}"]
    argv = ["--lang", "pt-BR", *command] if where == "before" else [*command, "--lang", "pt-BR"]
    status, _, err = _run(argv, capsys)
    assert status == 2
    assert err.strip() == "customer-core: erro empty_file [file]: o arquivo está vazio"
    status, _, err = _run(command, capsys)
    assert err.strip() == "customer-core: error empty_file [file]: the file is empty"


def test_cli_import_report_lines_are_localized(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "clientes.csv"
    source.write_text("Nome;E-mail\nAna;ana@@x.com\n", encoding="utf-8")
    database = f"sqlite:///{tmp_path / 'c.db'}"
    argv = ["--lang", "pt-BR", "import", str(source), "--database", database, "--no-progress"]
    _, out, _ = _run(argv, capsys)
    assert "invalid_email: endereço de e-mail inválido" in out
    assert "@-sign" not in out


def test_messages_module_is_below_every_layer_but_errors() -> None:
    tree = ast.parse((SRC / "messages.py").read_text("utf-8"))
    imported = {
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("customer")
    }
    assert imported == {"customer_core.errors"}
