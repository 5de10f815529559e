"""The error registry: one ``Code`` enum, the codes each class declares, the
errors reference (docs/errors.md) and the codes used in src/ agree."""

from __future__ import annotations

import ast
import inspect
import json
import pickle
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import customer_core
from customer_core import errors
from customer_core.errors import Code

ROOT = Path(__file__).parents[2]
SRC = ROOT / "src" / "customer_core"
REFERENCE = ROOT / "docs" / "errors.md"


def error_classes() -> list[type[errors.CustomerCoreError]]:
    return [
        obj
        for _, obj in inspect.getmembers(errors, inspect.isclass)
        if issubclass(obj, errors.CustomerCoreError)
    ]


def owners() -> dict[Code, list[str]]:
    """The classes that declare each code (in their own body, not inherited)."""
    found: dict[Code, list[str]] = {code: [] for code in Code}
    for cls in error_classes():
        for code in cls.__dict__.get("codes", ()):
            found[code].append(cls.__name__)
    return found


# -- the registry ---------------------------------------------------------


def test_every_error_is_exported_and_declares_its_codes() -> None:
    assert "Code" in customer_core.__all__
    for cls in error_classes():
        assert cls.__name__ in customer_core.__all__
        assert "codes" in cls.__dict__, f"{cls.__name__} inherits its codes"
        assert "default_code" in cls.__dict__, f"{cls.__name__} inherits its default code"
        assert isinstance(cls.codes, frozenset), cls
        assert cls.codes, cls
        assert all(isinstance(code, Code) for code in cls.codes), cls
        assert isinstance(cls.default_code, Code), cls
        assert cls.default_code in cls.codes, cls


def test_every_code_belongs_to_exactly_one_class() -> None:
    assert {code: names for code, names in owners().items() if len(names) != 1} == {}


def test_codes_are_snake_case_and_named_after_their_value() -> None:
    for code in Code:
        assert re.fullmatch(r"[a-z]+(_[a-z]+)*", code.value), code
        assert code.name == code.value.upper(), code


def test_the_reference_documents_every_code_with_its_class() -> None:
    rows = re.findall(r"^\| `([a-z_]+)` \| `(\w+)` \|", REFERENCE.read_text("utf-8"), re.M)
    documented = dict(rows)
    assert len(documented) == len(rows), "a code is documented twice"
    expected = {code.value: names[0] for code, names in owners().items()}
    assert documented == expected  # a code missing, stale, or under another class


# -- a code is its string ----------------------------------------------------


def test_a_code_compares_hashes_prints_and_dumps_as_its_string() -> None:
    error = errors.InvalidTaxId("wrong check digits", code=Code.INVALID_CPF, field="tax_id")
    assert error.code == "invalid_cpf"
    assert error.code != "invalid_cnpj"
    assert error.code in {"invalid_cpf", "invalid_cnpj"}
    assert {"invalid_cpf": 422}[error.code] == 422
    assert (str(error.code), f"{error.code}", f"{error.code:>12}") == (
        "invalid_cpf",
        "invalid_cpf",
        " invalid_cpf",
    )
    assert str(error) == "invalid_cpf [tax_id]: wrong check digits"
    body = {"code": error.code, "field": error.field}
    assert json.dumps(body) == '{"code": "invalid_cpf", "field": "tax_id"}'
    assert json.dumps({error.code: 1}) == '{"invalid_cpf": 1}'
    assert Code("invalid_cpf") is Code.INVALID_CPF


def test_a_host_may_give_the_code_as_text() -> None:
    error = errors.InvalidTaxId("wrong check digits", code="invalid_cnpj", field="tax_id")
    assert error.code is Code.INVALID_CNPJ


def test_an_error_without_a_code_has_its_class_default() -> None:
    for cls in error_classes():
        assert cls("message").code is cls.default_code


def every_class_and_code() -> Iterator[tuple[type[errors.CustomerCoreError], Code]]:
    for cls in error_classes():
        for code in sorted(cls.codes):
            yield cls, code


@pytest.mark.parametrize(("cls", "code"), list(every_class_and_code()))
def test_errors_pickle_with_their_code_and_details(
    cls: type[errors.CustomerCoreError], code: Code
) -> None:
    error = cls("message", code=code, field="phones", holder_id="c9")
    clone = pickle.loads(pickle.dumps(error))
    assert type(clone) is cls
    assert (clone.code, clone.field, clone.details) == (code, "phones", {"holder_id": "c9"})
    assert clone.code is code


@pytest.mark.parametrize("cls", error_classes())
def test_a_code_the_class_does_not_declare_is_refused(
    cls: type[errors.CustomerCoreError],
) -> None:
    for code in Code:
        if code in cls.codes:
            continue
        for given in (code, code.value):
            with pytest.raises(TypeError, match=f"does not carry the code '{code.value}'"):
                cls("message", code=given)


@pytest.mark.parametrize("code", ["", "invalid", "Invalid_CPF", "invalid_cpf ", 42])
def test_an_unknown_code_is_a_type_error_not_a_library_error(code: object) -> None:
    with pytest.raises(TypeError, match="is not a code of customer_core") as info:
        errors.InvalidTaxId("message", code=code)  # type: ignore[arg-type]
    assert not isinstance(info.value, errors.CustomerCoreError)


def test_a_subclass_must_carry_its_default_code() -> None:
    with pytest.raises(TypeError, match="default_code is not one of its codes"):

        class Broken(errors.InvalidValue):
            default_code = Code.INVALID_PHONE


def test_class_families() -> None:
    assert issubclass(errors.InvalidPhone, ValueError)
    assert issubclass(errors.NotFound, LookupError)
    # A value the database refuses is bad input, not an outage a retry cures.
    assert issubclass(errors.InvalidStoredValue, errors.InvalidValue)
    assert not issubclass(errors.InvalidStoredValue, errors.StorageUnavailable)


