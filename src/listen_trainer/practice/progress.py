"""What a learner's attempts add up to: averages, trends, roadblocks and MITI metrics.

Pure functions over a list of `Attempt`s (oldest first, as `History.attempts` returns
them): no I/O, no clock of their own (`now` is passed in), so the progress screen, the
`history stats` command and the tests all see the same numbers.

MITI-style counting, decided here and shown to the user the same way everywhere:
- a *reflection* is a reply sentence holding at least one reflecting_feeling or
  reflecting_content flag. MITI codes utterances, not words: "it sounds like you're hurt
  that he forgot" is one reflection, though the engine flags both its feeling and its
  content. Counting flags would reward saying one thing twice.
- a *question* is, likewise, a sentence holding an exploring, closed_question or
  interrogating flag ("tell me more" is coded a question in MITI 4, as it is here).
- a reply's reflections are *complex* when the reply named an underlying feeling or need
  (`heard.named_underlying`); the share is taken over the replies that reflected at all.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from statistics import fmean

from listen_trainer.content.models import ROADBLOCKS, Category, Verdict
from listen_trainer.skills import SKILL_LABELS as SKILL_LABELS  # read by cli/history.py
from listen_trainer.skills import SKILLS
from listen_trainer.skills import SPEAKER_SKILL_LABELS as SPEAKER_SKILL_LABELS
from listen_trainer.skills import SPEAKER_SKILLS as SPEAKER_SKILLS
from listen_trainer.store.history import Attempt

# Roadblocks in the rubric's teaching order, so every face lists them alike.
ROADBLOCK_ORDER: tuple[Category, ...] = tuple(c for c in Category if c in ROADBLOCKS)

# A trend compares the latest attempts with those before them; this many at most, so that
# last month's progress is not drowned by a long history.
RECENT_WINDOW = 10
# Changes smaller than these are noise between single replies, not a trend.
SKILL_STEADY = 0.05
SCORE_STEADY = 5.0

REFLECTION_FLAGS = frozenset({Category.REFLECTING_FEELING, Category.REFLECTING_CONTENT})
QUESTION_FLAGS = frozenset({Category.EXPLORING, Category.CLOSED_QUESTION, Category.INTERROGATING})

# MITI 4.2.1 clinician benchmarks.
FAIR_RATIO, GOOD_RATIO = 1.0, 2.0
FAIR_COMPLEX, GOOD_COMPLEX = 0.40, 0.50

# Attempts further apart than this belong to different practice sessions.
SESSION_GAP = timedelta(minutes=30)


# --------------------------------------------------------------------------- scores


def score_series(attempts: Sequence[Attempt]) -> list[int]:
    return [a.feedback.score for a in attempts]


def skill_series(attempts: Sequence[Attempt], skill: str) -> list[float]:
    return [a.feedback.skills.as_dict()[skill] for a in attempts]


def average_score(attempts: Sequence[Attempt]) -> float | None:
    return fmean(score_series(attempts)) if attempts else None


def skill_averages(attempts: Sequence[Attempt]) -> dict[str, float]:
    """Each skill's mean over the attempts, in SKILLS order; empty when there are none."""
    if not attempts:
        return {}
    return {skill: fmean(skill_series(attempts, skill)) for skill in SKILLS}


def speaker_skill_averages(attempts: Sequence[Attempt]) -> dict[str, float]:
    """Each speaking skill's mean over a speaker's statements, in SPEAKER_SKILLS order;
    empty when there are none."""
    if not attempts:
        return {}
    return {
        skill: fmean(a.feedback.skills.as_dict()[skill] for a in attempts)
        for skill in SPEAKER_SKILLS
    }


def share_soft(attempts: Sequence[Attempt]) -> float | None:
    """The fraction of a speaker's statements that were soft start-ups."""
    if not attempts:
        return None
    return sum(a.feedback.verdict == "soft_startup" for a in attempts) / len(attempts)


@dataclass(frozen=True)
class Trend:
    """The latest values against those before them."""

    average: float | None  # over every value
    earlier: float | None  # before the recent window; None with fewer than two values
    recent: float | None  # the last RECENT_WINDOW values (at most half of them all)
    steady_within: float

    @property
    def change(self) -> float | None:
        if self.earlier is None or self.recent is None:
            return None
        return self.recent - self.earlier

    @property
    def direction(self) -> str:
        """'up', 'down', 'steady', or 'new' when there is nothing yet to compare."""
        change = self.change
        if change is None:
            return "new"
        if abs(change) < self.steady_within:
            return "steady"
        return "up" if change > 0 else "down"

    @property
    def arrow(self) -> str:
        return {"up": "↑", "down": "↓", "steady": "→", "new": "·"}[self.direction]


