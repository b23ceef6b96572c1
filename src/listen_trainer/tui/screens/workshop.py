"""Workshop mode: choose a deck (or partner practice), name the participants, play rounds.

`WorkshopScreen` is the setup; `RoundScreen` plays the deck: a statement, a countdown, the
replies of each participant at this keyboard in turn, then everyone's feedback, and the
facilitator's projector view. Replies stay in memory (never the learner's history).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from listen_trainer.content.decks import LoadedDeck, Round, load_decks
from listen_trainer.scoring import Feedback
from listen_trainer.tui.state import SPEAKER_LABELS, Session, verdict_label
from listen_trainer.tui.widgets import FeedbackPanel, ReplyBox
from listen_trainer.tui.widgets.countdown import Countdown
from listen_trainer.workshop import WorkshopRun, score_round
from listen_trainer.workshop.run import Clock, clean_names

CSS = "../workshop.tcss"
PARTNER = "partner"
MAX_PARTICIPANTS = 9  # one digit key each, to pick whose feedback to show


def split_names(text: str) -> list[str]:
    return clean_names(text.split(","))


class ConfirmScreen(ModalScreen[bool]):
    """Ask before something that would lose the session's replies."""

    CSS_PATH = CSS
    BINDINGS = [
        Binding("y", "answer(True)", "Yes, leave"),
        Binding("n,escape", "answer(False)", "No, stay"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="ws-confirm"):
            yield Static(self.question, id="ws-confirm-text")
            yield Static("[b]y[/] leave    [b]n[/] stay", id="ws-confirm-keys")
        yield Footer()

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


def leave_guarded(screen: Screen[object], question: str) -> None:
    """Close `screen` once the facilitator says yes."""

    def done(leave: bool | None) -> None:
        if leave:
            screen.dismiss()

    screen.app.push_screen(ConfirmScreen(question), done)


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


# --------------------------------------------------------------------------- setup


class WorkshopScreen(Screen[None]):
    """Set up a workshop: a deck (or partner practice), then the participants' names."""

    CSS_PATH = CSS
    BINDINGS = [Binding("escape", "back", "Back")]

    def __init__(
        self,
        session: Session,
        deck: LoadedDeck | None = None,
        partner: bool = False,
        *,
        participants: list[str] | None = None,
        seconds: int | None = None,
        clock: Clock | None = None,
        export_dir: object = None,
    ) -> None:
        super().__init__()
        self.session = session
        self.deck = deck
        self.partner = partner
        self.participants = participants or []
        self.seconds = seconds
        self.clock = clock
        self.export_dir = export_dir
        catalog = load_decks(session.rubric, session.library)
        self.decks = {d.id: d for d in catalog.decks}
        self.deck_problems = catalog.problems
        self.picked_from_list = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="ws-setup"):
            yield Static(
                "Workshop: the room answers the same statements, round by round, against "
                "the clock. Replies stay on this computer.",
                id="ws-intro",
            )
            options = [Option(self._deck_line(d), id=d.id) for d in self.decks.values()] + [
                Option(
                    Text.assemble(
                        ("Partner practice", "bold"),
                        ("\n  two people, one keyboard: one speaks, one listens, then swap", "dim"),
                    ),
                    id=PARTNER,
                )
            ]
            yield OptionList(*options, id="ws-decks")
            yield Static(id="ws-chosen")
            yield Input(
                ", ".join(self.participants),
                placeholder="Names or nicknames, separated by commas",
                id="ws-names",
            )
            yield Static(id="ws-setup-hint")
        yield Footer()

    @staticmethod
    def _deck_line(deck: LoadedDeck) -> Text:
        return Text.assemble(
            (deck.title, "bold"),
            (
                f"\n  {len(deck.rounds)} rounds of {deck.deck.seconds_per_round} s"
                f"{' · model replies shown' if deck.deck.reveal_model else ''}",
                "dim",
            ),
        )

    def on_mount(self) -> None:
        for problem in self.deck_problems:
            self.notify(str(problem), title="A deck was skipped", severity="warning", markup=False)
        if self.deck is not None or self.partner:
            self.query_one("#ws-decks").display = False
            self._chosen()
            self.query_one("#ws-names", Input).focus()
        else:
            self.query_one("#ws-names").display = False
            self.query_one("#ws-decks", OptionList).focus()

    def _chosen(self) -> None:
        if self.partner:
            line = "Partner practice. Type the two names, separated by a comma, then Enter."
        else:
            assert self.deck is not None
            seconds = self.seconds or self.deck.deck.seconds_per_round
            line = (
                f"{self.deck.title}: {len(self.deck.rounds)} rounds of {seconds} s. "
                "Type everyone's name at this keyboard, separated by commas, then Enter."
            )
        self.query_one("#ws-chosen", Static).update(line)
        self.query_one("#ws-names").display = True

    @on(OptionList.OptionSelected, "#ws-decks")
    def _pick(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == PARTNER:
            self.partner = True
        else:
            self.deck = self.decks[event.option.id or ""]
        self.picked_from_list = True
        self.query_one("#ws-decks").display = False
        self._chosen()
        self.query_one("#ws-names", Input).focus()

    @on(Input.Submitted, "#ws-names")
    def _start(self, event: Input.Submitted) -> None:
        names = split_names(event.value)
        hint = self.query_one("#ws-setup-hint", Static)
        if self.partner:
            if len(names) != 2:
                hint.update("Partner practice is for two: type two different names.")
                return
            from listen_trainer.tui.screens.partner import PartnerScreen

            self.app.switch_screen(
                PartnerScreen(self.session, (names[0], names[1]), export_dir=self.export_dir)
            )
            return
        if not names:
            hint.update("Type at least one name (a nickname is fine).")
            return
        if len(names) > MAX_PARTICIPANTS:
            hint.update(f"At most {MAX_PARTICIPANTS} people at one keyboard.")
            return
        assert self.deck is not None
        run = WorkshopRun(self.deck, names, seconds=self.seconds)
        if self.clock is not None:
            run.clock = self.clock
        self.app.switch_screen(RoundScreen(self.session, run, export_dir=self.export_dir))

    def action_back(self) -> None:
        """From the names, back to the list of decks if it was used; otherwise leave."""
        if self.picked_from_list:
            self.picked_from_list = False
            self.deck, self.partner = None, False
            self.query_one("#ws-names").display = False
            self.query_one("#ws-chosen", Static).update("")
            self.query_one("#ws-setup-hint", Static).update("")
            self.query_one("#ws-decks").display = True
            self.query_one("#ws-decks", OptionList).focus()
            return
        self.dismiss()


# --------------------------------------------------------------------------- projector


class ProjectorScreen(ModalScreen[None]):
    """The facilitator's view: the statement, a model reply and the teaching note, big."""

    CSS_PATH = CSS
    BINDINGS = [Binding("escape,v", "close", "Close")]

    def __init__(self, item: Round, title: str) -> None:
        super().__init__()
        self.item = item
        self.title_line = title

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="ws-projector"):
            yield Static(self.title_line, id="pj-title")
            yield Static(Text(f"“{self.item.statement}”"), id="pj-statement", classes="pj-part")
            model = self.item.model_reply or "This round has no model reply."
            yield Static(Text(model), id="pj-model", classes="pj-part")
            if self.item.teaching_note:
                yield Static(Text(self.item.teaching_note), id="pj-note", classes="pj-part")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#pj-model").border_title = "A model reply"
        if self.item.teaching_note:
            self.query_one("#pj-note").border_title = "Why it works"

    def action_close(self) -> None:
        self.dismiss()


