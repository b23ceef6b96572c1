"""Home, browse, help, settings and the first-time path, driven with Pilot."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, Static
from textual.widgets._toast import Toast

from listen_trainer.content.library import ContentError, Rubric, load_library
from listen_trainer.content.yaml_source import Problem
from listen_trainer.tui import launch
from listen_trainer.tui.app import TrainerApp
from listen_trainer.tui.dialogs.intro import IntroDialog
from listen_trainer.tui.dialogs.settings import SettingsDialog
from listen_trainer.tui.screens import (
    BrowseScreen,
    DrillScreen,
    HelpScreen,
    HomeScreen,
)
from listen_trainer.tui.state import Settings
from listen_trainer.tui.widgets.tick_list import TickList

from .conftest import BROKEN_PACK, TEST_PACK, AppFactory, drive


def table_ids(app: TrainerApp) -> list[str]:
    table = app.screen.query_one(DataTable)
    return [
        str(table.coordinate_to_cell_key((row, 0)).row_key.value) for row in range(table.row_count)
    ]


def test_browse_searches_forgiving_typos_and_opens_a_drill(make: AppFactory) -> None:
    app = make()

    async def script(app: TrainerApp, pilot: Pilot[Any]) -> None:
        await pilot.press("b")
        assert isinstance(app.screen, BrowseScreen)
        assert len(table_ids(app)) == 3
        app.screen.query_one("#search", Input).value = "dishs"
        await pilot.pause()
        assert table_ids(app) == ["tui-angry-dishes"]
        assert "You never help with the dishes" in str(
            app.screen.query_one("#preview", Static).render()
        )
        await pilot.press("enter")  # from the search to the table
        assert isinstance(app.focused, DataTable)
        await pilot.press("enter")
        assert isinstance(app.screen, DrillScreen)
        assert app.screen.scenario.id == "tui-angry-dishes"
        await pilot.press("escape")
        assert isinstance(app.screen, BrowseScreen)  # Esc goes back where we came from

    drive(app, script)


def test_browse_filters_by_level_and_relationship(make: AppFactory) -> None:
    app = make()

    async def script(app: TrainerApp, pilot: Pilot[Any]) -> None:
        await pilot.press("b")
        app.screen.query_one("#difficulty", Select).value = 3
        await pilot.pause()
        assert table_ids(app) == ["tui-scared-results"]
        await pilot.press("ctrl+r")
        app.screen.query_one("#speaker", Select).value = "partner"
        await pilot.pause()
        assert table_ids(app) == ["tui-sad-day", "tui-angry-dishes"]
        app.screen.query_one("#search", Input).value = "nothing like this anywhere"
        await pilot.pause()
        assert table_ids(app) == []
        assert "No scenario matches" in str(app.screen.query_one("#preview", Static).render())

    drive(app, script)


def test_settings_change_lasts_for_the_session(make: AppFactory) -> None:
    app = make()

    async def script(app: TrainerApp, pilot: Pilot[Any]) -> None:
        assert app.theme == "textual-dark"
        await pilot.press("s")
        assert isinstance(app.screen, SettingsDialog)
        app.screen.query_one("#theme", Select).value = "light"
        app.screen.query_one("#min-difficulty", Select).value = 2
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, HomeScreen)
        assert app.theme == "textual-light"
        assert app.session.settings == Settings(theme="light", min_difficulty=2)
        # Practice now skips the easy scenario, and the dialog shows what was chosen.
        await pilot.press("p")
        assert isinstance(app.screen, DrillScreen)
        assert app.screen.scenario.id == "tui-angry-dishes"
        await pilot.press("ctrl+n")
        assert app.screen.scenario.id == "tui-scared-results"
        await pilot.press("escape", "s")
        assert app.screen.query_one("#theme", Select).value == "light"
        assert app.screen.query_one("#min-difficulty", Select).value == 2
        await pilot.press("escape")  # Esc cancels: nothing changes
        assert app.session.settings.theme == "light"

    drive(app, script)


def test_disabling_every_pack_is_explained(make: AppFactory) -> None:
    app = make()

    async def script(app: TrainerApp, pilot: Pilot[Any]) -> None:
        await pilot.press("s")
        packs = app.screen.query_one("#packs", TickList)
        assert str(packs.get_option("tui-test").prompt).startswith("[x] ")
        packs.focus()
        await pilot.press("space")  # unticked: the mark goes, not only the colour
        assert str(packs.get_option("tui-test").prompt).startswith("[ ] ")
        await pilot.press("ctrl+s")
        assert app.session.settings.disabled_packs == {"tui-test"}
        await pilot.press("p")
        assert isinstance(app.screen, HomeScreen)
        assert any("No scenario fits" in n.message for n in app._notifications)

    drive(app, script)


def test_first_time_path_explains_then_runs_an_easy_drill(make: AppFactory) -> None:
    app = make()

    async def script(app: TrainerApp, pilot: Pilot[Any]) -> None:
        await pilot.press("f")
        assert isinstance(app.screen, IntroDialog)
        intro = str(app.screen.query_one("#intro-text", Static).render())
        assert "attuned" in intro and "placating" in intro.lower()
        await pilot.press("enter")
        assert isinstance(app.screen, DrillScreen)
        assert app.screen.scenario.difficulty == 1
        assert "sad" in app.screen.scenario.feelings.surface

    drive(app, script)


def test_help_lists_every_category_with_an_example(make: AppFactory, rubric: Rubric) -> None:
    app = make()

    async def script(app: TrainerApp, pilot: Pilot[Any]) -> None:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = "\n".join(str(s.render()) for s in app.screen.query(".help-section"))
        for info in rubric.categories.values():
            assert info.label in text
            assert info.example[:30] in text
        assert "Enter send the reply" in text
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)

    drive(app, script)


def test_a_broken_user_pack_is_a_notification_naming_file_and_line(
    make: AppFactory, rubric: Rubric
) -> None:
    library = load_library(rubric, [TEST_PACK, BROKEN_PACK])
    app = make(library_=library)

    async def script(app: TrainerApp, pilot: Pilot[Any]) -> None:
        await pilot.pause()
        toasts = [str(t.render()) for t in app.screen.query(Toast)]
        assert any("broken_pack.yaml:12" in t and "difficulty" in t for t in toasts), toasts
        # The good pack still loaded.
        assert "3 scenarios in 1 pack" in str(app.screen.query_one("#home-status").render())

    drive(app, script, notifications=True)


def test_launch_stops_with_a_clear_message_when_the_rubric_is_broken(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken() -> None:
        raise ContentError([Problem("rubrics/settings.yaml", 4, "weights", "expected a map")])

    monkeypatch.setattr("listen_trainer.tui.load_rubric", broken)
    assert launch(argparse.Namespace(packs=[])) == 1
    err = capsys.readouterr().err
    assert "rubric files are broken" in err
    assert "rubrics/settings.yaml:4: weights: expected a map" in err


def test_progress_drill_request_opens_a_drill_in_its_order(make: AppFactory) -> None:
    progress = pytest.importorskip("listen_trainer.tui.screens.progress")
    app = make()

    async def script(app: TrainerApp, pilot: Pilot[Any]) -> None:
        await app.workers.wait_for_complete()  # the history is open
        await pilot.press("g")
        assert isinstance(app.screen, progress.ProgressScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DrillScreen)
        drill = app.screen
        assert len(drill.queue) == 2  # the other two, in the schedule's order
        following = drill.queue[0]
        await pilot.press("ctrl+n")
        assert drill.scenario.id == following.id
        await pilot.press("escape")
        assert isinstance(app.screen, progress.ProgressScreen)

    drive(app, script)


def test_weakest_first_order_follows_the_practice_schedule(make: AppFactory) -> None:
    schedule = pytest.importorskip("listen_trainer.practice.schedule")
    app = make(settings=Settings(order="weakest", max_difficulty=2))
    session = app.session
    ranked = [
        s.id
        for s in schedule.next_scenarios(session.library, [], now=datetime.now(UTC))
        if s.difficulty <= 2
    ]
    first = session.next_scenario()
    assert first is not None and first.id == ranked[0]
    following = session.next_scenario(after=first.id)
    assert following is not None and following.id == ranked[1]
