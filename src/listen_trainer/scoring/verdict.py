"""From findings to numbers: skills, score, verdict and depth. Pure functions.

Weights and thresholds come from the rubric's settings and category weights; this
module only says how they combine.
"""

from __future__ import annotations

from typing import NamedTuple

from listen_trainer.content.library import Rubric
from listen_trainer.content.models import ROADBLOCKS, Category, Verdict
from listen_trainer.scoring.analysis import LEARNED, Analysis


class Judgement(NamedTuple):
    """What a reply comes to: its skills, score, verdict, depth and roadblocks."""

    skills: dict[str, float]
    deeper: bool
    score: int
    verdict: Verdict
    depth: int
    roadblocks: tuple[Category, ...]  # heaviest first


# The verdict a reply gets when its heaviest roadblock decides it.
_ROADBLOCK_VERDICT = {category: Verdict(category.value) for category in ROADBLOCKS}
_DEEPER = frozenset({"underlying", "need"})
_HEARD = frozenset({"surface", "underlying", "need"})
_EXPLORING = frozenset({Category.EXPLORING, Category.CHECKING})
_CREDITED_SKILLS = ("reflect_feeling", "reflect_content", "validate", "explore", "presence")


def _skills(
    analysis: Analysis, cats: set[Category], penalty: float, rubric: Rubric
) -> tuple[dict[str, float], bool]:
    layers = {n.layer for n in analysis.namings}
    # What only the acts model heard counts as a stem does: heard, but in no words of theirs.
    learned = {f.category for f in analysis.findings if f.note == LEARNED}
    deeper = not _DEEPER.isdisjoint(layers)
    if not _HEARD.isdisjoint(layers):
        feeling = 1.0
    elif "other" in layers:
        feeling = 0.4  # a feeling named, but not the one they showed
    elif Category.REFLECTING_FEELING in learned:
        feeling = 0.5
    else:
        feeling = 0.0
    if analysis.content:
        content = 1.0
    elif analysis.stems or Category.REFLECTING_CONTENT in learned:
        content = 0.5
    else:
        content = 0.0
    if not _EXPLORING.isdisjoint(cats):
        explore = 1.0
    elif Category.CLOSED_QUESTION in cats:
        explore = 0.5
    else:
        explore = 0.0
    max_penalty = rubric.settings.max_penalty or 1.0
    return {
        "reflect_feeling": feeling,
        "reflect_content": content,
        "validate": 1.0 if Category.VALIDATING in cats else 0.0,
        "explore": explore,
        "presence": 1.0 if Category.PRESENCE in cats else 0.0,
        "avoid_roadblocks": round(max(0.0, 1.0 - penalty / max_penalty), 3),
    }, deeper


def judge(analysis: Analysis, rubric: Rubric) -> Judgement:
    settings = rubric.settings
    weights = settings.weights
    cats = analysis.categories()
    found = cats & ROADBLOCKS
    # The verdict names a roadblock a rule found before one only the acts model guessed.
    ruled = {f.category for f in analysis.findings if f.note != LEARNED}
    roadblocks = tuple(
        sorted(found, key=lambda c: (c not in ruled, -rubric.categories[c].weight, c.value))
    )
    penalty = min(settings.max_penalty, sum(rubric.categories[c].weight for c in roadblocks))
    skills, deeper = _skills(analysis, cats, penalty, rubric)
    # The base is for a reply that does some listening: one that hears nothing back
    # ("haha") must not outscore a thin one that tries ("I hear you").
    heard_any = any(skills[name] for name in _CREDITED_SKILLS) or deeper
    raw = (
        (settings.base_score if heard_any else 0)
        + weights.reflect_feeling * skills["reflect_feeling"]
        + weights.deeper_feeling * deeper
        + weights.reflect_content * skills["reflect_content"]
        + weights.validate_ * skills["validate"]
        + weights.explore * skills["explore"]
        + weights.presence * skills["presence"]
        - penalty
    )
    score = round(max(0.0, min(100.0, raw)))
    thresholds = settings.thresholds
    if roadblocks and score < thresholds.attuned:
        verdict = _ROADBLOCK_VERDICT[roadblocks[0]]
    elif roadblocks or thresholds.partly_attuned <= score < thresholds.attuned:
        # A strong reply with one slip is partly attuned, never attuned.
        verdict = Verdict.PARTLY_ATTUNED
    elif score >= thresholds.attuned:
        verdict = Verdict.ATTUNED
    else:
        verdict = Verdict.MISSED  # heard nothing back, blocked nothing
    return Judgement(skills, deeper, score, verdict, _depth(verdict, skills, deeper), roadblocks)


def _depth(verdict: Verdict, skills: dict[str, float], deeper: bool) -> int:
    """Carkhuff's scale: 1 roadblock or nothing heard, 2 content or a near miss, 3 the
    surface feeling, 4 the feeling or need beneath, 5 that with validation and presence."""
    if verdict not in (Verdict.ATTUNED, Verdict.PARTLY_ATTUNED):
        return 1
    if deeper:
        return 5 if skills["validate"] and skills["presence"] else 4
    if skills["reflect_feeling"] >= 1.0:
        return 3
    return 2
