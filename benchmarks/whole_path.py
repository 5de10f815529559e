"""The whole path a user takes, measured on a generated file with known truth.

A tenant imports a messy customer spreadsheet, then opens the duplicate
report. This script does exactly that through the public API, on a fresh
SQLite database, and scores the outcome against the file's truth:

1. ``customer_core.connect("sqlite:///...")`` and ``core.importer.run(...)``
   in ``create`` mode as an admin (the file as a user would upload it);
2. ``core.identity.duplicate_report(...)``: exact clusters and suggestions;
3. every file line is mapped back to the customer it became (its parsed
   identifiers, looked up in storage; rows without identifiers by the key
   the import gives them, made of the file and line); rejected lines are the
   import report's errors.

Scores are on pairs of file lines (two lines are a true pair when they
describe the same entity):

- **import**: pairs of lines that became one customer;
- **+ clusters**: and pairs linked by an exact cluster of the report;
- **+ suggestions**: and pairs linked by a suggestion (score >= threshold):
  the outcome if a user accepted every link the report shows;

each as precision, recall and F1. Hard-negative pairs (different customers
who share a phone, an address, a name...) are counted per kind: merged by
the import, linked by the report, or with a row rejected because of the
other (``duplicate_identity``). Also the share of rows the import rejected
(by column and code), wall time of each step and the process's peak RSS.
With the truth's per-line tags (generator B writes them), ``--explain``
shows which kinds of mess the missed pairs and the false links come from,
with examples.

Run::

    python benchmarks/whole_path.py                        # generator B, 20,000 rows, seeds 1 and 2
    python benchmarks/whole_path.py --records 2000 --seeds 7
    python benchmarks/whole_path.py --input FILE.csv --truth FILE.truth.json

``--input``/``--truth`` take any file in the import format with its truth:
the JSON that ``generator_b.py`` writes (``lines``: ``line`` and ``entity``
per data line, header = line 1; optional ``hard_negatives``: ``a``, ``b``,
``kind``), or a CSV truth with ``line`` and ``entity`` columns (and
``--hard-negatives`` a CSV with ``a``, ``b``, ``kind``). That is the hook
for the first generator (``matching_quality.py``): have it write its rows
as a CSV file and its truth in either form, and measure both generators on
the same path. Each file is measured in its own process, so the RSS is its
own. Nothing is asserted: this measures.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import customer_core
from customer_core import Actor
from customer_core.io import CsvSource, ImportReport, RowOutcome
from customer_core.services.identity import DuplicateReport

HERE = Path(__file__).resolve().parent
TENANT = "bench"
DEFAULT_SEEDS = (1, 2)
SWEEP = (0.5, 0.6, 0.7, 0.8, 0.9)


def peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1 << 20) if sys.platform == "darwin" else peak / 1024


# --------------------------------------------------------------------------
# Truth
# --------------------------------------------------------------------------


@dataclass
class Truth:
    entity_of: dict[int, str]
    tags_of: dict[int, list[str]] = field(default_factory=dict)
    hard_negatives: list[tuple[str, str, str]] = field(default_factory=list)
    source: str = ""


def _sniff_reader(path: Path) -> Iterator[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        sample = f.read(4096)
        f.seek(0)
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
        yield from csv.DictReader(f, delimiter=delimiter)


def load_truth(path: Path, hard_negatives: Path | None = None) -> Truth:
    """The truth of a file: JSON as generator B writes it, or a CSV of line and entity."""
    if path.suffix == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        lines = data["lines"]
        truth = Truth(
            entity_of={int(item["line"]): str(item["entity"]) for item in lines},
            tags_of={int(item["line"]): list(item.get("tags", [])) for item in lines},
            hard_negatives=[
                (str(h["a"]), str(h["b"]), str(h["kind"])) for h in data.get("hard_negatives", [])
            ],
            source=str(data.get("generator", path.name)),
        )
    else:
        truth = Truth(
            entity_of={int(r["line"]): str(r["entity"]) for r in _sniff_reader(path)},
            source=path.name,
        )
    if hard_negatives is not None:
        truth.hard_negatives += [
            (r["a"], r["b"], r.get("kind") or "listed") for r in _sniff_reader(hard_negatives)
        ]
    return truth


# --------------------------------------------------------------------------
# Lines to customers
# --------------------------------------------------------------------------


@dataclass
class LineMap:
    customer_of: dict[int, str]
    rejected: dict[int, list[tuple[str | None, str]]]  # line -> [(column, code)]
    raw: dict[int, list[str]]
    unmapped: int  # stored lines whose customer could not be found (should be 0)
    split: int  # lines whose identifiers are held by several customers (should be 0)


_SHOWN = ("name", "area_code", "phone", "other_phones", "email", "other_emails", "tax_id", "city")


def map_lines(
    path: Path, report: ImportReport, outcomes: dict[int, str], *, raw: bool = True
) -> LineMap:
    """Each stored line's customer, as the import said (``on_row``), and the rejected lines."""
    rejected: dict[int, list[tuple[str | None, str]]] = defaultdict(list)
    for error in report.errors:
        rejected[error.line].append((error.column, error.code))
    raw_rows: dict[int, list[str]] = {}
    unmapped = 0
    with open(path, "rb") as stream:
        for line, row in CsvSource(stream).rows():
            if raw:
                raw_rows[line] = [
                    f"{c}={row[c]}" if c != "name" else row[c] for c in _SHOWN if row.get(c)
                ]
            if line not in rejected and line not in outcomes:
                unmapped += 1
    return LineMap(dict(outcomes), dict(rejected), raw_rows, unmapped, 0)


