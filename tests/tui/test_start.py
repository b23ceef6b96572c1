"""The start-screen hook: `make_app(..., start=...)` opens a chosen screen above Home."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from listen_trainer.content.library import Library, Rubric
from listen_trainer.scoring import Scorer
from listen_trainer.tui import make_app
from listen_trainer.tui.app import TrainerApp
from listen_trainer.tui.screens import BrowseScreen, HomeScreen
from listen_trainer.tui.state import Session

from .conftest import drive


def test_start_screen_opens_above_home_and_escape_returns_home(
    rubric: Rubric, library: Library, scorer: Scorer
) -> None:
    given: list[Session] = []

    def start(session: Session) -> BrowseScreen:
        given.append(session)
        return BrowseScreen(session)

    app = make_app(rubric, library, scorer, start=start)

    async def script(app: TrainerApp, pilot: Pilot[Any]) -> None:
        assert isinstance(app.screen, BrowseScreen)
        assert isinstance(app.screen_stack[-2], HomeScreen)
        assert given == [app.session]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)

    drive(app, script)


def test_without_a_start_screen_the_trainer_opens_on_home(
    rubric: Rubric, library: Library, scorer: Scorer
) -> None:
    app = make_app(rubric, library, scorer)

    async def script(app: TrainerApp, pilot: Pilot[Any]) -> None:
        assert isinstance(app.screen, HomeScreen)

    drive(app, script)
