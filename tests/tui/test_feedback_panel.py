"""The feedback panel's pieces, on fixed Feedback values: what a learner reads and sees."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Static

from listen_trainer.content.library import Rubric
from listen_trainer.content.models import Category, Verdict
from listen_trainer.scoring import Flag
from listen_trainer.tui.app import TrainerApp
from listen_trainer.tui.widgets import FeedbackPanel
from listen_trainer.tui.widgets.feedback_panel import change_summary, highlight

from .conftest import AppFactory, drive
from .test_snapshots import FEEDBACK, REPLY


def test_a_short_span_inside_a_long_one_keeps_its_own_colour(rubric: Rubric) -> None:
    words = "It sounds like a sad day"
    start = REPLY.index(words)
    around = Flag(
        category=Category.REFLECTING_CONTENT,
        start=start,
        end=start + len(words),
        text=words,
        rule="test",
        message="A paraphrase.",
    )
    text = highlight(REPLY, [around, *FEEDBACK.flags], rubric)
    sad = REPLY.index("sad")
    style = text.get_style_at_offset(Console(), sad)
    colour = rubric.categories[Category.REFLECTING_FEELING].colour.lower()
    assert style.bgcolor is not None and style.bgcolor.triplet is not None
    assert style.bgcolor.triplet.hex == colour
    outer = text.get_style_at_offset(Console(), REPLY.index("It sounds"))
    assert outer.bgcolor is not None and outer.bgcolor.triplet is not None
    paraphrase = rubric.categories[Category.REFLECTING_CONTENT].colour.lower()
    assert outer.bgcolor.triplet.hex == paraphrase
    plain = text.get_style_at_offset(Console(), REPLY.index(", but"))
    assert plain.bgcolor is None


def test_a_worse_second_try_says_so(rubric: Rubric) -> None:
    better = FEEDBACK.model_copy(
        update={"score": 80, "verdict": Verdict.ATTUNED, "flags": FEEDBACK.flags[1:2]}
    )
    summary = change_summary(better, FEEDBACK, rubric).plain
    assert "80 → 34 (-46)" in summary
    assert "Attuned → Fixing" in summary
    assert "New:" in summary and "you should just get some sleep" in summary
    assert "Gone:" not in summary


def test_a_safety_note_comes_first(make: AppFactory) -> None:
    note = "If they might hurt themselves, ask directly and help them reach a crisis line."
    risky = FEEDBACK.model_copy(update={"safety": note})

    async def script(app: TrainerApp, pilot: Pilot[Any]) -> None:
        await pilot.press("p")
        panel = app.screen.query_one(FeedbackPanel)
        panel.show(risky, REPLY)
        await pilot.pause()
        safety = panel.query_one("#fb-safety", Static)
        assert safety.display and note in str(safety.render())
        visible = [w for w in panel.query(".fb-part") if w.display]
        assert visible[0] is safety
        assert visible[0].region.y < panel.query_one("#fb-verdict").region.y

    drive(make(), script)
