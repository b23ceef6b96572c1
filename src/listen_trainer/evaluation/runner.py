"""Score labelled replies with the engine and measure how far it agrees with people.

Two sources: JSON Lines rows `{id, prompt, response, label}` from an outside data set,
scored in free-statement mode (the prompt is the statement) and read through a mapping
file; and the shipped scenario exemplars, scored against their scenario, whose labels
are verdicts written by the packs' authors.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from listen_trainer.content.library import Library
from listen_trainer.content.models import ROADBLOCKS, Category, Exemplar, Verdict
from listen_trainer.evaluation import metrics
from listen_trainer.evaluation.mapping import (
    Bar,
    Classification,
    DepthOrder,
    EvalMapping,
    Measure,
    Ranking,
    VerdictCheck,
)
from listen_trainer.scoring import Feedback, Scorer, ScoreRequest

MAX_LINE_BYTES = 1_000_000
Progress = Callable[[int], None]
T = TypeVar("T")


class DataError(Exception):
    """A data file that cannot be read at all (missing, a folder, unreadable)."""


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class Row:
    id: str
    prompt: str
    response: str
    label: str
    line: int


class Exchange(Protocol):
    """What the engine scores of a row: the speaker's words and the reply."""

    @property
    def prompt(self) -> str: ...

    @property
    def response(self) -> str: ...


@dataclass(frozen=True)
class Skipped:
    line: int
    reason: str


def decode_line(number: int, raw: bytes) -> dict[str, Any] | Skipped:
    """One line as a JSON object with string `prompt` and `response`, or why it is not."""
    if len(raw) > MAX_LINE_BYTES:
        return Skipped(number, f"longer than {MAX_LINE_BYTES:,} bytes")
    try:
        item = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return Skipped(number, f"not valid UTF-8 ({exc.reason} at byte {exc.start})")
    except json.JSONDecodeError as exc:
        return Skipped(number, f"not valid JSON ({exc.msg} at column {exc.colno})")
    if not isinstance(item, dict):
        return Skipped(number, "expected a JSON object")
    for key in ("prompt", "response"):
        if not isinstance(item.get(key), str):
            return Skipped(number, f"'{key}' must be a string")
    return item


def row_id(item: dict[str, Any], number: int) -> str:
    ident = item.get("id")
    return str(ident) if ident is not None else f"line {number}"


def _parse_line(number: int, raw: bytes) -> Row | Skipped:
    item = decode_line(number, raw)
    if isinstance(item, Skipped):
        return item
    if not isinstance(item.get("label"), str):
        return Skipped(number, "'label' must be a string")
    return Row(
        id=row_id(item, number),
        prompt=item["prompt"],
        response=item["response"],
        label=item["label"],
        line=number,
    )


def read_lines(
    path: Path, parse: Callable[[int, bytes], T | Skipped], limit: int | None = None
) -> tuple[list[T], list[Skipped]]:
    """The file's rows as `parse` reads them, in order (at most `limit`), and the lines
    skipped with why.

    A broken line never stops the rest; blank lines are not counted as broken.
    """
    rows: list[T] = []
    skipped: list[Skipped] = []
    try:
        with path.open("rb") as handle:
            for number, raw in enumerate(handle, start=1):
                if limit is not None and len(rows) >= limit:
                    break
                stripped = raw.strip()
                if not stripped:
                    continue
                parsed = parse(number, stripped)
                if isinstance(parsed, Skipped):
                    skipped.append(parsed)
                else:
                    rows.append(parsed)
    except FileNotFoundError:
        raise DataError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise DataError(f"{path}: is a folder; give JSON Lines files") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot read: {exc.strerror}") from None
    return rows, skipped


def read_rows(path: Path, limit: int | None = None) -> tuple[list[Row], list[Skipped]]:
    """The file's single-label rows in order (at most `limit`), and the lines skipped."""
    return read_lines(path, _parse_line, limit)


