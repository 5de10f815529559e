"""Which rows of a file are one customer, decided for the whole file before anything is written.

The import reads the file twice over: :meth:`FileGroups.add` stages the
parsed rows, :meth:`FileGroups.decide` groups them, then
:meth:`FileGroups.groups` hands out each group's rows, in file order, once
its last row has been read back (second pass), for the writes. The decision
depends on the file's content only: never on where write batches split it
(batch size 1 and 5,000 store the same customers), nor on the order of its
rows.

Order matters to a greedy grouping because name compatibility is not
transitive (*Ana Lima* fits *Ana Maria Lima* and *Ana Lima Souza*, which do
not fit each other): whichever row comes first would decide. So rows are
grouped in a canonical order of their content (:func:`~customer_core.io.grouping_rule.canonical`), not in
file order: rows with a CPF/CNPJ first, then fuller names first, then the
name and the identifiers themselves. The first row of a group in that order
is the one later rows' names are checked against; two rows that tie are
identical in everything the grouping reads, so which comes first changes
nothing.

Memory stays bounded on a million rows: the staged rows (pickled a block of
rows at a time), the keys seen so far, each group's representative and the customers that held the
file's keys before the run are kept in a temporary SQLite file, which also
sorts the rows; what stays in memory is two integers a row and the groups
whose rows are still to come.
"""

from __future__ import annotations

import pickle
import sqlite3
import tempfile
from array import array
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from customer_core.domain.matching.evidence import conflicting_evidence
from customer_core.domain.matching.records import MatchRecord
from customer_core.domain.model.customer import IdentityKey
from customer_core.errors import Code
from customer_core.io.grouping_rule import (
    EXCLUSIVE,
    SEP,
    Rep,
    Staged,
    canonical,
    key_of,
    key_text,
    placed,
    shareable_text,
)
from customer_core.io.rows import Draft, RowError

__all__ = ["FileGroups"]

#: Rows looked up in the spill file at once: one query per table per chunk.
_CHUNK = 2000
#: Keys in one ``IN (...)``: under every SQLite's bound-parameter limit.
_IN = 500
#: Rows pickled together. One pickle of many rows writes each class, enum member
#: and repeated value once (a row pickled alone was ~800 bytes, ~300 in a block)
#: and loads faster; the second pass holds one block unpickled at a time.
_BLOCK = 2000


def _pickled(end: int, block: list[Draft]) -> tuple[int, bytes]:
    """``block``, the staged rows before ordinal ``end``, as one pickle keyed by its first
    row's ordinal."""
    return end - len(block), pickle.dumps(block, protocol=pickle.HIGHEST_PROTOCOL)


