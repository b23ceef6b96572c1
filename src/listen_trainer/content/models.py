"""Pydantic models for everything listen-trainer reads from YAML: packs, rubrics, lexicon.

The models are strict (unknown keys are refused) so that a typo in a pack is reported
instead of silently ignored. Cross-file checks (feeling words that must exist in the
lexicon, rule categories that must be defined) live in `library.py`, which sees all files.
"""

from __future__ import annotations

import re
import string
from enum import StrEnum
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

ID_PATTERN = r"^[a-z0-9][a-z0-9_.-]*$"
Id = Annotated[str, Field(pattern=ID_PATTERN, max_length=80)]
ShortText = Annotated[str, Field(min_length=1, max_length=400)]
LongText = Annotated[str, Field(min_length=1, max_length=2000)]
# What a statement is, as the engine reads it (wording.kind_of): a hurt, good news, a worry
# about what is coming, or a complaint at the listener.
StatementKind = Literal["hurt", "news", "ahead", "complaint"]
STATEMENT_KINDS: tuple[str, ...] = get_args(StatementKind)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Category(StrEnum):
    """Every category the engine can flag. The names appear in JSON output."""

    FIXING = "fixing"
    MINIMISING = "minimising"
    DISMISSING = "dismissing"
    DEFLECTING = "deflecting"
    DEFENDING = "defending"
    PLACATING = "placating"
    INTERROGATING = "interrogating"
    JUDGING = "judging"
    REFLECTING_FEELING = "reflecting_feeling"
    REFLECTING_CONTENT = "reflecting_content"
    VALIDATING = "validating"
    EXPLORING = "exploring"
    PRESENCE = "presence"
    CHECKING = "checking"
    CLOSED_QUESTION = "closed_question"


ROADBLOCKS: frozenset[Category] = frozenset(
    {
        Category.FIXING,
        Category.MINIMISING,
        Category.DISMISSING,
        Category.DEFLECTING,
        Category.DEFENDING,
        Category.PLACATING,
        Category.INTERROGATING,
        Category.JUDGING,
    }
)


class Verdict(StrEnum):
    """What a whole reply is called: attuned, partly attuned, or its dominant roadblock."""

    ATTUNED = "attuned"
    PARTLY_ATTUNED = "partly_attuned"
    # Nothing of theirs came back and nothing blocked: not a roadblock, not yet listening.
    MISSED = "missed"
    FIXING = "fixing"
    MINIMISING = "minimising"
    DISMISSING = "dismissing"
    DEFLECTING = "deflecting"
    DEFENDING = "defending"
    PLACATING = "placating"
    INTERROGATING = "interrogating"
    JUDGING = "judging"


class Speaker(StrEnum):
    PARTNER = "partner"
    FRIEND = "friend"
    PARENT = "parent"
    CHILD = "child"
    SIBLING = "sibling"
    COLLEAGUE = "colleague"
    CLIENT = "client"


# --------------------------------------------------------------------------- scenarios


class Exemplar(Strict):
    """A reply written by the pack's author, with the verdict the author expects."""

    reply: Annotated[str, Field(min_length=1, max_length=1500)]
    label: Verdict
    note: ShortText | None = None


class Feelings(Strict):
    surface: list[Annotated[str, Field(min_length=1)]] = Field(min_length=1)
    underlying: list[Annotated[str, Field(min_length=1)]] = Field(default_factory=list)


class Scenario(Strict):
    id: Id
    statement: Annotated[str, Field(min_length=1, max_length=1000)]
    speaker: Speaker
    situation: ShortText
    feelings: Feelings
    needs: list[str] = Field(default_factory=list)
    key_content: list[Annotated[str, Field(min_length=1)]] = Field(min_length=1)
    gist: ShortText | None = Field(
        default=None,
        description="What happened, said back to the speaker in the second person; "
        "used when the engine rewrites a reply.",
    )
    difficulty: Literal[1, 2, 3]
    tags: list[Annotated[str, Field(pattern=ID_PATTERN)]] = Field(default_factory=list)
    sensitive: bool = False
    teaching_note: LongText
    exemplars: list[Exemplar] = Field(min_length=1)

    def best_exemplar(self) -> Exemplar | None:
        """The attuned exemplar to show as a model reply: the longest, as the deepest."""
        attuned = [e for e in self.exemplars if e.label is Verdict.ATTUNED]
        return max(attuned, key=lambda e: len(e.reply)) if attuned else None


