"""Agreement on acts: what a reply does, as the engine's flags say and as people labelled.

Each act is a yes/no question asked of every row, once per annotator: gold when that
annotator listed the act, predicted when the engine raised any flag of the act's
categories (the `none` act when no other act was predicted). With two annotators their
own agreement is computed beside the engine's (F1 of one against the other, and Cohen's
kappa): it is the most the engine can be asked to reach. Rows that carry a `verdict` are
also checked against the engine's verdict.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from listen_trainer.content.models import Category, Verdict
from listen_trainer.evaluation import metrics
from listen_trainer.evaluation.act_rows import ActRow
from listen_trainer.evaluation.mapping import Acts, EvalMapping
from listen_trainer.evaluation.runner import BarLine, Progress, Skipped, half_of, score_rows
from listen_trainer.scoring import Feedback, Scorer

HALVES = ("A", "B")


@dataclass(frozen=True)
class ActOutcome:
    """One row, what the engine said of it, and the acts that reads as."""

    row: ActRow
    feedback: Feedback
    categories: frozenset[Category]
    predicted: frozenset[str]

    def flags_in(self, categories: frozenset[Category]) -> int:
        return sum(1 for f in self.feedback.flags if f.category in categories)


def predicted_acts(categories: frozenset[Category], spec: Acts) -> frozenset[str]:
    """The acts whose flags fired; the `none` act when none did."""
    found = {act.name for act in spec.items if categories & set(act.flags)}
    if not found and spec.none is not None:
        found.add(spec.none)
    return frozenset(found)


@dataclass(frozen=True)
class ActFigures:
    """Per-act counts over one set of rows: the engine against each annotator, and the
    annotators against each other (the first as gold; F1 and kappa do not care which)."""

    acts: tuple[str, ...]
    annotators: tuple[str, ...]
    rows: int
    engine: dict[str, dict[str, metrics.Counts]]  # annotator -> act -> counts
    between: dict[str, metrics.Counts] | None  # act -> counts; None with one annotator
    predicted: dict[str, int]  # act -> rows the engine found it in

    def mean_f1(self, annotator: str) -> float | None:
        return metrics.mean(self.engine[annotator][act].f1 for act in self.acts)

    def kappa(self, act: str) -> float | None:
        return None if self.between is None else metrics.kappa(self.between[act])

    def annotators_f1(self, act: str) -> float | None:
        return None if self.between is None else self.between[act].f1

    def annotators_mean_f1(self) -> float | None:
        if self.between is None:
            return None
        return metrics.mean(self.between[act].f1 for act in self.acts)

    def annotators_mean_kappa(self) -> float | None:
        kappas = [k for k in (self.kappa(act) for act in self.acts) if k is not None]
        return metrics.mean(kappas)


def act_figures(
    outcomes: Sequence[ActOutcome], acts: Sequence[str], annotators: Sequence[str]
) -> ActFigures:
    engine = {
        who: metrics.per_category(((o.row.acts[who], o.predicted) for o in outcomes), acts)
        for who in annotators
    }
    between = None
    if len(annotators) == 2:
        first, second = annotators
        between = metrics.per_category(
            ((o.row.acts[first], o.row.acts[second]) for o in outcomes), acts
        )
    predicted = {act: sum(1 for o in outcomes if act in o.predicted) for act in acts}
    return ActFigures(tuple(acts), tuple(annotators), len(outcomes), engine, between, predicted)


@dataclass(frozen=True)
class VerdictAgreement:
    """The rows that carry a verdict: how many the engine called the same."""

    rows: int
    agreed: int
    confusion: metrics.Confusion

    @property
    def share(self) -> float | None:
        return self.agreed / self.rows if self.rows else None


def verdict_agreement(outcomes: Sequence[ActOutcome]) -> VerdictAgreement | None:
    judged = [
        (o.row.verdict, o.feedback.verdict.value) for o in outcomes if o.row.verdict is not None
    ]
    if not judged:
        return None
    return VerdictAgreement(
        rows=len(judged),
        agreed=sum(1 for gold, said in judged if gold == said),
        confusion=metrics.confusion(judged, [v.value for v in Verdict]),
    )


@dataclass
class ActsReport:
    path: Path
    mapping_path: Path
    mapping: EvalMapping
    outcomes: list[ActOutcome]
    skipped: list[Skipped]
    seconds: float
    half: str | None = None
    annotators: tuple[str, ...] = ()
    figures: ActFigures | None = None
    halves: dict[str, ActFigures] = field(default_factory=dict)
    verdicts: VerdictAgreement | None = None

    @property
    def spec(self) -> Acts:
        assert self.mapping.acts is not None
        return self.mapping.acts

    def act_passed(self, figures: ActFigures, act: str) -> dict[str, bool] | None:
        """For each annotator, whether the act's F1 against them meets the bar."""
        bar = self.spec.bar
        if bar is None:
            return None
        return {who: bar.met(figures.engine[who][act].f1) for who in figures.annotators}

    def mean_passed(self, figures: ActFigures) -> dict[str, bool] | None:
        bar = self.spec.mean_bar
        if bar is None:
            return None
        return {who: bar.met(figures.mean_f1(who)) for who in figures.annotators}

    def bars(self) -> list[BarLine]:
        """Every act against every annotator, then the mean against each, over all rows."""
        figures = self.figures
        if figures is None or not figures.rows:
            return []
        lines: list[BarLine] = []
        bar, mean_bar = self.spec.bar, self.spec.mean_bar
        for act in figures.acts if bar is not None else ():
            for who in figures.annotators:
                f1 = figures.engine[who][act].f1
                lines.append(BarLine(f"{act} vs {who}", "F1", f1, bar, bar.met(f1)))
        for who in figures.annotators if mean_bar is not None else ():
            value = figures.mean_f1(who)
            lines.append(BarLine(f"mean vs {who}", "mean F1", value, mean_bar, mean_bar.met(value)))
        return lines


