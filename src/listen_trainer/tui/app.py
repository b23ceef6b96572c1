"""The Textual App: holds the Session, opens Home, prepares the slow parts in a worker."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App
from textual.screen import Screen

from listen_trainer.tui.screens.home import HomeScreen
from listen_trainer.tui.state import THEMES, Session

if TYPE_CHECKING:
    from listen_trainer.tui.speaker_state import SpeakerPractice


class TrainerApp(App[None]):
    # Workshop screens bring their own styles when first opened: every rule in the app's
    # stylesheet is matched against every widget, so Home is drawn with the fewest.
    CSS_PATH = "app.tcss"
    TITLE = "listen-trainer"
    SUB_TITLE = "reflective listening practice"

    def __init__(
        self,
        session: Session,
        start: Callable[[Session], Screen[Any]] | None = None,
        *,
        first_run: bool = False,
    ) -> None:
        """`start`, if given, builds a screen opened above Home (Esc leads back to Home);
        with `first_run`, Home first asks who is practising and why."""
        super().__init__()
        self.session = session
        self._start = start
        self._first_run = first_run
        self._speaker: SpeakerPractice | None = None

    @property
    def speaker(self) -> SpeakerPractice:
        """The speaker's side of the session, loaded when first asked for."""
        from listen_trainer.tui.speaker_state import SpeakerPractice

        if self._speaker is None:
            self._speaker = SpeakerPractice.load(self.session)
        return self._speaker

    def on_mount(self) -> None:
        self.theme = THEMES[self.session.settings.theme]
        self.push_screen(HomeScreen(self.session, first_run=self._first_run))
        if self._start is not None:
            self.push_screen(self._start(self.session))
        # After the first refresh, so that the toasts land on Home rather than under it.
        self.call_after_refresh(self._report_problems)
        # Also after it: importing spaCy in a thread holds the GIL in long stretches, and
        # Home would wait for it to be drawn.
        self.call_after_refresh(self.prepare)

    def _report_problems(self) -> None:
        for problem in self.session.library.problems:
            self.notify(
                str(problem),
                title="A pack was skipped",
                severity="warning",
                timeout=20,
                markup=False,
            )

    @work(thread=True, group="prepare")
    def prepare(self) -> None:
        """Open the history and build the scorer off the UI thread, before the first reply."""
        problem = self.session.open_history()
        if problem:
            self.call_from_thread(
                self.notify, problem, title="History", severity="warning", markup=False
            )
        self.session.scorer()

    def on_progress_screen_drill_requested(self, message: Any) -> None:
        """Progress asks to drill its chosen scenarios (weakest skill first), in order."""
        scenarios = list(message.scenarios)
        if scenarios:
            from listen_trainer.tui.screens.drill import DrillScreen

            self.push_screen(DrillScreen(self.session, scenarios[0], queue=scenarios[1:]))

    def on_unmount(self) -> None:
        self.session.close()
