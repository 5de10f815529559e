"""Text folding for search and ordering: accents, case and spacing do not matter.

>>> fold("  JOÃO  da Conceição ")
'joao da conceicao'
>>> fold("Ａｎａ")
'ana'
"""

from __future__ import annotations

import unicodedata

from customer_core.errors import Code, InvalidValue

__all__ = ["check_printable", "clean_text", "fold", "fold_tokens", "masked"]

_ALLOWED_CONTROLS = frozenset("\n\r\t")


def check_printable(text: str, field: str, *, multiline: bool = False) -> str:
    r"""Refuse control characters (NUL and friends): no database stores them all alike.

    >>> check_printable("Ana\x00", "name")
    Traceback (most recent call last):
    ...
    customer_core.errors.InvalidValue: invalid_value [name]: control characters are not allowed
    """
    if text.isprintable():  # the common case, checked in C
        return text
    allowed = _ALLOWED_CONTROLS if multiline else frozenset()
    if any(unicodedata.category(c) == "Cc" and c not in allowed for c in text):
        raise InvalidValue(
            "control characters are not allowed", code=Code.INVALID_VALUE, field=field
        )
    return text


def clean_text(text: str, field: str, *, multiline: bool = False) -> str:
    """Free text as stored: composed (NFC), without control characters.

    ``São`` typed as ``S``, ``a``, a combining tilde (NFD: macOS file names,
    some keyboards and PDFs) is stored as the one character ``ã``, as names
    are, so a host's ``WHERE city = 'São Paulo'`` finds it whatever was typed.

    >>> clean_text("Sa\u0303o Paulo", "city") == "S\u00e3o Paulo"
    True
    """
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return check_printable(text, field, multiline=multiline)


def accents(text: str, /) -> int:
    """How many accents (combining marks once decomposed) ``text`` carries.

    >>> accents("João Conceição"), accents("Joao")
    (3, 0)
    """
    return sum(1 for c in unicodedata.normalize("NFD", text) if unicodedata.combining(c))


def fold(text: str, /) -> str:
    """Lower-case, accent-free, single-spaced form of ``text`` (the search key)."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def fold_tokens(text: str, /) -> list[str]:
    """The words of ``fold(text)``, punctuation removed."""
    cleaned = "".join(c if c.isalnum() else " " for c in fold(text))
    return cleaned.split()


def masked(text: str, *, end: int = 4, start: int = 0) -> str:
    """``text`` for logs and reprs: all but ``start`` leading and ``end`` trailing characters hidden.

    Values that identify a person (a WhatsApp number, a handle, an id in
    another system, a CPF in an identity key) never print whole.

    >>> masked("5511987654321")
    '*********4321'
    >>> masked("ana.lima", end=0, start=1)
    'a***'
    """
    if end == 0:
        return text[:start] + "***"
    if len(text) <= start + end:
        return "*" * len(text)
    return text[:start] + "*" * (len(text) - start - end) + text[-end:]
