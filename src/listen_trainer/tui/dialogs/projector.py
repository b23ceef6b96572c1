"""The facilitator's projector view: the statement and a model reply in large type."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from listen_trainer.content.decks import Round
from listen_trainer.tui.widgets.big_text import BigText


class ProjectorDialog(ModalScreen[None]):
    """Large type for the back of the room; the teaching note below, in ordinary type."""

    CSS_PATH = "../workshop.tcss"
    BINDINGS = [Binding("escape,v", "close", "Close")]

    def __init__(self, item: Round, title: str) -> None:
        super().__init__()
        self.item = item
        """The round shown."""
        self.title_line = title
        """Which round of which deck, above the statement."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="ws-projector"):
            yield Static(self.title_line, id="pj-title")
            yield BigText(self.item.statement, id="pj-statement", classes="pj-part")
            model = self.item.model_reply or "This round has no model reply."
            yield BigText(model, id="pj-model", classes="pj-part")
            if self.item.teaching_note:
                yield Static(Text(self.item.teaching_note), id="pj-note", classes="pj-part")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#pj-model").border_title = "A model reply"
        if self.item.teaching_note:
            self.query_one("#pj-note").border_title = "Why it works"

    def action_close(self) -> None:
        self.dismiss()