class Pack(Strict):
    id: Id
    title: ShortText
    # Whose skill the pack drills; a speaker's pack (`side: speaker`) is a SpeakerPack
    # (content/speaker_models.py), told apart when the file is read.
    side: Literal["listener"] = "listener"
    description: LongText
    scenarios: list[Scenario] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> Pack:
        seen: set[str] = set()
        for index, scenario in enumerate(self.scenarios):
            if scenario.id in seen:
                raise ValueError(
                    f"scenarios[{index}].id: {scenario.id!r} is used twice in this pack"
                )
            seen.add(scenario.id)
        return self


# --------------------------------------------------------------------------- rubrics


class CategoryInfo(Strict):
    """What a category is, why it matters and what to try instead: the feedback text."""

    name: Category
    label: ShortText
    weight: Annotated[float, Field(ge=0, le=100)]
    what: ShortText
    why: ShortText
    instead: ShortText
    example: ShortText
    colour: Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")]


# Token attributes a rubric pattern may use. REGEX and FUZZY are left out on purpose:
# packs come from strangers, and a regular expression can be written to backtrack for
# hours. Everything the rubrics need is expressible with these.
# NORM and TAG are left out too: the engine uses them to carry `_.feeling` and
# `_.clause_start` natively (see scoring/pipeline.py).
ALLOWED_TOKEN_KEYS = frozenset(
    {
        "ORTH",
        "TEXT",
        "LOWER",
        "LEMMA",
        "IS_SENT_START",
        "IS_PUNCT",
        "IS_ALPHA",
        "IS_DIGIT",
        "LIKE_NUM",
        "OP",
        "_",
    }
)
ALLOWED_VALUE_OPS = frozenset({"IN", "NOT_IN"})
TEXT_KEYS = frozenset({"ORTH", "TEXT", "LOWER", "LEMMA"})
ALLOWED_EXTENSIONS = frozenset({"clause_start", "feeling", "bare_verb", "verb_only"})
MAX_PATTERN_TOKENS = 16


def _check_token(token: Any, where: str) -> None:
    if not isinstance(token, dict) or not token:
        raise ValueError(f"{where}: expected a mapping of token attributes, got {token!r}")
    for key, value in token.items():
        if key not in ALLOWED_TOKEN_KEYS:
            raise ValueError(
                f"{where}: unknown token attribute {key!r}; expected one of "
                f"{', '.join(sorted(ALLOWED_TOKEN_KEYS))}"
            )
        if key == "_":
            if not isinstance(value, dict) or not set(value) <= ALLOWED_EXTENSIONS:
                raise ValueError(
                    f"{where}: '_' takes {', '.join(sorted(ALLOWED_EXTENSIONS))}, got {value!r}"
                )
        elif isinstance(value, dict):
            if not set(value) <= ALLOWED_VALUE_OPS:
                raise ValueError(f"{where}: {key} takes a value or IN/NOT_IN, got {value!r}")
            for items in value.values():
                if not isinstance(items, list):
                    raise ValueError(f"{where}: {key} IN/NOT_IN takes a list, got {items!r}")
                for item in items:
                    _check_value(key, item, where)
        elif key != "OP":
            _check_value(key, value, where)


def _check_value(key: str, value: Any, where: str) -> None:
    wants_text = key in TEXT_KEYS
    if wants_text and not isinstance(value, str):
        raise ValueError(
            f"{where}: {key} takes text, got {value!r} (YAML reads bare yes/no/on/off as "
            "true/false: put them in quotes)"
        )
    if not wants_text and not isinstance(value, bool):
        raise ValueError(f"{where}: {key} takes true or false, got {value!r}")


