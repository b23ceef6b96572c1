"""How far the speaker's scorer agrees with the speaker packs' labelled exemplars.

The labels were written by the packs' author before the speaker's rules were tuned; the
bar is agreement on at least AGREEMENT_BAR of them.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from listen_trainer.content.speaker_library import SpeakerLibrary
from listen_trainer.content.speaker_models import SpeakerExemplar, SpeakerVerdict
from listen_trainer.evaluation import metrics
from listen_trainer.scoring.feedback import Feedback

AGREEMENT_BAR = 0.95
ORDER = [v.value for v in SpeakerVerdict]
_HARSH = frozenset(ORDER[2:])


@dataclass(frozen=True)
class SpeakerOutcome:
    pack: str
    scenario: str
    exemplar: SpeakerExemplar
    feedback: Feedback

    @property
    def right(self) -> bool:
        return self.feedback.verdict is self.exemplar.label


@dataclass
class SpeakerExemplarReport:
    outcomes: list[SpeakerOutcome]
    seconds: float

    @property
    def accuracy(self) -> float | None:
        return metrics.mean(1.0 if o.right else 0.0 for o in self.outcomes)

    @property
    def passed(self) -> bool:
        return self.accuracy is not None and self.accuracy >= AGREEMENT_BAR

    def per_label(self) -> dict[str, tuple[int, int]]:
        """For each label used: (exemplars, exemplars the engine agreed on)."""
        table: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for o in self.outcomes:
            table[o.exemplar.label.value][0] += 1
            table[o.exemplar.label.value][1] += int(o.right)
        return {label: (table[label][0], table[label][1]) for label in ORDER if label in table}

    def confusion(self) -> metrics.Confusion:
        return metrics.confusion(
            ((o.exemplar.label.value, o.feedback.verdict.value) for o in self.outcomes), ORDER
        )

    def disagreements(self, n: int) -> list[SpeakerOutcome]:
        """Up to `n` exemplars judged otherwise, worst first: soft taken for harsh (or the
        reverse) before a mix-up between two harsh verdicts or two soft ones."""

        def distance(o: SpeakerOutcome) -> tuple[int, str, str]:
            far = (o.exemplar.label.value in _HARSH) != (o.feedback.verdict.value in _HARSH)
            return (0 if far else 1, o.pack, o.scenario)

        return sorted((o for o in self.outcomes if not o.right), key=distance)[:n]


def evaluate_speaker_exemplars(
    library: SpeakerLibrary, scorer: Any, progress: Callable[[int], None] | None = None
) -> SpeakerExemplarReport:
    """Score every speaker exemplar against its own scenario."""
    started = time.perf_counter()
    items = [(p, s, e) for p, s in library.scenarios() for e in s.exemplars]
    outcomes = []
    scored = scorer.score_many((e.reply, s) for _, s, e in items)
    for (pack, scenario, exemplar), feedback in zip(items, scored, strict=True):
        outcomes.append(SpeakerOutcome(pack.id, scenario.id, exemplar, feedback))
        if progress is not None:
            progress(1)
    return SpeakerExemplarReport(outcomes, time.perf_counter() - started)


def speaker_exemplar_count(library: SpeakerLibrary) -> int:
    return sum(len(s.exemplars) for _, s in library.scenarios())


def speaker_exemplar_json(report: SpeakerExemplarReport, errors: int = 0) -> dict[str, Any]:
    accuracy = report.accuracy
    out: dict[str, Any] = {
        "exemplars": len(report.outcomes),
        "seconds": round(report.seconds, 2),
        "accuracy": None if accuracy is None else round(accuracy, 4),
        "bar": f"accuracy >= {AGREEMENT_BAR}",
        "passed": report.passed,
        "per_label": {
            label: {"exemplars": n, "agreed": right, "accuracy": round(right / n, 4)}
            for label, (n, right) in report.per_label().items()
        },
        "confusion": report.confusion().as_dict(),
    }
    if errors:
        out["errors"] = [
            {
                "pack": o.pack,
                "scenario": o.scenario,
                "label": o.exemplar.label.value,
                "verdict": o.feedback.verdict.value,
                "score": o.feedback.score,
                "statement": o.exemplar.reply,
            }
            for o in report.disagreements(errors)
        ]
    return out
