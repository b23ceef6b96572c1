"""The packs' exemplar replies are the engine's regression tests: each carries the
verdict its author expects. Agreement is printed per label (run with -s to see it) and
recorded in docs/exemplars.md; the floors below are what the engine has reached, so a
rule change that loses ground fails here."""

from __future__ import annotations

from collections import Counter

from listen_trainer.content.models import Verdict
from listen_trainer.scoring import ScoreRequest

OVERALL_FLOOR = 0.93
# Attuned and placating must be told apart almost always: it is the product's promise.
LABEL_FLOORS = {Verdict.ATTUNED: 0.97, Verdict.PLACATING: 0.95, Verdict.PARTLY_ATTUNED: 0.9}
ROADBLOCK_FLOOR = 0.7


def test_exemplars_get_their_authors_verdicts(library, scorer) -> None:
    items = [(s, e) for _, s in library.scenarios() for e in s.exemplars]
    results = scorer.score_many(ScoreRequest(e.reply, scenario=s) for s, e in items)
    total: Counter[Verdict] = Counter()
    agreed: Counter[Verdict] = Counter()
    for (_, exemplar), feedback in zip(items, results, strict=True):
        total[exemplar.label] += 1
        agreed[exemplar.label] += feedback.verdict is exemplar.label
    print(f"\n{'label':<16}{'agree':>7}{'of':>6}{'share':>8}")
    for label in sorted(total, key=lambda v: v.value):
        print(
            f"{label.value:<16}{agreed[label]:>7}{total[label]:>6}"
            f"{agreed[label] / total[label]:>8.0%}"
        )
    overall = sum(agreed.values()) / sum(total.values())
    print(f"{'all':<16}{sum(agreed.values()):>7}{sum(total.values()):>6}{overall:>8.0%}")

    assert overall >= OVERALL_FLOOR
    for label, count in total.items():
        floor = LABEL_FLOORS.get(label, ROADBLOCK_FLOOR)
        assert agreed[label] / count >= floor, f"{label.value}: {agreed[label]}/{count}"


def test_every_attuned_exemplar_outscores_every_roadblock_of_its_scenario(library, scorer) -> None:
    crossed = []
    for _, scenario in library.scenarios():
        scores = {
            e.reply: scorer.score(e.reply, scenario=scenario).score for e in scenario.exemplars
        }
        attuned = [scores[e.reply] for e in scenario.exemplars if e.label is Verdict.ATTUNED]
        blocked = [
            scores[e.reply]
            for e in scenario.exemplars
            if e.label not in (Verdict.ATTUNED, Verdict.PARTLY_ATTUNED)
        ]
        if attuned and blocked and min(attuned) <= max(blocked):
            crossed.append(scenario.id)
    assert len(crossed) <= 0.05 * sum(1 for _ in library.scenarios()), crossed
