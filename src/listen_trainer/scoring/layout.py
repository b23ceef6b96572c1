"""A reply's Feedback laid out as plain values, as `Feedback.model_dump(mode="json")`
lays them out: every field, in the model's order, under its JSON name, enums as their
values. So the Feedback is `Feedback.model_validate(values)`, and its JSON
`json.dumps(values)` without building the model (tests/test_feedback_json.py holds the
two to each other)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from spacy.tokens import Doc

from listen_trainer.scoring.analysis import Analysis, Finding
from listen_trainer.scoring.hearing import Target
from listen_trainer.scoring.text_clean import without_surrogates
from listen_trainer.scoring.verdict import Judgement

SKILL_ORDER = (
    "reflect_feeling",
    "reflect_content",
    "validate",
    "explore",
    "presence",
    "avoid_roadblocks",
)


def char_span(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """The character offsets of tokens `start` to `end` (exclusive), as `doc[start:end]`
    gives them, without making the Span."""
    if not 0 <= start <= end <= len(doc):
        span = doc[start:end]
        return span.start_char, span.end_char
    start_char = doc[start].idx if start < len(doc) else len(doc.text)
    if end <= start:
        return start_char, start_char
    last = doc[end - 1]
    return start_char, last.idx + len(last)


def flag_values(
    doc: Doc, reply: str, analysis: Analysis, message: Callable[[Finding], str]
) -> list[dict[str, Any]]:
    """Flags (as the values of Flag's fields) with offsets into the cleaned text, which
    are offsets into the reply, and the text as the learner typed it."""
    flags = []
    for finding in analysis.findings:
        start, end = char_span(doc, finding.start, finding.end)
        flags.append(
            {
                "category": finding.category.value,
                "start": start,
                "end": end,
                "text": without_surrogates(reply[start:end]),
                "rule": finding.rule,
                "message": message(finding),
            }
        )
    return flags


def heard_values(analysis: Analysis, target: Target) -> dict[str, list[str]]:
    """What the speaker felt and needed, and which of it the reply named or touched."""
    return {
        "surface": sorted(target.surface),
        "underlying": sorted(target.underlying | target.needs),
        "named_surface": sorted({n.name for n in analysis.namings if n.layer == "surface"}),
        "named_underlying": sorted(
            {n.name for n in analysis.namings if n.layer in ("underlying", "need")}
        ),
        "content_touched": sorted(set(analysis.content)),
    }


def feedback_values(
    judgement: Judgement,
    flags: list[dict[str, Any]],
    heard: dict[str, list[str]],
    *,
    suggestions: list[str],
    rewrite: str,
    model_reply: str | None,
    safety: str | None,
    truncated: bool,
    engine_version: str,
) -> dict[str, Any]:
    """The Feedback's fields, in the model's order."""
    return {
        "score": int(judgement.score),
        "verdict": judgement.verdict.value,
        "depth": int(judgement.depth),
        "skills": {name: float(judgement.skills[name]) for name in SKILL_ORDER},
        "flags": flags,
        "suggestions": suggestions,
        "rewrite": rewrite,
        "model_reply": model_reply,
        "heard": heard,
        "safety": safety,
        "truncated": truncated,
        "engine_version": engine_version,
        "side": "listener",
    }
