"""The speaker's names: sides, verdicts, categories, drills, whom one speaks to.

Plain enums, apart from the pydantic models (speaker_models.py), so that a `Feedback` and
the history can name them without building those models at start-up.
"""

from __future__ import annotations

from enum import StrEnum


class Side(StrEnum):
    """Whose skill a pack or a Feedback is about."""

    LISTENER = "listener"
    SPEAKER = "speaker"


class SpeakerVerdict(StrEnum):
    """What a whole statement is called, from the speaker's side."""

    SOFT_STARTUP = "soft_startup"
    PARTLY_SOFT = "partly_soft"
    CRITICISING = "criticising"
    BLAMING = "blaming"
    CONTEMPT = "contempt"
    HINTING = "hinting"
    DEMANDING = "demanding"


class SpeakerCategory(StrEnum):
    """Every category the speaker's rubric can flag. The names appear in JSON output."""

    # costs
    CRITICISM = "criticism"
    CONTEMPT = "contempt"
    BLAME = "blame"
    FAUX_FEELING = "faux_feeling"
    HINTING = "hinting"
    DEMAND = "demand"
    # credits
    OBSERVATION = "observation"
    FEELING = "feeling"
    VULNERABLE_FEELING = "vulnerable_feeling"
    NEED = "need"
    REQUEST = "request"
    REASSURANCE = "reassurance"


SPEAKER_COSTS: frozenset[SpeakerCategory] = frozenset(
    {
        SpeakerCategory.CRITICISM,
        SpeakerCategory.CONTEMPT,
        SpeakerCategory.BLAME,
        SpeakerCategory.FAUX_FEELING,
        SpeakerCategory.HINTING,
        SpeakerCategory.DEMAND,
    }
)


class Drill(StrEnum):
    """What a speaker scenario practises."""

    SOFTEN = "soften"  # say the feeling and a request instead of the complaint
    REACH_OUT = "reach_out"  # ask for comfort directly
    SPACE = "space"  # ask for time alone while reassuring


class To(StrEnum):
    """Whom the learner speaks to."""

    PARTNER = "partner"
    FRIEND = "friend"
    PARENT = "parent"
    CHILD = "child"
    SIBLING = "sibling"
    COLLEAGUE = "colleague"