# --------------------------------------------------------------------------
# Scores
# --------------------------------------------------------------------------


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


@dataclass
class Score:
    predicted: int = 0
    correct: int = 0

    def add(self, other: Score) -> Score:
        return Score(self.predicted + other.predicted, self.correct + other.correct)

    def prf(self, true_pairs: int) -> tuple[float, float, float]:
        precision = self.correct / self.predicted if self.predicted else 1.0
        recall = self.correct / true_pairs if true_pairs else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1


def _link_score(a: Counter[str], b: Counter[str]) -> Score:
    return Score(sum(a.values()) * sum(b.values()), sum(n * b[e] for e, n in a.items() if e in b))


@dataclass
class Evaluation:
    name: str
    rows: int
    entities: int
    true_pairs: int
    rejected_rows: int
    rejected_by: Counter[str]
    customers: int
    import_score: Score
    cluster_score: Score
    suggestion_scores: dict[float, Score]
    threshold: float
    hard: dict[str, Counter[str]]
    seconds: dict[str, float]
    rss_mb: float
    unmapped: int
    split: int
    report_size: tuple[int, int]
    explain: list[str] = field(default_factory=list)

    def stage(self, stage: int, threshold: float) -> Score:
        """The pairs after the import (0), with the clusters (1), with the suggestions (2)."""
        score = self.import_score
        if stage >= 1:
            score = score.add(self.cluster_score)
        if stage >= 2:
            score = score.add(self.suggestion_scores.get(threshold, Score()))
        return score

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "rows": self.rows,
            "entities": self.entities,
            "true_pairs": self.true_pairs,
            "rejected_rows": self.rejected_rows,
            "rejected_by": dict(self.rejected_by),
            "customers": self.customers,
            "import_score": [self.import_score.predicted, self.import_score.correct],
            "cluster_score": [self.cluster_score.predicted, self.cluster_score.correct],
            "suggestion_scores": {
                str(t): [s.predicted, s.correct] for t, s in self.suggestion_scores.items()
            },
            "threshold": self.threshold,
            "hard": {k: dict(v) for k, v in self.hard.items()},
            "seconds": self.seconds,
            "rss_mb": self.rss_mb,
            "unmapped": self.unmapped,
            "split": self.split,
            "report_size": list(self.report_size),
            "explain": self.explain,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Evaluation:
        return cls(
            name=data["name"],
            rows=data["rows"],
            entities=data["entities"],
            true_pairs=data["true_pairs"],
            rejected_rows=data["rejected_rows"],
            rejected_by=Counter(data["rejected_by"]),
            customers=data["customers"],
            import_score=Score(*data["import_score"]),
            cluster_score=Score(*data["cluster_score"]),
            suggestion_scores={float(t): Score(*s) for t, s in data["suggestion_scores"].items()},
            threshold=data["threshold"],
            hard={k: Counter(v) for k, v in data["hard"].items()},
            seconds=data["seconds"],
            rss_mb=data["rss_mb"],
            unmapped=data["unmapped"],
            split=data["split"],
            report_size=(data["report_size"][0], data["report_size"][1]),
            explain=data["explain"],
        )


