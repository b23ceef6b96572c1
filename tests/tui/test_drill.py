"""A drill driven end to end, as a learner would: the real engine scores every reply."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Static

from listen_trainer.content.library import Rubric
from listen_trainer.content.models import Category, Verdict
from listen_trainer.store import History
from listen_trainer.tui.app import TrainerApp
from listen_trainer.tui.screens import DrillScreen, HomeScreen
from listen_trainer.tui.screens.drill import EMPTY_PROMPT
from listen_trainer.tui.widgets import FeedbackPanel, ReplyBox, ScenarioCard

from .conftest import ATTUNED, PLACATING, AppFactory, drive, send


def shown(app: TrainerApp, selector: str) -> str:
    """The text a learner sees in a Static, or '' when it is hidden."""
    widget = app.screen.query_one(selector, Static)
    return str(widget.render()) if widget.display else ""


def coloured_spans(panel: FeedbackPanel) -> dict[str, str | None]:
    """Each coloured stretch of the highlighted reply, with its background colour."""
    text = panel.highlighted
    return {
        text.plain[span.start : span.end]: (
            span.style.bgcolor.triplet.hex
            if span.style.bgcolor and span.style.bgcolor.triplet
            else None
        )
        for span in text.spans
        if not isinstance(span.style, str)
    }


def test_placating_reply_is_named_and_its_words_coloured(
    make: AppFactory, rubric: Rubric, private_folders: Any
) -> None:
    app = make()

    async def script(app: TrainerApp, pilot: Pilot[Any]) -> None:
        await pilot.press("p")
        assert isinstance(app.screen, DrillScreen)
        assert "I felt so sad all day" in str(app.screen.query_one(ScenarioCard).render())
        await send(app, pilot, PLACATING)
        panel = app.screen.query_one(FeedbackPanel)
        assert panel.feedback is not None
        assert panel.feedback.verdict is Verdict.PLACATING
        assert "PLACATING" in shown(app, "#fb-verdict")
        spans = coloured_spans(panel)
        placating = rubric.categories[Category.PLACATING].colour.lower()
        assert any(
            "sorry you feel that way" in words.lower() and colour == placating
            for words, colour in spans.items()
        ), spans
        assert rubric.categories[Category.PLACATING].label in shown(app, "#fb-legend")
        assert "Sorry you feel that way" in shown(app, "#fb-flags")
        assert shown(app, "#fb-rewrite")
        assert app.focused is panel  # the one-letter keys (t, m, n) work at once

    drive(app, script)
    with History.open() as history:
        attempts = history.attempts(profile="default")
    assert [(a.scenario_id, a.reply) for a in attempts] == [("tui-sad-day", PLACATING)]


def test_trying_again_shows_what_changed(make: AppFactory) -> None:
    app = make()

    async def script(app: TrainerApp, pilot: Pilot[Any]) -> None:
        await pilot.press("p")
        await send(app, pilot, PLACATING)
        first = app.screen.query_one(FeedbackPanel).feedback
        await pilot.press("t")
        box = app.screen.query_one(ReplyBox)
        assert app.focused is box
        assert box.text == PLACATING  # kept, to be reworked
        await send(app, pilot, ATTUNED)
        second = app.screen.query_one(FeedbackPanel).feedback
        assert first is not None and second is not None
        assert second.verdict is Verdict.ATTUNED
        delta = second.score - first.score
        assert delta > 0
        change = shown(app, "#fb-change")
        assert f"{first.score} → {second.score} ({delta:+d})" in change
        assert "Placating → Attuned" in change
        assert "Gone:" in change and "Sorry you feel that way" in change.split("New:")[0]
        assert "New:" in change and "sad" in change.split("New:")[1]

    drive(app, script)


def test_an_empty_reply_gets_a_gentle_prompt_not_a_score(make: AppFactory) -> None:
    app = make()

    async def script(app: TrainerApp, pilot: Pilot[Any]) -> None:
        await pilot.press("p")
        assert shown(app, "#hint") == ""
        await send(app, pilot, "   \n  ")
        assert shown(app, "#hint") == EMPTY_PROMPT
        assert app.screen.query_one(FeedbackPanel).feedback is None
        assert "appear here" in shown(app, "#fb-empty")
        await send(app, pilot, PLACATING)
        assert shown(app, "#hint") == ""  # the prompt goes once there is a reply

    drive(app, script)


def test_a_draft_survives_leaving_the_drill(make: AppFactory) -> None:
    app = make()
    draft = "It sounds like nobody saw how sad"

    async def script(app: TrainerApp, pilot: Pilot[Any]) -> None:
        await pilot.press("p")
        app.screen.query_one(ReplyBox).text = draft
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        assert "1 unsent reply kept" in shown(app, "#home-status")
        await pilot.press("question_mark", "escape", "p")
        assert isinstance(app.screen, DrillScreen)
        assert app.screen.scenario.id == "tui-sad-day"
        assert app.screen.query_one(ReplyBox).text == draft
        # Sent, it is no longer a draft: the next visit starts clean.
        await send(app, pilot, draft)
        await pilot.press("escape")
        assert "unsent" not in shown(app, "#home-status")

    drive(app, script)


def test_model_reply_and_next_scenario(make: AppFactory) -> None:
    app = make()

    async def script(app: TrainerApp, pilot: Pilot[Any]) -> None:
        await pilot.press("p")
        screen = app.screen
        assert isinstance(screen, DrillScreen)
        # While typing, letters are text, not commands; Ctrl+L clears the box.
        await pilot.press("n", "m")
        assert screen.query_one(ReplyBox).text == "nm"
        assert screen.scenario.id == "tui-sad-day"
        await pilot.press("ctrl+l")
        assert screen.query_one(ReplyBox).text == ""
        assert not screen.check_action("model_reply", ())  # offered only after a reply
        await send(app, pilot, PLACATING)
        assert shown(app, "#fb-model") == ""
        await pilot.press("m")
        best = screen.scenario.best_exemplar()
        assert best is not None
        assert " ".join(best.reply.split()[:6]) in " ".join(shown(app, "#fb-model").split())
        await pilot.press("n")
        assert screen.scenario.id == "tui-angry-dishes"
        assert "dishes" in str(screen.query_one(ScenarioCard).render())
        assert screen.query_one(FeedbackPanel).feedback is None
        assert app.focused is screen.query_one(ReplyBox)

    drive(app, script)


def test_a_very_long_reply_is_accepted_and_scored(make: AppFactory) -> None:
    app = make()
    long_reply = "That sounds so sad and lonely, a whole quiet day that nobody noticed. " * 400

    async def script(app: TrainerApp, pilot: Pilot[Any]) -> None:
        await pilot.press("p")
        await send(app, pilot, long_reply)
        feedback = app.screen.query_one(FeedbackPanel).feedback
        assert feedback is not None
        assert feedback.truncated
        assert shown(app, "#fb-verdict")

    drive(app, script)


def test_the_drill_works_at_80x24(make: AppFactory) -> None:
    app = make()

    async def script(app: TrainerApp, pilot: Pilot[Any]) -> None:
        await pilot.press("p")
        assert app.screen.has_class("-narrow")
        await send(app, pilot, PLACATING)
        panel = app.screen.query_one(FeedbackPanel)
        await pilot.pause()
        # In one column, the verdict is scrolled into view once the feedback arrives.
        verdict = app.screen.query_one("#fb-verdict")
        assert 0 <= verdict.region.y < 24, verdict.region
        assert panel.feedback is not None

    drive(app, script, size=(80, 24))
