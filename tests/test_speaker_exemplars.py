"""The speaker pack's exemplars carry the verdicts their author gave them, written before
the speaker's rules were tuned: the engine must agree on at least 95% of them, and on
every label at least most of the time. Run with -s for the figures (docs/quality.md)."""

from __future__ import annotations

from collections import Counter

from listen_trainer.content.speaker_models import SpeakerVerdict
from speaker_fixtures import speaker_library, speaker_rubric, speaker_scorer  # noqa: F401

OVERALL_FLOOR = 0.95
LABEL_FLOOR = 0.85


def test_speaker_exemplars_get_their_authors_verdicts(speaker_library, speaker_scorer) -> None:  # noqa: F811
    items = [(s, e) for _, s in speaker_library.scenarios() for e in s.exemplars]
    assert len(items) >= 42 * 6
    results = speaker_scorer.score_many((e.reply, s) for s, e in items)
    total: Counter[SpeakerVerdict] = Counter()
    agreed: Counter[SpeakerVerdict] = Counter()
    for (_, exemplar), feedback in zip(items, results, strict=True):
        total[exemplar.label] += 1
        agreed[exemplar.label] += feedback.verdict is exemplar.label
    for label in sorted(total, key=lambda v: v.value):
        print(f"{label.value:<14}{agreed[label]:>5}{total[label]:>5}")
    overall = sum(agreed.values()) / sum(total.values())
    assert overall >= OVERALL_FLOOR
    for label, count in total.items():
        assert agreed[label] / count >= LABEL_FLOOR, f"{label.value}: {agreed[label]}/{count}"


def test_the_pack_drills_every_side_of_speaking(speaker_library) -> None:  # noqa: F811
    scenarios = [s for _, s in speaker_library.scenarios()]
    assert len(scenarios) >= 42
    assert {s.drill.value for s in scenarios} == {"soften", "reach_out", "space"}
    for scenario in scenarios:
        assert len(scenario.exemplars) >= 6
        assert scenario.best_exemplar() is not None