def _customer_pairs(ids: Sequence[str]) -> Iterator[tuple[str, str]]:
    ordered = sorted(set(ids))
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            yield a, b


def evaluate(
    name: str,
    truth: Truth,
    mapping: LineMap,
    report: DuplicateReport,
    sweep: DuplicateReport | None,
    *,
    threshold: float,
    seconds: dict[str, float],
    explain: int,
) -> Evaluation:
    entity_lines: dict[str, list[int]] = defaultdict(list)
    for line, entity in truth.entity_of.items():
        entity_lines[entity].append(line)
    true_pairs = sum(_pairs(len(lines)) for lines in entity_lines.values())
    members: dict[str, Counter[str]] = defaultdict(Counter)  # customer -> entity counts
    lines_of: dict[str, list[int]] = defaultdict(list)
    for line, customer in mapping.customer_of.items():
        members[customer][truth.entity_of.get(line, f"?{line}")] += 1
        lines_of[customer].append(line)
    import_score = Score(
        sum(_pairs(sum(c.values())) for c in members.values()),
        sum(_pairs(n) for c in members.values() for n in c.values()),
    )
    cluster_links = {pair for cluster in report.clusters for pair in _customer_pairs(cluster.ids)}
    cluster_score = Score()
    for a, b in cluster_links:
        cluster_score = cluster_score.add(_link_score(members[a], members[b]))

    def best_scores(found: DuplicateReport) -> dict[tuple[str, str], float]:
        best: dict[tuple[str, str], float] = {}
        for suggestion in found.suggestions:
            key = (min(suggestion.ids), max(suggestion.ids))
            best[key] = max(best.get(key, 0.0), suggestion.score)
        return best

    def link_score(links: Iterable[tuple[str, str]]) -> Score:
        score = Score()
        for a, b in links:
            if (a, b) not in cluster_links:
                score = score.add(_link_score(members[a], members[b]))
        return score

    scored = best_scores(report)
    suggestion_scores = {threshold: link_score(scored)}
    if sweep is not None:
        swept = best_scores(sweep)
        for t in SWEEP:
            if t != threshold:
                suggestion_scores[t] = link_score(p for p, v in swept.items() if v >= t)

    # hard negatives: per kind, merged by the import / linked by the report / a row rejected
    customers_of: dict[str, set[str]] = defaultdict(set)
    for line, customer in mapping.customer_of.items():
        customers_of[truth.entity_of.get(line, "")].add(customer)
    report_links = cluster_links | set(scored)
    hard: dict[str, Counter[str]] = defaultdict(Counter)
    clash_lines = {
        line
        for line, errors in mapping.rejected.items()
        if any(code == "duplicate_identity" for _, code in errors)
    }
    for a, b, kind in truth.hard_negatives:
        if a not in entity_lines or b not in entity_lines:
            continue
        counts = hard[kind]
        counts["pairs"] += 1
        ca, cb = customers_of.get(a, set()), customers_of.get(b, set())
        merged = bool(ca & cb)
        linked = any((min(x, y), max(x, y)) in report_links for x in ca for y in cb if x != y)
        counts["merged"] += merged
        counts["linked"] += linked
        counts["either"] += merged or linked
        counts["row_rejected"] += any(
            line in clash_lines for line in entity_lines[a] + entity_lines[b]
        )

    rejected_by: Counter[str] = Counter()
    for errors in mapping.rejected.values():
        for column, code in set(errors):
            rejected_by[f"{column or '-'}:{code}"] += 1
    evaluation = Evaluation(
        name=name,
        rows=len(truth.entity_of),
        entities=len(entity_lines),
        true_pairs=true_pairs,
        rejected_rows=len(mapping.rejected),
        rejected_by=rejected_by,
        customers=len(members),
        import_score=import_score,
        cluster_score=cluster_score,
        suggestion_scores=suggestion_scores,
        threshold=threshold,
        hard=dict(hard),
        seconds=seconds,
        rss_mb=peak_rss_mb(),
        unmapped=mapping.unmapped,
        split=mapping.split,
        report_size=(len(report.clusters), len(report.suggestions)),
    )
    if explain and truth.tags_of:
        evaluation.explain = _explain(
            truth, mapping, members, lines_of, cluster_links, scored, explain
        )
    return evaluation


