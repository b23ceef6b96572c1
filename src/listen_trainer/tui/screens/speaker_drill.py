"""Say it softly, and Reach out: read the moment and the harsh first version, say it
again softly, see how it may land, try again or go on."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Static, TextArea

from listen_trainer.content.speaker_models import SpeakerScenario
from listen_trainer.scoring import Feedback
from listen_trainer.tui.screens.speaker_home import SPEAKER_CSS
from listen_trainer.tui.speaker_state import TO_LABELS, SpeakerPractice
from listen_trainer.tui.widgets import ReplyBox
from listen_trainer.tui.widgets.speaker_panel import SpeakerFeedbackPanel

EMPTY_PROMPT = (
    "Nothing to score yet. Say what happened, how you feel underneath, and one thing they could do."
)
TITLES = {"soften": "Say it softly", "reach_out": "Reach out"}
TASKS = {
    "soften": "Say it again, softly: what happened, the feeling beneath, what you need, "
    "and one request.",
    "reach_out": "Ask for comfort directly: how you feel, and what would help right now.",
    "space": "Ask for time to yourself, and reassure them: when you will be back.",
}


def card(scenario: SpeakerScenario) -> Text:
    """The moment, whom it is said to, and the harsh first version."""
    text = Text()
    text.append(f"To {TO_LABELS.get(scenario.to.value, scenario.to.value)}\n", "bold")
    text.append(f"{scenario.situation}\n\n")
    text.append("What comes out first: ", "dim")
    text.append(f"“{scenario.harsh}”\n\n", "italic")
    text.append(TASKS.get(scenario.drill.value, TASKS["soften"]), "bold")
    return text


class SpeakerDrillScreen(Screen[None]):
    CSS_PATH = SPEAKER_CSS
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (96, "-wide")]
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("t", "try_again", "Try again"),
        Binding("m", "model", "One way to say it"),
        Binding("n", "next", "Next"),
        Binding("ctrl+n", "skip", "Next"),
    ]

    @dataclass
    class Scored(Message):
        scenario_id: str
        text: str
        feedback: Feedback

    @dataclass
    class Failed(Message):
        error: str

    def __init__(
        self, practice: SpeakerPractice, scenarios: list[SpeakerScenario], mode: str
    ) -> None:
        super().__init__()
        self.practice = practice
        self.scenarios = scenarios
        self.mode = mode
        self.index = 0
        self.scoring = False
        self.sub_title = TITLES.get(mode, "")

    @property
    def scenario(self) -> SpeakerScenario:
        return self.scenarios[self.index]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="sd-body", can_focus=False):
            with Vertical(id="sd-left"):
                yield Static(id="sd-card")
                yield ReplyBox(id="sd-reply")
                yield Static(id="sd-hint")
            assert self.practice.rubric is not None
            yield SpeakerFeedbackPanel(self.practice.rubric, id="sd-feedback")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#sd-reply", ReplyBox).placeholder = "Write what you would say…"
        self.load(0)

    def load(self, index: int) -> None:
        self.index = index % len(self.scenarios)
        scenario = self.scenario
        box = self.query_one("#sd-card", Static)
        box.update(card(scenario))
        box.border_subtitle = (
            f"{scenario.drill.value.replace('_', ' ')} · level {scenario.difficulty}"
        )
        reply = self.query_one("#sd-reply", ReplyBox)
        reply.text = self.practice.drafts.get(scenario.id, "")
        reply.move_cursor(reply.document.end)
        self._hint("")
        panel = self.query_one(SpeakerFeedbackPanel)
        panel.clear()
        tries = self.practice.attempts.get(scenario.id, [])
        if tries:
            panel.show(
                tries[-1],
                self.practice.last.get(scenario.id, ""),
                tries[-2] if len(tries) > 1 else None,
            )
        reply.focus()
        self.refresh_bindings()

    def _hint(self, message: str) -> None:
        hint = self.query_one("#sd-hint", Static)
        hint.update(message)
        hint.display = bool(message)

    @on(TextArea.Changed, "#sd-reply")
    def _keep_draft(self, event: TextArea.Changed) -> None:
        text = event.text_area.text
        if text.strip():
            self.practice.drafts[self.scenario.id] = text
        else:
            self.practice.drafts.pop(self.scenario.id, None)

    @on(ReplyBox.Submitted, "#sd-reply")
    def _submit(self, event: ReplyBox.Submitted) -> None:
        if not event.text.strip():
            self._hint(EMPTY_PROMPT)
            return
        if self.scoring:
            return
        self.scoring = True
        self._hint("" if self.practice.scorer_ready else "Getting the trainer ready…")
        self.score(self.scenario, event.text)

    @work(thread=True, exclusive=True, group="speaker-score")
    def score(self, scenario: SpeakerScenario, text: str) -> None:
        """Score in a thread, so that building the scorer never freezes the screen."""
        try:
            feedback = self.practice.scorer().score(text, scenario)
        except (ValueError, RuntimeError, OSError) as exc:
            self.post_message(self.Failed(str(exc)))
            return
        self.post_message(self.Scored(scenario.id, text, feedback))
        problem = self.practice.record(text, feedback, scenario)
        if problem:
            self.app.call_from_thread(self.notify, problem, severity="warning", title="History")

    @on(Scored)
    def _scored(self, event: Scored) -> None:
        self.scoring = False
        self.practice.scored(event.scenario_id, event.text, event.feedback)
        if event.scenario_id != self.scenario.id:
            return
        self._hint("")
        tries = self.practice.attempts[event.scenario_id]
        panel = self.query_one(SpeakerFeedbackPanel)
        panel.show(event.feedback, event.text, tries[-2] if len(tries) > 1 else None)
        panel.focus(scroll_visible=False)
        body = self.query_one("#sd-body", VerticalScroll)
        self.call_after_refresh(body.scroll_to_widget, panel, animate=False, top=True)
        self.refresh_bindings()

    @on(Failed)
    def _failed(self, event: Failed) -> None:
        self.scoring = False
        self._hint("")
        self.notify(
            f"It could not be scored: {event.error}", severity="error", title="Scoring failed"
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        typing = isinstance(self.focused, ReplyBox)
        if action in ("try_again", "model", "next"):
            if typing:
                return False
        elif action == "skip":
            return typing
        if action in ("try_again", "model"):
            return self.query_one(SpeakerFeedbackPanel).feedback is not None
        return True

    def action_back(self) -> None:
        self.dismiss()

    def action_try_again(self) -> None:
        reply = self.query_one("#sd-reply", ReplyBox)
        if not reply.text.strip():
            reply.text = self.query_one(SpeakerFeedbackPanel).text
        reply.move_cursor(reply.document.end)
        reply.focus()
        self.refresh_bindings()

    def action_model(self) -> None:
        best = self.scenario.best_exemplar()
        self.query_one(SpeakerFeedbackPanel).show_model(best.reply if best else None)

    def action_skip(self) -> None:
        self.action_next()

    def action_next(self) -> None:
        if len(self.scenarios) == 1:
            self.notify("There is no other scenario in this drill.", title="No next scenario")
            return
        self.load(self.index + 1)
