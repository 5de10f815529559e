"""The ``customer-core`` command: demo, import, export, duplicates, merge, search, privacy,
db upgrade.

Every command takes ``--database URL`` (a SQLite file by default), the tenant
and who is acting. Errors are one line with their code, and a non-zero exit;
output piped into a reader that stops early (``| head``) ends quietly with
status 141, as a Unix tool that SIGPIPE ends.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import IO

import attrs

from customer_core import presets
from customer_core.cli_duplicates import Command, ErrorAbout
from customer_core.cli_duplicates import add_commands as add_duplicate_commands
from customer_core.cli_import import add_command as add_import_command
from customer_core.demo import TENANT as DEMO_TENANT
from customer_core.demo import run_demo
from customer_core.domain.model.actor import Actor, Permission
from customer_core.errors import Code, CustomerCoreError, MissingRequiredField
from customer_core.facade import DEFAULT_URL, CustomerCore, connect
from customer_core.io.exporter import Exporter
from customer_core.messages import ERROR, describe, translate

__all__ = ["PRIVACY_KEY_VARIABLE", "main", "privacy_key_from_environment"]

_PRESETS = {p.name: p for p in (presets.DEFAULT, *presets.ALL)}


#: Names the tenant when ``--tenant`` is not given.
TENANT_VARIABLE = "CUSTOMER_CORE_TENANT"
#: Holds the privacy key (``connect(..., privacy_key=...)``): a secret from
#: outside the database, never a command-line argument (it would show in ``ps``).
PRIVACY_KEY_VARIABLE = "CUSTOMER_CORE_PRIVACY_KEY"


def privacy_key_from_environment() -> bytes | None:
    """The privacy key in :data:`PRIVACY_KEY_VARIABLE` (UTF-8), or ``None`` when unset.

    Every process that resolves inbound messages needs it: erased spammers
    stay blocked by their identifiers' keyed hashes, which a process without
    the key cannot check (docs/privacy.md).
    """
    text = os.environ.get(PRIVACY_KEY_VARIABLE, "")
    return text.encode() if text else None


def _core(args: argparse.Namespace) -> CustomerCore:
    """The storage of a command that reads or writes a tenant's customers.

    It never guesses: the tenant is named (an unnamed one would read an empty
    ``default`` tenant and say "no customer found"), the database exists and
    has the latest schema (only ``db upgrade`` and ``demo`` create or migrate
    one: ``export`` or ``search`` with a mistyped path used to leave an empty
    database behind).
    """
    if not args.tenant:
        raise MissingRequiredField(
            f"--tenant is required (or set {TENANT_VARIABLE})",
            code=Code.REQUIRED_FIELD,
            field="tenant",
        )
    return connect(
        args.database or DEFAULT_URL,
        preset=_PRESETS[args.preset],
        upgrade=False,
        require_schema=True,
        privacy_key=privacy_key_from_environment(),
    )


def _actor(args: argparse.Namespace) -> Actor:
    return Actor(
        tenant_id=args.tenant, user_id=args.user, role=args.role, permissions=args.permission or ()
    )


def _with_core(command: Command) -> Callable[[argparse.Namespace, IO[str]], int]:
    """A command of :mod:`customer_core.cli_duplicates`, given the storage and the actor."""
    return lambda args, out: command(_core(args), _actor(args), args, out)


def _positive(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return number


def cmd_export(args: argparse.Namespace, out: IO[str]) -> int:
    core = _core(args)
    exporter = Exporter(core.storage, preset=core.preset)
    with contextlib.ExitStack() as stack:
        target: IO[str] = (
            out
            if args.file == "-"
            else stack.enter_context(open(args.file, "w", encoding="utf-8-sig", newline=""))
        )
        written = exporter.run(args.tenant, _actor(args), target, my_portfolio=args.mine)
    if args.file != "-":
        print(f"exported {written} customers to {args.file}", file=out)
    return 0


def cmd_search(args: argparse.Namespace, out: IO[str]) -> int:
    core = _core(args)
    found = core.directory.search(
        args.tenant, _actor(args), args.text, my_portfolio=args.mine, limit=args.limit
    )
    for customer in found:
        phone = customer.primary_phone.national if customer.primary_phone else ""
        email = str(customer.primary_email or "")
        print(f"{customer.id}  {customer.name:<40} {phone:<16} {email}", file=out)
    if not found:
        print("no customer found", file=out)
    return 0


def cmd_privacy_export(args: argparse.Namespace, out: IO[str]) -> int:
    """Everything held on one customer, as JSON; the acting user gets the privacy permission."""
    actor = _actor(args)
    actor = attrs.evolve(actor, permissions={*actor.permissions, Permission.PRIVACY})
    export = _core(args).privacy.export_subject(args.tenant, actor, args.customer_id)
    json.dump(export, out, ensure_ascii=False, indent=2, sort_keys=True)
    print(file=out)
    return 0


def cmd_db_upgrade(args: argparse.Namespace, out: IO[str]) -> int:
    url = args.url or args.database or DEFAULT_URL
    connect(url, upgrade=True)
    print(f"database at the latest schema: {url}", file=out)
    return 0


def cmd_demo(args: argparse.Namespace, out: IO[str]) -> int:
    return run_demo(args.database, customers=args.customers, out=out, progress=args.progress)


#: Where ``demo`` builds its database unless told otherwise.
DEMO_URL = "sqlite:///customer-core-demo.db"


def _common(database: str | None = None, *, acting: bool = True) -> argparse.ArgumentParser:
    """The options every command takes; a new parser each time, so defaults stay its own.

    (``set_defaults`` on a subcommand would change the shared actions' defaults,
    and with them every other command's.) Without ``acting``, none of the
    tenant and acting user's: ``demo`` has its own tenant and acts as its admin.
    """
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--database", default=database, help=f"SQLAlchemy URL (default {database or DEFAULT_URL})"
    )
    if acting:
        _add_actor(common)
    # Also after the command; the top-level --lang is the default.
    common.add_argument("--lang", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    common.add_argument(
        "--no-progress", dest="progress", action="store_false", help="no progress bar"
    )
    return common


def _add_actor(common: argparse.ArgumentParser) -> None:
    """The tenant and who is acting in it."""
    common.add_argument(
        "--tenant",
        default=os.environ.get(TENANT_VARIABLE) or None,
        help=f"tenant id (required: --tenant or {TENANT_VARIABLE})",
    )
    common.add_argument("--user", default="admin", help="acting user id (default: admin)")
    common.add_argument("--role", default="admin", choices=["seller", "supervisor", "admin"])
    common.add_argument(
        "--permission",
        action="append",
        choices=[p.value for p in Permission],
        help="grant a permission to the acting user (repeatable)",
    )
    common.add_argument("--preset", default="default", choices=sorted(_PRESETS))


def _add_mine(parser: argparse.ArgumentParser) -> None:
    """``--mine``/``--no-mine``; neither leaves "my portfolio" to the library's default."""
    parser.add_argument(
        "--mine",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="only the customers of my portfolio, or (--no-mine) every customer I see "
        "(default: the preset's, on for sellers unless the preset says otherwise)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="customer-core", description=__doc__)
    parser.add_argument(
        "--lang",
        help="language of messages: pt-BR or en (default: the locale, LANG/LC_MESSAGES)",
    )
    common = _common()
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser(
        "demo",
        parents=[_common(DEMO_URL, acting=False)],
        help=f"build a demo database (tenant {DEMO_TENANT}) and tour it",
        description=f"Build a demo database and tour it. The demo has its own tenant, "
        f"{DEMO_TENANT}, and acts as its admin: it takes no --tenant or --user.",
    )
    demo.add_argument(
        "--customers",
        type=_positive,
        default=3000,
        help="how many customers to generate (default: 3000)",
    )
    demo.set_defaults(run=cmd_demo)

    add_import_command(sub, common, _with_core)

    exp = sub.add_parser("export", parents=[common], help="export visible customers as CSV")
    exp.add_argument("file", nargs="?", default="-", help="output file (default: standard output)")
    _add_mine(exp)
    exp.set_defaults(run=cmd_export)

    add_duplicate_commands(sub, common, _with_core)

    search = sub.add_parser("search", parents=[common], help="search customers")
    search.add_argument("text")
    _add_mine(search)
    search.add_argument("--limit", type=int, default=20)
    search.set_defaults(run=cmd_search)

    privacy = sub.add_parser("privacy", help="data-subject rights (LGPD)")
    privacy_sub = privacy.add_subparsers(dest="privacy_command", required=True)
    subject = privacy_sub.add_parser(
        "export", parents=[common], help="everything held on one customer, as JSON (audited)"
    )
    subject.add_argument("customer_id")
    subject.set_defaults(run=cmd_privacy_export)

    db = sub.add_parser("db", help="database schema")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    upgrade = db_sub.add_parser("upgrade", parents=[common], help="migrate to the latest schema")
    upgrade.add_argument("url", nargs="?", help="database URL (or --database)")
    upgrade.set_defaults(run=cmd_db_upgrade)
    return parser


#: The status a shell reports for a tool that SIGPIPE ended (128 + 13): the
#: reader of the output went away (``customer-core export | head``).
CLOSED_PIPE_STATUS = 141


def _reader_gone(stream: IO[str]) -> int:
    """Stop quietly, as Unix tools do when what reads their output has closed it.

    Standard output is pointed at the null device, so that the flush at exit,
    which would hit the closed pipe again, prints no ``BrokenPipeError``.
    """
    if stream is sys.stdout:
        with contextlib.suppress(OSError, ValueError):  # no file descriptor: nothing to flush
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, stream.fileno())
            os.close(devnull)
    return CLOSED_PIPE_STATUS


def main(argv: Sequence[str] | None = None, *, out: IO[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    stream = out or sys.stdout
    try:
        status = int(args.run(args, stream))
        stream.flush()  # a closed pipe shows here, not in the flush at exit
        return status
    except BrokenPipeError:
        return _reader_gone(stream)
    except ErrorAbout as about:
        _print_error(about.error, args.lang, about.subject)
        return 2
    except CustomerCoreError as error:
        _print_error(error, args.lang)
        return 2
    except (OSError, ImportError) as error:
        print(f"customer-core: error {type(error).__name__}: {error}", file=sys.stderr)
        return 1


def _print_error(error: CustomerCoreError, lang: str | None, subject: str | None = None) -> None:
    """The error as one line on stderr, then what it is about (an id, a path) as typed."""
    about = f": {subject}" if subject else ""
    print(
        f"customer-core: {translate(ERROR, lang=lang)} {describe(error, lang=lang)}{about}",
        file=sys.stderr,
    )


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
