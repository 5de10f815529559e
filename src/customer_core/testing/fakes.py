"""Deterministic stand-ins for the small ports, for tests and notebooks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from typing import ClassVar

from customer_core.domain.model.events import DomainEvent
from customer_core.domain.values.tax_id import Cnpj, Cpf
from customer_core.ports import TaxIdStatus

__all__ = [
    "FakeTaxIdRegistry",
    "FixedClock",
    "KeywordLanguageDetector",
    "RecordingPublisher",
    "SequentialIds",
]


class FixedClock:
    """A clock that only moves when told to."""

    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime(2026, 1, 1, 12, tzinfo=timezone.utc)

    def now(self) -> datetime:
        return self.current

    def advance(self, delta: timedelta) -> None:
        self.current += delta


class SequentialIds:
    """``prefix-000001``, ``prefix-000002``... (sortable, readable in failures)."""

    def __init__(self, prefix: str = "id") -> None:
        self.prefix = prefix
        self.issued = 0

    def new_id(self) -> str:
        self.issued += 1
        return f"{self.prefix}-{self.issued:06d}"


class FakeTaxIdRegistry:
    """Answers from a table; unknown numbers are ``NOT_FOUND``."""

    def __init__(self, answers: Mapping[str, TaxIdStatus] | None = None) -> None:
        self.answers = dict(answers or {})
        self.asked: list[str] = []

    def lookup(self, tax_id: Cpf | Cnpj, /) -> TaxIdStatus:
        self.asked.append(tax_id.digits)
        return self.answers.get(tax_id.digits, TaxIdStatus.NOT_FOUND)


class RecordingPublisher:
    """Keeps what was published."""

    def __init__(self) -> None:
        self.published: list[DomainEvent] = []

    def publish(self, events: Sequence[DomainEvent], /) -> None:
        self.published.extend(events)

    def names(self) -> Iterable[str]:
        return [e.name for e in self.published]


class KeywordLanguageDetector:
    """Deterministic detector for tests: a few frequent words per language."""

    WORDS: ClassVar[dict[str, set[str]]] = {
        "pt": {"olá", "ola", "obrigado", "obrigada", "você", "voce", "não", "nao", "pedido", "bom"},
        "es": {"hola", "gracias", "usted", "pedido", "buenos", "quiero"},
        "en": {"hello", "thanks", "order", "please", "the", "my"},
    }

    def detect(self, text: str, /) -> str | None:
        words = set(text.lower().replace(",", " ").replace("!", " ").split())
        scores = {lang: len(words & vocab) for lang, vocab in self.WORDS.items()}
        best = max(scores, key=lambda lang: scores[lang])
        return best if scores[best] else None
