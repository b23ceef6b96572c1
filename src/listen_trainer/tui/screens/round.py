"""A workshop deck, round by round: each participant takes a turn at the one keyboard,
with their own countdown, then everyone's feedback.

A reply is scored only when its author sends it or their own time runs out; the next
person's clock starts when they say they are ready, so nobody loses time to the keyboard
being passed round. The facilitator can hide names before the results reach a projector.

A speaker's deck plays the same way: each round shows the moment and the harsh first
version, each person says it softly, and the speaker's scorer and panel give the feedback.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Static

from listen_trainer.content.decks import Round
from listen_trainer.content.speaker_kinds import SpeakerVerdict
from listen_trainer.tui.dialogs.confirm import leave_guarded
from listen_trainer.tui.scoring_worker import (
    ReplyScored,
    ScoreJob,
    ScoringFailed,
    failure_notice,
    score_in_background,
)
from listen_trainer.tui.state import SPEAKER_LABELS, Session, verdict_label
from listen_trainer.tui.widgets import FeedbackPanel, ReplyBox
from listen_trainer.tui.widgets.countdown import Countdown
from listen_trainer.tui.widgets.speaker_panel import SpeakerFeedbackPanel
from listen_trainer.workshop import WorkshopRun, score_round

if TYPE_CHECKING:
    from listen_trainer.content.library import Rubric
    from listen_trainer.scoring import Feedback


def round_text(item: Round) -> Text:
    """Who speaks and where, then what they say (plain Text: a deck's brackets are not markup)."""
    text = Text()
    who = SPEAKER_LABELS.get(item.speaker.value, "") if item.speaker else ""
    if who or item.situation:
        text.append(who or "", "bold")
        if who and item.situation:
            text.append(" · ")
        text.append(item.situation or "", "italic")
        text.append("\n\n")
    text.append(f"“{item.statement}”", "bold")
    return text


def speaker_round_text(item: Round) -> Text:
    """Whom it is said to and the moment, the harsh first version, then the task: kept
    tight, so a classroom laptop's screen shows it whole above the reply box."""
    from listen_trainer.tui.screens.speaker_drill import TASKS
    from listen_trainer.tui.speaker_state import TO_LABELS

    text = Text()
    scenario = item.speaker_scenario
    if scenario is not None:
        text.append(f"To {TO_LABELS.get(scenario.to.value, scenario.to.value)}", "bold")
        text.append(" · " if item.situation else "\n")
    if item.situation:
        text.append(f"{item.situation}\n")
    text.append("What comes out first: ", "dim")
    text.append(f"“{item.statement}”\n", "italic")
    drill = scenario.drill.value if scenario is not None else "soften"
    text.append(TASKS.get(drill, TASKS["soften"]), "bold")
    return text


class RoundScreen(Screen[None]):
    """Turns (ready, then reply against the clock), then the round's feedback."""

    # The speaker's styles too: its deck's feedback is the speaker's panel.
    CSS_PATH = ["../workshop.tcss", "../speaker.tcss"]
    BINDINGS = [
        Binding("escape", "leave", "Leave"),
        Binding("v", "projector", "Large type"),
        Binding("h", "hide_names", "Hide names"),
        Binding("n", "next", "Next round"),
        *(Binding(str(d), f"show({d - 1})", "Whose feedback", show=False) for d in range(1, 10)),
    ]

    def __init__(self, session: Session, run: WorkshopRun, export_dir: object = None) -> None:
        super().__init__()
        self.session = session
        self.run = run
        self.export_dir = export_dir
        self.phase = "ready"
        self.turn = 0
        self.pending: set[str] = set()
        self.shown: str | None = None
        self.hide_names = False
        self.speaker = run.deck.side == "speaker"

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="ws-top"):
            yield Static(id="ws-round-title")
            yield Countdown(id="ws-countdown")
        yield Static(id="ws-turn")
        yield Button(id="ws-ready", variant="primary")
        yield Static(id="ws-statement", classes="speaker" if self.speaker else "")
        yield ReplyBox(id="ws-reply")
        yield Static(id="ws-results")
        if self.speaker:
            rubric = self.app.speaker.rubric  # type: ignore[attr-defined]
            assert rubric is not None, "a speaker's deck loads only with the speaker's rubric"
            yield SpeakerFeedbackPanel(rubric, id="ws-feedback")
        else:
            yield FeedbackPanel(self.session.rubric, id="ws-feedback")
        yield Footer()

    @property
    def panel(self) -> FeedbackPanel | SpeakerFeedbackPanel:
        return cast("FeedbackPanel | SpeakerFeedbackPanel", self.query_one("#ws-feedback"))

    def on_mount(self) -> None:
        self.begin_round()

    # ------------------------------------------------------------------ a round

    def _show(self, *parts: str) -> None:
        for part in ("#ws-ready", "#ws-statement", "#ws-reply", "#ws-results", "#ws-feedback"):
            self.query_one(part).display = part in parts
        self.refresh_bindings()

    def begin_round(self) -> None:
        run = self.run
        self.turn, self.shown = 0, None
        self.pending.clear()
        self.query_one("#ws-round-title", Static).update(
            Text.assemble(
                (f"Round {run.round.number} of {run.total}", "bold"),
                f" · {run.deck.title}",
            )
        )
        text = speaker_round_text if self.speaker else round_text
        self.query_one("#ws-statement", Static).update(text(run.round))
        self.panel.clear()
        self.ready_turn()

    def who(self, name: str) -> str:
        """`name`, or their seat number when names are hidden from the projector."""
        if self.hide_names:
            return f"#{self.run.participants.index(name) + 1}"
        return name

    def ready_turn(self) -> None:
        """Hand the keyboard over: the statement and the clock wait for the next person."""
        self.phase = "ready"
        names = self.run.participants
        name = names[self.turn]
        countdown = self.query_one(Countdown)
        countdown.stop()
        countdown.display = True
        countdown.update(f"{self.run.seconds // 60}:{self.run.seconds % 60:02d}")
        line = Text.assemble((f" {name} ", "bold reverse"), "  your turn.")
        if len(names) > 1:
            line.append(f"  ({self.turn + 1} of {len(names)}: the others look away)", "dim")
        self.query_one("#ws-turn", Static).update(line)
        ready = self.query_one("#ws-ready", Button)
        what = "the moment" if self.speaker else "the statement"
        ready.label = f"{name}: show {what} and start my {self.run.seconds} s (Enter)"
        self._show("#ws-ready")
        ready.focus()

    @on(Button.Pressed, "#ws-ready")
    def start_turn(self) -> None:
        if self.phase != "ready":
            return
        self.phase = "reply"
        # Each turn has the round's full time, from the moment its author is ready.
        self.run.start_round()
        name = self.run.participants[self.turn]
        task = "say it softly" if self.speaker else "write your reply"
        self.query_one("#ws-turn", Static).update(
            Text.assemble((f" {name} ", "bold reverse"), f"  {task}, then Enter.")
        )
        box = self.query_one(ReplyBox)
        box.text = ""
        if self.speaker:
            box.placeholder = "Write what you would say…"
        self._show("#ws-statement", "#ws-reply")
        box.focus()
        self.query_one(Countdown).start(self.run.remaining)

    @on(ReplyBox.Submitted, "#ws-reply")
    def _submitted(self, event: ReplyBox.Submitted) -> None:
        if self.phase != "reply":
            return
        if not event.text.strip():
            self.notify("Write a sentence or two first, or let the time run out.")
            return
        self._take_reply(event.text, timed_out=False)

    @on(Countdown.Expired)
    def _time_up(self) -> None:
        # Only this person's time ran out: what they typed counts, nobody else's turn ends.
        if self.phase == "reply":
            self._take_reply(self.query_one(ReplyBox).text, timed_out=True)

    def _take_reply(self, text: str, timed_out: bool) -> None:
        name = self.run.participants[self.turn]
        self.query_one(Countdown).stop()
        self.pending.add(name)
        item = self.run.round
        score_in_background(
            self,
            self.session,
            ScoreJob(
                key=(name, item.number, timed_out),
                reply=text,
                score=lambda scorer: score_round(scorer, item, text),
            ),
            # A speaker's statement wants the speaker's scorer, built on first use.
            scorer=self.app.speaker.scorer if self.speaker else None,  # type: ignore[attr-defined]
        )
        self.turn += 1
        if self.turn < len(self.run.participants):
            self.ready_turn()
            return
        self.phase = "scoring"
        self.query_one("#ws-turn", Static).update("Time to see how everyone did…")
        self._show()
        self._maybe_show_feedback()

    @on(ReplyScored)
    def _scored(self, event: ReplyScored) -> None:
        name, number, timed_out = event.job.key  # type: ignore[misc]
        self.pending.discard(name)
        if number == self.run.round.number:
            self.run.record(name, event.job.reply, event.feedback, timed_out)
        self._maybe_show_feedback()

    @on(ScoringFailed)
    def _failed(self, event: ScoringFailed) -> None:
        name, number, _ = event.job.key  # type: ignore[misc]
        self.pending.discard(name)
        if number == self.run.round.number:
            self.run.record(name, "", None)
        failure_notice(self, event.error, who=self.who(name))
        self._maybe_show_feedback()

    def _maybe_show_feedback(self) -> None:
        if self.phase != "scoring" or self.pending:
            return
        self.phase = "feedback"
        self.query_one(Countdown).display = False  # nobody's clock matters now
        self.query_one("#ws-turn", Static).update(
            "1-9 shows each person's feedback · h hides names · v large type · n next round"
        )
        self.query_one("#ws-statement").display = True
        if self.speaker:
            # Only the harsh version stays above the feedback: the panel needs the room.
            self.query_one("#ws-statement", Static).update(
                Text.assemble(
                    ("What came out first: ", "dim"), (f"“{self.run.round.statement}”", "italic")
                )
            )
        self._show("#ws-statement", "#ws-results", "#ws-feedback")
        self._show_results()
        answered = [e.participant for e in self.run.round_entries() if e.answered]
        self.show_feedback((answered or self.run.participants)[0])

    def _show_results(self) -> None:
        self.query_one("#ws-results", Static).update(self._results_line())

    def _results_line(self) -> Text:
        text = Text()
        rubric = self.session.rubric
        by_name = {e.participant: e for e in self.run.round_entries()}
        for index, name in enumerate(self.run.participants):
            if index:
                text.append("   ")
            entry = by_name.get(name)
            text.append(f" {index + 1} ", "reverse")
            if not self.hide_names:
                text.append(f" {name}", "bold")
            text.append(" ")
            if entry is None or entry.feedback is None:
                text.append("no reply", "dim")
            else:
                text.append(f"{entry.feedback.score} {self._verdict(entry.feedback, rubric)}")
        return text

    def _verdict(self, feedback: Feedback, rubric: Rubric) -> str:
        if self.speaker:
            from listen_trainer.tui.speaker_state import VERDICT_LABELS

            return VERDICT_LABELS[SpeakerVerdict(feedback.verdict)]
        return verdict_label(feedback.verdict, rubric)

    def show_feedback(self, name: str) -> None:
        """Show `name`'s feedback for this round (a note when they gave no reply)."""
        panel = self.panel
        entry = next((e for e in self.run.round_entries() if e.participant == name), None)
        self.shown = name
        if entry is None or entry.feedback is None:
            panel.clear()
            panel.border_title = f"{self.who(name)}: no reply this round"
        else:
            panel.show(entry.feedback, entry.reply)
            panel.border_title = f"Feedback for {self.who(name)}"
            if self.run.deck.deck.reveal_model:
                # Shown below the verdict, which comes first: no scroll to it.
                if isinstance(panel, SpeakerFeedbackPanel):
                    panel.show_model(self.run.round.model_reply)
                    panel.call_after_refresh(panel.scroll_home, animate=False)
                else:
                    panel.show_model(self.run.round.model_reply, scroll=False)
                    panel.scroll_home(animate=False)
        panel.focus(scroll_visible=False)

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("next", "show", "hide_names"):
            return self.phase == "feedback"
        if action == "projector":
            return self.phase == "feedback" or None
        return True

    def action_show(self, index: int) -> None:
        if index < len(self.run.participants):
            self.show_feedback(self.run.participants[index])

    def action_hide_names(self) -> None:
        self.hide_names = not self.hide_names
        self._show_results()
        if self.shown is not None:
            self.show_feedback(self.shown)
        self.notify("Names hidden: seat numbers only." if self.hide_names else "Names shown.")

    def action_projector(self) -> None:
        from listen_trainer.tui.dialogs.projector import ProjectorDialog

        run = self.run
        self.app.push_screen(
            ProjectorDialog(
                run.round, f"Round {run.round.number} of {run.total} · {run.deck.title}"
            )
        )

    def action_next(self) -> None:
        if self.run.next_round():
            self.begin_round()
            return
        from listen_trainer.tui.screens.workshop_summary import WorkshopSummaryScreen
        from listen_trainer.workshop import summarise

        summary = summarise(
            self.run.entries,
            self.run.participants,
            title=self.run.deck.title,
            side=self.run.deck.side,
        )
        labels = None
        if self.speaker:
            from listen_trainer.workshop.export import speaker_labels_for

            labels = speaker_labels_for(self.app.speaker.rubric)  # type: ignore[attr-defined]
        self.app.switch_screen(
            WorkshopSummaryScreen(
                self.session,
                summary,
                stem=self.run.deck.id,
                export_dir=self.export_dir,
                labels=labels,
            )
        )

    def action_leave(self) -> None:
        leave_guarded(
            self,
            "Leave the workshop? Its replies and scores will be gone.",
            exit_app=self.session.leave_exits,
        )