def _excess(
    hit: Counter[str], total: Counter[str], overall: float, top: int
) -> list[tuple[str, int, int]]:
    """Tags by how many more hits they have than the overall rate predicts."""
    ranked = sorted(total, key=lambda t: hit[t] - overall * total[t], reverse=True)
    return [(t, hit[t], total[t]) for t in ranked[:top] if hit[t] > overall * total[t]]


def _explain(
    truth: Truth,
    mapping: LineMap,
    members: dict[str, Counter[str]],
    lines_of: dict[str, list[int]],
    cluster_links: set[tuple[str, str]],
    scored: dict[tuple[str, str], float],
    examples: int,
) -> list[str]:
    """Why rows were rejected, why true pairs were missed, what the false links are."""
    out: list[str] = []
    customer_of = mapping.customer_of
    linked = cluster_links | set(scored)

    def show(line: int) -> str:
        return f"      line {line}: " + " | ".join(mapping.raw.get(line, []))

    def tags(line: int) -> set[str]:
        return set(truth.tags_of.get(line, []))

    # rejected rows: which tags make a row rejected
    rejected_by_tag: Counter[str] = Counter()
    rows_by_tag: Counter[str] = Counter()
    first_rejected: dict[str, int] = {}
    for line in truth.entity_of:
        rows_by_tag.update(tags(line))
        if line in mapping.rejected:
            rejected_by_tag.update(tags(line))
            for tag in tags(line):
                first_rejected.setdefault(tag, line)
    rate = len(mapping.rejected) / max(1, len(truth.entity_of))
    out.append(f"rows rejected ({rate:.1%}), by a tag of the row (rejected / rows with the tag):")
    for tag, n, total in _excess(rejected_by_tag, rows_by_tag, rate, 10):
        line = first_rejected[tag]
        codes = ", ".join(f"{c}:{code}" for c, code in mapping.rejected[line])
        out.append(f"  {tag:32} {n:6} / {total:6} ({n / total:.0%})")
        if examples:
            out.append(show(line) + f"  -> {codes}")

    # missed true pairs
    entity_lines: dict[str, list[int]] = defaultdict(list)
    for line, entity in truth.entity_of.items():
        entity_lines[entity].append(line)
    lost_to: Counter[str] = Counter()
    lost_example: dict[str, tuple[int, int]] = {}
    missed_by_tag: Counter[str] = Counter()
    stored_by_tag: Counter[str] = Counter()
    missed_example: dict[str, tuple[int, int]] = {}
    stored_pairs = missed_stored = lost_pairs = 0
    for lines in entity_lines.values():
        for i, x in enumerate(lines):
            for y in lines[i + 1 :]:
                if x in mapping.rejected or y in mapping.rejected:
                    lost_pairs += 1
                    reasons = {
                        f"{c}:{code}" for ln in (x, y) for c, code in mapping.rejected.get(ln, [])
                    }
                    for code in reasons:
                        lost_to[code] += 1
                        lost_example.setdefault(code, (x, y))
                    continue
                cx, cy = customer_of.get(x), customer_of.get(y)
                if cx is None or cy is None:
                    continue
                pair_tags = tags(x) | tags(y)
                stored_pairs += 1
                stored_by_tag.update(pair_tags)
                if cx != cy and (min(cx, cy), max(cx, cy)) not in linked:
                    missed_stored += 1
                    missed_by_tag.update(pair_tags)
                    for tag in pair_tags:
                        missed_example.setdefault(tag, (x, y))
    out.append(
        f"true pairs lost with a rejected row: {lost_pairs}"
        " (by the rejection code; a pair may count under two):"
    )
    for code, n in lost_to.most_common(6):
        out.append(f"  {code:32} {n:6}")
    miss_rate = missed_stored / max(1, stored_pairs)
    out.append(
        f"true pairs with both rows stored but neither merged nor linked: {missed_stored}"
        f" of {stored_pairs} ({miss_rate:.1%}); by a tag of either row (missed / pairs with it):"
    )
    for tag, n, total in _excess(missed_by_tag, stored_by_tag, miss_rate, 12):
        out.append(f"  {tag:32} {n:6} / {total:6} ({n / total:.0%})")
        if examples:
            x, y = missed_example[tag]
            out += [show(x), show(y)]

    # false pairs: different entities in one customer, or linked
    kinds: dict[frozenset[str], str] = {
        frozenset((a, b)): kind for a, b, kind in truth.hard_negatives
    }
    wrong: Counter[str] = Counter()
    wrong_examples: dict[str, tuple[int, int]] = {}

    def first_line(customer: str, entity: str) -> int:
        return next(ln for ln in lines_of[customer] if truth.entity_of.get(ln) == entity)

    for customer, counts in members.items():
        entities = sorted(counts)
        for i, a in enumerate(entities):
            for b in entities[i + 1 :]:
                label = f"import merged: {kinds.get(frozenset((a, b)), 'unlisted')}"
                wrong[label] += counts[a] * counts[b]
                if label not in wrong_examples:
                    wrong_examples[label] = (first_line(customer, a), first_line(customer, b))
    for ca, cb in sorted(linked):
        source = "cluster" if (ca, cb) in cluster_links else "suggestion"
        for a, na in members[ca].items():
            for b, nb in members[cb].items():
                if a != b:
                    label = f"{source} linked: {kinds.get(frozenset((a, b)), 'unlisted')}"
                    wrong[label] += na * nb
                    if label not in wrong_examples:
                        wrong_examples[label] = (first_line(ca, a), first_line(cb, b))
    out.append(f"false pairs: {sum(wrong.values())}; by how and between what:")
    for label, n in wrong.most_common(14):
        out.append(f"  {label:44} {n:6}")
        if examples:
            x, y = wrong_examples[label]
            out += [show(x), show(y)]
    return out