def trend(values: Sequence[float], *, steady_within: float) -> Trend:
    """Compare the last values with the earlier ones.

    The recent window is RECENT_WINDOW values, but never more than half of them, so that
    six attempts compare the last three with the first three.
    """
    if not values:
        return Trend(None, None, None, steady_within)
    if len(values) < 2:
        return Trend(values[0], None, values[0], steady_within)
    size = min(RECENT_WINDOW, len(values) // 2)
    return Trend(
        fmean(values),
        fmean(values[:-size]),
        fmean(values[-size:]),
        steady_within,
    )


def score_trend(attempts: Sequence[Attempt]) -> Trend:
    return trend(score_series(attempts), steady_within=SCORE_STEADY)


def skill_trends(attempts: Sequence[Attempt]) -> dict[str, Trend]:
    return {s: trend(skill_series(attempts, s), steady_within=SKILL_STEADY) for s in SKILLS}


@dataclass(frozen=True)
class Week:
    start: date  # the Monday
    attempts: int
    average: float


def weekly_scores(attempts: Iterable[Attempt], *, tz: tzinfo | None = None) -> list[Week]:
    """Average score per calendar week (Monday first) in `tz` (default: local time)."""
    weeks: dict[date, list[int]] = {}
    for attempt in attempts:
        day = attempt.time.astimezone(tz).date()
        monday = day - timedelta(days=day.weekday())
        weeks.setdefault(monday, []).append(attempt.feedback.score)
    return [Week(start, len(scores), fmean(scores)) for start, scores in sorted(weeks.items())]


# --------------------------------------------------------------------------- verdicts


def share_attuned(attempts: Sequence[Attempt]) -> float | None:
    """The fraction of attempts whose verdict was attuned; None when there are none."""
    if not attempts:
        return None
    return sum(a.feedback.verdict is Verdict.ATTUNED for a in attempts) / len(attempts)


def verdict_counts(attempts: Iterable[Attempt]) -> dict[Verdict, int]:
    """How many replies got each verdict, in the Verdict enum's order, zeros left out."""
    counts = {v: 0 for v in Verdict}
    for attempt in attempts:
        counts[attempt.feedback.verdict] += 1
    return {v: n for v, n in counts.items() if n}


def roadblock_counts(
    attempts: Iterable[Attempt], *, now: datetime, days: int
) -> dict[Category, int]:
    """For each roadblock, in how many replies of the last `days` days it was flagged.

    Replies, not flags: "you should... and you should..." is one reply that fixed, and the
    learner's question is how often they reach for a roadblock, not how many words it took.
    Every roadblock is present, zero or not, so columns line up.
    """
    since = now - timedelta(days=days)
    counts = dict.fromkeys(ROADBLOCK_ORDER, 0)
    for attempt in attempts:
        if attempt.time < since or attempt.time > now:
            continue
        for category in {f.category for f in attempt.feedback.flags} & ROADBLOCKS:
            counts[category] += 1
    return counts


def flag_counts(attempts: Iterable[Attempt]) -> dict[Category, int]:
    """In how many replies each category was flagged, in Category order, zeros left out."""
    counts = dict.fromkeys(Category, 0)
    for attempt in attempts:
        for category in {f.category for f in attempt.feedback.flags}:
            counts[category] += 1
    return {c: n for c, n in counts.items() if n}


# --------------------------------------------------------------------------- MITI

# A sentence ends at ., ! or ? followed by a space or the end, or at a line break.
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|\n+")


def _sentences_with(attempt: Attempt, categories: frozenset[Category]) -> int:
    ends = [m.end() for m in _SENTENCE_END.finditer(attempt.reply)]
    return len(
        {bisect_right(ends, f.start) for f in attempt.feedback.flags if f.category in categories}
    )


@dataclass(frozen=True)
class Miti:
    """Reflection-to-question ratio and share of complex reflections, MITI style."""

    reflections: int
    questions: int
    replies_reflecting: int
    replies_complex: int

    @property
    def ratio(self) -> float | None:
        """Reflections per question; inf with reflections and no question; None if neither."""
        if self.questions:
            return self.reflections / self.questions
        return float("inf") if self.reflections else None

    @property
    def complex_share(self) -> float | None:
        if not self.replies_reflecting:
            return None
        return self.replies_complex / self.replies_reflecting

    @property
    def ratio_level(self) -> str | None:
        return _level(self.ratio, FAIR_RATIO, GOOD_RATIO)

    @property
    def complex_level(self) -> str | None:
        return _level(self.complex_share, FAIR_COMPLEX, GOOD_COMPLEX)


def _level(value: float | None, fair: float, good: float) -> str | None:
    """'good', 'fair' or 'below fair' against a MITI benchmark; None with no data."""
    if value is None:
        return None
    if value >= good:
        return "good"
    return "fair" if value >= fair else "below fair"


def miti(attempts: Iterable[Attempt]) -> Miti:
    reflections = questions = reflecting = complex_ = 0
    for attempt in attempts:
        r = _sentences_with(attempt, REFLECTION_FLAGS)
        reflections += r
        questions += _sentences_with(attempt, QUESTION_FLAGS)
        if r:
            reflecting += 1
            complex_ += bool(attempt.feedback.heard.named_underlying)
    return Miti(reflections, questions, reflecting, complex_)


def format_ratio(value: float | None) -> str:
    """'2.0 : 1' for a ratio; 'no questions' for reflections alone; 'n/a' for nothing yet."""
    if value is None:
        return "n/a"
    if value == float("inf"):
        return "no questions"
    return f"{value:.1f} : 1"


def last_session(attempts: Sequence[Attempt], *, gap: timedelta = SESSION_GAP) -> list[Attempt]:
    """The latest run of attempts with no pause longer than `gap` between them."""
    if not attempts:
        return []
    start = len(attempts) - 1
    while start > 0 and attempts[start].time - attempts[start - 1].time <= gap:
        start -= 1
    return list(attempts[start:])
