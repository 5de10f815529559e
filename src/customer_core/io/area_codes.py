"""The area code (DDD) a phone typed without one most probably has.

People write their own number without the DDD (``98765-4321``): it is the
number they dial at home. A phone cell like that is not a line (the import
used to leave it out), yet it is often the only contact a thin row has,
and the same line is written in full on another row of the same customer.
The import completes it, and says so in the row's warnings
(``area_code_added``), from:

1. **another phone of the row**: when every other Brazilian phone of the row
   has one DDD, the local number has it too;
2. **the same number written in full** on other rows of the file: when
   every line of the file ending in the local number's last 8 digits has
   one DDD, the local number is that line (a thin row, with no city and no
   other phone, is often the same customer as a full one);
3. **the row's city**: the DDD that the file's own rows of that city dial
   (at least 3 rows and 80% of them, the rule of
   :func:`~customer_core.domain.matching.rarity.dialled`). No table of the
   country's cities is needed, and a city whose rows dial several area
   codes (a metropolitan border) completes nothing.

The whole file teaches the cities' codes and its numbers, so the order of
its rows changes nothing: the import completes a row's local number only
once every row has been read (:class:`CityPending` notes the rows that need
it; they are read again at the end with what the file taught).

>>> codes = AreaCodes()
>>> for _ in range(3):
...     codes.learn("Cuiabá", [Phone.parse("(65) 98991-0448")])
>>> codes.of_city("CUIABA")
'65'
>>> codes.of_city("Várzea Grande") is None
True
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from customer_core.domain.matching.rarity import dialled
from customer_core.domain.values.phone import Phone
from customer_core.domain.values.text import fold
from customer_core.errors import InvalidPhone

__all__ = ["AreaCodes", "CityPending", "area_code_of", "with_area_code"]


def area_code_of(phone: Phone, /) -> str | None:
    """The DDD of a Brazilian line (``None`` for a foreign number)."""
    key = phone.match_key
    return key[2:4] if key.startswith("55") and len(key) >= 12 else None


class AreaCodes:
    """The area code each city's rows dial, learnt row by row."""

    def __init__(self) -> None:
        self._by_city: defaultdict[str, Counter[str]] = defaultdict(Counter)
        # The last 8 digits of each line of the file -> its DDD (0: lines of two DDDs).
        # An int for an int: a file of a million phones keeps about 100 MB less than strings.
        self._by_number: dict[int, int] = {}

    def learn(self, city: str | None, phones: Iterable[Phone]) -> None:
        """Count the area codes of one row's phones for its city, and learn its numbers."""
        lines = [(code, p.match_key) for p in phones if p.is_identity and (code := area_code_of(p))]
        for code, key in lines:
            number, ddd = int(key[-8:]), int(code)
            if self._by_number.setdefault(number, ddd) != ddd:
                self._by_number[number] = 0
        if city and lines:
            self._by_city[fold(city)].update(code for code, _ in lines)

    def of_number(self, text: str, /) -> str | None:
        """The DDD of the file's lines that end like the local number ``text``, if one."""
        digits = "".join(c for c in text if c.isdigit())
        ddd = self._by_number.get(int(digits[-8:])) if len(digits) >= 8 else None
        return f"{ddd:02d}" if ddd else None

    def of_city(self, city: str | None, /) -> str | None:
        """The area code the rows of ``city`` dial, when they agree on one."""
        if not city:
            return None
        codes = self._by_city.get(fold(city))
        return None if codes is None else dialled(codes)

    def for_row(
        self, phones: Iterable[Phone], city: str | None, number: str = ""
    ) -> tuple[str | None, str]:
        """The DDD of the local ``number`` of a row with these ``phones``, and where it came from."""
        own = {code for p in phones if p.is_identity and (code := area_code_of(p))}
        if len(own) == 1:
            return own.pop(), "the row's other phone"
        if own:
            return None, ""  # two area codes on the row: which one is the local number's?
        in_full = self.of_number(number)
        if in_full is not None:
            return in_full, "the same number written in full on another row"
        return self.of_city(city), f"the city {city}"


class CityPending(AreaCodes):
    """Knows no city nor number yet: notes (``asked``) that a row's local number needed them.

    The import's first reading of the file uses it, so a row's phones never depend
    on the rows before it; the rows it flags are read again after the whole file
    taught an :class:`AreaCodes`.

    >>> pending = CityPending()
    >>> pending.for_row([], "Cuiabá"), pending.asked
    ((None, ''), True)
    """

    def __init__(self) -> None:
        super().__init__()
        self.asked = False

    def for_row(
        self, phones: Iterable[Phone], city: str | None, number: str = ""
    ) -> tuple[str | None, str]:
        phones = list(phones)
        if any(p.is_identity and area_code_of(p) for p in phones):
            return super().for_row(phones, None)  # the row's own phones decide, or nothing
        self.asked = True  # the file's numbers, or its city's code once the file is read
        return None, ""


def with_area_code(code: str | None, text: str, column: str) -> Phone | None:
    """The local number ``text`` under area code ``code``, if that makes a valid line."""
    if code is None:
        return None
    try:
        return Phone.from_parts("55", code, text, field=column)
    except InvalidPhone:
        return None
