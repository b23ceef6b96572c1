"""What to practise next: the learner's weakest skill, and a spaced-repetition schedule.

The schedule is a Leitner system per scenario, replayed from the learner's attempts:
- attuned moves the scenario up a box, so it comes back later each time it is mastered;
- partly attuned moves it down a box: close, but not yet steady;
- any roadblock verdict puts it back in box 0, so a failed scenario comes back within the
  same session (after a few others, not at once: repeating the reply just typed teaches
  nothing).
Box `n` is due `INTERVALS[n]` after the last attempt.

Which scenarios need which skill, judged from the scenario alone (its feelings, content
and the traps its author foresaw in the exemplars):
- reflect_feeling: scenarios with underlying feelings need a deeper reflection to be
  attuned. A learner who already names surface feelings is sent to difficulty 3 (the
  underlying feeling is hardest to hear there); one who rarely names any feeling starts
  at difficulty 1, where the feeling is said out loud.
- reflect_content: scenarios with more key content to say back.
- validate: scenarios whose exemplars show minimising, dismissing, judging, defending or
  placating: where the pull away from validation is strongest.
- presence: scenarios whose exemplars show fixing or deflecting, and sensitive ones:
  where the urge is to do something rather than stay.
- avoid_roadblocks: scenarios whose exemplars show the most kinds of roadblock.
- explore: every attuned reply can invite more, and no scenario needs it more than
  another, so the schedule alone decides.
For the other skills the target difficulty follows the skill's recent average.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import fmean

from listen_trainer.content.library import Library
from listen_trainer.content.models import Scenario, Verdict
from listen_trainer.practice.progress import SKILLS, skill_averages
from listen_trainer.store.history import Attempt

INTERVALS: tuple[timedelta, ...] = (
    timedelta(minutes=10),
    timedelta(days=1),
    timedelta(days=3),
    timedelta(days=7),
    timedelta(days=16),
    timedelta(days=35),
)
TOP_BOX = len(INTERVALS) - 1
# The weakest skill is judged on recent attempts, so that once a skill improves the
# drills move on to the next one.
WEAKEST_WINDOW = 20
DEFAULT_LIMIT = 10

_VALIDATE_TRAPS = frozenset(
    {Verdict.MINIMISING, Verdict.DISMISSING, Verdict.JUDGING, Verdict.DEFENDING, Verdict.PLACATING}
)
_PRESENCE_TRAPS = frozenset({Verdict.FIXING, Verdict.DEFLECTING})
_ROADBLOCK_VERDICTS = frozenset(set(Verdict) - {Verdict.ATTUNED, Verdict.PARTLY_ATTUNED})


@dataclass(frozen=True)
class Review:
    """Where one scenario stands in the learner's schedule."""

    scenario_id: str
    box: int
    last_seen: datetime
    last_verdict: Verdict

    @property
    def due(self) -> datetime:
        return self.last_seen + INTERVALS[self.box]

    @property
    def failed(self) -> bool:
        return self.last_verdict in _ROADBLOCK_VERDICTS


def reviews(attempts: Sequence[Attempt]) -> dict[str, Review]:
    """Replay the attempts (oldest first) into each scenario's box. Free statements,
    which have no scenario, are left out."""
    state: dict[str, Review] = {}
    for attempt in sorted(attempts, key=lambda a: (a.time, a.id)):
        if attempt.scenario_id is None:
            continue
        verdict = attempt.feedback.verdict
        before = state.get(attempt.scenario_id)
        box = before.box if before else 0
        if verdict is Verdict.ATTUNED:
            box = min(box + 1, TOP_BOX)
        elif verdict is Verdict.PARTLY_ATTUNED:
            box = max(box - 1, 0)
        else:
            box = 0
        state[attempt.scenario_id] = Review(attempt.scenario_id, box, attempt.time, verdict)
    return state


def weakest_skill(attempts: Sequence[Attempt]) -> str | None:
    """The skill with the lowest average over the last WEAKEST_WINDOW attempts.

    None when there are no attempts. Ties go to the skill taught first (SKILLS order):
    reflecting comes before exploring.
    """
    averages = skill_averages(list(attempts)[-WEAKEST_WINDOW:])
    if not averages:
        return None
    return min(SKILLS, key=lambda s: (averages[s], SKILLS.index(s)))


def need(scenario: Scenario, skill: str) -> int:
    """How much an attuned reply to `scenario` leans on `skill`: 1 (as any) to 3 (most)."""
    labels = [e.label for e in scenario.exemplars]
    if skill == "reflect_feeling":
        return 3 if scenario.feelings.underlying else 1
    if skill == "reflect_content":
        return min(3, len(scenario.key_content))
    if skill == "validate":
        return 1 + min(2, sum(label in _VALIDATE_TRAPS for label in labels))
    if skill == "presence":
        traps = sum(label in _PRESENCE_TRAPS for label in labels) + scenario.sensitive
        return 1 + min(2, traps)
    if skill == "avoid_roadblocks":
        return 1 + min(2, len(set(labels) & _ROADBLOCK_VERDICTS))
    return 1


def target_difficulty(attempts: Sequence[Attempt], skill: str | None) -> int:
    """The difficulty (1-3) the learner is ready for, for drilling `skill`."""
    recent = list(attempts)[-WEAKEST_WINDOW:]
    if skill is None or not recent:
        return 1
    if skill == "reflect_feeling":
        names_surface = fmean(bool(a.feedback.heard.named_surface) for a in recent)
        return 3 if names_surface >= 0.5 else 1
    average = skill_averages(recent)[skill]
    return 1 if average < 0.4 else 2 if average < 0.7 else 3


def next_scenarios(
    library: Library,
    attempts: Sequence[Attempt],
    *,
    now: datetime,
    weakest_first: bool = True,
    limit: int = DEFAULT_LIMIT,
) -> list[Scenario]:
    """Scenarios to practise now, best first, at most `limit`.

    Failed scenarios that are due come first. Then, with `weakest_first`, the scenarios
    that most need the learner's weakest skill, due reviews before new ones and nearest
    to the learner's level first; without it (or before any attempt), due reviews (most
    overdue first), then new scenarios, those marked sensitive last, easiest first.
    Scenarios not yet due are left out, unless nothing else is left: then the soonest due
    come, so a drill is never empty while the library is not.
    """
    state = reviews(attempts)
    skill = weakest_skill(attempts) if weakest_first else None
    target = target_difficulty(attempts, skill)
    ready: list[tuple[tuple[object, ...], Scenario]] = []
    waiting: list[tuple[datetime, str, Scenario]] = []
    for _, scenario in library.scenarios():
        review = state.get(scenario.id)
        if review is not None and review.due > now:
            waiting.append((review.due, scenario.id, scenario))
            continue
        failed_due = review is not None and review.failed
        is_new = review is None
        # New scenarios sort after due reviews of the same need: what was learned is
        # kept before more is added.
        overdue = (now - review.due).total_seconds() if review else 0.0
        if skill is None:
            key: tuple[object, ...] = (
                not failed_due,
                is_new,
                -overdue,
                scenario.sensitive,  # risk scenarios after the others: never a first drill
                scenario.difficulty,
                scenario.id,
            )
        else:
            key = (
                not failed_due,
                -need(scenario, skill),
                is_new,
                abs(scenario.difficulty - target),
                -overdue,
                scenario.id,
            )
        ready.append((key, scenario))
    ready.sort(key=lambda pair: pair[0])
    chosen = [scenario for _, scenario in ready]
    if not chosen:
        chosen = [scenario for *_, scenario in sorted(waiting, key=lambda t: (t[0], t[1]))]
    return chosen[:limit]