# --------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------


def measure(
    csv_path: Path,
    truth: Truth,
    *,
    name: str,
    threshold: float,
    sweep: bool,
    explain: int,
    database_dir: Path,
) -> Evaluation:
    database = database_dir / f"whole_path_{os.getpid()}.db"
    database.unlink(missing_ok=True)
    seconds: dict[str, float] = {}
    start = time.perf_counter()
    core = customer_core.connect(f"sqlite:///{database}")
    seconds["connect"] = time.perf_counter() - start
    admin = Actor(tenant_id=TENANT, user_id="admin", role="admin")
    try:
        start = time.perf_counter()
        outcomes: dict[int, str] = {}

        def seen(row: RowOutcome) -> None:
            if row.customer_id is not None:
                outcomes[row.line] = row.customer_id

        imported = core.importer.run(TENANT, admin, csv_path, mode="create", on_row=seen)
        seconds["import"] = time.perf_counter() - start
        start = time.perf_counter()
        report = core.identity.duplicate_report(TENANT, admin, threshold=threshold)
        seconds["report"] = time.perf_counter() - start
        rss = peak_rss_mb()
        low = min(SWEEP)
        swept = (
            core.identity.duplicate_report(TENANT, admin, threshold=low)
            if sweep and threshold > low
            else None
        )
        mapping = map_lines(csv_path, imported, outcomes, raw=explain > 0)
    finally:
        core.close()
        database.unlink(missing_ok=True)
    evaluation = evaluate(
        name,
        truth,
        mapping,
        report,
        swept,
        threshold=threshold,
        seconds=seconds,
        explain=explain,
    )
    evaluation.rss_mb = rss
    return evaluation


def _fmt(p: float) -> str:
    return f"{p:.3f}"


def table(evaluations: Sequence[Evaluation]) -> str:
    rows: list[tuple[str, ...]] = [("", *(e.name for e in evaluations))]

    def add(label: str, values: Iterable[str]) -> None:
        rows.append((label, *values))

    add("rows / entities", (f"{e.rows} / {e.entities}" for e in evaluations))
    add("true pairs of lines", (str(e.true_pairs) for e in evaluations))
    add(
        "rows rejected by the import",
        (f"{e.rejected_rows} ({e.rejected_rows / e.rows:.1%})" for e in evaluations),
    )
    add("customers created", (str(e.customers) for e in evaluations))
    add(
        "report: clusters / suggestions",
        (f"{e.report_size[0]} / {e.report_size[1]}" for e in evaluations),
    )
    thresholds = sorted(set().union(*(e.suggestion_scores for e in evaluations)))
    main_threshold = evaluations[0].threshold
    stages = [("import", 0, main_threshold), ("+ clusters", 1, main_threshold)]
    stages.append((f"+ suggestions >= {main_threshold}", 2, main_threshold))
    stages += [(f"  (suggestions >= {t})", 2, t) for t in thresholds if t != main_threshold]
    for label, stage, t in stages:
        add(
            f"{label}: P / R / F1",
            (" / ".join(map(_fmt, e.stage(stage, t).prf(e.true_pairs))) for e in evaluations),
        )
    kinds = sorted(set().union(*(e.hard for e in evaluations)))
    for kind in kinds:
        add(
            f"hard neg. {kind}: merged / linked / n",
            (
                f"{e.hard[kind]['merged']} / {e.hard[kind]['linked']} / {e.hard[kind]['pairs']}"
                if kind in e.hard
                else "-"
                for e in evaluations
            ),
        )
    add(
        "wall time import (rows/s)",
        (
            f"{e.seconds['import']:.1f} s ({e.rows / e.seconds['import']:,.0f}/s)"
            for e in evaluations
        ),
    )
    add("wall time duplicate report", (f"{e.seconds['report']:.1f} s" for e in evaluations))
    add("peak RSS", (f"{e.rss_mb:.0f} MB" for e in evaluations))
    if any(e.unmapped or e.split for e in evaluations):
        add("(lines not mapped / split)", (f"{e.unmapped} / {e.split}" for e in evaluations))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


