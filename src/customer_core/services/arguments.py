"""The service boundary for everything that is not an id: types, text and options.

:mod:`~customer_core.services.boundary` checks ids; this module checks the
other arguments of every public service method the same way, from the
signature, once per method (:func:`~customer_core.services.boundary.checking`
runs both in one pass), so that a wrong type or an odd text gets the
library's :class:`~customer_core.errors.InvalidValue` (code ``invalid_value``,
the parameter's name as ``field``) before anything is read or written,
never a ``TypeError``, ``AttributeError`` or ``UnicodeEncodeError`` from deep
inside:

- **text**, anywhere in an argument (also inside lists, tuples, sets and
  dicts): no lone surrogate (it cannot be encoded, so no database or file
  can hold it) and no NUL character (PostgreSQL refuses it, C libraries cut
  the text there);
- **simple annotations** (``str``, ``int``, ``bool``, ``float``, with
  ``None`` or ``Unset``): the value is of that type; ``True`` is not an
  ``int``, and a ``float`` is finite;
- **defaults**: a parameter whose default is an enum member takes a member
  or one of its values (``mode="replace"`` is refused, naming the choices);
  one whose default is ``()`` takes a list (not a lone string, bytes or a
  dict), which it receives as a tuple;
- **by name**: callbacks (``progress``, ``on_row``, ``change``) are
  callable; ``stream`` can be written; ``source`` is an existing file or a
  binary stream; ``delimiter`` is one character; ``encoding`` is a codec
  Python knows; ``mapping`` maps text to text; ``choices`` maps text to
  ``"survivor"`` or ``"absorbed"``.

>>> import enum
>>> class Color(enum.Enum):
...     RED = "red"
...     BLUE = "blue"
>>> def run(self, tenant_id, /, *, batch_size: int = 10, mode=Color.RED):
...     return batch_size, mode
>>> from customer_core.services.boundary import checking
>>> checked = checking(run, ids=False)
>>> checked(None, "t", batch_size=5, mode="blue")
(5, 'blue')
>>> checked(None, "t", batch_size="10")
Traceback (most recent call last):
...
customer_core.errors.InvalidValue: invalid_value [batch_size]: expected int, not str
>>> checked(None, "t\\ud800")
Traceback (most recent call last):
...
customer_core.errors.InvalidValue: invalid_value [tenant_id]: text with a lone surrogate cannot be stored
"""

from __future__ import annotations

import codecs
import enum
import inspect
import io
import math
import os
from collections.abc import Callable, Iterable, Mapping

from customer_core.errors import Code, InvalidValue
from customer_core.unset import UNSET

__all__ = ["argument_check", "check_file", "odd_text"]


Check = Callable[[object], object]

_SIMPLE = frozenset({"str", "int", "bool", "float", "None", "Unset"})
_CALLBACKS = frozenset({"progress", "on_row", "change"})
_MERGE_CHOICES = frozenset({"survivor", "absorbed"})
_CONTAINERS = (list, tuple, set, frozenset)


def _refuse(field: str, message: str) -> InvalidValue:
    return InvalidValue(message, code=Code.INVALID_VALUE, field=field)


def odd_text(text: str) -> str | None:
    """Why ``text`` cannot be stored (a lone surrogate, a NUL), or ``None``.

    >>> odd_text("Ana"), odd_text("Ana\\x00"), odd_text("\\udc80")
    (None, 'a NUL character', 'a lone surrogate')
    """
    if "\x00" in text:
        return "a NUL character"
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return "a lone surrogate"
    return None


def _check_text(value: object, field: str, depth: int = 0) -> None:
    """Refuse odd text anywhere in ``value`` (containers are walked a few levels deep)."""
    if isinstance(value, str):
        why = odd_text(value)
        if why is not None:
            raise _refuse(field, f"text with {why} cannot be stored")
    elif depth < 4 and isinstance(value, _CONTAINERS):
        for item in value:
            _check_text(item, field, depth + 1)
    elif depth < 4 and isinstance(value, Mapping):
        for key, item in value.items():
            _check_text(key, field, depth + 1)
            _check_text(item, field, depth + 1)


def _type_name(value: object) -> str:
    return type(value).__name__


def _simple(annotation: str, field: str) -> Check | None:
    parts = frozenset(part.strip() for part in annotation.split("|"))
    if not parts <= _SIMPLE or not parts - {"None", "Unset"}:
        return None
    wanted = " or ".join(sorted(parts - {"None", "Unset"}))

    def check(value: object) -> object:
        if value is None and "None" in parts:
            return value
        if value is UNSET and "Unset" in parts:
            return value
        if isinstance(value, bool):
            ok = "bool" in parts
        elif isinstance(value, int):
            ok = "int" in parts or "float" in parts
        elif isinstance(value, float):
            ok = "float" in parts and math.isfinite(value)
        else:
            ok = isinstance(value, str) and "str" in parts
        if not ok:
            raise _refuse(field, f"expected {wanted}, not {_type_name(value)}")
        return value

    return check