class FileGroups:
    """The groups of one file: rows in with :meth:`add`, decided by :meth:`decide`,
    complete groups out of :meth:`groups`.

    Rows are one customer through an exclusive key (CPF/CNPJ, external id),
    or through a shareable key (a phone line, an e-mail) when the
    conflicting-evidence rule allows it (:mod:`customer_core.domain.matching.evidence`,
    checked against the group's first row in the canonical order): a
    household's landline or an owner's mobile on their company's row leaves
    two customers that share the key. A row that would join groups with
    another CPF/CNPJ (or external id) than its own, or join two such groups,
    is reported and left out: which one is right is the user's call; so is a
    row that an exclusive key ties to a group of the other kind (a person and
    a company are never one customer). Use as
    a context manager: the temporary files are removed on exit.
    """

    def __init__(self, directory: str | Path | None = None) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="customer-core-import-", dir=directory)
        self._db = sqlite3.connect(Path(self._dir.name) / "groups.db", isolation_level=None)
        self._db.executescript(
            """
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            PRAGMA temp_store = FILE;
            CREATE TABLE staged (
                ordinal INTEGER PRIMARY KEY, sort TEXT, keys TEXT, lines TEXT,
                name TEXT, trade TEXT, tax TEXT, ext TEXT, company INTEGER, customer TEXT,
                places TEXT
            );
            CREATE TABLE drafts (first INTEGER PRIMARY KEY, block BLOB);
            CREATE TABLE keys (key TEXT, gid INTEGER, PRIMARY KEY (key, gid)) WITHOUT ROWID;
            CREATE TABLE reps (
                gid INTEGER PRIMARY KEY, name TEXT, tax TEXT, ext TEXT, company INTEGER,
                customer TEXT, places TEXT
            );
            CREATE TABLE stored (key TEXT, customer_id TEXT, PRIMARY KEY (key, customer_id))
                WITHOUT ROWID;
            """
        )
        self._staged = 0
        #: Union-find over the kept rows, numbered in the canonical order: a
        #: group's id is its first row's number.
        self._parent = array("q")
        #: Each staged row's number in the canonical order (file order in,
        #: -1 for a row left out or not decided yet).
        self._position = array("q")
        self._closed = False

    def __enter__(self) -> FileGroups:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._db.close()
            self._dir.cleanup()

    @property
    def rows(self) -> int:
        """Rows kept (rows left out by the grouping rule not counted)."""
        return len(self._parent)

    def _find(self, gid: int) -> int:
        parent = self._parent
        root = gid
        while parent[root] != root:
            root = parent[root]
        while parent[gid] != root:  # path compression: later finds are one step
            parent[gid], gid = root, parent[gid]
        return root

    def _select(self, sql: str, values: list[str] | list[int]) -> list[tuple[object, ...]]:
        found: list[tuple[object, ...]] = []
        for start in range(0, len(values), _IN):
            part = values[start : start + _IN]
            query = sql.format(",".join("?" * len(part)))
            found += self._db.execute(query, part).fetchall()
        return found

    def add(self, drafts: Iterable[tuple[Draft, set[IdentityKey]]]) -> None:
        """Stage rows (in file order, each with its identity keys) for :meth:`decide`."""
        staged: list[tuple[object, ...]] = []
        blocks: list[tuple[int, bytes]] = []
        block: list[Draft] = []
        for draft, keys in drafts:
            texts = [key_text(k) for k in keys]
            rep = Rep.of(draft)
            staged.append(
                (
                    self._staged + len(staged),
                    canonical(draft, rep, texts),
                    SEP.join(texts),
                    ",".join(map(str, draft.lines)),
                    draft.name,
                    draft.trade_name,
                    rep.tax,
                    rep.external,
                    rep.company,
                    rep.customer,
                    rep.places,
                )
            )
            block.append(draft)
            if len(block) >= _BLOCK:
                blocks.append(_pickled(self._staged + len(staged), block))
                block = []
        if block:
            blocks.append(_pickled(self._staged + len(staged), block))
        self._staged += len(staged)
        with self._db:  # one transaction: in autocommit each row would be one
            self._db.execute("BEGIN")
            self._db.executemany(
                "INSERT INTO staged VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", staged
            )
            self._db.executemany("INSERT INTO drafts VALUES (?, ?)", blocks)

    def decide(self) -> list[RowError]:
        """Group every staged row, in the canonical order; the rows left out, reported."""
        self._position = array("q", [-1]) * self._staged
        self._db.execute("CREATE INDEX staged_order ON staged (sort, ordinal)")
        rejected: list[RowError] = []
        after: tuple[str, int] = ("", -1)
        while True:
            chunk = self._db.execute(
                "SELECT sort, ordinal, keys, lines, name, trade, tax, ext, company, customer, places"
                " FROM staged"
                " WHERE (sort, ordinal) > (?, ?) ORDER BY sort, ordinal LIMIT ?",
                (*after, _CHUNK),
            ).fetchall()
            if not chunk:
                return rejected
            after = (chunk[-1][0], chunk[-1][1])
            rejected += self._decide_chunk([Staged.of(row) for row in chunk])

    def _decide_chunk(self, chunk: list[Staged]) -> list[RowError]:
        wanted = sorted({t for row in chunk for t in row.keys})
        holders: dict[str, list[int]] = {}
        for key, gid in self._select("SELECT key, gid FROM keys WHERE key IN ({})", wanted):
            holders.setdefault(str(key), []).append(int(gid))  # type: ignore[call-overload]
        reps: dict[int, Rep] = {}
        roots = sorted({self._find(g) for gids in holders.values() for g in gids})
        for gid, name, tax, ext, company, customer, places in self._select(
            "SELECT gid, name, tax, ext, company, customer, places FROM reps WHERE gid IN ({})",
            roots,
        ):
            reps[int(gid)] = Rep(str(name), tax, ext, bool(company), customer, places)  # type: ignore[call-overload,arg-type]
        new_keys: list[tuple[str, int]] = []
        dirty: set[int] = set()
        rejected: list[RowError] = []
        for row in chunk:
            rep, row_texts = row.rep, row.keys
            record: MatchRecord | None = None
            weight: dict[int, int] = {}  # group -> the row's keys it holds (exclusive: more)
            refused: set[int] = set()
            for text in row_texts:
                shareable = shareable_text(text)
                for root in sorted({self._find(gid) for gid in holders.get(text, ())}):
                    if shareable and root not in weight:
                        if root in refused:
                            continue
                        record = record or row.record()
                        group = reps[root]
                        if rep.clashes(group) or conflicting_evidence(record, group.record()):
                            refused.add(root)
                            continue
                    weight[root] = weight.get(root, 0) + (1 if shareable else EXCLUSIVE)
            chosen = placed(rep, weight, reps)
            if chosen is None:
                joined = sorted(weight)
                lines = ", ".join(map(str, self._lines_of(joined)))
                rejected += [
                    RowError(
                        line,
                        "tax_id",
                        Code.DUPLICATE_IDENTITY,
                        f"the row's identifiers tie it to line(s) {lines},"
                        " but their CPF/CNPJs or external ids differ,"
                        " or one is a person and the other a company",
                    )
                    for line in row.lines
                ]
                continue
            joined = chosen
            position = len(self._parent)
            self._parent.append(position)
            self._position[row.ordinal] = position
            if joined:
                root = joined[0]
                combined = reps[root]
                for other in joined[1:]:
                    combined = combined.absorb(reps.pop(other))
                    self._parent[other] = root
                    dirty.discard(other)
                self._parent[position] = root
                combined = combined.absorb(rep)
            else:
                root, combined = position, rep
            reps[root] = combined
            dirty.add(root)
            for text in row_texts:
                known = holders.setdefault(text, [])
                if root not in known:
                    known.append(root)
                    new_keys.append((text, root))
        with self._db:  # one transaction a chunk
            self._db.execute("BEGIN")
            self._db.executemany("INSERT OR IGNORE INTO keys VALUES (?, ?)", new_keys)
            self._db.executemany(
                "INSERT OR REPLACE INTO reps VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (g, r.name, r.tax, r.external, r.company, r.customer, r.places)
                    for g in dirty
                    for r in (reps[g],)
                ],
            )
        return rejected

    def _lines_of(self, roots: list[int]) -> list[int]:
        """The lines of the rows in ``roots``' groups (for the message; rare: a clash)."""
        wanted = set(roots)
        ordinals = [o for o, p in enumerate(self._position) if p >= 0 and self._find(p) in wanted]
        lines: set[int] = set()
        for (text,) in self._select("SELECT lines FROM staged WHERE ordinal IN ({})", ordinals):
            lines.update(map(int, str(text).split(",")))
        return sorted(lines)

    def remember_holders(self, holders: Mapping[IdentityKey, Iterable[str]]) -> None:
        """Record which stored customers held the file's keys before the run.

        The writes match groups against these only: customers this run
        created are other groups of the same file, already decided apart.
        """
        rows = [(key_text(k), c) for k, ids in holders.items() for c in ids]
        if rows:
            with self._db:
                self._db.execute("BEGIN")
                self._db.executemany("INSERT OR IGNORE INTO stored VALUES (?, ?)", rows)

    def stored_holders(self, keys: Iterable[IdentityKey]) -> dict[IdentityKey, tuple[str, ...]]:
        """The customers that held ``keys`` before the run, in id order."""
        found: dict[IdentityKey, list[str]] = {}
        texts = sorted({key_text(k) for k in keys})
        for key, customer_id in self._select(
            "SELECT key, customer_id FROM stored WHERE key IN ({})", texts
        ):
            found.setdefault(key_of(str(key)), []).append(str(customer_id))
        return {k: tuple(sorted(ids)) for k, ids in found.items()}

    def groups(self) -> Iterator[list[Draft]]:
        """Each group's rows, in file order, handed out once its last row has been read back."""
        position = self._position
        last = array("q", bytes(8 * len(self._parent)))
        for ordinal, kept in enumerate(position):
            if kept >= 0:
                last[self._find(kept)] = ordinal
        open_groups: dict[int, list[Draft]] = {}
        after = -1
        while True:
            found = self._db.execute(
                "SELECT first, block FROM drafts WHERE first > ? ORDER BY first LIMIT 1", (after,)
            ).fetchone()
            if found is None:
                return
            after, pickled = found
            block: list[Draft] = pickle.loads(pickled)
            for ordinal, draft in enumerate(block, start=after):
                if position[ordinal] < 0:
                    continue
                root = self._find(position[ordinal])
                if last[root] == ordinal:
                    yield [*open_groups.pop(root, ()), draft]
                else:
                    open_groups.setdefault(root, []).append(draft)