def half_of(ident: str) -> str:
    """Half "A" or "B": a fixed split of a data set by row id, so rules can be tuned on one
    half and checked on the other. The same id lands in the same half on every machine."""
    return "A" if int(hashlib.sha1(ident.encode("utf-8")).hexdigest(), 16) % 2 == 0 else "B"


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Outcome:
    """One row and what the engine said of it."""

    row: Row
    feedback: Feedback
    categories: frozenset[Category]

    def flags_in(self, categories: Iterable[Category]) -> int:
        wanted = set(categories)
        return sum(1 for f in self.feedback.flags if f.category in wanted)


def _passed(bar: Bar | None, value: float | None) -> bool | None:
    return None if bar is None else bar.met(value)


@dataclass(frozen=True)
class MeasureResult:
    measure: Measure
    counts: metrics.Counts

    @property
    def passed(self) -> bool | None:
        return _passed(self.measure.bar, self.counts.f1)


@dataclass(frozen=True)
class VerdictCheckResult:
    check: VerdictCheck
    rows: int
    hits: int

    @property
    def share(self) -> float | None:
        return self.hits / self.rows if self.rows else None

    @property
    def passed(self) -> bool | None:
        return _passed(self.check.bar, self.share)


@dataclass(frozen=True)
class ClassificationResult:
    spec: Classification
    confusion: metrics.Confusion

    @property
    def per_class(self) -> dict[str, metrics.Counts]:
        return {name: self.confusion.counts(name) for name in self.spec.class_names}

    @property
    def macro_f1(self) -> float:
        return metrics.macro_f1(self.per_class)

    @property
    def passed(self) -> bool | None:
        return _passed(self.spec.bar, self.macro_f1)


@dataclass(frozen=True)
class DepthResult:
    order: DepthOrder
    higher: tuple[int, ...]
    lower: tuple[int, ...]

    @property
    def higher_mean(self) -> float | None:
        return metrics.mean(self.higher)

    @property
    def lower_mean(self) -> float | None:
        return metrics.mean(self.lower)

    @property
    def difference(self) -> float | None:
        if self.higher_mean is None or self.lower_mean is None:
            return None
        return self.higher_mean - self.lower_mean

    @property
    def passed(self) -> bool | None:
        return _passed(self.order.bar, self.difference)


@dataclass(frozen=True)
class RankingResult:
    spec: Ranking
    ranking: metrics.Ranking

    @property
    def passed(self) -> bool | None:
        if self.ranking.pairs == 0:
            return None
        return _passed(self.spec.bar, self.ranking.accuracy)


@dataclass(frozen=True)
class BarLine:
    """One figure with a bar, for the summary and the exit code."""

    name: str
    figure: str
    value: float | None
    bar: Bar
    passed: bool


@dataclass
class DatasetReport:
    path: Path
    mapping_path: Path
    mapping: EvalMapping
    outcomes: list[Outcome]
    skipped: list[Skipped]
    unknown_labels: Counter[str]
    seconds: float
    measures: list[MeasureResult] = field(default_factory=list)
    verdict_checks: list[VerdictCheckResult] = field(default_factory=list)
    classification: ClassificationResult | None = None
    depth_orders: list[DepthResult] = field(default_factory=list)
    ranking: RankingResult | None = None

    @property
    def label_counts(self) -> Counter[str]:
        return Counter(o.row.label for o in self.outcomes)

    def firing(self) -> dict[str, dict[str, int]]:
        """For each label, how many of its rows each measure fired on."""
        table: dict[str, dict[str, int]] = {}
        for label in self.mapping.labels:
            table[label] = {m.name: 0 for m in self.mapping.measures}
        for outcome in self.outcomes:
            for measure in self.mapping.measures:
                if outcome.categories & set(measure.flags):
                    table[outcome.row.label][measure.name] += 1
        return table

    def verdicts(self) -> dict[str, Counter[str]]:
        """For each label, how its rows were judged."""
        table: dict[str, Counter[str]] = {label: Counter() for label in self.mapping.labels}
        for outcome in self.outcomes:
            table[outcome.row.label][outcome.feedback.verdict.value] += 1
        return table

    def bars(self) -> list[BarLine]:
        lines: list[BarLine] = []
        for m in self.measures:
            if m.measure.bar is not None:
                lines.append(
                    BarLine(m.measure.name, "F1", m.counts.f1, m.measure.bar, bool(m.passed))
                )
        for v in self.verdict_checks:
            if v.check.bar is not None:
                lines.append(BarLine(v.check.name, "share", v.share, v.check.bar, bool(v.passed)))
        if self.classification is not None and self.classification.spec.bar is not None:
            c = self.classification
            lines.append(BarLine(c.spec.name, "macro-F1", c.macro_f1, c.spec.bar, bool(c.passed)))
        for d in self.depth_orders:
            if d.order.bar is not None:
                lines.append(
                    BarLine(
                        d.order.name,
                        "mean depth difference",
                        d.difference,
                        d.order.bar,
                        bool(d.passed),
                    )
                )
        if (
            self.ranking is not None
            and self.ranking.spec.bar is not None
            and self.ranking.ranking.pairs
        ):
            r = self.ranking
            lines.append(
                BarLine(
                    r.spec.name, "pairwise accuracy", r.ranking.accuracy, r.spec.bar, bool(r.passed)
                )
            )
        return lines


