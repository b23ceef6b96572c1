"""One run of a deck: the participants, the round being played, its deadline, the replies.

The clock is injected (a function returning seconds, `time.monotonic` by default) so a
test can move time on instead of waiting for it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from listen_trainer.content.decks import LoadedDeck, Round

if TYPE_CHECKING:
    from listen_trainer.scoring import Feedback, Scorer
    from listen_trainer.scoring.speaker import SpeakerScorer

Clock = Callable[[], float]


@dataclass(frozen=True)
class Entry:
    """One participant's reply in one round; `feedback` is None when they gave no reply."""

    participant: str
    round_number: int
    reply: str
    feedback: Feedback | None
    timed_out: bool = False

    @property
    def answered(self) -> bool:
        return self.feedback is not None


def clean_names(names: Sequence[str]) -> list[str]:
    """Participants' names as typed, trimmed, blanks and repeats dropped, in order."""
    seen: dict[str, None] = {}
    for name in names:
        name = " ".join(name.split())
        if name and name.casefold() not in {n.casefold() for n in seen}:
            seen[name] = None
    return list(seen)


def split_names(text: str) -> list[str]:
    """Names typed on one line, separated by commas (`"Ann, Bo"`), cleaned as `clean_names`."""
    return clean_names(text.split(","))


def score_round(scorer: Scorer | SpeakerScorer, round_: Round, reply: str) -> Feedback | None:
    """The feedback on `reply` to this round; None for an empty reply (no reply given).

    A speaker's round wants the speaker's scorer, a listener's round the listener's.
    """
    if not reply.strip():
        return None
    if round_.side == "speaker":
        return scorer.score(reply, scenario=round_.speaker_scenario)
    if round_.scenario is not None:
        return scorer.score(reply, scenario=round_.scenario)
    return scorer.score(
        reply, statement=round_.statement, feelings=round_.feelings, needs=round_.needs
    )


@dataclass
class WorkshopRun:
    """The state of a workshop: which round, whose turn, how long is left, who said what."""

    deck: LoadedDeck
    participants: list[str]
    seconds: int | None = None
    clock: Clock = time.monotonic
    index: int = 0
    deadline: float | None = None
    entries: list[Entry] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.participants = clean_names(self.participants)
        if not self.participants:
            raise ValueError("a workshop needs at least one participant")
        if self.seconds is None:
            self.seconds = self.deck.deck.seconds_per_round

    # ------------------------------------------------------------------ rounds

    @property
    def round(self) -> Round:
        return self.deck.rounds[self.index]

    @property
    def total(self) -> int:
        return len(self.deck.rounds)

    @property
    def is_last(self) -> bool:
        return self.index >= self.total - 1

    def start_round(self) -> None:
        self.deadline = self.clock() + float(self.seconds or 0)

    def remaining(self) -> float:
        """Seconds left in this round (0 once time is up; the full time before it starts)."""
        if self.deadline is None:
            return float(self.seconds or 0)
        return max(0.0, self.deadline - self.clock())

    def expired(self) -> bool:
        return self.deadline is not None and self.clock() >= self.deadline

    def next_round(self) -> bool:
        """Move on; False when the deck is done."""
        if self.is_last:
            return False
        self.index += 1
        self.deadline = None
        return True

    # ------------------------------------------------------------------ replies

    def round_entries(self, number: int | None = None) -> list[Entry]:
        number = self.round.number if number is None else number
        return [e for e in self.entries if e.round_number == number]

    def waiting(self) -> list[str]:
        """Who has still to reply in this round, in the order they sit."""
        done = {e.participant for e in self.round_entries()}
        return [p for p in self.participants if p not in done]

    def record(
        self, participant: str, reply: str, feedback: Feedback | None, timed_out: bool = False
    ) -> Entry:
        """Keep one reply (once per participant and round: a second one is refused)."""
        if participant not in self.participants:
            raise ValueError(f"{participant!r} is not in this workshop")
        if participant not in self.waiting():
            raise ValueError(f"{participant} has already replied in round {self.round.number}")
        entry = Entry(participant, self.round.number, reply, feedback, timed_out)
        self.entries.append(entry)
        return entry

    def time_up(self, pending: Iterable[str] = ()) -> list[Entry]:
        """Record no reply for everyone still waiting whose turn never came.

        `pending` are those whose reply was sent but is still being scored.
        """
        skip = set(pending)
        return [self.record(p, "", None, timed_out=True) for p in self.waiting() if p not in skip]
