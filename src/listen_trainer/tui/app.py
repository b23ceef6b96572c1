"""The Textual App: holds the Session, opens Home, and owns app-wide settings."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import App
from textual.binding import Binding

from listen_trainer.tui.screens import DrillScreen, HelpScreen, HomeScreen, SettingsScreen
from listen_trainer.tui.state import THEMES, Session, Settings


class TrainerApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "listen-trainer"
    SUB_TITLE = "reflective listening practice"
    BINDINGS = [Binding("f1", "help", "Help", show=False),
                Binding("f2", "settings", "Settings", show=False)]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def on_mount(self) -> None:
        self.theme = THEMES[self.session.settings.theme]
        self.push_screen(HomeScreen(self.session), wait_for_dismiss=False)
        self.call_after_refresh(self._report_problems)
        self.prepare()

    def _report_problems(self) -> None:
        # After the first refresh, so that the toasts land on Home rather than under it.
        for problem in self.session.library.problems:
            self.notify(str(problem), title="A pack was skipped", severity="warning", timeout=20,
                        markup=False)

    @work(thread=True, group="prepare")
    def prepare(self) -> None:
        """Open the history and build the scorer off the UI thread, before the first reply."""
        problem = self.session.open_history()
        if problem:
            self.call_from_thread(self.notify, problem, title="History", severity="warning")
        self.session.scorer()

    def action_settings(self) -> None:
        def apply(settings: Settings | None) -> None:
            if settings is not None:
                self.session.settings = settings
                self.theme = THEMES[settings.theme]

        packs = self.session.library.packs
        self.push_screen(SettingsScreen(self.session.settings, packs), apply)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.session))

    def on_progress_screen_drill_requested(self, message: Any) -> None:
        """Progress asks to drill its chosen scenarios (weakest skills first)."""
        scenarios = list(message.scenarios)
        if scenarios:
            self.push_screen(DrillScreen(self.session, scenarios[0], queue=scenarios[1:]))

    def on_unmount(self) -> None:
        self.session.close()
