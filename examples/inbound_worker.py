"""A worker that resolves inbound messages (WhatsApp, e-mail, ...) to customers.

It reads one JSON message per line from a file or standard input, asks
:meth:`~customer_core.services.IdentityService.resolve_inbound` which customer
wrote it (creating the customer the first time), and prints one JSON line per
message with the outcome and the spam flag. A real deployment reads the same
messages from its queue; the loop body stays the same.

Input, one object per line (only ``from`` is required)::

    {"tenant": "acme", "channel": "whatsapp", "from": {"whatsapp": "551187654321"},
     "name": "Ana", "text": "Olá, meu pedido não chegou"}
    {"tenant": "acme", "channel": "email", "from": {"email": "ana@exemplo.com.br"}}

``from`` takes ``email``, ``phone``, ``whatsapp``, ``telegram``, ``social``
(a profile link) and ``external`` (``{"system": ..., "id": ...}``); each value
may also be a list. Output, one object per line::

    {"line": 1, "outcome": "created", "customer_id": "...", "spam": false, "vip": false,
     "attached": [], "conflicts": []}
    {"line": 3, "error": "invalid_phone", "field": "phones", "message": "..."}

A bad message is reported and skipped: one malformed line must not stop the
messages behind it. Run it::

    python examples/inbound_worker.py messages.jsonl --database sqlite:///customers.db
    some-producer | python examples/inbound_worker.py - --tenant acme
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import IO, Any

import customer_core as cc
from customer_core.cli import privacy_key_from_environment

_APPS = ("whatsapp", "telegram")


def identifiers(sender: Mapping[str, Any]) -> dict[str, Any]:
    """The worker's JSON ``from`` object as :meth:`resolve_inbound` expects it.

    The library takes pairs as tuples (``("whatsapp", "5511...")``) and
    several values as a list; JSON has only lists, so the pairs are spelled
    out as keys here and turned into tuples.
    """

    def many(value: Any) -> list[Any]:
        return value if isinstance(value, list) else [value]

    result: dict[str, Any] = {}
    for key, value in sender.items():
        if key in ("email", "phone", "social"):
            result[key] = value
        elif key in _APPS:
            result.setdefault("messenger", []).extend((key, str(v)) for v in many(value))
        elif key == "external":
            result["external"] = [(str(x.get("system")), str(x.get("id"))) for x in many(value)]
        else:
            raise cc.InvalidValue(
                f"unknown identifier {key!r}", code="invalid_value", field="identifiers"
            )
    return result


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def resolve_lines(
    core: cc.CustomerCore, lines: Iterable[str], *, tenant_id: str
) -> Iterator[dict[str, Any]]:
    """One result (or error) per non-blank line, in order."""
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            message = json.loads(text)
            if not isinstance(message, dict) or not isinstance(message.get("from"), dict):
                raise cc.InvalidValue(
                    "expected an object with a 'from' object", code="invalid_value", field="from"
                )
            result = core.identity.resolve_inbound(
                str(message.get("tenant") or tenant_id),
                str(message.get("channel") or "unknown"),
                identifiers(message["from"]),
                display_name=_text(message.get("name")),
                message_text=_text(message.get("text")),
            )
        except json.JSONDecodeError as exc:
            yield {"line": number, "error": "invalid_json", "field": None, "message": str(exc)}
        except cc.CustomerCoreError as exc:
            yield {"line": number, "error": exc.code, "field": exc.field, "message": exc.message}
        else:
            yield {
                "line": number,
                "outcome": result.outcome,
                "customer_id": result.customer.id,
                "spam": result.spam,
                "vip": result.vip,
                "attached": list(result.attached),
                "conflicts": list(result.conflicts),
            }


def close(core: cc.CustomerCore) -> None:
    """Return the database connections of a SQL storage (the memory one holds none)."""
    engine = getattr(core.storage, "engine", None)
    if engine is not None:
        engine.dispose()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", nargs="?", default="-", help="JSON lines (default: stdin)")
    parser.add_argument("--database", default="sqlite:///customers.db", help="storage URL")
    parser.add_argument("--tenant", default="default", help="tenant of messages without one")
    parser.add_argument(
        "--preset",
        default="helpdesk_card",
        choices=[p.name for p in cc.presets.ALL],
        help="the product's rules (default: the helpdesk card)",
    )
    parser.add_argument(
        "--detect-language",
        action="store_true",
        help="fill a new customer's language from the message (needs customer-core[lang])",
    )
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    stdin: IO[str] | None = None,
    stdout: IO[str] | None = None,
) -> int:
    args = build_parser().parse_args(argv)
    out = stdout or sys.stdout
    detector = None
    if args.detect_language:
        from customer_core.adapters.language import LinguaLanguageDetector

        detector = LinguaLanguageDetector()
    preset = next(p for p in cc.presets.ALL if p.name == args.preset)
    # Erased spammers stay blocked by keyed hashes: the worker needs the key too.
    core = cc.connect(
        args.database,
        preset=preset,
        language_detector=detector,
        privacy_key=privacy_key_from_environment(),
    )
    failed = total = 0
    try:
        with contextlib.ExitStack() as stack:
            lines: IO[str] = (
                stack.enter_context(open(args.file, encoding="utf-8"))
                if args.file != "-"
                else stdin or sys.stdin
            )
            for result in resolve_lines(core, lines, tenant_id=args.tenant):
                total += 1
                failed += "error" in result
                print(json.dumps(result, ensure_ascii=False), file=out, flush=True)
    finally:
        close(core)
    print(f"inbound_worker: {total} messages, {failed} failed", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