class RuleOptions(Strict):
    """The settings few rules need, kept under one key so a rule reads as what it finds."""

    negation: Literal["cancel", "flip", "ignore"] = Field(
        default="ignore",
        description="What a negator just before or inside a match does: ignore keeps the "
        'match (most rules, which hold their own "not"), cancel drops it, flip turns it '
        "into `flip_to`.",
    )
    flip_to: Category | None = None
    sentence: Literal["any", "question", "statement"] = "any"
    yields_to: list[Category] = Field(
        default_factory=list,
        description="Drop this match when one of these categories is found in the same "
        "sentence (a closed question that is really a check, say).",
    )
    unless_after: list[str] = Field(
        default_factory=list,
        description='Drop a match right after one of these words: "when you have to ask" '
        "is not advice.",
    )
    frames: list[Category] = Field(
        default_factory=list,
        description="Roadblocks of these categories later in the same sentence are said "
        'back, not said: in "it sounds like you have to provide for them" the "you have '
        "to\" is their duty, reflected, not the listener's advice.",
    )
    specific: bool = Field(
        default=False,
        description="A validation that says something specific (lifting blame), so it is "
        "never counted as hollow, even alone.",
    )
    answering: list[StatementKind] = Field(
        default_factory=list,
        description="Find this rule only in a reply to these kinds of statement (any when "
        'empty): "that\'s so unfair" sides with them about a boss, and argues back when the '
        "complaint is about the listener.",
    )

    @model_validator(mode="after")
    def _flip_has_target(self) -> RuleOptions:
        if self.negation == "flip" and self.flip_to is None:
            raise ValueError("negation: flip needs 'flip_to', the category a negated match is")
        return self


ReplyText = Annotated[str, Field(min_length=1, max_length=1500)]


class RuleExample(Strict):
    """A reply a rule is tested on, scored against `statement` (the file's
    `example_statement` when not given)."""

    reply: ReplyText
    statement: Annotated[str, Field(min_length=1, max_length=1000)] | None = None

    @model_validator(mode="before")
    @classmethod
    def _plain_reply(cls, data: Any) -> Any:
        # Most examples are a bare line of text; a mapping is only for its own statement.
        return {"reply": data} if isinstance(data, str) else data


class RuleExamples(Strict):
    """Replies the rule must flag, and near-misses it must let pass: `check` runs them."""

    flag: list[RuleExample] = Field(min_length=1)
    pass_: list[RuleExample] = Field(alias="pass", min_length=1)


class Rule(Strict):
    """One way of finding a category: phrases (matched on LOWER, as a PhraseMatcher would)
    or token patterns; the rare settings under `options`."""

    id: Id
    category: Category
    message: ShortText | None = None
    options: RuleOptions = Field(default_factory=RuleOptions)
    phrases: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(default_factory=list)
    patterns: list[list[dict[str, Any]]] = Field(default_factory=list)
    examples: RuleExamples | None = None

    # The engine reads a rule's settings as its own attributes.
    @property
    def negation(self) -> Literal["cancel", "flip", "ignore"]:
        return self.options.negation

    @property
    def flip_to(self) -> Category | None:
        return self.options.flip_to

    @property
    def sentence(self) -> Literal["any", "question", "statement"]:
        return self.options.sentence

    @property
    def yields_to(self) -> list[Category]:
        return self.options.yields_to

    @property
    def unless_after(self) -> list[str]:
        return self.options.unless_after

    @property
    def frames(self) -> list[Category]:
        return self.options.frames

    @property
    def specific(self) -> bool:
        return self.options.specific

    @property
    def answering(self) -> frozenset[str]:
        return frozenset(self.options.answering)

    @model_validator(mode="after")
    def _shape(self) -> Rule:
        if not self.phrases and not self.patterns:
            raise ValueError("a rule needs 'phrases' or 'patterns'")
        for p_index, pattern in enumerate(self.patterns):
            if not pattern or len(pattern) > MAX_PATTERN_TOKENS:
                raise ValueError(
                    f"patterns[{p_index}]: expected 1 to {MAX_PATTERN_TOKENS} tokens, "
                    f"got {len(pattern)}"
                )
            for t_index, token in enumerate(pattern):
                _check_token(token, f"patterns[{p_index}][{t_index}]")
        return self


class RuleFile(Strict):
    example_statement: Annotated[str, Field(min_length=1, max_length=1000)] | None = Field(
        default=None,
        description="What the speaker said, for every example of this file's rules that "
        "does not give its own statement.",
    )
    rules: list[Rule] = Field(min_length=1)


class CategoryFile(Strict):
    categories: list[CategoryInfo]

    @field_validator("categories")
    @classmethod
    def _all_once(cls, value: list[CategoryInfo]) -> list[CategoryInfo]:
        names = [c.name for c in value]
        missing = set(Category) - set(names)
        if missing:
            raise ValueError(f"categories missing: {', '.join(sorted(missing))}")
        if len(names) != len(set(names)):
            raise ValueError("a category is defined twice")
        return value


