"""The drill: read a scenario, write a reply, see how attuned it was, try again or go on."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Static, TextArea

from listen_trainer.content.models import Scenario
from listen_trainer.tui.scoring_worker import (
    ReplyScored,
    ScoreJob,
    ScoringFailed,
    failure_notice,
    score_in_background,
)
from listen_trainer.tui.state import Session
from listen_trainer.tui.widgets import FeedbackPanel, ReplyBox, ScenarioCard

EMPTY_PROMPT = (
    "Nothing to score yet. Write a sentence or two back to them: what do you hear "
    "them feeling, and about what?"
)


class DrillScreen(Screen[None]):
    """One scenario at a time; `queue` (from Progress) goes first when Next is pressed."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (96, "-wide")]
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("t", "try_again", "Try again"),
        Binding("m", "model_reply", "Model reply"),
        Binding("n", "next", "Next"),
        Binding("ctrl+n", "skip", "Next"),
    ]

    def __init__(
        self, session: Session, scenario: Scenario, queue: list[Scenario] | None = None
    ) -> None:
        super().__init__()
        self.session = session
        self.scenario = scenario
        self.queue = list(queue or [])
        self.scoring = False

    def compose(self) -> ComposeResult:
        yield Header()
        # Nothing scrolls but the feedback: the statement stays in view at any size.
        with Container(id="drill-body"):
            with Vertical(id="drill-left"):
                yield ScenarioCard(id="card")
                yield ReplyBox(id="reply")
                yield Static(id="hint")
            yield FeedbackPanel(self.session.rubric, id="feedback")
        yield Footer()

    def on_mount(self) -> None:
        self.load(self.scenario)

    # ------------------------------------------------------------------ scenario

    def load(self, scenario: Scenario) -> None:
        """Show `scenario`, its unsent draft and, if it was tried before, the last feedback."""
        self.scenario = scenario
        self.session.current_id = scenario.id
        self.query_one(ScenarioCard).show(scenario, self.session.pack_of(scenario.id))
        reply = self.query_one(ReplyBox)
        reply.text = self.session.drafts.get(scenario.id, "")
        reply.move_cursor(reply.document.end)
        self._hint("")
        panel = self.query_one(FeedbackPanel)
        panel.clear()
        tries = self.session.attempts.get(scenario.id, [])
        if tries:
            previous = tries[-2] if len(tries) > 1 else None
            panel.show(tries[-1], self.session.last_replies.get(scenario.id, ""), previous)
            panel.show_lesson(scenario)
        reply.focus()
        self.refresh_bindings()

    def _hint(self, message: str) -> None:
        hint = self.query_one("#hint", Static)
        hint.update(message)
        hint.display = bool(message)

    # ------------------------------------------------------------------ replying

    @on(TextArea.Changed, "#reply")
    def _keep_draft(self, event: TextArea.Changed) -> None:
        text = event.text_area.text
        if text.strip():
            self.session.drafts[self.scenario.id] = text
        else:
            self.session.drafts.pop(self.scenario.id, None)

    @on(ReplyBox.Submitted)
    def _submit(self, event: ReplyBox.Submitted) -> None:
        if not event.text.strip():
            self._hint(EMPTY_PROMPT)
            return
        if self.scoring:
            return
        self.scoring = True
        self._hint("" if self.session.scorer_ready else "Getting the trainer ready…")
        self.score(self.scenario, event.text)

    def score(self, scenario: Scenario, reply: str) -> None:
        """Score in a thread, so a slow first pipeline build never freezes the screen."""
        session = self.session
        score_in_background(
            self,
            session,
            ScoreJob(
                key=scenario.id,
                reply=reply,
                score=lambda scorer: scorer.score(reply, scenario=scenario),
                save=lambda feedback: session.record(reply, feedback, scenario),
            ),
        )

    @on(ReplyScored)
    def _scored(self, event: ReplyScored) -> None:
        self.scoring = False
        scenario_id = str(event.job.key)
        if event.feedback is None:
            return
        reply = event.job.reply
        self.session.drafts.pop(scenario_id, None)
        tries = self.session.attempts.setdefault(scenario_id, [])
        tries.append(event.feedback)
        self.session.last_replies[scenario_id] = reply
        if scenario_id != self.scenario.id:
            return
        self._hint("")
        panel = self.query_one(FeedbackPanel)
        panel.show(event.feedback, reply, tries[-2] if len(tries) > 1 else None)
        panel.show_lesson(self.scenario)
        panel.focus(scroll_visible=False)
        self.refresh_bindings()

    @on(ScoringFailed)
    def _failed(self, event: ScoringFailed) -> None:
        self.scoring = False
        self._hint("")
        failure_notice(self, event.error)

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide the one-letter keys while the reply box has focus: there they are typing."""
        typing = isinstance(self.focused, ReplyBox)
        if action in ("try_again", "model_reply", "next"):
            if typing:
                return False
        elif action == "skip":
            return typing
        if action in ("try_again", "model_reply"):
            return self.query_one(FeedbackPanel).feedback is not None
        return True

    def action_back(self) -> None:
        self.dismiss()

    def action_try_again(self) -> None:
        """Keep the scenario and the last reply, so the learner can rework it."""
        reply = self.query_one(ReplyBox)
        if not reply.text.strip():
            reply.text = self.query_one(FeedbackPanel).reply
        reply.move_cursor(reply.document.end)
        reply.focus()
        self.refresh_bindings()

    def action_model_reply(self) -> None:
        panel = self.query_one(FeedbackPanel)
        best = self.scenario.best_exemplar()
        model = (panel.feedback.model_reply if panel.feedback else None) or (
            best.reply if best else None
        )
        panel.show_model(model)

    def action_skip(self) -> None:
        self.action_next()

    def action_next(self) -> None:
        if self.queue:
            self.load(self.queue.pop(0))
            return
        following = self.session.next_scenario(after=self.scenario.id)
        if following is None or following.id == self.scenario.id:
            self.notify(
                "There is no other scenario in the chosen packs and levels.",
                title="No next scenario",
            )
            return
        self.load(following)
