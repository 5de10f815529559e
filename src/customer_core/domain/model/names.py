"""Names as the model keeps them: cleaned on the way in, masked on the way to a log.

:func:`clean_name` is imported from
:mod:`customer_core.domain.model.customer` (its documented path).
"""

from __future__ import annotations

from customer_core.domain.values.text import clean_text
from customer_core.errors import Code, InvalidValue, MissingRequiredField

__all__ = ["clean_name", "masked_name"]

_MAX_NAME = 200


def clean_name(text: object, field: str = "name", *, required: bool = True) -> str | None:
    """Normalize a person's or company's name: NFC, single spaces, bounded length."""
    if text is None or (isinstance(text, str) and not text.strip()):
        if required:
            raise MissingRequiredField(
                "the name is required", code=Code.REQUIRED_FIELD, field=field
            )
        return None
    if not isinstance(text, str):
        raise InvalidValue("expected text", code=Code.INVALID_VALUE, field=field)
    name = " ".join(clean_text(text, field).split())
    if len(name) > _MAX_NAME:
        raise InvalidValue(f"at most {_MAX_NAME} characters", code=Code.INVALID_VALUE, field=field)
    return name


def masked_name(name: str) -> str:
    return " ".join(word[:1] + "***" for word in name.split())
