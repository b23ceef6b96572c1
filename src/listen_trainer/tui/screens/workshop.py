"""Workshop setup: choose a deck (or partner practice), then name the participants.

The rounds are played by `RoundScreen` (screens/round.py), partner practice by
`PartnerScreen`. Replies stay in memory (never the learner's history). A speaker's deck
(`side: speaker`) is listed when the speaker's rubric loads.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from listen_trainer.content.decks import LoadedDeck, SpeakerContent, load_decks
from listen_trainer.tui.dialogs.confirm import leave_guarded
from listen_trainer.tui.state import Session
from listen_trainer.workshop import WorkshopRun, split_names
from listen_trainer.workshop.run import Clock

PARTNER = "partner"
MAX_PARTICIPANTS = 9  # one digit key each, to pick whose feedback to show


class WorkshopScreen(Screen[None]):
    """Set up a workshop: a deck (or partner practice), then the participants' names."""

    CSS_PATH = "../workshop.tcss"
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
        catalog = load_decks(session.rubric, session.library, speaker=self._speaker_content())
        self.decks = {d.id: d for d in catalog.decks}
        self.deck_problems = catalog.problems
        self.picked_from_list = False

    def _speaker_content(self) -> SpeakerContent | None:
        """The speaker's rubric and packs, for its decks; None if its rubric is broken."""
        practice = self.app.speaker  # type: ignore[attr-defined]
        if practice.rubric is None:
            return None
        return SpeakerContent(practice.rubric, practice.library)

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
                f"\n  {'say it softly · ' if deck.side == 'speaker' else ''}"
                f"{len(deck.rounds)} rounds of {deck.deck.seconds_per_round} s"
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
        from listen_trainer.tui.screens.round import RoundScreen

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
        if self.session.leave_exits:
            leave_guarded(self, "Close listen-trainer?", exit_app=True)
            return
        self.dismiss()