# --------------------------------------------------------------------------- scoring


def score_rows(
    scorer: Scorer, rows: Sequence[Exchange], progress: Progress | None = None
) -> Iterator[Feedback]:
    """Score each row's response to its prompt, in order, reporting progress per row."""
    requests = (ScoreRequest(row.response, statement=row.prompt) for row in rows)
    for feedback in scorer.score_many(requests):
        if progress is not None:
            progress(1)
        yield feedback


def classify(categories: frozenset[Category], spec: Classification) -> str:
    """The first class, in the mapping's order, with a flag among `categories`."""
    for cls in spec.classes:
        if categories & set(cls.flags):
            return cls.name
    return spec.rest


def gold_class(label: str, spec: Classification) -> str:
    for cls in spec.classes:
        if label in cls.labels:
            return cls.name
    return spec.rest


def measure(outcomes: Sequence[Outcome], mapping: EvalMapping) -> dict[str, Any]:
    """Every figure the mapping asks for, computed over `outcomes`."""
    measures = [
        MeasureResult(
            m,
            metrics.binary_counts(
                (o.row.label in m.labels, bool(o.categories & set(m.flags))) for o in outcomes
            ),
        )
        for m in mapping.measures
    ]
    checks = []
    for check in mapping.verdict_checks:
        judged = [o.feedback.verdict for o in outcomes if o.row.label in check.labels]
        checks.append(
            VerdictCheckResult(check, len(judged), sum(1 for v in judged if v in check.verdicts))
        )
    classification = None
    if mapping.classification is not None:
        spec = mapping.classification
        pairs = ((gold_class(o.row.label, spec), classify(o.categories, spec)) for o in outcomes)
        classification = ClassificationResult(
            spec, metrics.confusion(pairs, [*spec.class_names, spec.rest])
        )
    depths = [
        DepthResult(
            order,
            tuple(o.feedback.depth for o in outcomes if o.row.label in order.higher),
            tuple(o.feedback.depth for o in outcomes if o.row.label in order.lower),
        )
        for order in mapping.depth_orders
    ]
    ranking = None
    if mapping.ranking is not None:
        ranks = mapping.ranking.ranks
        ranking = RankingResult(
            mapping.ranking,
            metrics.pairwise_ranking(
                (o.row.prompt, ranks[o.row.label], o.feedback.score)
                for o in outcomes
                if o.row.label in ranks
            ),
        )
    return {
        "measures": measures,
        "verdict_checks": checks,
        "classification": classification,
        "depth_orders": depths,
        "ranking": ranking,
    }


def evaluate_file(
    path: Path,
    mapping: EvalMapping,
    mapping_path: Path,
    scorer: Scorer,
    *,
    limit: int | None = None,
    progress: Progress | None = None,
) -> DatasetReport:
    """Read, score and measure one JSON Lines file."""
    found, skipped = read_rows(path, limit)
    return evaluate_rows(path, found, skipped, mapping, mapping_path, scorer, progress)


