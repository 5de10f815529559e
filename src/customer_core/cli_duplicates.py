"""The duplicate-review commands of ``customer-core``: report, merge, unmerge, dismiss.

``duplicates`` shows each cluster, company group and suggestion with the
customers' ids and names, its score and its evidence as a table;
``merge``, ``unmerge``, ``dismiss``, ``undismiss`` and ``dismissals`` act on
what a person decided. :mod:`customer_core.cli` registers them
(:func:`add_commands`) and gives each the storage and the acting user.
"""

from __future__ import annotations

import argparse
import json
import shlex
from collections.abc import Callable, Iterable
from typing import IO, Any, Literal

from customer_core.domain.matching.merge import MERGEABLE_FIELDS
from customer_core.domain.matching.records import Evidence
from customer_core.domain.model.actor import Actor
from customer_core.domain.model.dismissals import Dismissal, DismissalKind
from customer_core.errors import CustomerCoreError, NotFound
from customer_core.facade import DEFAULT_URL, CustomerCore
from customer_core.io.collector import fewer_collections

__all__ = ["Command", "ErrorAbout", "add_commands"]

#: A command as :mod:`customer_core.cli` runs it: the storage and actor already made.
Command = Callable[[CustomerCore, Actor, argparse.Namespace, IO[str]], int]


class ErrorAbout(Exception):
    """A library error and what on the command line it is about (an id, a path).

    The library's message does not name it (``customer not found``), and is
    translated as it is; :func:`customer_core.cli.main` prints the error
    then ``subject``, untranslated, as the user typed it.
    """

    def __init__(self, error: CustomerCoreError, subject: str) -> None:
        super().__init__(error, subject)
        self.error = error
        self.subject = subject


_Item = tuple[str, tuple[str, ...], float, tuple[Evidence, ...]]


def _names(core: CustomerCore, actor: Actor, ids: Iterable[str]) -> dict[str, str]:
    """The names of the customers shown (only those: a tenant may hold millions)."""
    names: dict[str, str] = {}
    for customer_id in dict.fromkeys(ids):
        try:
            names[customer_id] = core.customers.get(actor.tenant_id, actor, customer_id).name
        except NotFound:  # deleted since the report was read
            names[customer_id] = "(gone)"
    return names


def _missing(core: CustomerCore, actor: Actor, ids: Iterable[str]) -> list[str]:
    """Which of ``ids`` name no customer the actor sees (the library's not_found says not)."""
    missing = []
    for customer_id in dict.fromkeys(ids):
        try:
            core.customers.get(actor.tenant_id, actor, customer_id)
        except NotFound:
            missing.append(customer_id)
        except CustomerCoreError:  # not an id at all: the merge said not_found of it
            missing.append(customer_id)
    return missing


def _where(args: argparse.Namespace) -> str:
    """``--database URL --tenant T`` as the command ran, for the command to run next.

    The URL's password is hidden, as in every message the library prints.
    """
    from sqlalchemy.engine import make_url  # the cli extra brings it; only when a hint is made

    url = make_url(args.database or DEFAULT_URL).render_as_string(hide_password=True)
    return f"--database {shlex.quote(url)} --tenant {shlex.quote(args.tenant)}"


def _print_item(item: _Item, names: dict[str, str], out: IO[str]) -> None:
    kind, ids, score, evidence = item
    print(f"\n{kind} · score {score:.2f}", file=out)
    for customer_id in ids:
        print(f"  {customer_id}  {names[customer_id]}", file=out)
    width = max([8, *(len(e.kind) for e in evidence)])
    print(f"    {'evidence':<{width}}  {'weight':>6}  detail", file=out)
    for e in evidence:
        print(f"    {e.kind:<{width}}  {e.weight:+6.2f}  {e.detail}", file=out)


def cmd_duplicates(core: CustomerCore, actor: Actor, args: argparse.Namespace, out: IO[str]) -> int:
    # The command line is the application: its process's collector runs less often
    # while the report holds the tenant's records (docs/howto/duplicates.md).
    with fewer_collections():
        report = core.identity.duplicate_report(args.tenant, actor, threshold=args.threshold)
    parts: list[tuple[str, list[_Item]]] = [
        ("exact clusters", [("exact", c.ids, 1.0, c.evidence) for c in report.clusters]),
        ("company groups", [("group", g.ids, 1.0, g.evidence) for g in report.groups]),
        ("suggestions", [("suggestion", s.ids, s.score, s.evidence) for s in report.suggestions]),
    ]
    if args.format == "jsonl":  # one JSON object a line, for scripts and review tools
        for _, items in parts:
            for kind, ids, score, reasons in items:
                record = {
                    "kind": kind,
                    "customer_ids": list(ids),
                    "score": score,
                    "evidence": [
                        {"kind": e.kind, "detail": e.detail, "weight": e.weight} for e in reasons
                    ],
                }
                print(json.dumps(record, ensure_ascii=False), file=out)
        return 0
    shown = [(title, items, items[: args.limit]) for title, items in parts]
    names = _names(core, actor, (i for _, _, some in shown for item in some for i in item[1]))
    for title, items, some in shown:
        more = f" (the first {len(some)} shown)" if len(some) < len(items) else ""
        print(f"{len(items)} {title}{more}", file=out)
        for item in some:
            _print_item(item, names, out)
        print(file=out)
    return 0


