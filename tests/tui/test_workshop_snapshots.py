"""Snapshots of workshop mode at a roomy 120x40 and at 80x24, the classroom laptop size.

The round is pictured mid-countdown on a fake clock, so the digits are the same on every
run. Replies get a fixed Feedback rather than the engine's, so that tuning the rubric
changes the Pilot tests' numbers (tests/tui/test_workshop.py), not these pictures.
Update with `pytest tests/tui/test_workshop_snapshots.py --snapshot-update` after a
deliberate change, and look at the pictures before accepting them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select

from history_fixtures import flag
from listen_trainer.content.decks import LoadedDeck, load_deck
from listen_trainer.content.library import Library, Rubric
from listen_trainer.content.models import Category, Verdict
from listen_trainer.scoring import Feedback, Flag, Heard, Skills
from listen_trainer.tui.screens.partner import PartnerScreen
from listen_trainer.tui.screens.round import RoundScreen
from listen_trainer.tui.screens.workshop_summary import WorkshopSummaryScreen
from listen_trainer.tui.widgets import FeedbackPanel, ReplyBox
from listen_trainer.tui.widgets.countdown import Countdown
from listen_trainer.tui.widgets.feelings_picker import FeelingsPicker
from listen_trainer.workshop import Entry, WorkshopRun, summarise

from .conftest import AppFactory

SIZES = [pytest.param((120, 40), id="120x40"), pytest.param((80, 24), id="80x24")]

DECK = """\
deck:
  id: snapshot-evening
  title: Snapshot evening
  seconds_per_round: 30
  reveal_model: true
  rounds:
    - scenario: tui-sad-day
    - statement: "You booked the weekend without asking me."
      who: partner
      situation: "Over breakfast, not looking up."
      feelings: [annoyed, hurt]
      needs: [respect]
      teaching_note: "Under the charge is a wish to be asked, to count in the plans."
      model_reply: "You're annoyed, and a bit hurt I didn't ask you first?"
"""

ANN = "That sounds like a really sad day, and lonely too, with nobody at work noticing."
BO = "Ok. Sorry you feel that way."
BO_TYPING = "That sounds lonely, being quiet all day and"
# Each has their own 30 s from when they say they are ready; Bo has used 12 of his.
ELAPSED, LEFT = 12, "0:18"


class FakeClock:
    """Time that moves only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _flag(reply: str, category: Category, words: str, message: str) -> Flag:
    return flag(category, reply, words, message=message, rule="snapshot")


def _skills(
    feeling: float, content: float, validate: float, explore: float, roadblocks: float
) -> Skills:
    return Skills(
        reflect_feeling=feeling,
        reflect_content=content,
        validate=validate,
        explore=explore,
        presence=0.0,
        avoid_roadblocks=roadblocks,
    )


ATTUNED_FEEDBACK = Feedback(
    score=86,
    verdict=Verdict.ATTUNED,
    depth=4,
    skills=_skills(1.0, 0.7, 0.5, 0.0, 1.0),
    flags=[
        _flag(ANN, Category.REFLECTING_FEELING, "sad", "You named the feeling you heard."),
        _flag(ANN, Category.REFLECTING_FEELING, "lonely", "You named the feeling beneath."),
        _flag(
            ANN,
            Category.REFLECTING_CONTENT,
            "nobody at work noticing",
            "You said back what happened, in your own words.",
        ),
    ],
    suggestions=["Ask what the day was like, to let them say more."],
    rewrite=ANN,
    heard=Heard(
        surface=["sad"],
        underlying=["lonely"],
        named_surface=["sad"],
        named_underlying=["lonely"],
        content_touched=["nobody noticed"],
    ),
    engine_version="snapshot",
)

PLACATING_FEEDBACK = Feedback(
    score=18,
    verdict=Verdict.PLACATING,
    depth=1,
    skills=_skills(0.0, 0.0, 0.2, 0.0, 0.3),
    flags=[
        _flag(
            BO,
            Category.PLACATING,
            "Sorry you feel that way",
            "A stock apology regrets their feeling rather than meeting it.",
        )
    ],
    suggestions=["Name the feeling you heard: sad, and a little lonely?"],
    rewrite="That sounds like a sad day, and lonely, with nobody at work noticing you.",
    heard=Heard(
        surface=["sad"],
        underlying=["lonely"],
        named_surface=[],
        named_underlying=[],
        content_touched=[],
    ),
    engine_version="snapshot",
)

FIXED = {ANN: ATTUNED_FEEDBACK, BO: PLACATING_FEEDBACK}


def _fixed_score(_scorer: object, _item: object, reply: str) -> Feedback | None:
    """The fixed Feedback for a reply the tests send; None for no reply, as the engine."""
    return FIXED.get(reply) if reply.strip() else None


@pytest.fixture
def deck(tmp_path: Path, rubric: Rubric, library: Library) -> LoadedDeck:
    (tmp_path / "deck.yaml").write_text(DECK, encoding="utf-8")
    loaded, problems = load_deck(tmp_path / "deck.yaml", rubric, library)
    assert loaded is not None, problems
    return loaded


@pytest.fixture
def fixed_scores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("listen_trainer.tui.screens.round.score_round", _fixed_score)