def evaluate_rows(
    path: Path,
    found: Sequence[Row],
    skipped: Sequence[Skipped],
    mapping: EvalMapping,
    mapping_path: Path,
    scorer: Scorer,
    progress: Progress | None = None,
) -> DatasetReport:
    """Score and measure rows read from `path`.

    Rows whose label the mapping does not declare are left out of every figure and
    counted in `unknown_labels`: they belong to a data set the mapping does not describe.
    """
    started = time.perf_counter()
    declared = set(mapping.labels)
    known = [r for r in found if r.label in declared]
    unknown = Counter(r.label for r in found if r.label not in declared)
    outcomes = [
        Outcome(row, feedback, frozenset(f.category for f in feedback.flags))
        for row, feedback in zip(known, score_rows(scorer, known, progress), strict=True)
    ]
    report = DatasetReport(
        path=path,
        mapping_path=mapping_path,
        mapping=mapping,
        outcomes=outcomes,
        skipped=list(skipped),
        unknown_labels=unknown,
        seconds=0.0,
        **measure(outcomes, mapping),
    )
    report.seconds = time.perf_counter() - started
    return report


# --------------------------------------------------------------------------- exemplars

# Exemplar labels are verdicts; for ranking, attuned beats partly attuned beats any
# roadblock (roadblocks are not ordered among themselves).
EXEMPLAR_RANKS: dict[Verdict, int] = {Verdict.ATTUNED: 2, Verdict.PARTLY_ATTUNED: 1}
ROADBLOCK_VERDICTS: frozenset[Verdict] = frozenset(Verdict(c.value) for c in ROADBLOCKS)


@dataclass(frozen=True)
class ExemplarOutcome:
    pack: str
    scenario: str
    statement: str
    exemplar: Exemplar
    feedback: Feedback

    @property
    def right(self) -> bool:
        return self.feedback.verdict is self.exemplar.label


@dataclass
class ExemplarReport:
    outcomes: list[ExemplarOutcome]
    seconds: float

    @property
    def accuracy(self) -> float | None:
        return metrics.mean(1.0 if o.right else 0.0 for o in self.outcomes)

    def per_label(self) -> dict[str, tuple[int, int]]:
        """For each label the authors used: (exemplars, exemplars the engine agreed on)."""
        table: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for o in self.outcomes:
            table[o.exemplar.label.value][0] += 1
            table[o.exemplar.label.value][1] += int(o.right)
        order = [v.value for v in Verdict]
        return {
            label: (table[label][0], table[label][1]) for label in sorted(table, key=order.index)
        }

    def confusion(self) -> metrics.Confusion:
        return metrics.confusion(
            ((o.exemplar.label.value, o.feedback.verdict.value) for o in self.outcomes),
            [v.value for v in Verdict],
        )

    def ranking(self) -> metrics.Ranking:
        return metrics.pairwise_ranking(
            ((o.pack, o.scenario), EXEMPLAR_RANKS.get(o.exemplar.label, 0), o.feedback.score)
            for o in self.outcomes
        )


def evaluate_exemplars(
    library: Library, scorer: Scorer, progress: Progress | None = None
) -> ExemplarReport:
    """Score every exemplar of every pack against its own scenario."""
    started = time.perf_counter()
    items = [
        (pack, scenario, exemplar)
        for pack, scenario in library.scenarios()
        for exemplar in scenario.exemplars
    ]
    requests = (ScoreRequest(e.reply, scenario=s) for _, s, e in items)
    outcomes = []
    for (pack, scenario, exemplar), feedback in zip(
        items, scorer.score_many(requests), strict=True
    ):
        outcomes.append(
            ExemplarOutcome(pack.id, scenario.id, scenario.statement, exemplar, feedback)
        )
        if progress is not None:
            progress(1)
    return ExemplarReport(outcomes, time.perf_counter() - started)


def exemplar_count(library: Library) -> int:
    return sum(len(s.exemplars) for _, s in library.scenarios())


# --------------------------------------------------------------------------- errors


@dataclass(frozen=True)
class Disagreement:
    """A group of rows where the engine and the labels part, worst first."""

    title: str
    outcomes: list[Outcome]
    focus: frozenset[Category] = frozenset()


def _by_score(o: Outcome) -> tuple[int, int]:
    return (-o.feedback.score, len(o.row.response))


def _by_flags(flags: frozenset[Category]) -> Callable[[Outcome], tuple[int, int]]:
    return lambda o: (-o.flags_in(flags), len(o.row.response))


