"""Partner practice: two people at one keyboard take turns to speak and to listen.

The speaker writes something real and small, and picks the one to three feelings (and,
if they like, the need) that go with it, from the lexicon. The listener replies without
seeing the picks; the engine scores the reply against what the speaker said and picked.
Then they swap.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from listen_trainer.content.models import MAX_PICKED_FEELINGS
from listen_trainer.workshop.run import Entry, clean_names

if TYPE_CHECKING:
    from listen_trainer.scoring import Feedback, Scorer

MAX_STATEMENT_CHARS = 1000


class PickError(ValueError):
    """What the speaker has still to do before handing over, said to them."""


@dataclass(frozen=True)
class Turn:
    number: int
    speaker: str
    listener: str
    statement: str
    feelings: tuple[str, ...]
    needs: tuple[str, ...]
    reply: str = ""
    feedback: Feedback | None = None


def check_picks(
    statement: str,
    feelings: Sequence[str],
    needs: Sequence[str],
    feeling_words: Mapping[str, str],
    need_words: Mapping[str, str],
) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """The statement and picks, cleaned; PickError saying what is missing or wrong."""
    statement = statement.strip()
    if not statement:
        raise PickError("Write what you want to tell your partner first: something small and real.")
    if len(statement) > MAX_STATEMENT_CHARS:
        raise PickError(f"Keep it to {MAX_STATEMENT_CHARS} characters or fewer.")
    picked = tuple(dict.fromkeys(f.strip().lower() for f in feelings if f.strip()))
    if not 1 <= len(picked) <= MAX_PICKED_FEELINGS:
        raise PickError(f"Pick one to {MAX_PICKED_FEELINGS} feelings that go with it.")
    unknown = [f for f in picked if f not in feeling_words]
    if unknown:
        raise PickError(f"Not in the feelings list: {', '.join(unknown)}.")
    wanted = tuple(dict.fromkeys(n.strip().lower() for n in needs if n.strip()))
    if len(wanted) > 1:
        raise PickError("Pick at most one need, or none.")
    if any(n not in need_words for n in wanted):
        raise PickError(f"Not in the needs list: {', '.join(wanted)}.")
    return statement, picked, wanted


def score_turn(scorer: Scorer, turn: Turn, text: str) -> Feedback | None:
    """The feedback on a listener's reply to `turn`; None when they wrote nothing."""
    if not text.strip():
        return None
    return scorer.score(text, statement=turn.statement, feelings=turn.feelings, needs=turn.needs)


@dataclass
class PartnerSession:
    """Two people, the turns they took, and who speaks now."""

    first: str
    second: str
    feeling_words: Mapping[str, str]
    need_words: Mapping[str, str]
    turns: list[Turn] = field(default_factory=list)
    pending: Turn | None = None
    _speaker_is_first: bool = True

    def __post_init__(self) -> None:
        names = clean_names([self.first, self.second])
        if len(names) != 2:
            raise ValueError("partner practice needs two different names")
        self.first, self.second = names

    @property
    def speaker(self) -> str:
        return self.first if self._speaker_is_first else self.second

    @property
    def listener(self) -> str:
        return self.second if self._speaker_is_first else self.first

    def speak(self, statement: str, feelings: Sequence[str], needs: Sequence[str] = ()) -> Turn:
        """The speaker hands over what they said and picked; the listener's turn begins."""
        statement, picked, wanted = check_picks(
            statement, feelings, needs, self.feeling_words, self.need_words
        )
        self.pending = Turn(
            len(self.turns) + 1, self.speaker, self.listener, statement, picked, wanted
        )
        return self.pending

    def reply(self, text: str, feedback: Feedback | None) -> Turn:
        """Keep the listener's reply and its feedback (see `score_turn`); the turn is done."""
        if self.pending is None:
            raise ValueError("nobody has spoken yet")
        done = replace(self.pending, reply=text, feedback=feedback)
        self.turns.append(done)
        self.pending = None
        return done

    def swap(self) -> None:
        self.pending = None
        self._speaker_is_first = not self._speaker_is_first

    def entries(self) -> list[Entry]:
        """Each turn as the listener's entry, for the summary: a person's own listening."""
        return [Entry(t.listener, t.number, t.reply, t.feedback) for t in self.turns]