class FeelingFamily(Strict):
    name: Id
    vulnerable: bool = Field(
        description="A primary, vulnerable feeling (sad, hurt, scared) rather than a "
        "protective, secondary one (angry, annoyed)."
    )
    beneath: list[Id] = Field(
        default_factory=list,
        description="For a secondary feeling: the vulnerable families it often hides.",
    )
    general: bool = Field(
        default=False,
        description="Words of distress in general (hard, rough): they fit any painful "
        "feeling, so naming them reflects whatever hurt the speaker showed.",
    )
    pleasant: bool = Field(default=False, description="A pleasant feeling (glad, proud).")
    words: list[Annotated[str, Field(min_length=2, max_length=40)]] = Field(min_length=1)


class Need(Strict):
    name: Id
    words: list[Annotated[str, Field(min_length=2, max_length=60)]] = Field(min_length=1)


PhraseOfWords = Annotated[str, Field(min_length=3, max_length=60, pattern=r"\S\s+\S")]


class NotFeelings(Strict):
    """Phrases in which a lexicon word means something else ("blood pressure", "work
    hard"): no word inside one is read as a feeling or a need."""

    phrases: list[PhraseOfWords] = Field(
        min_length=1,
        description='Two words or more, each matched by its lemma ("work hard" also '
        'finds "worked hard").',
    )
    between: list[Annotated[str, Field(min_length=1, max_length=20)]] = Field(
        default_factory=list,
        description='Words that may stand between a phrase\'s words ("worked so hard").',
    )


class Lexicon(Strict):
    families: list[FeelingFamily] = Field(min_length=1)
    needs: list[Need] = Field(default_factory=list)
    not_feelings: NotFeelings | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Lexicon:
        names = {f.name for f in self.families}
        for family in self.families:
            unknown = set(family.beneath) - names
            if unknown:
                raise ValueError(
                    f"family {family.name!r}: beneath names unknown families "
                    f"{', '.join(sorted(unknown))}"
                )
        return self


class Weights(Strict):
    reflect_feeling: float = Field(ge=0)
    reflect_content: float = Field(ge=0)
    validate_: float = Field(ge=0, alias="validate")
    explore: float = Field(ge=0)
    presence: float = Field(ge=0)
    deeper_feeling: float = Field(ge=0)


class Thresholds(Strict):
    attuned: int = Field(ge=0, le=100)
    partly_attuned: int = Field(ge=0, le=100)


Wordings = Annotated[list[ShortText], Field(min_length=1)]
Words = list[Annotated[str, Field(min_length=1, max_length=60)]]
# The blanks each of a kind's wordings must fill.
TEMPLATE_SLOTS = {
    "reflect": {"feeling", "about"},
    "content": {"said"},
    "reflect_feeling": {"feeling"},
    "reflect_unknown": set(),
    "underlying": {"underlying"},
    "presence": set(),
    "explore": set(),
}


class KindTemplates(Strict):
    """The rewrite's sentences for one kind of statement, several of each so that replies
    vary: one is picked by a stable hash of the reply.

    Slots: {feeling} and {underlying} (words that follow "you feel"), {about} (what
    happened, a noun phrase: a scenario's gist), {said} (what happened, a clause the
    statement said, in the listener's voice)."""

    reflect: Wordings = Field(description="The feeling and what it is about ({about}).")
    content: Wordings = Field(description="What happened, said back ({said}).")
    reflect_feeling: Wordings = Field(description="The feeling alone ({feeling}).")
    reflect_unknown: Wordings = Field(description="When no feeling word is known.")
    underlying: Wordings = Field(description="The softer feeling beneath ({underlying}).")
    presence: Wordings
    explore: Wordings

    @model_validator(mode="after")
    def _slots(self) -> KindTemplates:
        """Each wording fills exactly its slot's blanks, so that none is left unfilled or
        fails at run time."""
        for name, slots in TEMPLATE_SLOTS.items():
            for index, wording in enumerate(getattr(self, name)):
                try:
                    used = {f for _, f, _, _ in string.Formatter().parse(wording) if f is not None}
                except ValueError as err:
                    raise ValueError(f"{name}[{index}]: {err} in {wording!r}") from None
                if used != slots:
                    want = ", ".join(f"{{{s}}}" for s in sorted(slots)) or "no blanks"
                    raise ValueError(f"{name}[{index}]: expected {want}, got {wording!r}")
        return self


