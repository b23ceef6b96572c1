"""The "first time? start here" dialog: attuned versus placating, then an easy drill."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static

# Written for this trainer; the theory comes from the attunement articles in the seeds.
INTRO = (
    "An attuned reply tries to feel what the other person feels and says it back: it "
    "names the feeling you hear and what it is about, so they know it reached you. "
    "A placating reply uses caring-sounding words, such as “sorry you feel that way” or "
    "“I hear you, but…”, to make the feeling go away rather than to meet it. "
    "In each drill you write what you would say; the trainer colours the words that help "
    "and the words that get in the way, and shows you a reply to learn from."
)


class IntroDialog(ModalScreen[bool]):
    """Dismissed with True when the learner wants the easy drill now."""

    BINDINGS = [Binding("escape", "dismiss(False)", "Not now")]

    def compose(self) -> ComposeResult:
        with Vertical(id="intro", classes="dialog"):
            yield Static("Listening, not placating", classes="dialog-title")
            yield Static(INTRO, id="intro-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Start an easy drill", variant="primary", id="start")
                yield Button("Not now", id="later")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#start", Button).focus()

    @on(Button.Pressed, "#start")
    def _start(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#later")
    def _later(self) -> None:
        self.dismiss(False)
