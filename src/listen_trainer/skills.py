"""The skills, named once: their keys, the order they are taught in, their labels; the
listener's six and the speaker's six.

Plain data that every face (the TUI, the CLI, progress and the schedule) reads, so a
skill is renamed or added in one place. The engine's `Skills` model holds the scores;
this module only says what each key is called and where it comes in a list.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

# Taught in this order: hearing and saying back come before asking for more.
SKILLS: Final[tuple[str, ...]] = (
    "reflect_feeling",
    "reflect_content",
    "validate",
    "explore",
    "presence",
    "avoid_roadblocks",
)

SKILL_LABELS: Final = MappingProxyType(
    {
        "reflect_feeling": "Reflect feeling",
        "reflect_content": "Reflect content",
        "validate": "Validate",
        "explore": "Explore",
        "presence": "Stay present",
        "avoid_roadblocks": "Avoid roadblocks",
    }
)

# The speaker's skills (a statement's Feedback with `side: speaker`): what happened, the
# feeling, the need, the request, reassurance, and no harshness.
SPEAKER_SKILLS: Final[tuple[str, ...]] = (
    "observe",
    "feel",
    "need",
    "request",
    "reassure",
    "avoid_harshness",
)

SPEAKER_SKILL_LABELS: Final = MappingProxyType(
    {
        "observe": "Observation",
        "feel": "Feeling",
        "need": "Need",
        "request": "Request",
        "reassure": "Reassurance",
        "avoid_harshness": "Avoid harshness",
    }
)


def skill_label(key: str) -> str:
    """The label a learner reads for `key`; an unknown key is shown readably, not dropped."""
    known = SKILL_LABELS.get(key) or SPEAKER_SKILL_LABELS.get(key)
    return known or key.replace("_", " ").capitalize()