class Reading(Strict):
    """Word lists for reading a statement so that the rewrite fits it."""

    news: Words = Field(description="Words of good news (when no unpleasant feeling is said).")
    ahead: Words = Field(description="Words of something still to come (a worry ahead).")
    ahead_days: Words = Field(
        description="Days that point ahead, unless `past` words say "
        "the statement tells of the past."
    )
    past: Words
    listener: Words = Field(
        description='The listener as a subject: a statement with one ("you never ask") '
        "is a complaint at the listener, unless it is good news."
    )
    self_labels: Words = Field(
        description="Words a speaker calls themselves (stupid, a "
        "failure): never said back as if they were the feeling."
    )
    feeling_prefixes: Words = Field(
        description="Words dropped before a feeling word so "
        'that it follows "you feel" ("feeling down" -> "down").'
    )
    not_adjectives: Words = Field(
        description='Feeling words that cannot follow "you feel" '
        '(nouns, verbs: "miss", "dread"): their family\'s word '
        "is used."
    )
    family_words: dict[str, Annotated[str, Field(min_length=1, max_length=60)]] = Field(
        description='A feeling family\'s word to follow "you feel".'
    )
    to_listener: dict[str, str] = Field(
        description="The speaker's words in the listener's mouth: my -> your, I'm -> you're."
    )
    to_speaker: dict[str, str] = Field(
        description="The listener's words in a complaint, owned: your -> my, you're -> I'm."
    )
    you_object_after: Words = Field(
        description='Words after which "you" is an object ("told you" -> "told me").'
    )
    shared: Words = Field(
        description='Words of "we" that stay when a complaint takes the listener in '
        '("we never do anything fun").'
    )
    you_object_before: Words = Field(
        description='Words before which "you" is an object ("touch you anymore").'
    )
    righting: Words = Field(description="Words that turn a sentence from what was heard.")
    connectives: Words = Field(description="Words that join a sentence to the one before.")
    max_said_words: int = Field(ge=3, le=40)


class Templates(Strict):
    reading: Reading
    hurt: KindTemplates
    news: KindTemplates
    ahead: KindTemplates
    complaint: KindTemplates

    def kind(self, name: str) -> KindTemplates:
        return getattr(self, name if name in STATEMENT_KINDS else "hurt")


class Messages(Strict):
    """Feedback the engine writes for findings that no single rule makes."""

    yes_but: ShortText
    hollow_validation: ShortText
    non_response: ShortText
    missed: ShortText
    question_run: ShortText
    feeling_named: ShortText
    hardship_named: ShortText
    deeper_named: ShortText
    need_named: ShortText
    content_touched: ShortText
    wrong_feeling: ShortText
    truncated: ShortText
    model_reply: ShortText
    learned: ShortText


# What a reply does, in the acts of the labelled data (eval/acts.yaml): the acts model's
# labels (training/acts).
Act = Literal[
    "fixing",
    "question",
    "reflect_feeling",
    "reflect_content",
    "validate",
    "minimise",
    "dismiss",
    "self_focus",
]


class LearnedAct(Strict):
    """An act of the acts model (training/acts) the engine may flag where no rule did."""

    act: Act
    category: Category
    # How surely the model must read the act in a sentence; chosen on half A of the acts
    # data and the tuning replies (docs/quality.md), never on the rows it is checked on.
    threshold: float = Field(ge=0.5, le=1.0)
    # How surely in a reply that never speaks to them (neither "you" nor a word of
    # theirs): one's own news told in their place ("nice. i did mine in 1h50 lol") needs
    # less to be heard as one's own story. None: `threshold` everywhere.
    unaddressed: float | None = Field(default=None, ge=0.5, le=1.0)


