"""What the trainer keeps for the speaker's side during a session: its rubric and packs,
its scorer (built once, on first use, in a worker), drafts and attempts per scenario.

Attempts are kept in the learner's history beside their replies, as Feedback with
`side: speaker`. Nothing here imports Textual.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from listen_trainer.content.library import ContentError, pack_dirs
from listen_trainer.content.speaker_library import (
    SpeakerLibrary,
    SpeakerRubric,
    load_speaker_library,
    load_speaker_rubric,
)
from listen_trainer.content.speaker_models import Drill, SpeakerScenario, SpeakerVerdict

if TYPE_CHECKING:
    from listen_trainer.scoring import Feedback
    from listen_trainer.scoring.speaker import SpeakerScorer
    from listen_trainer.tui.state import Session

TO_LABELS = {
    "partner": "your partner",
    "friend": "a friend",
    "parent": "your parent",
    "child": "your child",
    "sibling": "your sibling",
    "colleague": "a colleague",
}
VERDICT_LABELS = {
    SpeakerVerdict.SOFT_STARTUP: "Soft start-up",
    SpeakerVerdict.PARTLY_SOFT: "Partly soft",
    SpeakerVerdict.CRITICISING: "Criticising",
    SpeakerVerdict.BLAMING: "Blaming",
    SpeakerVerdict.CONTEMPT: "Contempt",
    SpeakerVerdict.HINTING: "Hinting",
    SpeakerVerdict.DEMANDING: "Demanding",
}
SKILL_LABELS = {
    "observe": "Observation",
    "feel": "Feeling",
    "need": "Need",
    "request": "Request",
    "reassure": "Reassurance",
    "avoid_harshness": "Avoid harshness",
}
# Which scenarios each speaker drill takes.
DRILLS: dict[str, frozenset[Drill]] = {
    "soften": frozenset({Drill.SOFTEN, Drill.SPACE}),
    "reach_out": frozenset({Drill.REACH_OUT}),
}


@dataclass
class SpeakerPractice:
    """The speaker's side of one trainer session; `session` is the listener's."""

    session: Session
    rubric: SpeakerRubric | None = None
    library: SpeakerLibrary = field(default_factory=lambda: SpeakerLibrary(packs=()))
    problem: str | None = None
    drafts: dict[str, str] = field(default_factory=dict)
    attempts: dict[str, list[Feedback]] = field(default_factory=dict)
    last: dict[str, str] = field(default_factory=dict)
    _scorer: SpeakerScorer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def load(cls, session: Session, extra_packs: Iterable[Any] = ()) -> SpeakerPractice:
        """The speaker's rubric and packs; a broken rubric is kept as `problem`, not raised."""
        try:
            rubric = load_speaker_rubric()
        except ContentError as exc:
            return cls(session, problem="; ".join(str(p) for p in exc.problems[:3]))
        library = load_speaker_library(rubric.lexicon, pack_dirs(extra_packs))
        return cls(session, rubric=rubric, library=library)

    def set_scorer(self, scorer: SpeakerScorer | None) -> None:
        """Use `scorer` (one built beforehand, as tests do) instead of building one."""
        self._scorer = scorer

    @property
    def scorer_ready(self) -> bool:
        return self._scorer is not None

    def scorer(self) -> SpeakerScorer:
        """The speaker's scorer, built on first use (call from a worker thread). It has a
        pipeline of its own, so that it never shares one with the listener's scorer
        across threads."""
        with self._lock:
            if self._scorer is None:
                if self.rubric is None:
                    raise RuntimeError(f"the speaker's rubric is broken: {self.problem}")
                from listen_trainer.scoring.speaker import SpeakerScorer

                self._scorer = SpeakerScorer(self.rubric)
            return self._scorer

    def scenarios(self, drill: str) -> list[SpeakerScenario]:
        """The scenarios of a drill ("soften" or "reach_out"), easiest first."""
        kinds = DRILLS[drill]
        pool = [s for _, s in self.library.scenarios() if s.drill in kinds]
        return sorted(pool, key=lambda s: s.difficulty)

    def scored(self, scenario_id: str, text: str, feedback: Feedback) -> None:
        self.drafts.pop(scenario_id, None)
        self.attempts.setdefault(scenario_id, []).append(feedback)
        self.last[scenario_id] = text

    def record(self, text: str, feedback: Feedback, scenario: SpeakerScenario | None) -> str | None:
        """Keep one attempt in the learner's history (thread-safe); the problem, if any."""
        history = self.session.history
        if history is None:
            return None
        from listen_trainer.store import HistoryError

        try:
            history.record(
                profile=self.session.profile,
                reply=text,
                feedback=feedback,
                scenario_id=scenario.id if scenario else None,
                statement=scenario.situation if scenario else "",
                rubric_version=self.rubric.version if self.rubric else "",
            )
        except (HistoryError, OSError, sqlite3.Error, ValueError) as exc:
            return f"This attempt was not saved: {exc}"
        return None
