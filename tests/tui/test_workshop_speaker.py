"""The speaker's deck in the classroom workshop: chosen in the setup like a listener's deck,
each participant says the harsh first version softly in their own turn, the speaker's
scorer judges it, and the class summary counts costs instead of roadblocks."""

from __future__ import annotations

import asyncio
import csv
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from listen_trainer.cli import main
from listen_trainer.content.decks import SpeakerContent, load_deck
from listen_trainer.content.library import Library, Rubric
from listen_trainer.content.speaker_models import SpeakerVerdict
from listen_trainer.tui.app import TrainerApp
from listen_trainer.tui.screens.round import RoundScreen
from listen_trainer.tui.screens.workshop import WorkshopScreen
from listen_trainer.tui.screens.workshop_summary import WorkshopSummaryScreen
from listen_trainer.tui.speaker_state import SpeakerPractice
from listen_trainer.tui.widgets import FeedbackPanel, ReplyBox
from listen_trainer.tui.widgets.speaker_panel import SpeakerFeedbackPanel

from .conftest import AppFactory, drive

REPO = Path(__file__).resolve().parents[2]
HARSH_DISHWASHER = "You never start the dishwasher. I always end up doing it."
SOFT = (
    "After dinner on Tuesday I loaded the dishwasher on my own again, and I felt lonely in "
    "the kitchen. Would you be willing to start it with me tonight after dinner?"
)
CRITICISING = "You never lift a finger after dinner. You are so lazy."

ONE_ROUND = """\
deck:
  id: one-complaint
  title: One complaint
  side: speaker
  seconds_per_round: 60
  reveal_model: true
  rounds:
    - scenario: soft-dishwasher
"""


@pytest.fixture(scope="module")
def speaker_scorer() -> Any:
    from listen_trainer.scoring.speaker import SpeakerScorer

    return SpeakerScorer()


@pytest.fixture
def app(make: AppFactory, speaker_scorer: Any) -> TrainerApp:
    built = make()
    practice = SpeakerPractice.load(built.session)
    practice.set_scorer(speaker_scorer)
    built._speaker = practice  # the app would load the same on first use, scorer and all
    return built


async def settle(app: TrainerApp, pilot: Pilot[Any]) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


async def take_turn(app: TrainerApp, pilot: Pilot[Any], name: str, text: str) -> None:
    """`name` takes the keyboard, reads the moment, writes their soft version and sends it."""
    screen = app.screen
    assert isinstance(screen, RoundScreen)
    assert screen.phase == "ready" and screen.run.participants[screen.turn] == name
    await pilot.press("enter")
    await pilot.pause()
    assert screen.phase == "reply"
    shown = str(screen.query_one("#ws-statement").render())
    assert HARSH_DISHWASHER in shown and "loaded the plates" in shown  # harsh, situation
    assert "Say it again, softly" in shown and "To your partner" in shown
    box = screen.query_one(ReplyBox)
    box.text = text
    await pilot.pause()
    await pilot.press("enter")
    await settle(app, pilot)


async def play_round(app: TrainerApp, pilot: Pilot[Any]) -> RoundScreen:
    screen = app.screen
    assert isinstance(screen, RoundScreen)
    await take_turn(app, pilot, "Ann", SOFT)
    await take_turn(app, pilot, "Bo", CRITICISING)
    await settle(app, pilot)
    assert screen.phase == "feedback"
    # Above the feedback only the harsh version stays: the panel needs the room.
    above = str(screen.query_one("#ws-statement").render())
    assert HARSH_DISHWASHER in above and "loaded the plates" not in above
    return screen


