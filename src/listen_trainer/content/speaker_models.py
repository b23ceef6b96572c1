"""Pydantic models for the speaker's side: how to say a hard thing so it can be heard.

The listener's packs hold statements to answer; a speaker pack holds situations and the
harsh first version a learner would be tempted to say, to be said again softly. Its
rubric (rubrics/speaker/) names the ways a start-up turns harsh (criticism, contempt,
blame, hinting, demands) and what makes it soft (an observation, a feeling, a need, a
request, reassurance), each rule with replies it must flag and near-misses it must pass.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from listen_trainer.content.models import (
    ID_PATTERN,
    MAX_PATTERN_TOKENS,
    Feelings,
    Id,
    LongText,
    ShortText,
    Strict,
    _check_token,
)
from listen_trainer.content.speaker_kinds import (
    SPEAKER_COSTS,
    Drill,
    Side,
    SpeakerCategory,
    SpeakerVerdict,
    To,
)

# --------------------------------------------------------------------------- scenarios


class SpeakerExemplar(Strict):
    """A statement written by the pack's author, with the verdict the author expects."""

    reply: Annotated[str, Field(min_length=1, max_length=1500)]
    label: SpeakerVerdict
    note: ShortText | None = None


class SpeakerScenario(Strict):
    """A moment to speak up in: what happened, the harsh version, what lies beneath."""

    id: Id
    situation: Annotated[str, Field(min_length=1, max_length=1000)]
    to: To
    harsh: Annotated[str, Field(min_length=1, max_length=1000)]
    feelings: Feelings
    needs: list[str] = Field(default_factory=list)
    drill: Drill
    difficulty: Literal[1, 2, 3]
    tags: list[Annotated[str, Field(pattern=ID_PATTERN)]] = Field(default_factory=list)
    teaching_note: LongText
    exemplars: list[SpeakerExemplar] = Field(min_length=1)

    def best_exemplar(self) -> SpeakerExemplar | None:
        """The soft exemplar to show as a model statement: the longest."""
        soft = [e for e in self.exemplars if e.label is SpeakerVerdict.SOFT_STARTUP]
        return max(soft, key=lambda e: len(e.reply)) if soft else None


class SpeakerPack(Strict):
    id: Id
    title: ShortText
    side: Literal["speaker"]
    description: LongText
    scenarios: list[SpeakerScenario] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> SpeakerPack:
        seen: set[str] = set()
        for index, scenario in enumerate(self.scenarios):
            if scenario.id in seen:
                raise ValueError(
                    f"scenarios[{index}].id: {scenario.id!r} is used twice in this pack"
                )
            seen.add(scenario.id)
        return self


# --------------------------------------------------------------------------- rubric


__all__ = [
    "SPEAKER_COSTS",
    "SPEAKER_RUBRIC_KINDS",
    "Drill",
    "Side",
    "SpeakerCategory",
    "SpeakerPack",
    "SpeakerScenario",
    "SpeakerVerdict",
    "To",
]


class RuleExamples(Strict):
    """Statements a rule must flag, and near-misses it must pass (run by a test)."""

    flag: list[Annotated[str, Field(min_length=1, max_length=400)]] = Field(min_length=1)
    # A near-miss is what teaches where a phrase family ends; every rule has at least one.
    pass_: list[Annotated[str, Field(min_length=1, max_length=400)]] = Field(
        alias="pass", min_length=1
    )


class SpeakerRule(Strict):
    """One way of finding a category in a statement: phrases (matched on LOWER) or token
    patterns (spaCy Matcher syntax, the listener rubric's subset)."""

    id: Id
    category: SpeakerCategory
    phrases: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(default_factory=list)
    patterns: list[list[dict]] = Field(default_factory=list)
    negation: Literal["cancel", "ignore"] = Field(
        default="cancel",
        description="cancel: a negator just before the match drops it (\"you're not "
        'selfish"); ignore: the rule holds its own "not" ("you never").',
    )
    sentence: Literal["any", "question", "statement"] = "any"
    unless_after: list[str] = Field(
        default_factory=list,
        description='Drop a match right after one of these words: "when you always" '
        "opens no complaint of its own.",
    )
    message: ShortText
    examples: RuleExamples

    @model_validator(mode="after")
    def _shape(self) -> SpeakerRule:
        if not self.phrases and not self.patterns:
            raise ValueError("a rule needs 'phrases' or 'patterns'")
        for p_index, pattern in enumerate(self.patterns):
            if not pattern or len(pattern) > MAX_PATTERN_TOKENS:
                raise ValueError(
                    f"patterns[{p_index}]: expected 1 to {MAX_PATTERN_TOKENS} tokens, "
                    f"got {len(pattern)}"
                )
            for t_index, token in enumerate(pattern):
                check_speaker_token(token, f"patterns[{p_index}][{t_index}]")
        return self


