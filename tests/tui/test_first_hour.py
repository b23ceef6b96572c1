"""A newcomer's first hour: the first run asks who and why, the first drill is easy and
everyday, risk scenarios come only when chosen, and each drill ends on what lay beneath."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from listen_trainer.content.library import Library, Rubric, load_library, pack_dirs
from listen_trainer.scoring import Scorer
from listen_trainer.tui import make_app
from listen_trainer.tui.app import TrainerApp
from listen_trainer.tui.dialogs.first_run import FirstRunDialog
from listen_trainer.tui.first_run import Choice, load_choice, save_choice, settings_for
from listen_trainer.tui.screens.drill import DrillScreen
from listen_trainer.tui.screens.home import HomeScreen
from listen_trainer.tui.screens.workshop import WorkshopScreen
from listen_trainer.tui.state import Session
from listen_trainer.tui.widgets import FeedbackPanel, ScenarioCard
from listen_trainer.tui.widgets.tick_list import TickList

from .conftest import ATTUNED, drive, send


@pytest.fixture(scope="module")
def shipped(rubric: Rubric) -> Library:
    """The packs that ship with the trainer: what a newcomer meets."""
    return load_library(rubric, pack_dirs())


async def first_run(app: TrainerApp, pilot: Pilot[Any], name: str, reason: int) -> None:
    assert isinstance(app.screen, FirstRunDialog)
    assert app.screen.query_one("#first-name", Input).has_focus
    await pilot.press(*name, "enter")
    await pilot.pause()
    assert app.screen.query_one("#first-purpose", OptionList).has_focus
    await pilot.press(*["down"] * reason, "enter")
    await pilot.pause()


def test_the_first_run_asks_who_and_why_then_opens_an_easy_everyday_drill(
    rubric: Rubric, shipped: Library, scorer: Scorer
) -> None:
    app = make_app(rubric, shipped, scorer, first_run=True)

    async def script(app: TrainerApp, pilot: Pilot[Any]) -> None:
        await first_run(app, pilot, "Ann", 0)  # on my own
        assert app.session.profile == "Ann"
        screen = app.screen
        assert isinstance(screen, DrillScreen)
        first = screen.scenario
        pack = app.session.pack_of(first.id)
        assert first.difficulty == 1 and not first.sensitive
        assert pack is not None and pack.id != "clinical"
        assert "easy" in str(screen.query_one(ScenarioCard).border_subtitle)
        # On one's own, the drills that follow stay everyday and away from risk.
        pool = app.session.drill_scenarios()
        assert pool and all(app.session.pack_of(s.id).id != "clinical" for s in pool)
        assert not any(s.sensitive for s in pool)
        assert load_choice() == Choice("Ann", "own")  # asked once, not every run

    drive(app, script, size=(80, 24))


def test_a_workshop_first_run_opens_the_workshop_setup(
    rubric: Rubric, shipped: Library, scorer: Scorer
) -> None:
    app = make_app(rubric, shipped, scorer, first_run=True)

    async def script(app: TrainerApp, pilot: Pilot[Any]) -> None:
        await first_run(app, pilot, "Facilitator", 2)
        assert isinstance(app.screen, WorkshopScreen)
        assert app.session.profile == "Facilitator"

    drive(app, script, size=(80, 24))


def test_therapist_training_adds_the_clinical_pack_but_not_its_risk_scenarios(
    rubric: Rubric, shipped: Library
) -> None:
    training = settings_for("training", shipped)
    own = settings_for("own", shipped)
    assert "clinical" not in training.disabled_packs and "clinical" in own.disabled_packs
    session = Session(rubric=rubric, library=shipped, settings=training)
    pool = session.drill_scenarios()
    assert any(session.pack_of(s.id).id == "clinical" for s in pool)
    assert not any(s.sensitive for s in pool)  # suicidal thoughts: only when chosen
    chosen = Session(
        rubric=rubric, library=shipped, settings=replace(training, include_sensitive=True)
    )
    assert any(s.sensitive for s in chosen.drill_scenarios())
    # The first drill is everyday even in training.
    first = session.easy_scenario()
    assert first is not None and session.pack_of(first.id).id != "clinical"


def test_an_unreadable_saved_choice_asks_again(private_folders: Path) -> None:
    path = private_folders / "config" / "first-run.json"
    assert load_choice(path) is None
    assert save_choice(Choice("Bo", "training"), path) is None
    assert load_choice(path) == Choice("Bo", "training")
    assert path.stat().st_mode & 0o077 == 0  # the learner's name: theirs alone
    path.write_text('{"name": "Bo", "purpose": "juggling"}', encoding="utf-8")
    assert load_choice(path) is None


def test_after_a_reply_the_drill_shows_the_feeling_beneath_the_need_and_the_note(
    make: Any,
) -> None:
    app = make()

    async def script(app: TrainerApp, pilot: Pilot[Any]) -> None:
        await pilot.press("p")
        lesson = app.screen.query_one("#fb-lesson", Static)
        assert not lesson.display  # not before the learner has listened for it
        await send(app, pilot, ATTUNED)
        assert lesson.display
        text = str(lesson.render())
        scenario = app.screen.scenario
        assert "Beneath: lonely" in text and "Needing: matter, closeness" in text
        assert scenario.teaching_note.split()[0] in text
        assert app.screen.query_one(FeedbackPanel).feedback is not None

    drive(app, script, size=(80, 24))


def test_home_at_80x24_keeps_who_is_practising_and_the_keys_that_matter(make: Any) -> None:
    app = make()

    async def script(app: TrainerApp, pilot: Pilot[Any]) -> None:
        assert isinstance(app.screen, HomeScreen)
        status = app.screen.query_one("#home-status", Static)
        assert status.region.bottom <= 23 and "Practising as" in str(status.render())
        keys = {b.binding.key for b in app.active_bindings.values() if b.binding.show}
        assert {"s", "u", "q", "p"} <= keys

    drive(app, script, size=(80, 24))


def test_risk_scenarios_are_included_only_by_ticking_them_in_settings(make: Any) -> None:
    app = make()

    async def script(app: TrainerApp, pilot: Pilot[Any]) -> None:
        assert not app.session.settings.include_sensitive
        await pilot.press("s")
        risk = app.screen.query_one("#sensitive", TickList)
        assert str(risk.get_option("sensitive").prompt).startswith("[ ] ")
        risk.focus()
        await pilot.press("space")
        assert str(risk.get_option("sensitive").prompt).startswith("[x] ")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.session.settings.include_sensitive

    drive(app, script, size=(80, 24))
