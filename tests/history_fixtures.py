"""Builders shared by the history, practice and progress-screen tests (no engine needed)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from listen_trainer.content.models import Category, Verdict
from listen_trainer.scoring.feedback import Feedback, Flag, Heard, Skills

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)

SKILL_NAMES = (
    "reflect_feeling",
    "reflect_content",
    "validate",
    "explore",
    "presence",
    "avoid_roadblocks",
)


def flag(
    category: Category,
    reply: str,
    text: str,
    *,
    message: str = "test flag",
    rule: str | None = None,
) -> Flag:
    """A flag over the first occurrence of `text` in `reply`."""
    start = reply.index(text)
    return Flag(
        category=category,
        start=start,
        end=start + len(text),
        text=text,
        rule=rule or f"test-{category.value}",
        message=message,
    )


def make_feedback(
    *,
    score: int = 50,
    verdict: Verdict = Verdict.PARTLY_ATTUNED,
    skills: dict[str, float] | None = None,
    flags: list[Flag] | None = None,
    named_surface: list[str] | None = None,
    named_underlying: list[str] | None = None,
    **extra: Any,
) -> Feedback:
    values = dict.fromkeys(SKILL_NAMES, 0.5)
    values.update(skills or {})
    return Feedback(
        score=score,
        verdict=verdict,
        depth=3,
        skills=Skills(**values),
        flags=flags or [],
        suggestions=["Name the feeling you hear."],
        rewrite="It sounds like you're hurt.",
        heard=Heard(
            surface=["angry"],
            underlying=["hurt"],
            named_surface=named_surface or [],
            named_underlying=named_underlying or [],
            content_touched=[],
        ),
        engine_version="test-1",
        **extra,
    )


def seed_profiles(*names: str) -> None:
    """One attempt for each learner in the history that `LISTEN_TRAINER_DATA_DIR` names."""
    from listen_trainer.store import History

    with History.open() as history:
        for name in names:
            history.record(
                profile=name,
                reply="It sounds hard.",
                feedback=make_feedback(),
                scenario_id=None,
                statement="I had a hard day.",
                rubric_version="test",
            )
