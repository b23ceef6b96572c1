"""The values the scoring stages hand each other: findings, namings, the analysis."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from listen_trainer.content.models import Category

# The note of a finding the acts model made (learned.py): its message says so.
LEARNED = "learned"
# The note of a content word of the speaker's said back (findings.content_touched).
A_WORD_OF_THEIRS = "content"
# The note of a run of questions with nothing said back (findings.question_runs).
QUESTION_RUN = "question_run"


@dataclass(slots=True)
class Finding:
    """A span of the reply that shows a category (token offsets, end exclusive)."""

    category: Category
    start: int
    end: int
    rule: str
    sent: int
    note: str | None = None  # a message of the engine's own, instead of the category's
    source: int | None = None  # the rubric rule's index, when a rule found it

    def overlaps(self, other: Finding) -> bool:
        return self.start < other.end and other.start < self.end


class Naming(NamedTuple):
    """A feeling or need of the speaker's that the reply named."""

    name: str
    layer: str  # "surface", "underlying", "need" or "other"
    start: int
    end: int


@dataclass
class Analysis:
    findings: list[Finding]
    namings: list[Naming]
    content: list[str]  # content words of the speaker's that the reply touched
    stems: int = 0  # reflective stems ("it sounds like") in statement sentences
    hollow: bool = False
    # Sentences that speak to them in the listener's own words (hollow.in_own_words).
    own_words: int = 0
    yes_but: bool = False
    notes: dict[str, str] = field(default_factory=dict)
    # The reply's sentences as token bounds (end exclusive), as `doc.sents` gives them, and
    # its words in lower case: read once, for what is made of the reply next.
    sentences: list[tuple[int, int]] = field(default_factory=list)
    words: list[str] = field(default_factory=list)

    def categories(self) -> set[Category]:
        return {f.category for f in self.findings}
