"""Workshop mode driven through the real app: a two-round deck played in turns at one
keyboard (each person their own countdown), partner practice through one swap, and the
summaries each ends on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, Select

from listen_trainer.content.decks import load_deck
from listen_trainer.content.library import Library, Rubric
from listen_trainer.tui.app import TrainerApp
from listen_trainer.tui.dialogs.projector import ProjectorDialog
from listen_trainer.tui.screens.partner import PartnerScreen
from listen_trainer.tui.screens.round import RoundScreen
from listen_trainer.tui.screens.workshop import WorkshopScreen
from listen_trainer.tui.screens.workshop_summary import WorkshopSummaryScreen
from listen_trainer.tui.widgets import FeedbackPanel, ReplyBox
from listen_trainer.tui.widgets.big_text import BigText
from listen_trainer.tui.widgets.countdown import Countdown
from listen_trainer.tui.widgets.feelings_picker import FeelingsPicker
from listen_trainer.tui.widgets.tick_list import TickList

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


async def ready(app: TrainerApp, pilot: Pilot[Any], name: str) -> None:
    """`name` takes the keyboard and starts their own clock."""
    screen = app.screen
    assert isinstance(screen, RoundScreen)
    assert screen.phase == "ready" and screen.run.participants[screen.turn] == name
    assert not screen.query_one(Countdown).running  # nobody's time runs while it is passed
    await pilot.press("enter")
    await pilot.pause()
    assert screen.phase == "reply" and screen.query_one(Countdown).running


def test_a_two_round_workshop_takes_turns_each_with_their_own_clock(
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

        # Round 1: each in turn, well within time.
        await ready(app, pilot, "Ann")
        await reply(app, pilot, ATTUNED)
        clock.now += 15  # Bo takes a while to come to the keyboard: it costs him nothing
        await pilot.pause(0.3)
        await ready(app, pilot, "Bo")
        assert screen.run.remaining() == 20
        await reply(app, pilot, PLACATING)
        await ready(app, pilot, "Cy")
        await reply(app, pilot, "")  # a blank reply is not sent: Cy still has the turn
        assert screen.phase == "reply" and screen.run.participants[screen.turn] == "Cy"
        clock.now += 21
        await pilot.pause(0.5)  # the countdown's next tick notices Cy's time is up
        await settle(app, pilot)
        assert screen.phase == "feedback"
        panel = screen.query_one(FeedbackPanel)
        assert panel.feedback is not None and panel.reply == ATTUNED
        assert panel.model_shown  # the deck reveals model replies
        await pilot.press("2")
        assert panel.reply == PLACATING and panel.feedback.verdict.value == "placating"
        assert "Bo" in panel.border_title

        # The projector can hide names: seat numbers only, in the results and the panel.
        results = screen.query_one("#ws-results")
        assert "Ann" in str(results.render())
        await pilot.press("h")
        await pilot.pause()
        assert "Ann" not in str(results.render()) and "Bo" not in str(results.render())
        assert panel.border_title == "Feedback for #2"

        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, ProjectorDialog)
        big = app.screen.query_one("#pj-statement", BigText)
        assert big.size.height >= 3 and "█" in str(big.render())  # large type, not text
        await pilot.press("escape")
        await pilot.press("n")
        await pilot.pause()

        # Round 2: Ann replies; Bo is still typing when his own time runs out: his half
        # reply is scored as his; Cy then gets her full turn all the same.
        assert screen.run.round.number == 2
        await ready(app, pilot, "Ann")
        await reply(app, pilot, "You sound nervous about the speech.")
        await ready(app, pilot, "Bo")
        await reply(app, pilot, "That sounds nerve-racking, the speech", send=False)
        clock.now += 21
        await pilot.pause(0.5)
        await settle(app, pilot)
        assert screen.phase == "ready"
        await ready(app, pilot, "Cy")
        assert screen.query_one(ReplyBox).text == ""  # Bo's words are not in Cy's box
        clock.now += 21
        await pilot.pause(0.5)
        await settle(app, pilot)
        assert screen.phase == "feedback"
        entries = {e.participant: e for e in screen.run.round_entries()}
        assert not entries["Ann"].timed_out and entries["Ann"].feedback is not None
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


def test_leaving_a_workshop_opened_from_the_command_line_asks_then_ends_the_program(
    make: AppFactory, tmp_path: Path, rubric: Rubric, library: Library
) -> None:
    (tmp_path / "deck.yaml").write_text(DECK, encoding="utf-8")
    deck, _ = load_deck(tmp_path / "deck.yaml", rubric, library)
    app = make()

    async def script(app: TrainerApp, pilot: Pilot[Any]) -> None:
        app.session.leave_exits = True  # as `listen-trainer workshop` opens it
        app.push_screen(WorkshopScreen(app.session, deck=deck, participants=["Ann"]))
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RoundScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("n")  # no: the round goes on
        await pilot.pause()
        assert isinstance(app.screen, RoundScreen) and app.is_running
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.return_code == 0 and not app.is_running  # not Home as "default"

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

        # Typing finds a word (with a typo), Enter ticks it; "s" and "e" are the screen's
        # keys elsewhere, letters here. Ticked words show a mark, not only a colour.
        picker = screen.query_one(FeelingsPicker)
        picker.focus()
        await pilot.press(*"lonley", "enter")
        assert picker.selected == ["lonely"]
        assert screen.phase == "speak" and screen.pair.speaker == "Ann"
        await pilot.press(*"sad", "enter", *"hurt", "enter")
        # A fourth is refused: one to three.
        await pilot.press(*"angry", "enter")
        assert picker.selected == ["lonely", "sad", "hurt"]
        assert "Three at most" in str(screen.query_one("#pt-hint").render())
        tick_list = picker.query_one(TickList)
        assert str(tick_list.get_option("angry").prompt).startswith("[ ] angry")
        picker.query_one("#fp-filter", Input).value = ""
        await pilot.pause()
        assert str(tick_list.get_option("hurt").prompt).startswith("[x] hurt")
        picker.deselect_all()
        # The families come first, a few words each; their headings cannot be ticked.
        await pilot.press("down", "space")
        assert picker.selected == ["sad"]
        tick_list.highlighted = 0
        assert tick_list.highlighted_option is not None
        assert tick_list.highlighted_option.disabled  # the "sad" family's heading
        await pilot.press("space", "enter")
        assert picker.selected == ["sad"]
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
