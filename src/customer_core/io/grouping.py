"""Which rows of a file are one customer, decided for the whole file before anything is written.

The import reads the file twice over: :meth:`FileGroups.add` takes the
parsed rows in file order and groups them (first pass), then
:meth:`FileGroups.groups` hands out each group's rows once its last row has
been read back (second pass), for the writes. The decision depends on the file's
content and order only, never on where write batches split it: batch size
1 and 5,000 store the same customers.

Memory stays bounded on a million rows: the keys seen so far, each group's
representative and the customers that held the file's keys before the run
are kept in a temporary SQLite file, and the parsed rows are pickled to a
temporary file between the passes; what stays in memory is two integers a
row and the groups whose rows are still to come.
"""

from __future__ import annotations

import pickle
import sqlite3
import tempfile
from array import array
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO

import attrs

from customer_core.domain.matching.evidence import conflicting_evidence
from customer_core.domain.matching.records import MatchRecord, NameKey
from customer_core.domain.model.customer import CustomerKind, IdentityKey
from customer_core.domain.model.identity import IdentityKind
from customer_core.errors import Code
from customer_core.io.rows import Draft, RowError

__all__ = ["FileGroups"]

#: Rows looked up in the spill file at once: one query per table per chunk.
_CHUNK = 2000
#: Keys in one ``IN (...)``: under every SQLite's bound-parameter limit.
_IN = 500


def _key_text(key: IdentityKey) -> str:
    return f"{key.kind.value}\x1f{key.key}"


def _key_of(text: str) -> IdentityKey:
    kind, key = text.split("\x1f", 1)
    return IdentityKey(IdentityKind(kind), key)


@attrs.frozen
class _Rep:
    """What the grouping rule needs of a group: its first row's name, its CPF/CNPJ
    and external id (one each: two different ones never join), and whether it
    is a company (``Draft.customer_kind``: a CNPJ, a ``Tipo`` PJ or a
    company's name)."""

    name: str
    tax: str | None
    external: str | None
    company: bool = False

    @classmethod
    def of(cls, draft: Draft) -> _Rep:
        tax, ext = draft.tax_id, draft.external_id
        return cls(
            draft.name,
            None if tax is None else f"{tax.kind}:{tax.digits}",
            None if ext is None else f"{ext.system.lower()}\x1f{ext.id}",
            draft.customer_kind is CustomerKind.COMPANY,
        )

    def record(self) -> MatchRecord:
        company = self.company or (self.tax is not None and self.tax.startswith("cnpj"))
        return MatchRecord(
            id="",
            company=company,
            names=(NameKey.parse(self.name, company=company),),
            tax_id=self.tax,
        )

    def clashes(self, other: _Rep) -> bool:
        return (self.tax is not None and other.tax is not None and self.tax != other.tax) or (
            self.external is not None
            and other.external is not None
            and self.external != other.external
        )

    def absorb(self, other: _Rep) -> _Rep:
        return _Rep(
            self.name,
            self.tax or other.tax,
            self.external or other.external,
            self.company or other.company,
        )