def evaluate_act_rows(
    path: Path,
    found: Sequence[ActRow],
    skipped: Sequence[Skipped],
    mapping: EvalMapping,
    mapping_path: Path,
    scorer: Scorer,
    progress: Progress | None = None,
    half: str | None = None,
) -> ActsReport:
    """Score act rows and compute every figure: over all rows, and per half when the
    rows were not already cut to one half (`half`)."""
    assert mapping.acts is not None
    spec = mapping.acts
    started = time.perf_counter()
    outcomes = []
    for row, feedback in zip(found, score_rows(scorer, found, progress), strict=True):
        categories = frozenset(f.category for f in feedback.flags)
        outcomes.append(ActOutcome(row, feedback, categories, predicted_acts(categories, spec)))
    annotators = tuple(found[0].acts) if found else ()
    report = ActsReport(
        path=path,
        mapping_path=mapping_path,
        mapping=mapping,
        outcomes=outcomes,
        skipped=list(skipped),
        seconds=0.0,
        half=half,
        annotators=annotators,
        figures=act_figures(outcomes, spec.names, annotators),
        verdicts=verdict_agreement(outcomes),
    )
    if half is None:
        report.halves = {
            name: act_figures(
                [o for o in outcomes if half_of(o.row.id) == name], spec.names, annotators
            )
            for name in HALVES
        }
    report.seconds = time.perf_counter() - started
    return report


# --------------------------------------------------------------------------- errors


@dataclass(frozen=True)
class ActDisagreement:
    """Rows where the engine and the annotators part on one act, worst first."""

    act: str
    kind: str  # "missed" or "false alarms"
    title: str
    outcomes: list[ActOutcome]
    focus: frozenset[Category] = frozenset()


def _saying(outcome: ActOutcome, act: str) -> int:
    """How many annotators listed `act` for this row."""
    return sum(1 for found in outcome.row.acts.values() if act in found)


def act_disagreements(report: ActsReport, n: int) -> list[ActDisagreement]:
    """Up to `n` rows per act and kind, worst first.

    Worst means most annotators against the engine, then the engine most sure of itself:
    a miss it scored highest, a false alarm with the most flags of the act; among equals,
    the shortest reply first, as the plainest to read.
    """
    spec = report.spec
    whom = " or ".join(report.annotators)
    groups: list[ActDisagreement] = []
    flags_of = {act.name: frozenset(act.flags) for act in spec.items}
    for act in spec.names:
        flags = flags_of.get(act, frozenset())
        wanted = f"no {' or '.join(sorted(flags))} flag" if flags else "a flag of another act fired"
        said = "a flag of its categories" if flags else "no flag of any act"
        missed = [o for o in report.outcomes if _saying(o, act) and act not in o.predicted]
        missed.sort(key=lambda o: (-_saying(o, act), -o.feedback.score, len(o.row.response)))
        total = len(report.annotators)
        alarms = [o for o in report.outcomes if act in o.predicted and _saying(o, act) < total]
        alarms.sort(key=lambda o: (_saying(o, act), -o.flags_in(flags), len(o.row.response)))
        groups.append(
            ActDisagreement(
                act, "missed", f"{act}: missed ({whom} say {act}, {wanted})", missed[:n], flags
            )
        )
        groups.append(
            ActDisagreement(
                act,
                "false alarms",
                f"{act}: false alarms ({said}, not {act} to {whom})",
                alarms[:n],
                flags,
            )
        )
    return groups