def disagreements(report: DatasetReport, n: int) -> list[Disagreement]:
    """Up to `n` rows per kind of disagreement, worst first.

    Worst means the engine was most sure of its wrong answer: a miss it scored highest
    (it praised a reply people coded otherwise), a false alarm with the most flags of
    the category; among equals, the shortest reply first, as the plainest to read.
    """
    groups: list[Disagreement] = []
    outcomes = report.outcomes
    for m in report.mapping.measures:
        flags = frozenset(m.flags)
        missed = [o for o in outcomes if o.row.label in m.labels and not o.categories & flags]
        missed.sort(key=_by_score)
        alarms = [o for o in outcomes if o.row.label not in m.labels and o.categories & flags]
        alarms.sort(key=_by_flags(flags))
        groups.append(
            Disagreement(
                f"{m.name}: missed (labelled {' / '.join(m.labels)}, "
                f"no {' or '.join(m.flags)} flag)",
                missed[:n],
                flags,
            )
        )
        groups.append(
            Disagreement(
                f"{m.name}: false alarms (flagged {' or '.join(m.flags)}, labelled otherwise)",
                alarms[:n],
                flags,
            )
        )
    for check in report.mapping.verdict_checks:
        hits = [
            o
            for o in outcomes
            if o.row.label in check.labels and o.feedback.verdict in check.verdicts
        ]
        hits.sort(key=_by_score)
        groups.append(
            Disagreement(
                f"{check.name}: labelled {' / '.join(check.labels)}, "
                f"judged {' or '.join(check.verdicts)}",
                hits[:n],
            )
        )
    spec = report.mapping.classification
    if spec is not None:
        for cls in spec.classes:
            flags = frozenset(cls.flags)
            missed = [
                o
                for o in outcomes
                if gold_class(o.row.label, spec) == cls.name
                and classify(o.categories, spec) != cls.name
            ]
            missed.sort(key=_by_score)
            alarms = [
                o
                for o in outcomes
                if gold_class(o.row.label, spec) != cls.name
                and classify(o.categories, spec) == cls.name
            ]
            alarms.sort(key=_by_flags(flags))
            groups.append(Disagreement(f"{spec.name} {cls.name}: missed", missed[:n], flags))
            groups.append(Disagreement(f"{spec.name} {cls.name}: false alarms", alarms[:n], flags))
    for order in report.mapping.depth_orders:
        shallow = [o for o in outcomes if o.row.label in order.higher]
        shallow.sort(key=lambda o: (o.feedback.depth, len(o.row.response)))
        deep = [o for o in outcomes if o.row.label in order.lower]
        deep.sort(key=lambda o: (-o.feedback.depth, len(o.row.response)))
        groups.append(
            Disagreement(f"{order.name}: {' / '.join(order.higher)} judged shallowest", shallow[:n])
        )
        groups.append(
            Disagreement(f"{order.name}: {' / '.join(order.lower)} judged deepest", deep[:n])
        )
    return groups


@dataclass(frozen=True)
class RuleFiring:
    """How one rule behind a measure did: rows it fired on, and how many carried the label."""

    rule: str
    rows: int
    agreed: int

    @property
    def precision(self) -> float:
        return self.agreed / self.rows if self.rows else 0.0


def rule_firings(report: DatasetReport, measure: Measure) -> list[RuleFiring]:
    """Each rule that raised one of `measure`'s flags, most rows first.

    A rule that fires often on rows labelled otherwise is where false alarms come from;
    the figures are per rule, never per row, so rules are mended as patterns.
    """
    flags = set(measure.flags)
    fired: Counter[str] = Counter()
    agreed: Counter[str] = Counter()
    for o in report.outcomes:
        rules = {f.rule for f in o.feedback.flags if f.category in flags}
        fired.update(rules)
        if o.row.label in measure.labels:
            agreed.update(rules)
    return [RuleFiring(rule, n, agreed[rule]) for rule, n in fired.most_common()]


