"""One line, one phone: which of two phones of one line a merge or an import keeps."""

from __future__ import annotations

import pytest

from customer_core import Phone
from customer_core.domain.values.phone import PhoneType
from customer_core.domain.values.phone_lines import details_not_kept, richer_phone, union_phones

LINE = "11 3333-4444"


def _phone(extension: str | None = None, kind: str | None = None, recado: bool = False) -> Phone:
    text = f"{LINE} recado" if recado else LINE
    return Phone.parse(text, type=kind, extension=extension)


@pytest.mark.parametrize(
    ("kept", "other", "result", "reported"),
    [
        # An extension over none, whichever side has it.
        (_phone(), _phone("25"), ("landline", "25"), False),
        (_phone("25"), _phone(), ("landline", "25"), False),
        # A chosen type over an inferred one; two chosen ones: the first, reported.
        (_phone(), _phone(kind="work"), ("work", None), False),
        (_phone(kind="home"), _phone(kind="work"), ("home", None), True),
        (_phone(kind="home"), _phone(), ("home", None), False),
        # Two extensions: the first, reported.
        (_phone("25", "work"), _phone("30"), ("work", "25"), True),
        (_phone("25"), _phone("25"), ("landline", "25"), False),
    ],
)
def test_the_richer_phone_of_one_line(
    kept: Phone, other: Phone, result: tuple[str, str | None], reported: bool
) -> None:
    richer = richer_phone(kept, other)
    assert (richer.type.value, richer.extension) == result
    assert details_not_kept(richer, other) is reported


def test_a_recado_line_stays_one_and_a_refused_type_is_not_taken() -> None:
    recado = _phone(recado=True)
    richer = richer_phone(recado, _phone("7", "fax"), allowed_types={PhoneType.LANDLINE})
    assert (richer.message_number, richer.type.value, richer.extension) == (True, "other", "7")
    assert details_not_kept(richer, _phone("7", "fax"))


def test_union_keeps_order_and_one_phone_per_line() -> None:
    mobile = Phone.parse("11 98765-4321")
    phones, not_kept = union_phones((mobile, _phone("25")), (_phone("30"), _phone(), mobile))
    assert [(p.e164, p.extension) for p in phones] == [
        ("+5511987654321", None),
        ("+551133334444", "25"),
    ]
    assert [p.extension for p in not_kept] == ["30"]
