"""A phonetic key for Brazilian Portuguese names (for blocking and name comparison).

Names that sound the same in Brazilian Portuguese but are spelled differently
(*Souza*/*Sousa*, *Luiz*/*Luís*, *Thiago*/*Tiago*, *Jéssica*/*Géssica*) get the
same key, so the duplicate report can put them in one block and count them as
the same word. English algorithms do not fit: Soundex and Metaphone (the ones
in jellyfish, for example) keep only consonants, so *Maria* and *Mário*, or
*Paulo* and *Paula*, get one key, and they know nothing of *ç*, *lh*, *nh* or
of ``ce``/``ci`` and ``ge``/``gi``.

The key is written in the spirit of BuscaBR and Metaphone-PT: a short list of
rewrite rules, applied in order to the word without accents, in lower case:

===================  ==========================================  ====================================
rule                 rewrite                                     example
===================  ==========================================  ====================================
letters only         drop accents, digits and punctuation        *Conceição* → conceicao
``ph``, ``th``       ``f``, ``t``                                *Raphael* = *Rafael*
``ch`` + r/l         ``k``                                       *Christina* = *Cristina*
``ch``, ``sh``       ``x`` (the sound of *Xavier*)               *Chavier* = *Xavier*
``lh``, ``nh``       ``l``, ``n``                                *Guilherme* = *Guilerme*
``h``                silent, dropped                             *Helena* = *Elena*
``y``, ``w``         ``i``, ``v``                                *Ygor* = *Igor*, *Walter* = *Valter*
``qu``, ``q``        ``k``                                       *Queiroz* = *Keiroz*
``gu`` + e/i         hard ``g``                                  *Guilherme* ≠ *Gilberto*
``g`` + e/i          ``j``                                       *Géssica* = *Jéssica*
``sc``/``xc`` + e/i  ``s``                                       *Nascimento* = *Nasimento*
``c`` + e/i          ``s``                                       *Cecília* = *Sesília*
``ck``, ``c``        ``k``                                       *Kátia* = *Cátia*
``z``                ``s``                                       *Souza* = *Sousa*
``ct``, ``pt``       ``t``                                       *Victor* = *Vitor*
``m`` + consonant    ``n`` (also at the end: a nasal vowel)      *Yasmim* = *Yasmin*
``e``, ``o``         ``i``, ``u`` (unstressed vowels as spoken)  *Felipe* = *Filipe*
doubled letters      one                                         *Mello* = *Melo*
===================  ==========================================  ====================================

Vowels are kept (apart from ``e``/``i`` and ``o``/``u``), so the
grammatical gender of a name survives: *Paulo* and *Paula* keep different
keys, as do *Maria* and *Mário*. Known limits: *ç* is read after its accent
is dropped, so *Gonçalves* = *Goncalves* (how it is usually mistyped) but
not *Gonsalves*; an ``x`` keeps its own key whether it sounds ``ch``,
``ks`` or ``s`` (*Alexandre*/*Alessandre* differ). Typos are not this
module's job: the name comparison uses rapidfuzz for those.

>>> phonetic_key("Souza") == phonetic_key("Sousa")
True
>>> [phonetic_key(w) for w in ("Thiago", "Luíz", "Jéssica", "Guilherme", "Conceição")]
['tiagu', 'luis', 'jisika', 'gilirmi', 'kunsikau']
>>> phonetic_key("Paulo") == phonetic_key("Paula")
False
"""

from __future__ import annotations

import re
from functools import lru_cache

from customer_core.domain.values.text import fold

__all__ = ["phonetic_key"]

# Upper-case letters are placeholders: the input is folded to lower case, so
# they cannot clash with it, and later rules do not rewrite them.
_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"ph", "f"),
        (r"th", "t"),
        (r"ch(?=[rl])", "K"),
        (r"[cs]h", "X"),
        (r"lh", "l"),
        (r"nh", "n"),
        (r"h", ""),
        (r"y", "i"),
        (r"w", "v"),
        (r"qu?", "K"),
        (r"gu(?=[ei])", "G"),
        (r"g(?=[ei])", "J"),
        (r"[sx]c(?=[ei])", "S"),
        (r"c(?=[ei])", "S"),
        (r"c", "K"),
        (r"z", "s"),
        (r"[Kk]t", "t"),
        (r"pt", "t"),
        (r"m(?![aeiou])", "n"),
        (r"e", "i"),
        (r"o", "u"),
    )
)
_DOUBLES = re.compile(r"(.)\1+")


@lru_cache(maxsize=65536)  # names repeat: a tenant has a few thousand distinct words
def phonetic_key(word: str, /) -> str:
    """The key of one word (see the rules above); ``""`` for a word without letters."""
    text = "".join(c for c in fold(word) if "a" <= c <= "z")
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return _DOUBLES.sub(r"\1", text.lower())