def _worker(args: argparse.Namespace) -> int:
    truth = load_truth(args.truth, args.hard_negatives)
    evaluation = measure(
        args.input,
        truth,
        name=args.name or truth.source,
        threshold=args.threshold,
        sweep=args.sweep,
        explain=args.explain,
        database_dir=args.workdir or args.input.parent,
    )
    if args.json is not None:
        args.json.write_text(json.dumps(evaluation.as_json()), encoding="utf-8")
    else:
        print(table([evaluation]))
        print(_rejections([evaluation]))
        if evaluation.explain:
            print("\n".join(evaluation.explain))
    return 0


def _rejections(evaluations: Sequence[Evaluation]) -> str:
    lines = ["rows rejected, by column and code:"]
    for e in evaluations:
        top = ", ".join(f"{k} {v}" for k, v in e.rejected_by.most_common(8))
        lines.append(f"  {e.name}: {top or 'none'}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--input", type=Path, help="a CSV in the import format")
    parser.add_argument("--truth", type=Path, help="its truth (JSON or CSV)")
    parser.add_argument("--hard-negatives", type=Path, help="CSV of a, b, kind")
    parser.add_argument("--name", help="the run's name in the table")
    parser.add_argument("--records", type=int, default=20_000, help="generator B rows per file")
    parser.add_argument("--seeds", type=int, nargs="+", default=list(DEFAULT_SEEDS))
    parser.add_argument("--threshold", type=float, default=0.6, help="suggestions' lowest score")
    parser.add_argument("--no-sweep", dest="sweep", action="store_false", help="no threshold sweep")
    parser.add_argument(
        "--explain", type=int, default=1, help="failure examples per kind (0: no analysis)"
    )
    parser.add_argument("--workdir", type=Path, help="where files and databases go (temp)")
    parser.add_argument("--json", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if (args.input is None) != (args.truth is None):
        parser.error("--input and --truth go together")
    if args.input is not None:
        return _worker(args)
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        workdir = Path(tmp)
        evaluations: list[Evaluation] = []
        for seed in args.seeds:
            csv_path = workdir / f"generator_b_{seed}.csv"
            generate = [
                sys.executable, str(HERE / "generator_b.py"), "--records", str(args.records),
                "--seed", str(seed), "--out", str(csv_path),
            ]  # fmt: skip
            subprocess.run(generate, check=True, stdout=subprocess.DEVNULL)
            result = workdir / f"result_{seed}.json"
            worker = [
                sys.executable, str(Path(__file__).resolve()), "--input", str(csv_path),
                "--truth", str(csv_path.with_suffix(".truth.json")), "--name",
                f"B seed {seed}", "--threshold", str(args.threshold), "--explain",
                str(args.explain), "--workdir", str(workdir), "--json", str(result),
                *([] if args.sweep else ["--no-sweep"]),
            ]  # fmt: skip
            subprocess.run(worker, check=True)
            evaluations.append(Evaluation.from_json(json.loads(result.read_text())))
    print(f"Whole path on generator B ({args.records} rows per file), SQLite, preset default")
    print(table(evaluations))
    print(_rejections(evaluations))
    for e in evaluations:
        if e.explain:
            print(f"\n{e.name}:")
            print("\n".join(e.explain))
    return 0


if __name__ == "__main__":
    sys.exit(main())
