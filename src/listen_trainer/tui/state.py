"""What the trainer remembers during one session: settings, drafts, attempts, the scorer.

The screens come and go (Esc closes them), so anything a learner would be upset to lose
lives here instead: the reply they were writing, the attempts they made at a scenario,
the settings they chose. Nothing here imports Textual, so it is easy to test alone.
"""

from __future__ import annotations

import contextlib
import random
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

from listen_trainer.content.library import Library, Rubric
from listen_trainer.content.models import Category, Pack, Scenario, Verdict

if TYPE_CHECKING:
    from listen_trainer.scoring import Feedback, Scorer

DrillOrder = Literal["pack", "random", "weakest"]
ThemeName = Literal["dark", "light"]

ORDER_LABELS: dict[DrillOrder, str] = {
    "pack": "Pack order",
    "random": "Random",
    "weakest": "Weakest skill first",
}
THEMES: dict[ThemeName, str] = {"dark": "textual-dark", "light": "textual-light"}
DIFFICULTY_LABELS = {1: "easy", 2: "medium", 3: "hard"}
SPEAKER_LABELS = {
    "partner": "Your partner",
    "friend": "A friend",
    "parent": "Your parent",
    "child": "Your child",
    "sibling": "Your sibling",
    "colleague": "A colleague",
    "client": "A client",
}
# Carkhuff's empathy scale, said plainly.
DEPTH_LABELS = {
    1: "misses or hurts",
    2: "misses part of it",
    3: "hears what was said",
    4: "hears what lies beneath",
    5: "deep understanding",
}


@dataclass(frozen=True)
class Settings:
    """The choices made in the settings dialog; they last for the session."""

    theme: ThemeName = "dark"
    order: DrillOrder = "pack"
    min_difficulty: int = 1
    max_difficulty: int = 3
    disabled_packs: frozenset[str] = frozenset()
    # Scenarios marked sensitive (thoughts of suicide, self-harm) are drilled only when
    # the learner includes them; Browse still opens any one of them on request.
    include_sensitive: bool = False

    def normalised(self) -> Settings:
        """The same settings with the difficulty range the right way round."""
        low, high = sorted((self.min_difficulty, self.max_difficulty))
        return replace(self, min_difficulty=low, max_difficulty=high)


def verdict_label(verdict: Verdict, rubric: Rubric) -> str:
    """The name a learner reads for a verdict: the rubric's label for a roadblock."""
    if verdict is Verdict.ATTUNED:
        return "Attuned"
    if verdict is Verdict.PARTLY_ATTUNED:
        return "Partly attuned"
    if verdict is Verdict.MISSED:
        return "Missed"
    return rubric.categories[Category(verdict.value)].label