class FileGroups:
    """The groups of one file: rows in with :meth:`add`, complete groups out of :meth:`groups`.

    Rows are one customer through an exclusive key (CPF/CNPJ, external id),
    or through a shareable key (a phone line, an e-mail) when the
    conflicting-evidence rule allows it (:mod:`customer_core.domain.matching.evidence`,
    checked against the group's first row): a household's landline or an
    owner's mobile on their company's row leaves two customers that share
    the key. A row that would join groups with another CPF/CNPJ (or external
    id) than its own, or join two such groups, is reported and left out:
    which one is right is the user's call. Use as a context manager: the
    temporary files are removed on exit.
    """

    def __init__(self, directory: str | Path | None = None) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="customer-core-import-", dir=directory)
        self._db = sqlite3.connect(Path(self._dir.name) / "groups.db", isolation_level=None)
        self._db.executescript(
            """
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            PRAGMA temp_store = FILE;
            CREATE TABLE keys (key TEXT, gid INTEGER, PRIMARY KEY (key, gid)) WITHOUT ROWID;
            CREATE TABLE reps (
                gid INTEGER PRIMARY KEY, name TEXT, tax TEXT, ext TEXT, company INTEGER
            );
            CREATE TABLE stored (key TEXT, customer_id TEXT, PRIMARY KEY (key, customer_id))
                WITHOUT ROWID;
            """
        )
        self._rows: IO[bytes] = open(Path(self._dir.name) / "rows.pickle", "w+b")  # noqa: SIM115
        #: Union-find over row ordinals: a group's id is its first row's ordinal.
        self._parent = array("q")
        self._closed = False

    def __enter__(self) -> FileGroups:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._rows.close()
            self._db.close()
            self._dir.cleanup()

    @property
    def rows(self) -> int:
        """Rows kept so far (rows left out by the grouping rule not counted)."""
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

    def add(self, drafts: Iterable[tuple[Draft, set[IdentityKey]]]) -> list[RowError]:
        """Group rows (in file order, each with its identity keys); the rows left out, reported."""
        rejected: list[RowError] = []
        chunk: list[tuple[Draft, set[IdentityKey]]] = []
        for item in drafts:
            chunk.append(item)
            if len(chunk) >= _CHUNK:
                rejected += self._add_chunk(chunk)
                chunk = []
        if chunk:
            rejected += self._add_chunk(chunk)
        return rejected

    def _add_chunk(self, chunk: list[tuple[Draft, set[IdentityKey]]]) -> list[RowError]:
        texts = [[_key_text(k) for k in keys] for _, keys in chunk]
        wanted = sorted({t for row in texts for t in row})
        holders: dict[str, list[int]] = {}
        for key, gid in self._select("SELECT key, gid FROM keys WHERE key IN ({})", wanted):
            holders.setdefault(str(key), []).append(int(gid))  # type: ignore[call-overload]
        reps: dict[int, _Rep] = {}
        roots = sorted({self._find(g) for gids in holders.values() for g in gids})
        for gid, name, tax, ext, company in self._select(
            "SELECT gid, name, tax, ext, company FROM reps WHERE gid IN ({})", roots
        ):
            reps[int(gid)] = _Rep(str(name), tax, ext, bool(company))  # type: ignore[call-overload,arg-type]
        new_keys: list[tuple[str, int]] = []
        dirty: set[int] = set()
        rejected: list[RowError] = []
        kept: list[tuple[int, Draft]] = []
        for (draft, keys), row_texts in zip(chunk, texts, strict=True):
            rep = _Rep.of(draft)
            record: MatchRecord | None = None
            hits: set[int] = set()
            for key, text in zip(keys, row_texts, strict=True):
                for gid in holders.get(text, ()):
                    root = self._find(gid)
                    if root in hits:
                        continue
                    if key.kind.shareable:
                        record = record or draft.match_record()
                        if conflicting_evidence(record, reps[root].record()) is not None:
                            continue
                    hits.add(root)
            joined = sorted(hits)
            members = [rep, *(reps[h] for h in joined)]
            if any(a.clashes(b) for n, a in enumerate(members) for b in members[n + 1 :]):
                lines = sorted(set(self._lines_of(joined, kept)))
                rejected += [
                    RowError(
                        line,
                        "tax_id",
                        Code.DUPLICATE_IDENTITY,
                        f"the row's identifiers tie it to line(s) {', '.join(map(str, lines))},"
                        " but their CPF/CNPJs or external ids differ",
                    )
                    for line in draft.lines
                ]
                continue
            ordinal = len(self._parent)
            self._parent.append(ordinal)
            if joined:
                root = joined[0]
                combined = reps[root]
                for other in joined[1:]:
                    combined = combined.absorb(reps.pop(other))
                    self._parent[other] = root
                    dirty.discard(other)
                self._parent[ordinal] = root
                combined = combined.absorb(rep)
            else:
                root, combined = ordinal, rep
            reps[root] = combined
            dirty.add(root)
            for text in row_texts:
                known = holders.setdefault(text, [])
                if root not in known:
                    known.append(root)
                    new_keys.append((text, root))
            kept.append((ordinal, draft))
        # One transaction a chunk: in autocommit each row would be one.
        with self._db:
            self._db.execute("BEGIN")
            self._db.executemany("INSERT OR IGNORE INTO keys VALUES (?, ?)", new_keys)
            self._db.executemany(
                "INSERT OR REPLACE INTO reps VALUES (?, ?, ?, ?, ?)",
                [(g, r.name, r.tax, r.external, r.company) for g in dirty for r in (reps[g],)],
            )
        pickle.dump(kept, self._rows, protocol=pickle.HIGHEST_PROTOCOL)
        return rejected

    def _lines_of(self, roots: list[int], kept: list[tuple[int, Draft]]) -> list[int]:
        """The lines of the rows in ``roots``' groups (for the message; rare: a clash)."""
        wanted = set(roots)
        lines: list[int] = []
        for ordinal, draft in self._kept_so_far(kept):
            if self._find(ordinal) in wanted:
                lines += draft.lines
        return lines

    def _kept_so_far(self, kept: list[tuple[int, Draft]]) -> Iterator[tuple[int, Draft]]:
        end = self._rows.tell()
        self._rows.seek(0)
        try:
            while self._rows.tell() < end:
                yield from pickle.load(self._rows)
        finally:
            self._rows.seek(end)
        yield from kept

    def remember_holders(self, holders: Mapping[IdentityKey, Iterable[str]]) -> None:
        """Record which stored customers held the file's keys before the run.

        The writes match groups against these only: customers this run
        created are other groups of the same file, already decided apart.
        """
        rows = [(_key_text(k), c) for k, ids in holders.items() for c in ids]
        if rows:
            with self._db:
                self._db.execute("BEGIN")
                self._db.executemany("INSERT OR IGNORE INTO stored VALUES (?, ?)", rows)

    def stored_holders(self, keys: Iterable[IdentityKey]) -> dict[IdentityKey, tuple[str, ...]]:
        """The customers that held ``keys`` before the run, in id order."""
        found: dict[IdentityKey, list[str]] = {}
        texts = sorted({_key_text(k) for k in keys})
        for key, customer_id in self._select(
            "SELECT key, customer_id FROM stored WHERE key IN ({})", texts
        ):
            found.setdefault(_key_of(str(key)), []).append(str(customer_id))
        return {k: tuple(sorted(ids)) for k, ids in found.items()}

    def groups(self) -> Iterator[list[Draft]]:
        """Each group's rows, in file order, handed out once its last row has been read back."""
        last = array("q", bytes(8 * len(self._parent)))
        for ordinal in range(len(self._parent)):
            last[self._find(ordinal)] = ordinal
        open_groups: dict[int, list[Draft]] = {}
        end = self._rows.seek(0, 2)
        self._rows.seek(0)
        while self._rows.tell() < end:
            chunk: list[tuple[int, Draft]] = pickle.load(self._rows)
            for ordinal, draft in chunk:
                root = self._find(ordinal)
                if last[root] == ordinal:
                    yield [*open_groups.pop(root, ()), draft]
                else:
                    open_groups.setdefault(root, []).append(draft)
