"""Text folding for search and ordering: accents, case and spacing do not matter.

>>> fold("  JOÃO  da Conceição ")
'joao da conceicao'
>>> fold("Ａｎａ")
'ana'
"""

from __future__ import annotations

import unicodedata

__all__ = ["fold", "fold_tokens"]


def fold(text: str, /) -> str:
    """Lower-case, accent-free, single-spaced form of ``text`` (the search key)."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def fold_tokens(text: str, /) -> list[str]:
    """The words of ``fold(text)``, punctuation removed."""
    cleaned = "".join(c if c.isalnum() else " " for c in fold(text))
    return cleaned.split()