# -- the codes used in src/ ------------------------------------------------


def code_parameters(trees: dict[Path, ast.Module]) -> dict[str, set[int]]:
    """Callables of src/ with a parameter named ``code``: name -> its positions.

    Functions by their parameters, attrs classes (not ``kw_only``) by their
    fields, so ``RowError(line, column, code, message)`` counts too.
    """
    found: dict[str, set[int]] = {}
    for tree in trees.values():
        methods = {id(f) for c in ast.walk(tree) if isinstance(c, ast.ClassDef) for f in c.body}
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                names = [a.arg for a in [*node.args.posonlyargs, *node.args.args]]
                if id(node) in methods:
                    names = names[1:]  # self or cls
            elif isinstance(node, ast.ClassDef) and any(
                "attrs" in ast.unparse(d) and "kw_only=True" not in ast.unparse(d)
                for d in node.decorator_list
            ):
                names = [
                    s.target.id
                    for s in node.body
                    if isinstance(s, ast.AnnAssign)
                    and isinstance(s.target, ast.Name)
                    and "ClassVar" not in ast.unparse(s.annotation)
                ]
            else:
                continue
            if "code" in names:
                found.setdefault(node.name, set()).add(names.index("code"))
    return found


def code_expressions() -> Iterator[tuple[str, ast.expr, bool]]:
    """Every expression of src/ that stands for an error code: where, what, how sure.

    Sure: ``code=`` given to an error class or to a callable of src/ with a
    ``code`` parameter, positional arguments in that parameter's place and its
    defaults. Likely: ``code=`` given to anything else, assignments to a name
    ``code`` and comparisons with an ``.code`` attribute (``language.code``
    is not an error code).
    """
    trees = {path: ast.parse(path.read_text("utf-8")) for path in sorted(SRC.rglob("*.py"))}
    positions = code_parameters(trees)
    classes = {cls.__name__ for cls in error_classes()}
    for path, tree in trees.items():
        where = path.relative_to(ROOT).as_posix()
        for node in ast.walk(tree):
            found: list[tuple[ast.expr, bool]] = []
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else None
                called = func.attr if isinstance(func, ast.Attribute) else name
                sure = called in classes or (name or "") in positions
                found += [(k.value, sure) for k in node.keywords if k.arg == "code"]
                for index in positions.get(name or "", ()):
                    if index < len(node.args):
                        found.append((node.args[index], True))
            elif isinstance(node, ast.arguments):
                params = [*node.posonlyargs, *node.args]
                positional = zip(
                    params[len(params) - len(node.defaults) :], node.defaults, strict=True
                )
                keyword = zip(node.kwonlyargs, node.kw_defaults, strict=True)
                defaults = dict(positional) | {a: d for a, d in keyword if d is not None}
                found += [(d, True) for a, d in defaults.items() if a.arg == "code"]
            elif isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if node.value is not None and any(
                    isinstance(t, ast.Name) and t.id == "code" for t in targets
                ):
                    found.append((node.value, False))
            elif isinstance(node, ast.Compare):
                sides = [node.left, *node.comparators]
                if any(isinstance(s, ast.Attribute) and s.attr == "code" for s in sides):
                    for side in sides:
                        elts = side.elts if isinstance(side, ast.Tuple | ast.Set) else [side]
                        found += [(e, False) for e in elts]
            for expr, sure in found:
                yield f"{where}:{expr.lineno}", expr, sure


def test_every_code_used_in_src_is_a_member() -> None:
    values = {code.value for code in Code}
    wrong = []
    for where, expr, sure in code_expressions():
        if not sure:
            continue
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            if expr.value not in values:
                wrong.append(f"{where}: {expr.value!r}")
        elif isinstance(expr, ast.JoinedStr):
            pattern = "".join(
                re.escape(str(v.value)) if isinstance(v, ast.Constant) else ".+"
                for v in expr.values
            )
            if not any(re.fullmatch(pattern, value) for value in values):
                wrong.append(f"{where}: {ast.unparse(expr)} matches no code")
    assert wrong == []


def test_raise_sites_name_their_code_through_the_enum() -> None:
    """``Code.X`` where a code goes, never its string or an f-string.

    A raise site written with a literal (a merge brought one in, say) is
    rewritten by the idempotent codemod, ``python3 /work/tmp/errors_codemod.py .``
    run at the repository's root; an f-string code needs an explicit mapping
    to members there (its ``DYNAMIC`` table).
    """
    values = {code.value for code in Code}
    literal = [
        f"{where}: {ast.unparse(expr)}"
        for where, expr, _ in code_expressions()
        if isinstance(expr, ast.JoinedStr)
        or (isinstance(expr, ast.Constant) and expr.value in values)
    ]
    assert literal == []


def test_every_code_member_named_in_src_exists() -> None:
    wrong = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "Code"
                and node.attr not in Code.__members__
                and not node.attr.startswith("_")
            ):
                wrong.append(f"{path.relative_to(ROOT)}:{node.lineno}: Code.{node.attr}")
    assert wrong == []


def test_the_code_scan_sees_the_raise_sites() -> None:
    """The scan above is not vacuous: it finds ``code=`` at raise sites and the
    codes handed to helpers (``_limit``, ``RowError``)."""
    seen = {ast.unparse(expr) for _, expr, _ in code_expressions()}
    assert len(seen) > 40
    assert any("TOO_MANY_PHONES" in s or "too_many_phones" in s for s in seen)
    assert any("EXTRA_FIELDS" in s or "extra_fields" in s for s in seen)
