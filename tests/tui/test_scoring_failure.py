"""When the engine fails on a reply, each screen says so and the trainer keeps running,
with the reply kept: the drill, a workshop round and partner practice share one worker."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from listen_trainer.content.decks import load_deck
from listen_trainer.content.library import Library, Rubric
from listen_trainer.scoring import Scorer
from listen_trainer.tui import make_app
from listen_trainer.tui.app import TrainerApp
from listen_trainer.tui.screens.drill import DrillScreen
from listen_trainer.tui.screens.partner import PartnerScreen
from listen_trainer.tui.screens.round import RoundScreen
from listen_trainer.tui.screens.workshop import WorkshopScreen
from listen_trainer.tui.widgets import FeedbackPanel, ReplyBox
from listen_trainer.tui.widgets.feelings_picker import FeelingsPicker

from .conftest import ATTUNED, drive, send


class BrokenScorer(Scorer):
    """The real scorer, made to fail the way an engine bug would."""

    def score(self, *args: Any, **kwargs: Any) -> Any:
        raise KeyError("reflect_feeling")


@pytest.fixture
def broken_app(rubric: Rubric, library: Library) -> TrainerApp:
    app = make_app(rubric, library, BrokenScorer(rubric))
    shown: list[tuple[str, str]] = []
    notify = app.notify

    def keep(message: str, *args: Any, **kwargs: Any) -> None:
        shown.append((message, kwargs.get("severity", "information")))
        notify(message, *args, **kwargs)

    app.notify = keep  # type: ignore[method-assign]
    app.shown_notices = shown  # type: ignore[attr-defined]
    return app


def errors(app: TrainerApp) -> list[str]:
    """The error notices the learner was shown."""
    return [message for message, severity in app.shown_notices if severity == "error"]  # type: ignore[attr-defined]


def test_a_failed_drill_reply_is_reported_and_kept(broken_app: TrainerApp) -> None:
    async def script(app: TrainerApp, pilot: Pilot[Any]) -> None:
        await pilot.press("p")
        assert isinstance(app.screen, DrillScreen)
        await send(app, pilot, ATTUNED)
        assert app.is_running and isinstance(app.screen, DrillScreen)
        assert any("could not be scored" in m and "KeyError" in m for m in errors(app))
        assert app.screen.query_one(ReplyBox).text == ATTUNED  # nothing lost
        assert app.screen.query_one(FeedbackPanel).feedback is None
        assert not app.screen.scoring  # a second try is possible

    drive(broken_app, script, size=(80, 24), notifications=True)


def test_a_failed_partner_reply_leaves_the_listener_their_turn(broken_app: TrainerApp) -> None:
    async def script(app: TrainerApp, pilot: Pilot[Any]) -> None:
        app.push_screen(WorkshopScreen(app.session, partner=True))
        await pilot.pause()
        app.screen.query_one("#ws-names", Input).value = "Ann, Bo"
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PartnerScreen)
        screen.query_one("#pt-statement", Input).value = "You forgot my birthday."
        screen.query_one(FeelingsPicker).select("hurt")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen.phase == "listen"
        await send(app, pilot, "That really hurt, being forgotten.")
        assert app.is_running and app.screen is screen
        assert screen.phase == "listen"  # Bo may send it again
        assert any("could not be scored" in m for m in errors(app))

    drive(broken_app, script, size=(80, 24), notifications=True)


def test_a_failed_round_reply_counts_as_no_reply_and_the_round_goes_on(
    broken_app: TrainerApp, tmp_path: Any, rubric: Rubric, library: Library
) -> None:
    (tmp_path / "deck.yaml").write_text(
        "deck:\n  id: t\n  title: T\n  seconds_per_round: 30\n  rounds:\n"
        "    - scenario: tui-sad-day\n",
        encoding="utf-8",
    )
    deck, problems = load_deck(tmp_path / "deck.yaml", rubric, library)
    assert deck is not None, problems

    async def script(app: TrainerApp, pilot: Pilot[Any]) -> None:
        app.push_screen(WorkshopScreen(app.session, deck=deck, participants=["Ann"]))
        await pilot.pause()
        await pilot.press("enter")  # the names
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RoundScreen)
        await pilot.press("enter")  # Ann is ready
        await pilot.pause()
        await send(app, pilot, ATTUNED)
        assert app.is_running and screen.phase == "feedback"
        assert [e.feedback for e in screen.run.round_entries()] == [None]
        assert any("Ann's reply could not be scored" in m for m in errors(app))

    drive(broken_app, script, size=(80, 24), notifications=True)
