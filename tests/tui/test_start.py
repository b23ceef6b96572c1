"""The start-screen hook: `make_app(..., start=...)` opens a chosen screen above Home."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList

from listen_trainer.content.library import Library, Rubric
from listen_trainer.scoring import Scorer
from listen_trainer.tui import make_app
from listen_trainer.tui.app import TrainerApp
from listen_trainer.tui.screens import BrowseScreen, HomeScreen
from listen_trainer.tui.state import Session

from .conftest import AppFactory, drive


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


def test_home_opens_the_workshop_with_w_and_from_its_entry(make: AppFactory) -> None:
    workshop = pytest.importorskip("listen_trainer.tui.screens.workshop")
    app = make()

    async def script(app: TrainerApp, pilot: Pilot[Any]) -> None:
        modes = app.screen.query_one("#modes", OptionList)
        ids = [modes.get_option_at_index(i).id for i in range(modes.option_count)]
        assert "workshop" in ids
        await pilot.press("w")
        assert isinstance(app.screen, workshop.WorkshopScreen)
        assert app.screen.session is app.session
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        modes = app.screen.query_one("#modes", OptionList)
        modes.highlighted = ids.index("workshop")
        await pilot.press("enter")
        assert isinstance(app.screen, workshop.WorkshopScreen)

    drive(app, script)