def check_speaker_token(token: object, where: str) -> None:
    """A listener rubric's token, or one that also asks `_: {need: true}` (a word of the
    lexicon's needs, which only the speaker's rubric reads in its patterns)."""
    if isinstance(token, dict) and isinstance(token.get("_"), dict) and "need" in token["_"]:
        extension = {k: v for k, v in token["_"].items() if k != "need"}
        token = {k: v for k, v in token.items() if k != "_"} | (
            {"_": extension} if extension else {}
        )
        if not token:
            return
    _check_token(token, where)


class SpeakerCategoryInfo(Strict):
    """What a category is, why it lands as it does, what to try instead."""

    name: SpeakerCategory
    label: ShortText
    weight: Annotated[float, Field(ge=0, le=100)]
    what: ShortText
    why: ShortText
    instead: ShortText
    example: ShortText
    colour: Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")]


class SpeakerWeights(Strict):
    """Points each credit adds to the base score."""

    observation: float = Field(ge=0)
    feeling: float = Field(ge=0)
    vulnerable_feeling: float = Field(ge=0)
    need: float = Field(ge=0)
    request: float = Field(ge=0)
    reassurance: float = Field(ge=0)


class SpeakerThresholds(Strict):
    soft_startup: int = Field(ge=0, le=100)
    partly_soft: int = Field(ge=0, le=100)
    # A statement whose costs weigh at most this, and that has a feeling and a request,
    # is called partly soft rather than by its cost.
    forgiven_cost: float = Field(ge=0, le=100)


class SpeakerTemplates(Strict):
    """The parts of a rewrite the engine puts together from what the statement lacks."""

    observation: ShortText
    feeling: ShortText
    need: ShortText
    request: ShortText
    reassurance: ShortText


class SpeakerSettings(Strict):
    base_score: float = Field(ge=0, le=100)
    weights: SpeakerWeights
    thresholds: SpeakerThresholds
    negators: list[str] = Field(min_length=1)
    negation_window: int = Field(ge=0, le=8)
    feeling_verbs: list[str] = Field(
        min_length=1, description='Words that put the speaker\'s own feeling ("feel", "am").'
    )
    max_chars: int = Field(ge=100, le=100_000)
    need_phrases: dict[str, ShortText] = Field(
        default_factory=dict,
        description='Each lexicon need as a rewrite says it after "I want" '
        '("matter": "to know I matter to you").',
    )
    skill_tips: dict[str, ShortText]
    templates: SpeakerTemplates
    non_statement: ShortText
    truncated: ShortText


class SpeakerCategoryFile(Strict):
    speaker_categories: list[SpeakerCategoryInfo]

    @model_validator(mode="after")
    def _all_once(self) -> SpeakerCategoryFile:
        names = [c.name for c in self.speaker_categories]
        missing = set(SpeakerCategory) - set(names)
        if missing:
            raise ValueError(f"speaker_categories missing: {', '.join(sorted(missing))}")
        if len(names) != len(set(names)):
            raise ValueError("a speaker category is defined twice")
        return self


class SpeakerSettingsFile(Strict):
    speaker_settings: SpeakerSettings


class SpeakerRuleFile(Strict):
    speaker_rules: list[SpeakerRule] = Field(min_length=1)


# A speaker rubric file is told by its one top-level key, as the listener's files are.
SPEAKER_RUBRIC_KINDS: dict[str, type[Strict]] = {
    "speaker_categories": SpeakerCategoryFile,
    "speaker_settings": SpeakerSettingsFile,
    "speaker_rules": SpeakerRuleFile,
}
