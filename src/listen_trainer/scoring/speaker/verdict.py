"""From a statement's findings to skills, score, verdict and depth. Pure functions.

Weights and thresholds are the rubric's (rubrics/speaker/); this module only says how
they combine. The heaviest cost names a harsh statement; a statement without one is soft
when it owns a feeling or a need and asks for something (or, asking for space, reassures),
and hinting when it says neither feeling, need nor wish.
"""

from __future__ import annotations

from typing import NamedTuple

from listen_trainer.content.speaker_library import SpeakerRubric
from listen_trainer.content.speaker_models import SpeakerCategory, SpeakerVerdict
from listen_trainer.scoring.speaker.findings import SpeakerAnalysis

C = SpeakerCategory
COST_VERDICT = {
    C.CONTEMPT: SpeakerVerdict.CONTEMPT,
    C.CRITICISM: SpeakerVerdict.CRITICISING,
    C.BLAME: SpeakerVerdict.BLAMING,
    C.FAUX_FEELING: SpeakerVerdict.BLAMING,
    C.DEMAND: SpeakerVerdict.DEMANDING,
    C.HINTING: SpeakerVerdict.HINTING,
}
# What a plain feeling scores beside a vulnerable one, and "when you..." beside a time.
OTHER_FEELING = 0.6
WHEN_ONLY = 0.5
SPACE_ASKED = 0.7


class SpeakerJudgement(NamedTuple):
    skills: dict[str, float]
    score: int
    verdict: SpeakerVerdict
    depth: int
    costs: tuple[SpeakerCategory, ...]  # heaviest first


def skills_of(analysis: SpeakerAnalysis, rubric: SpeakerRubric) -> dict[str, float]:
    cats = analysis.categories()
    if analysis.timed:
        observe = 1.0
    elif C.OBSERVATION in cats:
        observe = WHEN_ONLY
    else:
        observe = 0.0
    if C.VULNERABLE_FEELING in cats:
        feel = 1.0
    elif C.FEELING in cats:
        feel = OTHER_FEELING
    else:
        feel = 0.0
    penalty = sum(rubric.categories[c].weight for c in analysis.costs())
    need = 1.0 if C.NEED in cats else 0.0
    reassure = 1.0 if C.REASSURANCE in cats else 0.0
    # Asking for space is the need said with reassurance: that is its request.
    request = max(analysis.request, SPACE_ASKED * need * reassure)
    return {
        "observe": observe,
        "feel": feel,
        "need": need,
        "request": request,
        "reassure": reassure,
        "avoid_harshness": max(0.0, 1.0 - penalty / 100),
    }


def _score(skills: dict[str, float], penalty: float, rubric: SpeakerRubric) -> int:
    settings = rubric.settings
    w = settings.weights
    gained = (
        w.observation * skills["observe"]
        + w.feeling * min(1.0, skills["feel"] / OTHER_FEELING if skills["feel"] else 0.0)
        + w.vulnerable_feeling * (skills["feel"] == 1.0)
        + w.need * skills["need"]
        + w.request * skills["request"]
        + w.reassurance * skills["reassure"]
    )
    return round(max(0.0, min(100.0, settings.base_score + gained - penalty)))


def judge(analysis: SpeakerAnalysis, rubric: SpeakerRubric) -> SpeakerJudgement:
    skills = skills_of(analysis, rubric)
    weights = {c: rubric.categories[c].weight for c in analysis.costs()}
    costs = tuple(sorted(weights, key=lambda c: (-weights[c], c.value)))
    penalty = sum(weights.values())
    score = _score(skills, penalty, rubric)
    verdict = _verdict(skills, costs, penalty, score, rubric)
    return SpeakerJudgement(skills, score, verdict, _depth(verdict, skills), costs)


def _verdict(
    skills: dict[str, float],
    costs: tuple[SpeakerCategory, ...],
    penalty: float,
    score: int,
    rubric: SpeakerRubric,
) -> SpeakerVerdict:
    thresholds = rubric.settings.thresholds
    # A need owned as a feeling is: said with a feeling, or (asking for space) with
    # reassurance.
    owns = skills["feel"] > 0 or (skills["need"] > 0 and skills["reassure"] > 0)
    asks = skills["request"] > 0
    if costs:
        if penalty <= thresholds.forgiven_cost and owns and asks:
            return SpeakerVerdict.PARTLY_SOFT
        return COST_VERDICT[costs[0]]
    if not any(skills[k] for k in ("observe", "feel", "need", "request", "reassure")):
        # Nothing said of what happened, what is felt or wanted: they are left to guess.
        return SpeakerVerdict.HINTING
    if owns and asks and score >= thresholds.soft_startup:
        return SpeakerVerdict.SOFT_STARTUP
    return SpeakerVerdict.PARTLY_SOFT


def _depth(verdict: SpeakerVerdict, skills: dict[str, float]) -> int:
    """How soft, 1 to 5: contempt 1, other harshness 2, partly soft or hinting 3, soft 4,
    and 5 for a soft start-up that says the vulnerable feeling, the need and a request."""
    if verdict is SpeakerVerdict.CONTEMPT:
        return 1
    if verdict in (SpeakerVerdict.CRITICISING, SpeakerVerdict.BLAMING, SpeakerVerdict.DEMANDING):
        return 2
    if verdict is not SpeakerVerdict.SOFT_STARTUP:
        return 3
    deepest = skills["feel"] == 1.0 and skills["need"] == 1.0 and skills["request"] > 0
    return 5 if deepest else 4
