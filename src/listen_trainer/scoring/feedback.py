"""The engine's answer for one reply: what the faces show, store and export.

`Feedback` is a pydantic model so that JSON output, the history store and the TUI all
share one validated shape; its field names are the public JSON keys.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from listen_trainer.content.models import Category, Verdict
from listen_trainer.content.speaker_kinds import Side, SpeakerCategory, SpeakerVerdict


class Flag(BaseModel):
    """One finding: a span of the reply, the category it shows and what to make of it."""

    model_config = ConfigDict(frozen=True)

    category: Category | SpeakerCategory
    start: int = Field(ge=0, description="character offset in the reply, inclusive")
    end: int = Field(ge=0, description="character offset in the reply, exclusive")
    text: str
    rule: str = Field(description="the rubric rule (or engine check) that found it")
    message: str = Field(description="what it is, why it lands as it does, what to try")


class Skills(BaseModel):
    """Each listening skill, 0 (absent) to 1 (fully shown)."""

    reflect_feeling: float = Field(ge=0, le=1)
    reflect_content: float = Field(ge=0, le=1)
    validate_: float = Field(ge=0, le=1, alias="validate", serialization_alias="validate")
    explore: float = Field(ge=0, le=1)
    presence: float = Field(ge=0, le=1)
    avoid_roadblocks: float = Field(ge=0, le=1)

    model_config = ConfigDict(frozen=True, populate_by_name=True, serialize_by_alias=True)

    def as_dict(self) -> dict[str, float]:
        return self.model_dump(by_alias=True)


class SpeakerSkills(BaseModel):
    """Each speaking skill, 0 (absent) to 1 (fully shown)."""

    observe: float = Field(ge=0, le=1, description="what happened, specific in time and place")
    feel: float = Field(ge=0, le=1, description="a feeling of one's own, most a vulnerable one")
    need: float = Field(ge=0, le=1, description="the need or longing beneath")
    request: float = Field(ge=0, le=1, description="a positive, doable, specific request")
    reassure: float = Field(ge=0, le=1, description="reassurance, when asking for space")
    avoid_harshness: float = Field(ge=0, le=1)

    model_config = ConfigDict(frozen=True)

    def as_dict(self) -> dict[str, float]:
        return self.model_dump()


class Heard(BaseModel):
    """What the engine took the speaker to feel and need, and what the reply met of it."""

    model_config = ConfigDict(frozen=True)

    surface: list[str] = Field(description="feeling families said or shown")
    underlying: list[str] = Field(description="vulnerable families or needs beneath")
    named_surface: list[str] = Field(description="surface families the reply named")
    named_underlying: list[str] = Field(description="underlying families/needs it named")
    content_touched: list[str] = Field(description="words of what happened it touched")


class Feedback(BaseModel):
    model_config = ConfigDict(frozen=True)

    score: int = Field(ge=0, le=100)
    verdict: Verdict | SpeakerVerdict
    depth: int = Field(
        ge=1, le=5, description="Carkhuff's empathy scale, 1 to 5 (a speaker's: how soft)"
    )
    skills: Skills | SpeakerSkills
    flags: list[Flag]
    suggestions: list[str]
    rewrite: str
    model_reply: str | None = None
    heard: Heard
    safety: str | None = Field(default=None, description="set when the statement shows risk")
    truncated: bool = Field(
        default=False,
        description="the reply was longer than the engine reads; only its start was scored",
    )
    engine_version: str
    side: Side = Field(
        default=Side.LISTENER,
        description="whose skill was scored: a listener's reply or a speaker's statement",
    )

    def flags_of(self, category: Category | SpeakerCategory) -> list[Flag]:
        return [f for f in self.flags if f.category is category]


def values_json(values: dict[str, Any]) -> str:
    """A Feedback's JSON text, from its values as `Feedback.model_dump(mode="json")` lays
    them out: `json.dumps(values)`, ASCII only, so that a lone surrogate (from a "\\ud800"
    escape in the input) stays valid JSON, with ", " and ": " between items."""
    return json.dumps(values)