# --------------------------------------------------------------------------- rounds


class RoundScreen(Screen[None]):
    """One round after another: replies in turn against the clock, then the feedback."""

    CSS_PATH = CSS
    BINDINGS = [
        Binding("escape", "leave", "Leave"),
        Binding("v", "projector", "Projector view"),
        Binding("n", "next", "Next round"),
        *(Binding(str(d), f"show({d - 1})", "Whose feedback", show=False) for d in range(1, 10)),
    ]

    @dataclass
    class Scored(Message):
        participant: str
        round_number: int
        reply: str
        feedback: Feedback | None
        timed_out: bool

    @dataclass
    class Failed(Message):
        participant: str
        error: str

    def __init__(self, session: Session, run: WorkshopRun, export_dir: object = None) -> None:
        super().__init__()
        self.session = session
        self.run = run
        self.export_dir = export_dir
        self.phase = "reply"
        self.turn = 0
        self.pending: set[str] = set()
        self.shown: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="ws-top"):
            yield Static(id="ws-round-title")
            yield Countdown(id="ws-countdown")
        yield Static(id="ws-statement")
        yield Static(id="ws-turn")
        yield ReplyBox(id="ws-reply")
        yield Static(id="ws-results")
        yield FeedbackPanel(self.session.rubric, id="ws-feedback")
        yield Footer()

    def on_mount(self) -> None:
        self.begin_round()

    # ------------------------------------------------------------------ a round

    def begin_round(self) -> None:
        run = self.run
        run.start_round()
        self.phase, self.turn, self.shown = "reply", 0, None
        self.pending.clear()
        self.query_one("#ws-round-title", Static).update(
            Text.assemble(
                (f"Round {run.round.number} of {run.total}", "bold"),
                f" · {run.deck.title}",
            )
        )
        self.query_one("#ws-statement", Static).update(round_text(run.round))
        for part in ("#ws-turn", "#ws-reply"):
            self.query_one(part).display = True
        for part in ("#ws-results", "#ws-feedback"):
            self.query_one(part).display = False
        self.query_one(FeedbackPanel).clear()
        self._show_turn()
        self.query_one(Countdown).start(run.remaining)
        self.refresh_bindings()

    def _show_turn(self) -> None:
        names = self.run.participants
        name = names[self.turn]
        line = Text.assemble((f"{name}", "bold reverse"), "  your reply, then Enter.")
        if len(names) > 1:
            line.append(f"  ({self.turn + 1} of {len(names)}: the others look away)", "dim")
        self.query_one("#ws-turn", Static).update(line)
        box = self.query_one(ReplyBox)
        box.text = ""
        box.focus()

    @on(ReplyBox.Submitted, "#ws-reply")
    def _submitted(self, event: ReplyBox.Submitted) -> None:
        if self.phase == "reply":
            self._take_reply(event.text, timed_out=False)

    def _take_reply(self, text: str, timed_out: bool) -> None:
        name = self.run.participants[self.turn]
        self.pending.add(name)
        self.score(name, self.run.round, text, timed_out)
        self.turn += 1
        if self.turn >= len(self.run.participants):
            self._close_replies()
        else:
            self._show_turn()

    @on(Countdown.Expired)
    def _time_up(self) -> None:
        if self.phase != "reply":
            return
        # What was typed when time ran out counts; those whose turn never came get none.
        self._take_reply(self.query_one(ReplyBox).text, timed_out=True)
        if self.phase == "reply":
            self.run.time_up(pending=self.pending)
            self._close_replies()

    def _close_replies(self) -> None:
        self.phase = "scoring"
        self.query_one(Countdown).stop()
        self.query_one("#ws-reply").display = False
        self.query_one("#ws-turn", Static).update("Time to see how everyone did…")
        self._maybe_show_feedback()

    @work(thread=True, group="workshop-score")
    def score(self, name: str, item: Round, text: str, timed_out: bool) -> None:
        """Score off the UI thread; the first reply may wait for the pipeline to build."""
        try:
            feedback = score_round(self.session.scorer(), item, text)
        except (ValueError, RuntimeError, OSError) as exc:
            self.post_message(self.Failed(name, str(exc)))
            return
        self.post_message(self.Scored(name, item.number, text, feedback, timed_out))

    @on(Scored)
    def _scored(self, event: Scored) -> None:
        self.pending.discard(event.participant)
        if event.round_number == self.run.round.number:
            self.run.record(event.participant, event.reply, event.feedback, event.timed_out)
        self._maybe_show_feedback()

    @on(Failed)
    def _failed(self, event: Failed) -> None:
        self.pending.discard(event.participant)
        self.run.record(event.participant, "", None)
        self.notify(
            f"{event.participant}'s reply could not be scored: {event.error}", severity="error"
        )
        self._maybe_show_feedback()

    def _maybe_show_feedback(self) -> None:
        if self.phase != "scoring" or self.pending:
            return
        self.phase = "feedback"
        self.query_one("#ws-turn").display = False
        results = self.query_one("#ws-results", Static)
        results.update(self._results_line())
        results.display = True
        self.query_one("#ws-feedback").display = True
        answered = [e.participant for e in self.run.round_entries() if e.answered]
        self.show_feedback((answered or self.run.participants)[0])
        self.refresh_bindings()

    def _results_line(self) -> Text:
        text = Text()
        rubric = self.session.rubric
        by_name = {e.participant: e for e in self.run.round_entries()}
        for index, name in enumerate(self.run.participants):
            if index:
                text.append("   ")
            entry = by_name.get(name)
            text.append(f" {index + 1} ", "reverse")
            text.append(f" {name} ", "bold")
            if entry is None or entry.feedback is None:
                text.append("no reply", "dim")
            else:
                text.append(
                    f"{entry.feedback.score} {verdict_label(entry.feedback.verdict, rubric)}"
                )
        return text

    def show_feedback(self, name: str) -> None:
        """Show `name`'s feedback for this round (a note when they gave no reply)."""
        panel = self.query_one(FeedbackPanel)
        entry = next((e for e in self.run.round_entries() if e.participant == name), None)
        self.shown = name
        if entry is None or entry.feedback is None:
            panel.clear()
            panel.border_title = f"{name}: no reply this round"
        else:
            panel.show(entry.feedback, entry.reply)
            panel.border_title = f"Feedback for {name}"
            if self.run.deck.deck.reveal_model:
                # Shown below the verdict, which comes first: no scroll to it. (Scrolling
                # there and back again raced with the refreshes and opened on either.)
                panel.show_model(self.run.round.model_reply, scroll=False)
                panel.scroll_home(animate=False)
        panel.focus(scroll_visible=False)

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("next", "show"):
            return self.phase == "feedback"
        if action == "projector":
            return self.phase == "feedback" or None
        return True

    def action_show(self, index: int) -> None:
        if index < len(self.run.participants):
            self.show_feedback(self.run.participants[index])

    def action_projector(self) -> None:
        run = self.run
        self.app.push_screen(
            ProjectorScreen(
                run.round, f"Round {run.round.number} of {run.total} · {run.deck.title}"
            )
        )

    def action_next(self) -> None:
        if self.run.next_round():
            self.begin_round()
            return
        from listen_trainer.tui.screens.workshop_summary import WorkshopSummaryScreen
        from listen_trainer.workshop import summarise

        summary = summarise(self.run.entries, self.run.participants, title=self.run.deck.title)
        self.app.switch_screen(
            WorkshopSummaryScreen(
                self.session, summary, stem=self.run.deck.id, export_dir=self.export_dir
            )
        )

    def action_leave(self) -> None:
        leave_guarded(self, "Leave the workshop? Its replies and scores will be gone.")