def exemplar_disagreements(report: ExemplarReport, n: int) -> list[ExemplarOutcome]:
    """Up to `n` exemplars judged otherwise than their authors labelled them.

    Worst first: an attuned label judged a roadblock (or the reverse) before a near miss
    between attuned and partly attuned.
    """

    def distance(o: ExemplarOutcome) -> tuple[int, str, str]:
        label, verdict = o.exemplar.label, o.feedback.verdict
        far = (label in ROADBLOCK_VERDICTS) != (verdict in ROADBLOCK_VERDICTS)
        return (0 if far else 1, o.pack, o.scenario)

    wrong = [o for o in report.outcomes if not o.right]
    wrong.sort(key=distance)
    return wrong[:n]


# --------------------------------------------------------------------------- JSON


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _bar_json(bar: Bar | None, passed: bool | None) -> dict[str, Any]:
    return {} if bar is None else {"bar": str(bar), "passed": passed}


def dataset_json(report: DatasetReport) -> dict[str, Any]:
    """Every figure of one data set, as plain JSON values."""
    out: dict[str, Any] = {
        "dataset": report.mapping.dataset,
        "file": str(report.path),
        "mapping": str(report.mapping_path),
        "rows": len(report.outcomes),
        "skipped": len(report.skipped),
        "skipped_lines": [{"line": s.line, "reason": s.reason} for s in report.skipped[:20]],
        "unknown_labels": dict(report.unknown_labels),
        "seconds": round(report.seconds, 2),
        "labels": dict(report.label_counts),
        "measures": {
            m.measure.name: {
                "labels": m.measure.labels,
                "flags": m.measure.flags,
                **m.counts.as_dict(),
                **_bar_json(m.measure.bar, m.passed),
            }
            for m in report.measures
        },
        "verdict_checks": {
            v.check.name: {
                "labels": v.check.labels,
                "verdicts": v.check.verdicts,
                "rows": v.rows,
                "hits": v.hits,
                "share": _r(v.share),
                **_bar_json(v.check.bar, v.passed),
            }
            for v in report.verdict_checks
        },
        "depth_orders": {
            d.order.name: {
                "higher": d.order.higher,
                "lower": d.order.lower,
                "higher_rows": len(d.higher),
                "lower_rows": len(d.lower),
                "higher_mean": _r(d.higher_mean),
                "lower_mean": _r(d.lower_mean),
                "difference": _r(d.difference),
                **_bar_json(d.order.bar, d.passed),
            }
            for d in report.depth_orders
        },
        "firing": report.firing(),
        "verdicts": {label: dict(c) for label, c in report.verdicts().items()},
    }
    if report.classification is not None:
        c = report.classification
        out["classification"] = {
            "name": c.spec.name,
            "precedence": c.spec.class_names,
            "rest": c.spec.rest,
            "per_class": {name: counts.as_dict() for name, counts in c.per_class.items()},
            "macro_f1": _r(c.macro_f1),
            "confusion": c.confusion.as_dict(),
            **_bar_json(c.spec.bar, c.passed),
        }
    if report.ranking is not None:
        out["ranking"] = {
            **report.ranking.ranking.as_dict(),
            **_bar_json(report.ranking.spec.bar, report.ranking.passed),
        }
    return out


def exemplar_json(report: ExemplarReport) -> dict[str, Any]:
    return {
        "exemplars": len(report.outcomes),
        "seconds": round(report.seconds, 2),
        "accuracy": _r(report.accuracy),
        "per_label": {
            label: {"exemplars": n, "agreed": right, "accuracy": _r(right / n if n else None)}
            for label, (n, right) in report.per_label().items()
        },
        "confusion": report.confusion().as_dict(),
        "ranking": report.ranking().as_dict(),
    }


def outcome_json(outcome: Outcome) -> dict[str, Any]:
    fb = outcome.feedback
    return {
        "id": outcome.row.id,
        "line": outcome.row.line,
        "label": outcome.row.label,
        "verdict": fb.verdict.value,
        "score": fb.score,
        "depth": fb.depth,
        "prompt": outcome.row.prompt,
        "response": outcome.row.response,
        "flags": [
            {
                "category": f.category.value,
                "start": f.start,
                "end": f.end,
                "text": f.text,
                "rule": f.rule,
            }
            for f in fb.flags
        ],
    }
