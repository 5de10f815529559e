"""Collect every problem of one registration or update, then refuse them all at once.

A form shows the user each wrong field in one round trip, so ``register``
and ``update`` do not stop at the first bad value: each value is parsed
through :meth:`Problems.value` (a list field through :meth:`Problems.items`,
which remembers the position of each bad item), and
:meth:`Problems.raise_if_any` raises one
:class:`~customer_core.errors.ValidationFailed` with all of them.

Only bad input is collected (:class:`~customer_core.errors.InvalidValue`
and :class:`~customer_core.errors.RuleViolation`); a permission or a
storage error is not a property of the input and goes through at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import ParamSpec, TypeVar

from customer_core.domain.values.tax_id import Cnpj, Cpf
from customer_core.errors import (
    Code,
    CustomerCoreError,
    InvalidTaxId,
    InvalidValue,
    MissingRequiredField,
    RuleViolation,
    ValidationFailed,
)
from customer_core.ports import TaxIdRegistry, TaxIdStatus

__all__ = ["REQUIRED_FROM", "Problems", "check_registered"]

P = ParamSpec("P")
T = TypeVar("T")
X = TypeVar("X")

#: The parameter that provides each field a registration policy may require:
#: a required ``phone`` is not also reported missing when a phone was given
#: but refused.
REQUIRED_FROM = {
    "phone": "phones",
    "email": "emails",
    "street": "addresses",
    "neighborhood": "addresses",
    "city": "addresses",
}


class Problems:
    """The problems found so far, each an ``(error, index)`` pair."""

    __slots__ = ("_found", "_lists")

    def __init__(self) -> None:
        self._found: list[tuple[CustomerCoreError, int | None]] = []
        self._lists: set[str] = set()

    def __bool__(self) -> bool:
        return bool(self._found)

    def add(self, error: CustomerCoreError, index: int | None = None) -> None:
        self._found.append((error, index))

    def value(self, parse: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T | None:
        """``parse(*args, **kwargs)``, or ``None`` with its refusal recorded."""
        try:
            return parse(*args, **kwargs)
        except (InvalidValue, RuleViolation) as error:
            self.add(error)
            return None

    def items(self, param: str, parse: Callable[[X], T], values: Iterable[X]) -> tuple[T, ...]:
        """The items of the list parameter ``param`` that parse; each refusal keeps its position."""
        parsed: list[T] = []
        for index, value in enumerate(values):
            try:
                parsed.append(parse(value))
            except (InvalidValue, RuleViolation) as error:
                self.add(error, index)
                self._lists.add(param)
        return tuple(parsed)

    def violations(self, errors: Iterable[CustomerCoreError]) -> None:
        """The refusals of the record's invariants; a required field whose parameter
        had a refused item is not also reported missing."""
        for error in errors:
            if (
                isinstance(error, MissingRequiredField)
                and REQUIRED_FROM.get(error.field or "") in self._lists
            ):
                continue
            self.add(error)

    def raise_if_any(self) -> None:
        if self._found:
            raise ValidationFailed.of(self._found)


def check_registered(registry: TaxIdRegistry, tax_id: Cpf | Cnpj, /) -> None:
    """Refuse a CPF/CNPJ the tax registry reports as unknown or irregular.

    A registry that cannot tell (``unknown``: it is down, or none is plugged
    in) refuses nothing: the digits were checked already.
    """
    status = registry.lookup(tax_id)
    if status in (TaxIdStatus.NOT_FOUND, TaxIdStatus.IRREGULAR):
        raise InvalidTaxId(
            f"the registry reports this {tax_id.kind.upper()} as {status.value}",
            code={"cpf": Code.INVALID_CPF, "cnpj": Code.INVALID_CNPJ}[tax_id.kind],
            field="tax_id",
            registry_status=status.value,
        )