@dataclass
class Session:
    """The trainer's state for one run of the program; shared by every screen."""

    rubric: Rubric
    library: Library
    settings: Settings = field(default_factory=Settings)
    profile: str = "default"
    scorer_factory: Callable[[Rubric], Scorer] | None = None
    drafts: dict[str, str] = field(default_factory=dict)
    attempts: dict[str, list[Feedback]] = field(default_factory=dict)
    last_replies: dict[str, str] = field(default_factory=dict)
    current_id: str | None = None
    # Opened on one activity from the command line (`listen-trainer workshop`): leaving it
    # ends the program instead of landing on Home.
    leave_exits: bool = False
    history: Any = None
    _scorer: Scorer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _history_tried: threading.Event = field(default_factory=threading.Event)
    _random: random.Random = field(default_factory=random.Random)

    # ------------------------------------------------------------------ scorer

    @property
    def scorer_ready(self) -> bool:
        return self._scorer is not None

    def set_scorer(self, scorer: Scorer | None) -> None:
        self._scorer = scorer

    def scorer(self) -> Scorer:
        """The one Scorer of this process, built on first use (call from a worker thread)."""
        with self._lock:
            if self._scorer is None:
                if self.scorer_factory is not None:
                    self._scorer = self.scorer_factory(self.rubric)
                else:
                    from listen_trainer.scoring import Scorer

                    self._scorer = Scorer(self.rubric)
            return self._scorer

    # ------------------------------------------------------------------ scenarios

    def pack_of(self, scenario_id: str) -> Pack | None:
        for pack, scenario in self.library.scenarios():
            if scenario.id == scenario_id:
                return pack
        return None

    def drill_scenarios(self) -> list[Scenario]:
        """The scenarios a drill may pick from: enabled packs, within the difficulty range."""
        s = self.settings.normalised()
        return [
            scenario
            for pack, scenario in self.library.scenarios()
            if pack.id not in s.disabled_packs
            and s.min_difficulty <= scenario.difficulty <= s.max_difficulty
            and (s.include_sensitive or not scenario.sensitive)
        ]

    def current_scenario(self) -> Scenario | None:
        """The scenario the learner was last on, or the first one the order gives."""
        if self.current_id is not None:
            found = self.library.find(self.current_id)
            if found is not None:
                return found
        return self.next_scenario()

    def next_scenario(self, after: str | None = None) -> Scenario | None:
        """The scenario to drill after `after`, by the chosen drill order."""
        pool = self.drill_scenarios()
        if not pool:
            return None
        order = self.settings.order
        if order == "weakest":
            ranked = self._weakest_first(pool)
            if ranked:
                others = [s for s in ranked if s.id != after]
                return others[0] if others else ranked[0]
        if order == "random":
            others = [s for s in pool if s.id != after]
            return self._random.choice(others or pool)
        ids = [s.id for s in pool]
        if after in ids:
            return pool[(ids.index(after) + 1) % len(pool)]
        return pool[0]

    def _weakest_first(self, pool: list[Scenario]) -> list[Scenario]:
        """The practice scheduler's order, kept to `pool`; empty if it is not available."""
        try:
            from listen_trainer.practice.schedule import next_scenarios
        except ImportError:
            return []
        attempts = self.past_attempts()
        allowed = {s.id for s in pool}
        everything = sum(1 for _ in self.library.scenarios())
        ranked = next_scenarios(
            self.library,
            attempts,
            now=datetime.now(UTC),
            weakest_first=True,
            limit=max(1, everything),
        )
        return [s for s in ranked if s.id in allowed]

    def easy_scenario(self) -> Scenario | None:
        """A newcomer's first drill: easy, everyday (no clinical pack, nothing sensitive),
        preferably someone who is sad (the clearest case)."""
        from listen_trainer.tui.first_run import CLINICAL_PACKS

        everyday = [
            s
            for pack, s in self.library.scenarios()
            if pack.id not in CLINICAL_PACKS and not s.sensitive
        ]
        easy = [s for s in everyday if s.difficulty == 1]
        sad = [s for s in easy if "sad" in s.feelings.surface]
        pool = sad or easy or everyday or [s for _, s in self.library.scenarios()]
        return pool[0] if pool else None

    # ------------------------------------------------------------------ history

    def open_history(self) -> str | None:
        """Open the learner's history if the store is installed; the problem, if any."""
        try:
            from listen_trainer.store import History, HistoryError
        except ImportError:
            self._history_tried.set()
            return None
        try:
            self.history = History.open()
        except (HistoryError, OSError, sqlite3.Error) as exc:
            return f"Your attempts will not be saved this time: {exc}"
        finally:
            self._history_tried.set()
        return None

    def wait_for_history(self, timeout: float) -> bool:
        """Block (in a worker) until `open_history` has been tried; False on timeout."""
        return self._history_tried.wait(timeout)

    # ------------------------------------------------------------------ profiles

    def known_profiles(self) -> list[str]:
        """The profiles with attempts in the history, and the current one, by name."""
        names = {self.profile}
        if self.history is not None:
            from listen_trainer.store import HistoryError

            # A history that cannot be read now still leaves the current name and a new one.
            with contextlib.suppress(HistoryError, sqlite3.Error):
                names.update(self.history.profiles())
        return sorted(names, key=str.casefold)

    def switch_profile(self, name: str) -> None:
        """Practise as `name` from now on (checked by the store's rules).

        What the previous learner left in this session (unsent drafts, the attempts a
        "try again" compares with, the scenario they were on) is theirs: it is dropped, so
        the next person at a shared machine neither sees it nor continues it.
        """
        from listen_trainer.store import check_profile

        name = check_profile(name)
        if name == self.profile:
            return
        self.profile = name
        self.drafts.clear()
        self.attempts.clear()
        self.last_replies.clear()
        self.current_id = None

    def record(self, reply: str, feedback: Feedback, scenario: Scenario) -> str | None:
        """Save one attempt to the history (thread-safe); the problem, if it failed."""
        if self.history is None:
            return None
        from listen_trainer.store import HistoryError

        try:
            self.history.record(
                profile=self.profile,
                reply=reply,
                feedback=feedback,
                scenario_id=scenario.id,
                statement=scenario.statement,
                rubric_version=self.rubric.version,
            )
        except (HistoryError, OSError, sqlite3.Error, ValueError) as exc:
            return f"This attempt was not saved: {exc}"
        return None

    def past_attempts(self) -> list[Any]:
        if self.history is None:
            return []
        from listen_trainer.store import HistoryError

        try:
            return list(self.history.attempts(profile=self.profile))
        except (HistoryError, sqlite3.Error):
            return []

    def close(self) -> None:
        if self.history is not None:
            self.history.close()
            self.history = None