async def _settle(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _type(pilot: Pilot[Any], text: str, send: bool = True) -> None:
    box = pilot.app.screen.query_one(ReplyBox)
    box.cursor_blink = False  # a blinking cursor would make the picture flicker
    box.text = text
    await pilot.pause()
    if send:
        await pilot.press("enter")
        await _settle(pilot)


async def _round_started(pilot: Pilot[Any], deck: LoadedDeck, clock: FakeClock) -> None:
    # Straight to the round, past the setup screen: the setup checks the shipped decks
    # against the small test pack and would cover the picture with "deck skipped" toasts.
    app: Any = pilot.app
    app.push_screen(RoundScreen(app.session, WorkshopRun(deck, ["Ann", "Bo", "Cy"], clock=clock)))
    await pilot.pause()


async def _time_passes(pilot: Pilot[Any], clock: FakeClock) -> None:
    """Move the fake clock on and wait for the countdown's next tick to show it."""
    clock.now += ELAPSED
    countdown = pilot.app.screen.query_one(Countdown)
    for _ in range(100):
        if countdown.value == LEFT:
            return
        await pilot.pause(0.05)
    raise AssertionError(f"the countdown reads {countdown.value}, not {LEFT}")


async def _ready(pilot: Pilot[Any]) -> None:
    """The next participant takes the keyboard: their statement and clock appear."""
    await pilot.press("enter")
    await pilot.pause()


async def _feedback_shown(pilot: Pilot[Any], deck: LoadedDeck) -> None:
    """Round 1 answered by all three (Cy's time runs out on nothing), then the feedback."""
    clock = FakeClock()
    await _round_started(pilot, deck, clock)
    await _ready(pilot)
    await _type(pilot, ANN)
    await _ready(pilot)
    await _type(pilot, BO)
    await _ready(pilot)
    clock.now += 31
    await pilot.pause(0.4)
    await _settle(pilot)
    for _ in range(3):  # let any deferred scroll land
        await pilot.pause()
    # Everyone's feedback opens on the verdict, with the model reply below it (it once
    # raced between the two and opened on either).
    assert pilot.app.screen.query_one(FeedbackPanel).scroll_y == 0


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.usefixtures("fixed_scores")
def test_round_mid_countdown(
    snap_compare: Any, make: AppFactory, deck: LoadedDeck, size: tuple[int, int]
) -> None:
    clock = FakeClock()

    async def typing(pilot: Pilot[Any]) -> None:
        await _round_started(pilot, deck, clock)
        await _ready(pilot)
        await _type(pilot, ANN)
        await _ready(pilot)
        await _time_passes(pilot, clock)
        await _type(pilot, BO_TYPING, send=False)

    assert snap_compare(make(), terminal_size=size, run_before=typing)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.usefixtures("fixed_scores")
def test_round_feedback(
    snap_compare: Any, make: AppFactory, deck: LoadedDeck, size: tuple[int, int]
) -> None:
    async def shown(pilot: Pilot[Any]) -> None:
        await _feedback_shown(pilot, deck)

    assert snap_compare(make(), terminal_size=size, run_before=shown)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.usefixtures("fixed_scores")
def test_projector_view(
    snap_compare: Any, make: AppFactory, deck: LoadedDeck, size: tuple[int, int]
) -> None:
    async def projected(pilot: Pilot[Any]) -> None:
        await _feedback_shown(pilot, deck)
        await pilot.press("v")
        await pilot.pause()

    assert snap_compare(make(), terminal_size=size, run_before=projected)


@pytest.mark.parametrize("size", SIZES)
def test_partner_picking_feelings(
    snap_compare: Any, make: AppFactory, size: tuple[int, int]
) -> None:
    async def picking(pilot: Pilot[Any]) -> None:
        app: Any = pilot.app
        screen = PartnerScreen(app.session, ("Ann", "Bo"))
        app.push_screen(screen)
        await pilot.pause()
        statement = screen.query_one("#pt-statement", Input)
        statement.cursor_blink = False
        statement.value = "You left the dishes again."
        screen.query_one("#pt-need", Select).value = "appreciation"
        picker = screen.query_one(FeelingsPicker)
        for word in ("annoyed", "hurt"):
            picker.select(word)
        picker.focus()
        filter_box = picker.query_one("#fp-filter", Input)
        filter_box.cursor_blink = False
        await pilot.press(*"lon")  # type-to-filter: lonely first, then its kin
        await pilot.pause()

    assert snap_compare(make(), terminal_size=size, run_before=picking)


def _entry(name: str, number: int, feedback: Feedback | None) -> Entry:
    return Entry(name, number, "a reply" if feedback else "", feedback, timed_out=not feedback)


@pytest.mark.parametrize("size", SIZES)
def test_workshop_summary(snap_compare: Any, make: AppFactory, size: tuple[int, int]) -> None:
    # Ann rose from placating to attuned; Bo placated twice; Cy answered once.
    entries = [
        _entry("Ann", 1, PLACATING_FEEDBACK),
        _entry("Bo", 1, PLACATING_FEEDBACK),
        _entry("Cy", 1, None),
        _entry("Ann", 2, ATTUNED_FEEDBACK),
        _entry("Bo", 2, PLACATING_FEEDBACK),
        _entry("Cy", 2, ATTUNED_FEEDBACK),
    ]
    summary = summarise(entries, ["Ann", "Bo", "Cy"], title="Snapshot evening")

    async def summed_up(pilot: Pilot[Any]) -> None:
        app: Any = pilot.app
        # A fixed folder: the summary must not show this machine's paths.
        screen = WorkshopSummaryScreen(
            app.session, summary, stem="snapshot-evening", export_dir=Path("/workshops")
        )
        app.push_screen(screen)
        await pilot.pause()
        # Checked before the picture is taken, so a cut-off table is never snapshotted.
        table = screen.query_one(DataTable)
        assert table.max_scroll_x == 0, "every column of the summary is on screen"

    assert snap_compare(make(), terminal_size=size, run_before=summed_up)
