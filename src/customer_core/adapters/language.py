"""Language detection on lingua (``customer-core[lang]``): offline and maintained."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from customer_core.errors import Code, MissingDependency

__all__ = ["LinguaLanguageDetector"]


class LinguaLanguageDetector:
    """Detects among ``languages`` (ISO 639-1 codes); answers ``None`` when unsure.

    Limiting the candidates (Portuguese, Spanish and English by default) makes
    short chat messages far more reliable and the detector lighter.
    """

    def __init__(
        self, languages: tuple[str, ...] = ("pt", "es", "en"), *, min_confidence: float = 0.5
    ) -> None:
        self.languages = languages
        self.min_confidence = min_confidence

    @cached_property
    def _detector(self) -> Any:
        try:
            import lingua
        except ImportError as exc:
            raise MissingDependency(
                "language detection needs: pip install 'customer-core[lang]'",
                code=Code.MISSING_DEPENDENCY,
                field="language_detector",
            ) from exc
        wanted = [lingua.IsoCode639_1.from_str(code) for code in self.languages]
        return lingua.LanguageDetectorBuilder.from_iso_codes_639_1(*wanted).build()

    def detect(self, text: str, /) -> str | None:
        if not text.strip():
            return None
        best = self._detector.compute_language_confidence_values(text)[0]
        if best.value < self.min_confidence:
            return None
        return str(best.language.iso_code_639_1.name).lower()