def _member_of(kind: type[enum.Enum], field: str) -> Check:
    values = {member.value for member in kind}

    def check(value: object) -> object:
        if isinstance(value, kind) or (isinstance(value, str) and value in values):
            return value
        raise _refuse(field, f"expected one of {sorted(map(str, values))}")

    return check


def _listed(field: str) -> Check:
    def check(value: object) -> object:
        if not isinstance(value, Iterable) or isinstance(value, str | bytes | bytearray | Mapping):
            raise _refuse(field, f"expected a list, not {_type_name(value)}")
        return tuple(value)

    return check


def _callable(field: str) -> Check:
    def check(value: object) -> object:
        if not callable(value):
            raise _refuse(field, f"expected a function, not {_type_name(value)}")
        return value

    return check


def _stream(value: object) -> object:
    if not callable(getattr(value, "write", None)):
        raise _refuse("stream", "expected a text stream (an object with write())")
    return value


def check_file(path: str | os.PathLike[str], /) -> None:
    """Refuse a ``source`` path that is not an existing file, as the services do.

    For a caller that opens the file itself (the command line) and must say
    what :meth:`Importer.run <customer_core.io.Importer.run>` would say.
    """
    if not os.path.isfile(path):
        raise _refuse("source", "no such file")


def _source(value: object) -> object:
    if isinstance(value, str | os.PathLike):
        check_file(value)
        return value
    # A binary stream, or a table the io layer opened already (it has rows()).
    if not (callable(getattr(value, "read", None)) or callable(getattr(value, "rows", None))):
        raise _refuse("source", "expected a file name or a binary stream (an object with read())")
    if isinstance(value, io.TextIOBase):  # the import reads bytes: it finds the encoding itself
        raise _refuse("source", "expected a binary stream: open the file with 'rb', not as text")
    return value


def _delimiter(value: object) -> object:
    if not (
        isinstance(value, str)
        and len(value) == 1
        and (value == "\t" or (value.isprintable() and value != '"'))
    ):
        raise _refuse(
            "delimiter", "the delimiter is one printable character (or a tab), not a quote"
        )
    return value


def _encoding(value: object) -> object:
    if not isinstance(value, str):
        raise _refuse("encoding", f"expected the name of an encoding, not {_type_name(value)}")
    try:
        codecs.lookup(value)
    except LookupError:
        raise _refuse("encoding", "unknown encoding") from None
    return value


def _text_mapping(field: str, allowed: frozenset[str] | None = None) -> Check:
    def check(value: object) -> object:
        if not isinstance(value, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            raise _refuse(field, "expected a mapping of text to text")
        if allowed is not None and not set(value.values()) <= allowed:
            raise _refuse(field, f"each choice is one of {sorted(allowed)}")
        return value

    return check


_BY_NAME: dict[str, Check] = {
    "stream": _stream,
    "source": _source,
    "delimiter": _delimiter,
    "encoding": _encoding,
    "mapping": _text_mapping("mapping"),
    "choices": _text_mapping("choices", _MERGE_CHOICES),
    **{name: _callable(name) for name in _CALLBACKS},
}


#: Names whose check is about files and streams: it applies only where the
#: annotation says so (a consent's ``source`` is text: where it came from).
_FILE_LIKE = {"source": ("IO[", "Path"), "stream": ("IO[",)}


def _is_file_like(name: str, annotation: object) -> bool:
    hints = _FILE_LIKE.get(name)
    return hints is None or any(hint in str(annotation) for hint in hints)


def _checks(parameter: inspect.Parameter) -> list[Check]:
    name, default = parameter.name, parameter.default
    checks: list[Check] = []
    if isinstance(default, enum.Enum) and default is not UNSET:
        checks.append(_member_of(type(default), name))
    elif default == () and isinstance(default, tuple):
        checks.append(_listed(name))
    elif name in _BY_NAME and _is_file_like(name, parameter.annotation):
        checks.append(_BY_NAME[name])
    elif isinstance(parameter.annotation, str):
        simple = _simple(parameter.annotation, name)
        if simple is not None:
            checks.append(simple)
    return checks


def argument_check(parameter: inspect.Parameter) -> Check | None:
    """The check of one parameter (see the module docstring), or ``None`` for ``self``,
    ``*args`` and ``**kwargs``: odd text anywhere in the value first, then what the
    parameter's default, name or annotation asks for (skipped for ``None`` where the
    default is ``None``)."""
    if parameter.name == "self" or parameter.kind in (
        parameter.VAR_POSITIONAL,
        parameter.VAR_KEYWORD,
    ):
        return None
    name, nullable, checks = parameter.name, parameter.default is None, _checks(parameter)

    def check(value: object) -> object:
        # Plain ASCII text without NUL, the usual argument, is fine: skip the walk.
        if value.__class__ is not str or "\x00" in value or not value.isascii():
            _check_text(value, name)
        if value is None and nullable:
            return value
        for one in checks:
            value = one(value)
        return value

    return check
