from __future__ import annotations

import inspect
import pickle

import customer_core
from customer_core import errors


def error_classes() -> list[type[errors.CustomerCoreError]]:
    return [
        obj
        for _, obj in inspect.getmembers(errors, inspect.isclass)
        if issubclass(obj, errors.CustomerCoreError)
    ]


def test_every_error_is_exported_and_has_codes() -> None:
    for cls in error_classes():
        assert cls.__name__ in customer_core.__all__
        if cls is not errors.CustomerCoreError:
            assert cls.codes, cls
            assert cls.default_code in cls.codes or cls.default_code == "cardinality_exceeded"


def test_codes_are_unique_across_classes() -> None:
    seen: dict[str, type] = {}
    for cls in error_classes():
        for code in cls.codes:
            assert code not in seen, (code, cls, seen.get(code))
            seen[code] = cls


def test_errors_pickle_and_keep_details() -> None:
    error = errors.DuplicateIdentity("taken", field="phones", holder_id="c9")
    clone = pickle.loads(pickle.dumps(error))
    assert type(clone) is errors.DuplicateIdentity
    assert (clone.code, clone.field, clone.details) == (
        "duplicate_identity",
        "phones",
        {"holder_id": "c9"},
    )


def test_invalid_values_are_value_errors() -> None:
    assert issubclass(errors.InvalidPhone, ValueError)
    assert issubclass(errors.NotFound, LookupError)


def test_every_code_is_in_the_errors_reference() -> None:
    from pathlib import Path

    reference = (Path(__file__).parents[2] / "docs" / "errors.md").read_text(encoding="utf-8")
    for cls in error_classes():
        for code in cls.codes:
            assert f"| `{code}` | `{cls.__name__}` |" in reference, code