def cmd_merge(core: CustomerCore, actor: Actor, args: argparse.Namespace, out: IO[str]) -> int:
    choices: dict[str, Literal["survivor", "absorbed"]] = {
        **dict.fromkeys(args.keep, "survivor"),
        **dict.fromkeys(args.take, "absorbed"),
    }
    try:
        record = core.identity.merge(
            args.tenant, actor, args.survivor, args.others, choices=choices, drop=args.drop
        )
    except NotFound as error:
        missing = _missing(core, actor, [args.survivor, *args.others])
        if missing:
            raise ErrorAbout(error, ", ".join(missing)) from error
        raise
    absorbed = ", ".join(args.others)
    print(f"merged {absorbed} into {args.survivor}: merge {record.id}", file=out)
    print(f"undo with: customer-core unmerge {record.id} {_where(args)}", file=out)
    return 0


def cmd_unmerge(core: CustomerCore, actor: Actor, args: argparse.Namespace, out: IO[str]) -> int:
    survivor, restored = core.identity.unmerge(args.tenant, actor, args.merge_id)
    print(f"restored {restored.id} ({restored.name}) apart from {survivor.id}", file=out)
    return 0


def _show(dismissal: Dismissal) -> str:
    state = f"undone by {dismissal.undone_by}" if not dismissal.in_force else "in force"
    return (
        f"{dismissal.id}  {dismissal.kind.value}  {' '.join(dismissal.customer_ids)}"
        f"  by {dismissal.actor_id} at {dismissal.dismissed_at:%Y-%m-%d %H:%M}  ({state})"
        f"  {dismissal.reason}"
    )


def cmd_dismiss(core: CustomerCore, actor: Actor, args: argparse.Namespace, out: IO[str]) -> int:
    kind = DismissalKind.SAME_GROUP if args.group else DismissalKind.NOT_DUPLICATE
    dismissal = core.identity.dismiss(args.tenant, actor, args.ids, args.reason, kind=kind)
    print(f"dismissed: {_show(dismissal)}", file=out)
    print(f"undo with: customer-core undismiss {dismissal.id} {_where(args)}", file=out)
    return 0


def cmd_undismiss(core: CustomerCore, actor: Actor, args: argparse.Namespace, out: IO[str]) -> int:
    dismissal = core.identity.undo_dismissal(args.tenant, actor, args.dismissal_id)
    print(f"undone: {_show(dismissal)}", file=out)
    return 0


def cmd_dismissals(core: CustomerCore, actor: Actor, args: argparse.Namespace, out: IO[str]) -> int:
    found = core.identity.dismissals(args.tenant, actor, undone=args.undone)
    for dismissal in found:
        print(_show(dismissal), file=out)
    if not found:
        print("no dismissal", file=out)
    return 0


def add_commands(
    sub: Any,
    common: argparse.ArgumentParser,
    run: Callable[[Command], Callable[[argparse.Namespace, IO[str]], int]],
) -> None:
    """Add the commands to ``sub`` (the subparsers of ``customer-core``).

    ``run`` turns a :data:`Command` into what ``set_defaults(run=...)`` takes.
    """
    dup = sub.add_parser("duplicates", parents=[common], help="show the duplicate report")
    dup.add_argument("--threshold", type=float, default=0.6)
    dup.add_argument("--limit", type=int, default=20, help="items shown per part (text)")
    dup.add_argument(
        "--format",
        choices=["text", "jsonl"],
        default="text",
        help="jsonl: one JSON object a line (kind, customer_ids, score, evidence), all of them",
    )
    dup.set_defaults(run=run(cmd_duplicates))

    merge = sub.add_parser(
        "merge", parents=[common], help="merge customers into a survivor (undo: unmerge)"
    )
    merge.add_argument("survivor", help="the customer id that stays")
    merge.add_argument("others", nargs="+", metavar="OTHER", help="customer ids merged into it")
    merge.add_argument(
        "--take",
        action="append",
        default=[],
        choices=sorted(MERGEABLE_FIELDS),
        metavar="FIELD",
        help="take this field from the absorbed customer (repeatable): "
        + ", ".join(sorted(MERGEABLE_FIELDS)),
    )
    merge.add_argument(
        "--keep",
        action="append",
        default=[],
        choices=sorted(MERGEABLE_FIELDS),
        metavar="FIELD",
        help="keep the survivor's field, said explicitly (repeatable): --keep kind merges "
        "a person and a company into the survivor's kind, which is refused otherwise",
    )
    merge.add_argument(
        "--drop",
        action="append",
        default=[],
        metavar="IDENTIFIER",
        help="leave this phone, e-mail... out of the merged customer (repeatable; "
        "one none of the customers holds is refused)",
    )
    merge.set_defaults(run=run(cmd_merge))

    unmerge = sub.add_parser("unmerge", parents=[common], help="undo a merge")
    unmerge.add_argument("merge_id")
    unmerge.set_defaults(run=run(cmd_unmerge))

    dismiss = sub.add_parser(
        "dismiss", parents=[common], help="record that customers are not duplicates"
    )
    dismiss.add_argument("ids", nargs="+", metavar="ID", help="two or more customer ids")
    dismiss.add_argument("--reason", required=True, help="why (kept with who and when)")
    dismiss.add_argument(
        "--group",
        action="store_true",
        help="branches of one company (one CNPJ root): same group, different customers",
    )
    dismiss.set_defaults(run=run(cmd_dismiss))

    undismiss = sub.add_parser("undismiss", parents=[common], help="undo a dismissal")
    undismiss.add_argument("dismissal_id")
    undismiss.set_defaults(run=run(cmd_undismiss))

    listing = sub.add_parser("dismissals", parents=[common], help="list the dismissals")
    listing.add_argument("--undone", action="store_true", help="the undone ones too")
    listing.set_defaults(run=run(cmd_dismissals))
