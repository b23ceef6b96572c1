"""Snapshots of the key screens at a roomy 120x40 and a classic 80x24.

The drill snapshot shows a fixed Feedback rather than the engine's, so that tuning the
rubric changes the Pilot tests' numbers, not these pictures; the Pilot tests cover the
real engine. Update with `pytest tests/tui --snapshot-update` after a deliberate change.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from listen_trainer.content.models import Category, Verdict
from listen_trainer.scoring import Feedback, Flag, Heard, Skills
from listen_trainer.tui import make_app
from listen_trainer.tui.widgets import FeedbackPanel, ReplyBox

from .conftest import AppFactory

SIZES = [pytest.param((120, 40), id="120x40"), pytest.param((80, 24), id="80x24")]

REPLY = "Sorry you feel that way. It sounds like a sad day, but you should just get some sleep."


def _flag(category: Category, words: str, message: str) -> Flag:
    start = REPLY.index(words)
    return Flag(
        category=category,
        start=start,
        end=start + len(words),
        text=words,
        rule="snapshot",
        message=message,
    )


FEEDBACK = Feedback(
    score=34,
    verdict=Verdict.FIXING,
    depth=2,
    skills=Skills(
        reflect_feeling=0.5,
        reflect_content=0.0,
        validate=0.0,
        explore=0.0,
        presence=0.0,
        avoid_roadblocks=0.4,
    ),
    flags=[
        _flag(
            Category.PLACATING,
            "Sorry you feel that way",
            "A stock apology regrets their feeling rather than meeting it.",
        ),
        _flag(Category.REFLECTING_FEELING, "sad", "You named the feeling you heard."),
        _flag(
            Category.FIXING,
            "you should just get some sleep",
            "Advice before the feeling is heard; ask what would help instead.",
        ),
    ],
    suggestions=["Hold the advice; say back what happened at work first."],
    rewrite="It sounds like a sad day, and lonely, with nobody at work noticing you.",
    heard=Heard(
        surface=["sad"],
        underlying=["lonely"],
        named_surface=["sad"],
        named_underlying=[],
        content_touched=[],
    ),
    engine_version="snapshot",
)


@pytest.mark.parametrize("size", SIZES)
def test_home(snap_compare: Any, make: AppFactory, size: tuple[int, int]) -> None:
    assert snap_compare(make(), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_drill_with_feedback(snap_compare: Any, make: AppFactory, size: tuple[int, int]) -> None:
    async def feedback_shown(pilot: Pilot[Any]) -> None:
        await pilot.press("p")
        screen = pilot.app.screen
        box = screen.query_one(ReplyBox)
        box.cursor_blink = False
        box.text = REPLY
        panel = screen.query_one(FeedbackPanel)
        panel.show(FEEDBACK, REPLY)
        panel.show_lesson(screen.scenario)
        panel.focus()
        await pilot.pause()

    assert snap_compare(make(), terminal_size=size, run_before=feedback_shown)


@pytest.mark.parametrize("size", SIZES)
def test_first_run(
    snap_compare: Any, rubric: Any, library: Any, scorer: Any, size: tuple[int, int]
) -> None:
    async def named(pilot: Pilot[Any]) -> None:
        for _ in range(50):  # Home asks once it is drawn
            if pilot.app.screen.query("#first-name"):
                break
            await pilot.pause(0.05)
        name = pilot.app.screen.query_one("#first-name", Input)
        name.cursor_blink = False
        await pilot.press(*"Ann", "enter")
        await pilot.pause()

    app = make_app(rubric, library, scorer, first_run=True)
    assert snap_compare(app, terminal_size=size, run_before=named)


@pytest.mark.parametrize("size", SIZES)
def test_settings(snap_compare: Any, make: AppFactory, size: tuple[int, int]) -> None:
    assert snap_compare(make(), terminal_size=size, press=["s", "tab", "tab", "tab", "tab"])


@pytest.mark.parametrize("size", SIZES)
def test_browse(snap_compare: Any, make: AppFactory, size: tuple[int, int]) -> None:
    async def searched(pilot: Pilot[Any]) -> None:
        await pilot.press("b")
        search = pilot.app.screen.query_one("#search", Input)
        search.cursor_blink = False  # a blinking cursor would make the picture flicker
        search.value = "partner"
        await pilot.pause()

    assert snap_compare(make(), terminal_size=size, run_before=searched)


@pytest.mark.parametrize("size", SIZES)
def test_help(
    snap_compare: Any, make: AppFactory, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Help names real folders; fixed ones keep the picture the same on every machine.
    monkeypatch.setattr(
        "listen_trainer.tui.screens.help.paths",
        SimpleNamespace(
            user_packs_dir=lambda: Path("/home/learner/.config/listen-trainer/packs"),
            data_dir=lambda: Path("/home/learner/.local/share/listen-trainer"),
            shipped=lambda kind: Path("/opt/listen-trainer") / kind,
        ),
    )
    assert snap_compare(make(), terminal_size=size, press=["question_mark"])
