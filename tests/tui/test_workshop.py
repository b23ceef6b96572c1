"""Workshop mode driven through the real app: a timed two-round deck, partner practice
through one swap, and the summaries each ends on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, Select

from listen_trainer.content.decks import load_deck
from listen_trainer.content.library import Library, Rubric
from listen_trainer.tui.app import TrainerApp
from listen_trainer.tui.screens.partner import PartnerScreen
from listen_trainer.tui.screens.workshop import ProjectorScreen, RoundScreen, WorkshopScreen
from listen_trainer.tui.screens.workshop_summary import WorkshopSummaryScreen
from listen_trainer.tui.widgets import FeedbackPanel, ReplyBox
from listen_trainer.tui.widgets.countdown import Countdown
from listen_trainer.tui.widgets.feelings_picker import FeelingsPicker

from .conftest import ATTUNED, PLACATING, AppFactory, drive

DECK = """\
deck:
  id: test-evening
  title: Test evening
  seconds_per_round: 30
  reveal_model: true
  rounds:
    - scenario: tui-sad-day
    - statement: "I have to give a speech at my sister's wedding and I keep putting it off."
      who: partner
      feelings: [nervous]
      needs: [support]
      model_reply: "You sound nervous about it, and maybe want some help getting started?"
"""


class FakeClock:
    """Time that moves only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def settle(app: TrainerApp, pilot: Pilot[Any]) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


async def reply(app: TrainerApp, pilot: Pilot[Any], text: str, send: bool = True) -> None:
    box = app.screen.query_one(ReplyBox)
    box.text = text
    await pilot.pause()
    if send:
        await pilot.press("enter")
        await settle(app, pilot)


def test_a_timed_two_round_workshop_ends_on_the_class_summary(
    make: AppFactory, tmp_path: Path, rubric: Rubric, library: Library
) -> None:
    (tmp_path / "deck.yaml").write_text(DECK, encoding="utf-8")
    deck, problems = load_deck(tmp_path / "deck.yaml", rubric, library)
    assert deck is not None, problems
    clock = FakeClock()
    app = make()

    async def script(app: TrainerApp, pilot: Pilot[Any]) -> None:
        app.push_screen(
            WorkshopScreen(
                app.session, deck=deck, participants=["Ann", "Bo", "Cy"], seconds=20, clock=clock
            )
        )
        await pilot.pause()
        assert app.screen.query_one("#ws-names", Input).value == "Ann, Bo, Cy"
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RoundScreen)
        assert screen.query_one(Countdown).running

        # Round 1: all three reply in turn, well within time.
        await reply(app, pilot, ATTUNED)
        await reply(app, pilot, PLACATING)
        await reply(app, pilot, "")  # Cy sends nothing: recorded as no reply
        assert screen.phase == "feedback"
        panel = screen.query_one(FeedbackPanel)
        assert panel.feedback is not None and panel.reply == ATTUNED
        assert panel.model_shown  # the deck reveals model replies
        await pilot.press("2")
        assert panel.reply == PLACATING and panel.feedback.verdict.value == "placating"
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, ProjectorScreen)
        await pilot.press("escape")
        await pilot.press("n")
        await pilot.pause()

        # Round 2: Ann replies; Bo is still typing when time runs out; Cy never gets a turn.
        assert screen.run.round.number == 2 and screen.phase == "reply"
        await reply(app, pilot, "You sound nervous about the speech.")
        await reply(app, pilot, "That sounds nerve-racking, the speech", send=False)
        clock.now += 21
        await pilot.pause(0.5)  # the countdown's next tick notices
        await settle(app, pilot)
        assert screen.phase == "feedback"
        entries = {e.participant: e for e in screen.run.round_entries()}
        assert entries["Bo"].timed_out and entries["Bo"].reply.startswith("That sounds")
        assert entries["Bo"].feedback is not None
        assert entries["Cy"].timed_out and entries["Cy"].feedback is None

        await pilot.press("n")
        await pilot.pause()
        summary = app.screen
        assert isinstance(summary, WorkshopSummaryScreen)
        assert summary.cells("Ann")[:3] == ("Ann", "2", "0")
        assert summary.cells("Bo")[:3] == ("Bo", "2", "0")
        assert summary.cells("Cy")[:4] == ("Cy", "0", "2", "-")
        assert summary.cells("class")[:3] == ("Whole class", "4", "2")

        await pilot.press("escape")  # leaving without exporting asks first
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is summary
        await pilot.press("e")
        await pilot.pause()
        exported = summary.exported
        assert exported is not None and all(p.exists() for p in exported)
        # Workshop replies never reach the learner's own history.
        assert app.session.history is not None and app.session.past_attempts() == []

    drive(app, script, size=(80, 24))


