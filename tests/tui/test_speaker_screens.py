"""The speaker's side in the trainer: Say it softly, Reach out and the five steps, driven
as a learner would, from Home."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from listen_trainer.content.speaker_models import Drill, Side, SpeakerVerdict
from listen_trainer.tui.app import TrainerApp
from listen_trainer.tui.screens.five_steps import FiveStepsScreen
from listen_trainer.tui.screens.speaker_drill import SpeakerDrillScreen
from listen_trainer.tui.screens.speaker_home import SpeakerHomeScreen
from listen_trainer.tui.speaker_state import SpeakerPractice
from listen_trainer.tui.widgets.speaker_panel import SpeakerFeedbackPanel

from .conftest import AppFactory, drive, send

SOFT = "I felt lonely last night at eleven. Would you start the dishes with me tonight?"


@pytest.fixture(scope="module")
def speaker_scorer():
    from listen_trainer.scoring.speaker import SpeakerScorer

    return SpeakerScorer()


@pytest.fixture
def app(make: AppFactory, speaker_scorer: Any) -> TrainerApp:
    built = make()
    practice = SpeakerPractice.load(built.session)
    practice.set_scorer(speaker_scorer)
    built._speaker = practice  # the app would load the same on first use, scorer and all
    return built


def test_say_it_softly_scores_a_statement_and_keeps_it(app: TrainerApp) -> None:
    seen: dict[str, Any] = {}

    async def script(app: TrainerApp, pilot: Pilot[Any]) -> None:
        await pilot.press("k")
        assert isinstance(app.screen, SpeakerHomeScreen)
        await pilot.press("1")
        assert isinstance(app.screen, SpeakerDrillScreen)
        assert app.screen.scenario.drill in (Drill.SOFTEN, Drill.SPACE)
        await send(app, pilot, SOFT)
        seen["first"] = app.screen.query_one(SpeakerFeedbackPanel).feedback
        await send(app, pilot, "You never do the dishes.")
        seen["second"] = app.screen.query_one(SpeakerFeedbackPanel).feedback
        history = app.session.history
        seen["attempts"] = history.attempts(side=Side.SPEAKER) if history else []

    drive(app, script)
    assert seen["first"].verdict is SpeakerVerdict.SOFT_STARTUP
    assert seen["second"].verdict is SpeakerVerdict.CRITICISING
    assert [a.feedback.side for a in seen["attempts"]] == [Side.SPEAKER, Side.SPEAKER]


def test_reach_out_drills_asking_for_comfort(app: TrainerApp) -> None:
    seen: dict[str, Any] = {}

    async def script(app: TrainerApp, pilot: Pilot[Any]) -> None:
        await pilot.press("k", "2")
        screen = app.screen
        assert isinstance(screen, SpeakerDrillScreen)
        seen["drills"] = {s.drill for s in screen.scenarios}
        await send(app, pilot, "I'm scared about tomorrow. Would you hold me for a minute?")
        seen["verdict"] = screen.query_one(SpeakerFeedbackPanel).feedback.verdict
        screen.query_one(SpeakerFeedbackPanel).focus()
        await pilot.press("m")
        seen["model"] = screen.query_one("#sfb-model").display

    drive(app, script)
    assert seen["drills"] == {Drill.REACH_OUT}
    assert seen["verdict"] is SpeakerVerdict.SOFT_STARTUP
    assert seen["model"]


ANSWERS = {
    "trigger": "yesterday after dinner, when I asked for a back rub and you turned away",
    "reaction": "angry",
    "behaviour": "I went quiet and brushed you off later",
    "beneath": "hurt, and a bit scared",
    "need": "to know you still love me even when I say no",
    "request": "would you tell me tonight when you feel hurt, instead of going quiet?",
}


def test_five_steps_checks_each_step_scores_the_whole_and_exports_privately(
    app: TrainerApp, private_folders: Path
) -> None:
    seen: dict[str, Any] = {}

    async def script(app: TrainerApp, pilot: Pilot[Any]) -> None:
        await pilot.press("k", "3")
        screen = app.screen
        assert isinstance(screen, FiveStepsScreen)
        trigger = screen.query_one("#fs-trigger", Input)
        trigger.value = "you always turn away"
        trigger.focus()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        seen["charge"] = screen.checks["trigger"]
        for key, text in ANSWERS.items():
            box = screen.query_one(f"#fs-{key}", Input)
            box.value = text
            box.focus()
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        seen["checks"] = dict(screen.checks)
        seen["feedback"] = screen.query_one(SpeakerFeedbackPanel).feedback
        await pilot.press("ctrl+e")
        await pilot.pause()

    drive(app, script)
    assert not seen["charge"].ok
    assert all(check.ok for check in seen["checks"].values()), seen["checks"]
    assert seen["feedback"].verdict is SpeakerVerdict.SOFT_STARTUP
    (sheet,) = (private_folders / "data" / "worksheets").glob("five-steps-*.md")
    assert stat.S_IMODE(sheet.stat().st_mode) == 0o600
    assert stat.S_IMODE(sheet.parent.stat().st_mode) == 0o700
    text = sheet.read_text()
    assert "I felt hurt, and a bit scared." in text and "soft startup" in text


def test_partner_practice_shows_the_speaker_how_it_sounds_before_hand_over(
    app: TrainerApp,
) -> None:
    from textual.widgets import Static

    from listen_trainer.tui.screens.partner import PartnerScreen
    from listen_trainer.tui.screens.workshop import WorkshopScreen
    from listen_trainer.tui.widgets.feelings_picker import FeelingsPicker

    seen: dict[str, Any] = {}

    async def script(app: TrainerApp, pilot: Pilot[Any]) -> None:
        app.push_screen(WorkshopScreen(app.session, partner=True))
        await pilot.pause()
        app.screen.query_one("#ws-names", Input).value = "Ann, Bo"
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PartnerScreen)
        screen.query_one("#pt-statement", Input).value = "You never do the dishes."
        await pilot.press("ctrl+k")
        await app.workers.wait_for_complete()
        await pilot.pause()
        seen["harsh"] = str(screen.query_one("#pt-sounds", Static).render())
        screen.query_one("#pt-statement", Input).value = SOFT
        await pilot.press("ctrl+k")
        await app.workers.wait_for_complete()
        await pilot.pause()
        seen["soft"] = str(screen.query_one("#pt-sounds", Static).render())
        screen.query_one(FeelingsPicker).select("lonely")
        await pilot.press("ctrl+s")
        await pilot.pause()
        seen["phase"] = screen.phase
        seen["shown"] = screen.query_one("#pt-sounds", Static).visible and bool(
            screen.query_one("#pt-speak").display
        )

    drive(app, script)
    assert "CRITICISING" in seen["harsh"]
    assert "SOFT START-UP" in seen["soft"]
    # The listener never sees it: the speaker's part is hidden once it is handed over.
    assert seen["phase"] == "listen" and not seen["shown"]


def test_progress_shows_speaking_skills_beside_listening(app: TrainerApp) -> None:
    from textual.widgets import Static

    from listen_trainer.tui.screens.progress import ProgressScreen

    seen: dict[str, Any] = {}

    async def script(app: TrainerApp, pilot: Pilot[Any]) -> None:
        await app.workers.wait_for_complete()
        await pilot.press("k", "1")
        await send(app, pilot, SOFT)
        await pilot.press("escape", "escape", "escape")
        await pilot.pause()
        await pilot.press("g")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ProgressScreen)
        seen["speaking"] = str(app.screen.query_one("#speaking", Static).render())

    drive(app, script)
    assert "1 statement(s) · soft start-ups 100%" in seen["speaking"]
    assert "Request" in seen["speaking"]


def test_a_broken_speaker_rubric_is_said_not_crashed_on(make: AppFactory) -> None:
    from listen_trainer.tui.speaker_state import SpeakerPractice

    app = make()
    app._speaker = SpeakerPractice(app.session, problem="rules.yaml:3: a bad rule")
    seen: dict[str, Any] = {}

    async def script(app: TrainerApp, pilot: Pilot[Any]) -> None:
        await pilot.press("k")
        seen["status"] = str(app.screen.query_one("#speaker-status").render())
        await pilot.press("1")
        seen["screen"] = type(app.screen).__name__

    drive(app, script)
    assert "rules.yaml:3: a bad rule" in seen["status"]
    assert seen["screen"] == "SpeakerHomeScreen"  # still running, and told why