@dataclass(frozen=True)
class ActRuleFiring:
    """One rule behind an act: the rows it fired on, and how many each annotator labelled
    with the act."""

    rule: str
    rows: int
    agreed: dict[str, int]


def act_rule_firings(report: ActsReport, act: str) -> list[ActRuleFiring]:
    """Each rule that raised one of the act's flags, most rows first (none for `none`)."""
    spec = next((a for a in report.spec.items if a.name == act), None)
    if spec is None:
        return []
    flags = set(spec.flags)
    fired: Counter[str] = Counter()
    agreed: dict[str, Counter[str]] = {who: Counter() for who in report.annotators}
    for o in report.outcomes:
        rules = {f.rule for f in o.feedback.flags if f.category in flags}
        fired.update(rules)
        for who, found in o.row.acts.items():
            if act in found:
                agreed[who].update(rules)
    return [
        ActRuleFiring(rule, count, {who: agreed[who][rule] for who in report.annotators})
        for rule, count in fired.most_common()
    ]


# --------------------------------------------------------------------------- JSON


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def figures_json(report: ActsReport, figures: ActFigures) -> dict[str, Any]:
    """Per act: the rows the engine found it in, its counts against each annotator
    (`vs`, keyed by the rows' field: acts_a, acts_b or acts), the annotators' own
    agreement, and the bar; then the mean F1 over the acts against each."""
    acts: dict[str, Any] = {}
    for act in figures.acts:
        item: dict[str, Any] = {
            "predicted": figures.predicted[act],
            "vs": {who: figures.engine[who][act].as_dict() for who in figures.annotators},
        }
        if figures.between is not None:
            pair = figures.between[act]
            item["annotators"] = {
                "f1": _r(pair.f1),
                "kappa": _r(metrics.kappa(pair)),
                "both": pair.tp,
                "either": pair.tp + pair.fp + pair.fn,
            }
        passed = report.act_passed(figures, act)
        if passed is not None:
            item["bar"] = str(report.spec.bar)
            item["passed"] = passed
        acts[act] = item
    mean: dict[str, Any] = {who: _r(figures.mean_f1(who)) for who in figures.annotators}
    if figures.between is not None:
        mean["annotators"] = _r(figures.annotators_mean_f1())
        mean["annotators_kappa"] = _r(figures.annotators_mean_kappa())
    out: dict[str, Any] = {"rows": figures.rows, "acts": acts, "mean_f1": mean}
    mean_passed = report.mean_passed(figures)
    if mean_passed is not None:
        out["mean_bar"] = str(report.spec.mean_bar)
        out["mean_passed"] = mean_passed
    return out


def acts_json(report: ActsReport) -> dict[str, Any]:
    """Every figure of one act data set, as plain JSON values."""
    assert report.figures is not None
    out: dict[str, Any] = {
        "dataset": report.mapping.dataset,
        "kind": "acts",
        "file": str(report.path),
        "mapping": str(report.mapping_path),
        "half": report.half,
        "annotators": list(report.annotators),
        "skipped": len(report.skipped),
        "skipped_lines": [{"line": s.line, "reason": s.reason} for s in report.skipped[:20]],
        "seconds": round(report.seconds, 2),
        **figures_json(report, report.figures),
    }
    if report.halves:
        out["halves"] = {name: figures_json(report, f) for name, f in report.halves.items()}
    if report.verdicts is not None:
        v = report.verdicts
        out["verdicts"] = {
            "rows": v.rows,
            "agreed": v.agreed,
            "share": _r(v.share),
            "confusion": v.confusion.as_dict(),
        }
    return out


def act_outcome_json(outcome: ActOutcome) -> dict[str, Any]:
    fb = outcome.feedback
    row = outcome.row
    return {
        "id": row.id,
        "line": row.line,
        "half": half_of(row.id),
        **{who: sorted(found) for who, found in row.acts.items()},
        "engine_acts": sorted(outcome.predicted),
        "label": row.label,
        "expected_verdict": row.verdict,
        "verdict": fb.verdict.value,
        "score": fb.score,
        "prompt": row.prompt,
        "response": row.response,
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