def test_partner_practice_through_one_swap_shows_each_their_own_summary(
    make: AppFactory,
) -> None:
    app = make()

    async def speak(pilot: Pilot[Any], statement: str, feelings: list[str], need: str) -> None:
        screen = app.screen
        screen.query_one("#pt-statement", Input).value = statement
        picker = screen.query_one(FeelingsPicker)
        for word in feelings:
            picker.select(word)
        if need:
            screen.query_one("#pt-need", Select).value = need
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()

    async def script(app: TrainerApp, pilot: Pilot[Any]) -> None:
        app.push_screen(WorkshopScreen(app.session, partner=True))
        await pilot.pause()
        app.screen.query_one("#ws-names", Input).value = "Ann, Bo"
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PartnerScreen)
        assert screen.pair.speaker == "Ann"

        # Handing over with no feelings picked is refused, with a reason.
        screen.query_one("#pt-statement", Input).value = "You left the dishes again."
        await pilot.press("ctrl+s")
        assert screen.phase == "speak"
        assert "feelings" in str(screen.query_one("#pt-hint").render())

        # A fourth feeling ticked by hand is undone: one to three.
        picker = screen.query_one(FeelingsPicker)
        picker.focus()
        await pilot.press("down", "space", "down", "space", "down", "space", "down", "space")
        assert len(picker.selected) == 3
        assert "Three at most" in str(screen.query_one("#pt-hint").render())
        picker.deselect_all()

        # Typing finds a word: "s", "e" are the screen's keys elsewhere, not in the list.
        await pilot.press("s", "a", "d", "space")
        assert picker.selected == ["sad"]
        assert screen.phase == "speak" and screen.pair.speaker == "Ann"
        picker._typed_at = 0.0  # as if a second had passed: a new word
        await pilot.press("l", "o", "n")
        assert picker.get_option_at_index(picker.highlighted or 0).value == "lonely"
        picker.deselect_all()

        await speak(pilot, "You left the dishes again.", ["annoyed", "hurt"], "appreciation")
        assert screen.phase == "listen"
        await reply(app, pilot, "Sounds like you're annoyed, and a bit hurt: you want it noticed.")
        assert screen.phase == "feedback"
        ann_turn = screen.pair.turns[0]
        assert (ann_turn.speaker, ann_turn.listener) == ("Ann", "Bo")
        assert ann_turn.feelings == ("annoyed", "hurt") and ann_turn.needs == ("appreciation",)
        assert screen.query_one(FeedbackPanel).feedback == ann_turn.feedback

        await pilot.press("s")
        await pilot.pause()
        assert screen.pair.speaker == "Bo" and screen.phase == "speak"
        await speak(pilot, "I'm worried about my job interview on Friday.", ["worried"], "")
        await reply(app, pilot, "Just relax, you'll be fine.")
        bo_turn = screen.pair.turns[1]
        assert bo_turn.listener == "Ann" and bo_turn.feedback is not None

        await pilot.press("e")
        await pilot.pause()
        summary = app.screen
        assert isinstance(summary, WorkshopSummaryScreen)
        # Each sees their own listening: Bo heard Ann's turn, Ann heard Bo's.
        assert ann_turn.feedback is not None
        assert summary.cells("Bo")[:4] == ("Bo", "1", "0", f"{ann_turn.feedback.score}")
        assert summary.cells("Ann")[:4] == ("Ann", "1", "0", f"{bo_turn.feedback.score}")

    drive(app, script, size=(80, 24))