class Settings(Strict):
    """Numbers and word lists the engine's structure checks need, kept out of code."""

    base_score: float = Field(ge=0, le=100)
    weights: Weights
    max_penalty: float = Field(ge=0, le=100)
    thresholds: Thresholds
    negators: list[str] = Field(min_length=1)
    negation_window: int = Field(ge=0, le=8)
    contrast_words: list[str] = Field(min_length=1)
    discourse_markers: list[str] = Field(default_factory=list)
    fronted_clause_words: list[str] = Field(default_factory=list)
    auxiliary_verbs: list[str] = Field(default_factory=list)
    first_person: list[str] = Field(min_length=1)
    second_person: list[str] = Field(min_length=1)
    other_person: list[str] = Field(default_factory=list)
    third_person: list[str] = Field(default_factory=list)
    situation_words: list[str] = Field(default_factory=list)
    texting_contractions: dict[str, str] = Field(default_factory=dict)
    texted_words: dict[str, str] = Field(default_factory=dict)
    number_words: dict[str, Annotated[str, Field(pattern=r"^[0-9]{2,}$")]] = Field(
        default_factory=dict
    )
    self_feeling_verbs: list[str] = Field(default_factory=list)
    in_their_place: list[str] = Field(default_factory=list)
    in_their_place_verbs: list[str] = Field(default_factory=list)
    in_their_place_unless: list[str] = Field(default_factory=list)
    complaint_markers: list[str] = Field(default_factory=list)
    complaint_underlying: list[Id] = Field(default_factory=list)
    complaint_needs: list[Id] = Field(default_factory=list)
    fuzzy_max_edits: int = Field(ge=0, le=3)
    fuzzy_min_length: int = Field(ge=3, le=12)
    max_reply_chars: int = Field(ge=100, le=100_000)
    content_stopwords: list[str] = Field(default_factory=list)
    free_content_min: int = Field(default=1, ge=1, le=5)
    echo_max_words: int = Field(default=4, ge=1, le=10)
    question_run_min: int = Field(default=3, ge=2, le=10)
    me_too_words: list[str] = Field(default_factory=list)
    me_too_max_words: int = Field(default=6, ge=1, le=20)
    stock_words: list[str] = Field(default_factory=list)
    own_words_alone: int = Field(default=1, ge=1, le=10)
    own_words_beside: int = Field(default=2, ge=1, le=10)
    templates: Templates
    skill_tips: dict[str, ShortText]
    safety_statement: list[str] = Field(default_factory=list)
    safety_reply: list[str] = Field(default_factory=list)
    safety_note: ShortText
    messages: Messages
    learned: list[LearnedAct] = Field(default_factory=list)


class SettingsFile(Strict):
    settings: Settings


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


# --------------------------------------------------------------------------- workshop decks

MIN_ROUND_SECONDS = 15
MAX_ROUND_SECONDS = 900
MAX_PICKED_FEELINGS = 3


class DeckRound(Strict):
    """One round of a deck: a scenario from a pack, or a statement written in the deck.

    An inline statement may say who speaks, where, and what they feel and need (lexicon
    words, checked in `decks.py`, which sees the rubric), so the engine can score replies
    against it as it would against a scenario.
    """

    scenario: Id | None = None
    statement: Annotated[str, Field(min_length=1, max_length=1000)] | None = None
    who: Speaker | None = None
    situation: ShortText | None = None
    feelings: list[Annotated[str, Field(min_length=1)]] = Field(
        default_factory=list, max_length=MAX_PICKED_FEELINGS
    )
    needs: list[Annotated[str, Field(min_length=1)]] = Field(default_factory=list, max_length=3)
    teaching_note: LongText | None = None
    model_reply: Annotated[str, Field(min_length=1, max_length=1500)] | None = None

    @model_validator(mode="after")
    def _one_source(self) -> DeckRound:
        if (self.scenario is None) == (self.statement is None):
            raise ValueError(
                "a round needs exactly one of 'scenario' (an id from a pack) or "
                "'statement' (words written here)"
            )
        if self.scenario is not None:
            extra = [
                name
                for name in ("who", "situation", "teaching_note", "model_reply")
                if getattr(self, name) is not None
            ] + [name for name in ("feelings", "needs") if getattr(self, name)]
            if extra:
                raise ValueError(
                    f"{', '.join(extra)} belong to an inline 'statement'; a 'scenario' "
                    "round takes them from its pack"
                )
        return self


class Deck(Strict):
    """A facilitator's plan for a workshop: which statements, how long each round lasts."""

    id: Id
    title: ShortText
    # A speaker's deck (`side: speaker`) names scenarios of the speaker packs; the
    # listener's workshop passes it over.
    side: Literal["listener", "speaker"] = "listener"
    description: LongText | None = None
    seconds_per_round: int = Field(default=90, ge=MIN_ROUND_SECONDS, le=MAX_ROUND_SECONDS)
    reveal_model: bool = Field(
        default=True,
        description="Show the model reply with the feedback after each round; when false "
        "only the facilitator's view reveals it.",
    )
    rounds: list[DeckRound] = Field(min_length=1, max_length=50)


class DeckFile(Strict):
    deck: Deck
