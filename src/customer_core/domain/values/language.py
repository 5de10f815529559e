"""Languages (ISO 639-1), as customers' preferred language or a detected one."""

from __future__ import annotations

import attrs

from customer_core.domain.values._data.languages import ISO_639_1
from customer_core.errors import Code, InvalidLanguage

__all__ = ["Language"]


def _check_language(_: object, __: attrs.Attribute[str], code: object) -> None:
    if not isinstance(code, str) or code not in ISO_639_1:
        raise InvalidLanguage(
            f"{code!r} is not an ISO 639-1 code", code=Code.INVALID_LANGUAGE, field="language"
        )


@attrs.frozen
class Language:
    """An ISO 639-1 language code; a regional tag like ``pt-BR`` keeps its language.

    >>> Language.parse("pt-BR")
    Language(code='pt')

    The constructor takes the lower-case code only.
    """

    code: str = attrs.field(validator=_check_language)

    @classmethod
    def parse(cls, text: str, /, *, field: str = "language") -> Language:
        code = str(text).strip().lower().replace("_", "-").split("-", 1)[0]
        if code not in ISO_639_1:
            raise InvalidLanguage(
                f"{text!r} is not an ISO 639-1 code", code=Code.INVALID_LANGUAGE, field=field
            )
        return cls(code)

    def __str__(self) -> str:
        return self.code
