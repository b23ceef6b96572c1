"""Profiles in the trainer: shown on Home, chosen there (or asked first), used by drills
and Progress, and given on the command line."""

from __future__ import annotations

import argparse
import time
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from history_fixtures import seed_profiles
from listen_trainer.cli import build_parser
from listen_trainer.content.library import Library, Rubric
from listen_trainer.scoring import Scorer
from listen_trainer.tui import launch, make_app
from listen_trainer.tui.app import TrainerApp
from listen_trainer.tui.dialogs.profile import ProfileDialog
from listen_trainer.tui.screens import DrillScreen, HomeScreen
from listen_trainer.tui.state import Session

from .conftest import ATTUNED, AppFactory, drive, send


def _status(app: TrainerApp) -> str:
    return str(app.screen.query_one("#home-status", Static).render())


def _names(screen: ProfileDialog) -> list[str]:
    options = screen.query_one("#profiles", OptionList)
    return [str(options.get_option_at_index(i).id) for i in range(options.option_count)]


async def _type_name(app: TrainerApp, pilot: Pilot[Any], name: str) -> None:
    box = app.screen.query_one("#new-profile", Input)
    assert box.has_focus  # the chooser opens ready for a name to be typed
    box.value = name
    await pilot.press("enter")
    await pilot.pause()


def test_home_shows_the_profile_and_a_new_name_is_used_by_drills_and_progress(
    make: AppFactory,
) -> None:
    progress = pytest.importorskip("listen_trainer.tui.screens.progress")
    app = make()

    async def script(app: TrainerApp, pilot: Pilot[Any]) -> None:
        await app.workers.wait_for_complete()  # the history is open
        assert "Practising as default" in _status(app)
        await pilot.press("u")
        assert isinstance(app.screen, ProfileDialog)
        await pilot.press("space", "A", "n", "n", "space", "enter")  # as a person types it
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.session.profile == "Ann"
        assert "Practising as Ann" in _status(app)

        await pilot.press("p")
        assert isinstance(app.screen, DrillScreen)
        await send(app, pilot, ATTUNED)
        history = app.session.history
        assert [a.profile for a in history.attempts(profile="Ann")] == ["Ann"]
        assert history.count(profile="default") == 0

        await pilot.press("escape")
        await pilot.press("g")
        assert isinstance(app.screen, progress.ProgressScreen)
        assert app.screen.profile == "Ann"

    drive(app, script)


def test_the_chooser_lists_profiles_from_the_history(make: AppFactory) -> None:
    seed_profiles("Bo", "cy")
    app = make()

    async def script(app: TrainerApp, pilot: Pilot[Any]) -> None:
        await pilot.press("u")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ProfileDialog)
        assert _names(screen) == ["Bo", "cy", "default"]
        await pilot.press("tab", "home", "enter")  # the list, then its first: Bo
        await pilot.pause()
        assert app.session.profile == "Bo"
        assert "Practising as Bo" in _status(app)

    drive(app, script)


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("   ", "cannot be empty"),
        ("x" * 41, "at most 40 characters"),
    ],
)
def test_a_name_that_cannot_be_a_profile_is_explained_and_nothing_changes(
    make: AppFactory, name: str, why: str
) -> None:
    app = make()

    async def script(app: TrainerApp, pilot: Pilot[Any]) -> None:
        await pilot.press("u")
        await _type_name(app, pilot, name)
        assert isinstance(app.screen, ProfileDialog)
        error = str(app.screen.query_one("#profile-error", Static).render())
        assert why in error
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        assert app.session.profile == "default"

    drive(app, script)


def test_switching_learner_drops_the_previous_learners_unsent_reply(make: AppFactory) -> None:
    app = make()

    async def script(app: TrainerApp, pilot: Pilot[Any]) -> None:
        await pilot.press("p")
        app.screen.query_one("#reply").text = "my private half-written reply"
        await pilot.press("escape")
        assert "unsent reply" in _status(app)
        await pilot.press("u")
        await _type_name(app, pilot, "Bo")
        assert app.session.drafts == {}
        assert "unsent" not in _status(app)
        await pilot.press("p")
        assert "half-written" not in app.screen.query_one("#reply").text

    drive(app, script)


def test_asked_first_the_chooser_cannot_be_skipped(
    rubric: Rubric, library: Library, scorer: Scorer
) -> None:
    def ask(session: Session) -> ProfileDialog:
        return ProfileDialog(session, required=True)

    app = make_app(rubric, library, scorer, start=ask)

    async def script(app: TrainerApp, pilot: Pilot[Any]) -> None:
        assert isinstance(app.screen, ProfileDialog)
        assert app.screen.query_one("#new-profile", Input).has_focus
        await pilot.press("escape")
        assert isinstance(app.screen, ProfileDialog)
        await _type_name(app, pilot, "Dee")
        assert isinstance(app.screen, HomeScreen)
        assert app.session.profile == "Dee"

    drive(app, script)


def test_profile_and_ask_profile_on_the_command_line_reach_the_trainer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    made: list[dict[str, Any]] = []

    class NotRun:
        def run(self) -> None:
            pass

    def fake_make_app(*args: Any, **kwargs: Any) -> NotRun:
        made.append(kwargs)
        return NotRun()

    monkeypatch.setattr("listen_trainer.tui.make_app", fake_make_app)
    args = build_parser().parse_args(["--profile", " Ann ", "--ask-profile"])
    assert launch(args) == 0
    assert made[0]["profile"] == "Ann"
    assert made[0]["start"] is not None
    launch(argparse.Namespace(packs=[]))
    assert made[1]["profile"] == "default"
    assert made[1]["start"] is None


def test_profile_before_a_command_is_refused_rather_than_ignored(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from listen_trainer.cli import main

    with pytest.raises(SystemExit) as stop:
        main(["--profile", "ann", "history", "delete", "--yes"])
    assert stop.value.code == 2
    assert "listen-trainer history --profile ann" in capsys.readouterr().err


def test_closing_the_chooser_before_the_history_opens_is_harmless(
    make: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The names arrive from a worker once the history is open; by then the learner may
    # have closed the chooser already.
    real_wait = Session.wait_for_history

    def slow_history(self: Session, timeout: float) -> bool:
        time.sleep(0.5)
        return real_wait(self, timeout)

    monkeypatch.setattr(Session, "wait_for_history", slow_history)
    app = make()

    async def script(app: TrainerApp, pilot: Pilot[Any]) -> None:
        await pilot.press("u")
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.return_code is None  # still running: no error closed the app

    drive(app, script)
