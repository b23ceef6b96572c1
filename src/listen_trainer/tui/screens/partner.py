"""Partner practice: one speaks (a real, small matter, with the feelings they pick), the
other listens and replies, the engine scores the reply against what was said and picked;
then they swap. At the end each sees their own summary as a listener."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Select, Static

from listen_trainer.tui.dialogs.confirm import leave_guarded
from listen_trainer.tui.scoring_worker import (
    ReplyScored,
    ScoreJob,
    ScoringFailed,
    failure_notice,
    score_in_background,
)
from listen_trainer.tui.state import Session
from listen_trainer.tui.widgets import FeedbackPanel, ReplyBox
from listen_trainer.tui.widgets.feelings_picker import FeelingsPicker
from listen_trainer.workshop import PartnerSession, PickError, Turn, score_turn, summarise


class PartnerScreen(Screen[None]):
    """Speak, listen, see the feedback, swap; `e` ends with both summaries."""

    CSS_PATH = "../workshop.tcss"
    BINDINGS = [
        Binding("escape", "leave", "Leave"),
        Binding("ctrl+s", "hand_over", "Hand over", priority=True),
        Binding("ctrl+k", "how_it_sounds", "How it sounds", priority=True),
        Binding("s", "swap", "Swap roles"),
        Binding("e", "end", "End: summaries"),
    ]

    def __init__(self, session: Session, names: tuple[str, str], export_dir: object = None) -> None:
        super().__init__()
        self.session = session
        rubric = session.rubric
        self.pair = PartnerSession(names[0], names[1], rubric.feeling_words(), rubric.need_words())
        self.export_dir = export_dir
        self.phase = "speak"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="pt-who")
        with Vertical(id="pt-speak"):
            yield Input(
                placeholder="Something real and small you want them to hear",
                max_length=1000,
                id="pt-statement",
            )
            with Horizontal(id="pt-picks"):
                yield FeelingsPicker(self.session.rubric.lexicon, id="pt-feelings")
                with Vertical(id="pt-side"):
                    needs = [(n.name, n.name) for n in self.session.rubric.lexicon.needs]
                    yield Select(needs, prompt="A need beneath (optional)", id="pt-need")
                    yield Button("Hand over ▸", id="pt-hand-over", variant="primary")
                    yield Static(id="pt-hint")
            # The speaker's own statement, scored for the speaker alone before hand-over.
            yield Static(id="pt-sounds")
        with Vertical(id="pt-listen"):
            yield Static(id="pt-said")
            yield ReplyBox(id="pt-reply")
        yield Static(id="pt-picked")
        yield FeedbackPanel(self.session.rubric, id="pt-feedback")
        yield Footer()

    def on_mount(self) -> None:
        self.begin_speaking()

    # ------------------------------------------------------------------ phases

    def _show(self, *parts: str) -> None:
        for part in ("#pt-speak", "#pt-listen", "#pt-picked", "#pt-feedback"):
            self.query_one(part).display = part in parts
        self.refresh_bindings()

    def begin_speaking(self) -> None:
        self.phase = "speak"
        pair = self.pair
        self.query_one("#pt-who", Static).update(
            Text.assemble(
                (f" {pair.speaker} ", "bold reverse"),
                f" speaks: write it, pick the feelings, hand over. {pair.listener}, look away.",
            )
        )
        statement = self.query_one("#pt-statement", Input)
        statement.value = ""
        self.query_one(FeelingsPicker).clear()
        self.query_one("#pt-need", Select).clear()
        self.query_one("#pt-hint", Static).update("")
        self.query_one("#pt-sounds", Static).update("")
        self._show("#pt-speak")
        statement.focus()

    def action_hand_over(self) -> None:
        if self.phase != "speak":
            return
        need = self.query_one("#pt-need", Select).value
        try:
            turn = self.pair.speak(
                self.query_one("#pt-statement", Input).value,
                self.query_one(FeelingsPicker).selected,
                [need] if isinstance(need, str) else [],
            )
        except PickError as exc:
            self.query_one("#pt-hint", Static).update(str(exc))
            return
        self.begin_listening(turn)

    @on(Button.Pressed, "#pt-hand-over")
    def _hand_over_pressed(self) -> None:
        self.action_hand_over()

    @on(Input.Submitted, "#pt-statement")
    def _statement_done(self) -> None:
        self.query_one(FeelingsPicker).focus()

    @on(FeelingsPicker.Refused)
    def _too_many(self) -> None:
        self.query_one("#pt-hint", Static).update("Three at most: untick one to pick another.")

    def begin_listening(self, turn: Turn) -> None:
        self.phase = "listen"
        self.query_one("#pt-who", Static).update(
            Text.assemble(
                (f" {turn.listener} ", "bold reverse"),
                f" listens: what do you hear {turn.speaker} feeling? Reply, then Enter.",
            )
        )
        said = Text.assemble((f"{turn.speaker}: ", "bold"), (f"“{turn.statement}”", "bold"))
        self.query_one("#pt-said", Static).update(said)
        box = self.query_one("#pt-reply", ReplyBox)
        box.text = ""
        self._show("#pt-listen")
        box.focus()

    @on(ReplyBox.Submitted, "#pt-reply")
    def _replied(self, event: ReplyBox.Submitted) -> None:
        if self.phase != "listen" or self.pair.pending is None:
            return
        if not event.text.strip():
            self.notify("Write a sentence or two back first.", title="Nothing to score")
            return
        self.phase = "scoring"
        self.score(self.pair.pending, event.text)

    def score(self, turn: Turn, text: str) -> None:
        score_in_background(
            self,
            self.session,
            ScoreJob(key=turn, reply=text, score=lambda scorer: score_turn(scorer, turn, text)),
        )

    @on(ScoringFailed)
    def _failed(self, event: ScoringFailed) -> None:
        # The listener's reply is still in the box: they can send it again.
        self.phase = "listen"
        failure_notice(self, event.error)

    @on(ReplyScored)
    def _scored(self, event: ReplyScored) -> None:
        turn = self.pair.reply(event.job.reply, event.feedback)
        self.phase = "feedback"
        self.query_one("#pt-who", Static).update(
            Text.assemble(
                (f" {turn.listener} ", "bold reverse"),
                f" heard {turn.speaker}. s swaps roles, e ends with your summaries.",
            )
        )
        picked = Text.assemble((f"{turn.speaker} picked: ", "bold"), ", ".join(turn.feelings))
        if turn.needs:
            picked.append(f" · needing {', '.join(turn.needs)}")
        self.query_one("#pt-picked", Static).update(picked)
        panel = self.query_one(FeedbackPanel)
        if turn.feedback is not None:
            panel.show(turn.feedback, turn.reply)
        panel.border_title = f"Feedback for {turn.listener}"
        self._show("#pt-picked", "#pt-feedback")
        panel.focus(scroll_visible=False)

    def action_how_it_sounds(self) -> None:
        text = self.query_one("#pt-statement", Input).value
        if self.phase == "speak" and text.strip():
            self.sounds(text)

    @work(thread=True, exclusive=True, group="partner-sounds")
    def sounds(self, text: str) -> None:
        from listen_trainer.tui.widgets.speaker_panel import sounds_line

        try:
            line = sounds_line(self.app.speaker.scorer().score(text))  # type: ignore[attr-defined]
        except (ValueError, RuntimeError, OSError) as exc:
            line = Text(f"It could not be scored: {exc}")
        self.app.call_from_thread(self._show_sounds, text, line)

    def _show_sounds(self, text: str, line: Text) -> None:
        # Only for the statement still being written: never once it is handed over.
        if self.phase == "speak" and self.query_one("#pt-statement", Input).value == text:
            self.query_one("#pt-sounds", Static).update(line)

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("hand_over", "how_it_sounds"):
            return self.phase == "speak"
        if action == "swap":
            return self.phase == "feedback"
        if action == "end":
            return self.phase == "feedback"
        return True

    def action_swap(self) -> None:
        self.pair.swap()
        self.begin_speaking()

    def action_end(self) -> None:
        from listen_trainer.tui.screens.workshop_summary import WorkshopSummaryScreen

        pair = self.pair
        summary = summarise(pair.entries(), [pair.first, pair.second], title="Partner practice")
        self.app.switch_screen(
            WorkshopSummaryScreen(self.session, summary, stem="partner", export_dir=self.export_dir)
        )

    def action_leave(self) -> None:
        leave_guarded(
            self,
            "Leave partner practice? Your turns and scores will be gone.",
            exit_app=self.session.leave_exits,
        )