def test_the_speaker_deck_is_chosen_in_the_setup_and_one_round_is_played_by_two(
    app: TrainerApp,
) -> None:
    seen: dict[str, Any] = {}

    async def script(app: TrainerApp, pilot: Pilot[Any]) -> None:
        app.push_screen(WorkshopScreen(app.session))
        await pilot.pause()
        decks = app.screen.query_one("#ws-decks", OptionList)
        ids = [decks.get_option_at_index(i).id for i in range(decks.option_count)]
        assert "complaints-to-requests" in ids and "partner" in ids
        decks.highlighted = ids.index("complaints-to-requests")
        await pilot.press("enter")
        await pilot.pause()
        assert "From complaint to request: 6 rounds of 120 s" in str(
            app.screen.query_one("#ws-chosen").render()
        )
        app.screen.query_one("#ws-names", Input).value = "Ann, Bo"
        await pilot.press("enter")
        await pilot.pause()
        screen = await play_round(app, pilot)

        # The speaker's panel, not the listener's, with Ann's statement first.
        assert not screen.query(FeedbackPanel)
        panel = screen.query_one(SpeakerFeedbackPanel)
        assert panel.text == SOFT and panel.feedback is not None
        seen["ann"] = panel.feedback.verdict
        assert "Feedback for Ann" in str(panel.border_title)
        # The deck reveals the model: a soft start-up from the scenario's exemplars.
        model = screen.query_one("#sfb-model")
        assert model.display and screen.run.round.model_reply
        assert screen.run.round.model_reply in str(model.render())
        results = str(screen.query_one("#ws-results").render())
        assert "Soft start-up" in results and "Criticising" in results
        await pilot.press("2")
        await pilot.pause()
        assert panel.text == CRITICISING and panel.feedback is not None
        seen["bo"] = panel.feedback.verdict
        assert "Feedback for Bo" in str(panel.border_title)
        await pilot.press("n")
        await pilot.pause()
        assert screen.run.round.number == 2  # the next complaint, Ann's turn again
        assert screen.phase == "ready" and screen.run.participants[screen.turn] == "Ann"

    drive(app, script, size=(80, 24))
    assert seen == {"ann": SpeakerVerdict.SOFT_STARTUP, "bo": SpeakerVerdict.CRITICISING}


def test_a_speaker_round_ends_on_a_class_summary_of_costs_and_exports_it(
    app: TrainerApp, tmp_path: Path, rubric: Rubric, library: Library
) -> None:
    (tmp_path / "deck.yaml").write_text(ONE_ROUND, encoding="utf-8")
    practice = app.speaker
    assert practice.rubric is not None
    speaker = SpeakerContent(practice.rubric, practice.library)
    deck, problems = load_deck(tmp_path / "deck.yaml", rubric, library, speaker=speaker)
    assert deck is not None, problems
    out = tmp_path / "exports"
    seen: dict[str, Any] = {}

    async def script(app: TrainerApp, pilot: Pilot[Any]) -> None:
        app.push_screen(
            WorkshopScreen(app.session, deck=deck, participants=["Ann", "Bo"], export_dir=out)
        )
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await play_round(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        summary = app.screen
        assert isinstance(summary, WorkshopSummaryScreen)
        table = summary.query_one("#ws-table")
        seen["headers"] = [str(c.label) for c in table.columns.values()]  # type: ignore[attr-defined]
        seen["ann"] = summary.cells("Ann")
        seen["bo"] = summary.cells("Bo")
        seen["class"] = summary.cells("class")
        await pilot.press("e")
        await pilot.pause()
        seen["exported"] = summary.exported

    drive(app, script, size=(80, 24))
    assert "Top cost" in seen["headers"] and "Top roadblock" not in seen["headers"]
    assert seen["ann"][:2] == ("Ann", "1") and seen["ann"][4] == "-"
    assert seen["bo"][:2] == ("Bo", "1") and seen["bo"][4] == "Criticising"
    assert seen["class"][:3] == ("Whole class", "2", "0") and seen["class"][4] == "Criticising"
    csv_path, md_path = seen["exported"]
    rows = list(csv.DictReader(csv_path.read_text(encoding="utf-8").splitlines()))
    assert [r["most_common_cost"] for r in rows] == ["", "Criticising", "Criticising"]
    handout = md_path.read_text(encoding="utf-8")
    assert "Most common cost" in handout and "instead of Criticising" in handout


def test_the_command_line_opens_the_speaker_deck_with_its_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: dict[str, Any] = {}

    def run(self: TrainerApp) -> None:
        async def main_() -> None:
            async with self.run_test(size=(80, 24)) as pilot:
                await pilot.pause()
                screen = self.screen
                assert isinstance(screen, WorkshopScreen)
                seen["names"] = screen.query_one("#ws-names", Input).value
                seen["deck"] = screen.deck.id if screen.deck else None
                await pilot.press("enter")
                await pilot.pause()
                seen["round"] = self.screen
                seen["moment"] = str(self.screen.query_one("#ws-ready").render())
                await self.workers.wait_for_complete()

        asyncio.run(main_())

    monkeypatch.setattr(TrainerApp, "run", run)
    args = ["workshop", "--deck", "complaints-to-requests", "--names", "Ann, Bo"]
    assert main(args) == 0
    assert seen["names"] == "Ann, Bo" and seen["deck"] == "complaints-to-requests"
    assert isinstance(seen["round"], RoundScreen) and seen["round"].speaker
    assert "Ann: show the moment" in seen["moment"]


def test_check_still_passes_with_the_speaker_deck(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    assert "deck(s)" in capsys.readouterr().out
    deck = REPO / "scenarios" / "decks" / "complaints-to-requests.yaml"
    assert main(["check", str(deck)]) == 0
