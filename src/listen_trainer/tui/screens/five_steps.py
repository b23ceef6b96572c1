"""The five steps from resentment to closeness, as a worksheet: each step is checked as it
is written (Enter moves on), the statement made of the steps to be said is scored at the
end, and the whole sheet can be kept as a Markdown file only you can read."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Static

from listen_trainer.practice import five_steps
from listen_trainer.scoring import Feedback
from listen_trainer.tui.screens.speaker_home import SPEAKER_CSS
from listen_trainer.tui.speaker_state import SpeakerPractice
from listen_trainer.tui.widgets.speaker_panel import SpeakerFeedbackPanel


class FiveStepsScreen(Screen[None]):
    CSS_PATH = SPEAKER_CSS
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (96, "-wide")]
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+s", "score", "Score the statement", priority=True),
        Binding("ctrl+e", "export", "Export", priority=True),
    ]

    @dataclass
    class Checked(Message):
        key: str
        text: str
        check: five_steps.StepCheck

    @dataclass
    class Scored(Message):
        statement: str
        feedback: Feedback

    def __init__(self, practice: SpeakerPractice) -> None:
        super().__init__()
        self.practice = practice
        self.answers: dict[str, str] = {}
        self.checks: dict[str, five_steps.StepCheck] = {}
        self.feedback: Feedback | None = None
        self.sub_title = "Five steps from resentment to closeness"

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="fs-body", can_focus=False):
            with Vertical(id="fs-left"):
                for step in five_steps.STEPS:
                    with Vertical(classes="fs-step"):
                        yield Static(Text(step.title, "bold"))
                        yield Static(step.question, classes="fs-question")
                        yield Input(
                            placeholder=step.placeholder, max_length=500, id=f"fs-{step.key}"
                        )
                        yield Static("", id=f"fs-check-{step.key}", classes="fs-check")
                yield Static(id="fs-statement")
                with Horizontal(id="fs-buttons"):
                    yield Button("Score it (Ctrl+S)", id="fs-score", variant="primary")
                    yield Button("Export (Ctrl+E)", id="fs-export")
                yield Static(id="fs-hint")
            assert self.practice.rubric is not None
            yield SpeakerFeedbackPanel(self.practice.rubric, id="fs-feedback")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(f"#fs-{five_steps.STEP_KEYS[0]}", Input).focus()
        self._show_statement()

    # ------------------------------------------------------------------ the steps

    @on(Input.Submitted)
    def _step_done(self, event: Input.Submitted) -> None:
        key = (event.input.id or "").removeprefix("fs-")
        if key not in five_steps.STEP_KEYS:
            return
        self._check(key, event.value)
        index = five_steps.STEP_KEYS.index(key)
        if index + 1 < len(five_steps.STEP_KEYS):
            self.query_one(f"#fs-{five_steps.STEP_KEYS[index + 1]}", Input).focus()
        else:
            self.action_score()

    @on(Input.Blurred)
    def _left_step(self, event: Input.Blurred) -> None:
        key = (event.input.id or "").removeprefix("fs-")
        if key in five_steps.STEP_KEYS and event.value != self.answers.get(key):
            self._check(key, event.value)

    def _check(self, key: str, text: str) -> None:
        self.answers[key] = text
        self._show_statement()
        self.check_step(key, text)

    @work(thread=True, group="five-steps-check")
    def check_step(self, key: str, text: str) -> None:
        try:
            check = five_steps.check_step(key, text, self.practice.scorer())
        except (ValueError, RuntimeError, OSError) as exc:
            check = five_steps.StepCheck(False, f"It could not be checked: {exc}")
        self.post_message(self.Checked(key, text, check))

    @on(Checked)
    def _checked(self, event: Checked) -> None:
        if self.answers.get(event.key, "") != event.text:
            return  # written again since: a newer check is on its way
        self.checks[event.key] = event.check
        mark = self.query_one(f"#fs-check-{event.key}", Static)
        mark.update(("✓ " if event.check.ok else "• ") + event.check.message)
        mark.set_class(event.check.ok, "-ok")
        mark.set_class(not event.check.ok, "-todo")

    def _show_statement(self) -> None:
        said = five_steps.statement(self.answers)
        widget = self.query_one("#fs-statement", Static)
        widget.update(Text(said) if said else Text("Your statement builds up here.", "dim italic"))
        widget.border_title = "What you will say"

    # ------------------------------------------------------------------ the end

    @on(Button.Pressed, "#fs-score")
    def _score_pressed(self) -> None:
        self.action_score()

    @on(Button.Pressed, "#fs-export")
    def _export_pressed(self) -> None:
        self.action_export()

    def _gather(self) -> None:
        for key in five_steps.STEP_KEYS:
            self.answers[key] = self.query_one(f"#fs-{key}", Input).value

    def action_score(self) -> None:
        self._gather()
        self._show_statement()
        said = five_steps.statement(self.answers)
        if not said:
            self.query_one("#fs-hint", Static).update(
                "Write the steps first: there is nothing to say yet."
            )
            return
        self.query_one("#fs-hint", Static).update("")
        self.score(said)

    @work(thread=True, exclusive=True, group="five-steps-score")
    def score(self, said: str) -> None:
        try:
            feedback = self.practice.scorer().score(said)
        except (ValueError, RuntimeError, OSError) as exc:
            self.app.call_from_thread(
                self.notify, f"It could not be scored: {exc}", severity="error", title="Scoring"
            )
            return
        self.post_message(self.Scored(said, feedback))
        problem = self.practice.record(said, feedback, None)
        if problem:
            self.app.call_from_thread(self.notify, problem, severity="warning", title="History")

    @on(Scored)
    def _scored(self, event: Scored) -> None:
        self.feedback = event.feedback
        panel = self.query_one(SpeakerFeedbackPanel)
        panel.show(event.feedback, event.statement)
        for key in five_steps.STEP_KEYS:
            if key not in self.checks or self.answers.get(key):
                self.check_step(key, self.answers.get(key, ""))

    def action_export(self) -> None:
        self._gather()
        try:
            path = five_steps.export(self.answers, self.feedback)
        except OSError as exc:
            self.notify(
                f"The worksheet could not be written: {exc}", severity="error", title="Export"
            )
            return
        self.notify(str(path), title="Worksheet saved (only you can read it)", markup=False)

    def action_back(self) -> None:
        self.dismiss()
