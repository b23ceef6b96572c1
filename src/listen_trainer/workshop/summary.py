"""The class summary: per participant and for the whole class, from the recorded entries.

Definitions, so a facilitator can explain each figure:
- attempts: the rounds in which someone gave a reply; "no reply" counts the others;
- average score: the mean score of those replies;
- most common roadblock: the roadblock found in the most of their replies (a reply counts
  once per roadblock, however many phrases showed it); ties go to the name first in the
  alphabet, so the same session always reads the same;
- most improved skill: the skill whose mean rose most from the first half of their
  replies to the second half (the middle reply of an odd number is left out); none with
  fewer than two replies or when no skill rose. For the class, each skill's rise is
  averaged over the participants with at least two replies.

In a speaker's deck the costs of a harsh start (criticism, blame, contempt...) take the
roadblocks' place, counted the same way, and the skills are the speaker's.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from statistics import mean
from typing import TYPE_CHECKING

from listen_trainer.content.models import ROADBLOCKS, Category
from listen_trainer.content.speaker_kinds import SPEAKER_COSTS, SpeakerCategory, SpeakerVerdict
from listen_trainer.workshop.run import Entry

if TYPE_CHECKING:
    from listen_trainer.scoring import Feedback

CLASS_NAME = "Whole class"
# A speaker's verdict that names a cost, and the cost it names.
VERDICT_COSTS = {
    SpeakerVerdict.CRITICISING: SpeakerCategory.CRITICISM,
    SpeakerVerdict.BLAMING: SpeakerCategory.BLAME,
    SpeakerVerdict.CONTEMPT: SpeakerCategory.CONTEMPT,
    SpeakerVerdict.HINTING: SpeakerCategory.HINTING,
    SpeakerVerdict.DEMANDING: SpeakerCategory.DEMAND,
}
Costs = Callable[["Feedback"], set[str]]


@dataclass(frozen=True)
class Row:
    name: str
    attempts: int
    missed: int
    average: float | None
    roadblock: str | None
    roadblock_count: int
    improved: str | None
    rise: float | None


@dataclass(frozen=True)
class Summary:
    title: str
    people: tuple[Row, ...]
    everyone: Row
    side: str = "listener"

    def row(self, name: str) -> Row | None:
        return next((r for r in self.people if r.name == name), None)


def roadblocks_of(feedback: Feedback) -> set[str]:
    found = {f.category.value for f in feedback.flags if f.category in ROADBLOCKS}
    if feedback.verdict.value in {c.value for c in ROADBLOCKS}:
        found.add(Category(feedback.verdict.value).value)
    return found


def speaker_costs_of(feedback: Feedback) -> set[str]:
    """The costs a speaker's statement showed: its flags', and the one its verdict names."""
    found = {f.category.value for f in feedback.flags if f.category in SPEAKER_COSTS}
    named = VERDICT_COSTS.get(feedback.verdict)
    if named is not None:
        found.add(named.value)
    return found


def most_common_roadblock(
    feedbacks: Iterable[Feedback], costs: Costs = roadblocks_of
) -> tuple[str | None, int]:
    counts: Counter[str] = Counter()
    for feedback in feedbacks:
        counts.update(costs(feedback))
    if not counts:
        return None, 0
    name, count = min(counts.items(), key=lambda item: (-item[1], item[0]))
    return name, count


def skill_rises(feedbacks: Sequence[Feedback]) -> dict[str, float]:
    """Each skill's mean in the second half of the replies minus that in the first half."""
    half = len(feedbacks) // 2
    if half == 0:
        return {}
    early = [f.skills.as_dict() for f in feedbacks[:half]]
    late = [f.skills.as_dict() for f in feedbacks[-half:]]
    return {
        skill: mean(s[skill] for s in late) - mean(s[skill] for s in early) for skill in early[0]
    }


def _top_rise(rises: dict[str, float]) -> tuple[str | None, float | None]:
    rising = {k: v for k, v in rises.items() if v > 0}
    if not rising:
        return None, None
    skill = min(rising, key=lambda k: (-rising[k], k))
    return skill, rising[skill]


def _row(
    name: str,
    entries: Sequence[Entry],
    rises: dict[str, float] | None = None,
    costs: Costs = roadblocks_of,
) -> Row:
    feedbacks = [e.feedback for e in entries if e.feedback is not None]
    roadblock, count = most_common_roadblock(feedbacks, costs)
    improved, rise = _top_rise(skill_rises(feedbacks) if rises is None else rises)
    return Row(
        name=name,
        attempts=len(feedbacks),
        missed=len(entries) - len(feedbacks),
        average=round(mean(f.score for f in feedbacks), 1) if feedbacks else None,
        roadblock=roadblock,
        roadblock_count=count,
        improved=improved,
        rise=round(rise, 3) if rise is not None else None,
    )


def summarise(
    entries: Sequence[Entry],
    participants: Sequence[str] | None = None,
    title: str = "",
    side: str = "listener",
) -> Summary:
    """The summary of a session; `participants` fixes the order (and shows the silent).

    `side` is the deck's: a speaker's deck counts costs where a listener's counts roadblocks.
    """
    costs = speaker_costs_of if side == "speaker" else roadblocks_of
    names = list(participants or dict.fromkeys(e.participant for e in entries))
    ordered = sorted(entries, key=lambda e: e.round_number)
    by_name = {name: [e for e in ordered if e.participant == name] for name in names}
    people = tuple(_row(name, by_name[name], costs=costs) for name in names)
    per_person = [
        skill_rises([e.feedback for e in group if e.feedback is not None])
        for group in by_name.values()
    ]
    per_person = [r for r in per_person if r]
    class_rises = (
        {skill: mean(r[skill] for r in per_person) for skill in per_person[0]} if per_person else {}
    )
    everyone = _row(CLASS_NAME, ordered, class_rises, costs)
    return Summary(title=title, people=people, everyone=everyone, side=side)
