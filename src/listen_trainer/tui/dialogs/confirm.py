"""Ask before something that cannot be undone: leaving a workshop loses its replies."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Static


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question; dismissed with True for yes."""

    DEFAULT_CSS = """
    ConfirmDialog {
        align: center middle;
    }
    ConfirmDialog > Vertical {
        width: 60;
        max-width: 100%;
        height: auto;
        border: thick $warning;
        background: $surface;
        padding: 1 2;
    }
    ConfirmDialog Horizontal {
        height: auto;
        margin-top: 1;
        align-horizontal: right;
    }
    ConfirmDialog Button {
        margin-left: 2;
    }
    """

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str, yes: str = "Yes, leave", no: str = "No, stay") -> None:
        super().__init__()
        self.question = question
        """What is asked, in a sentence."""
        self.yes = yes
        """The label of the button that agrees (key y)."""
        self.no = no
        """The label of the button that declines (keys n and Esc)."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, id="confirm-text")
            with Horizontal():
                yield Button(f"{self.yes} (y)", variant="warning", id="yes")
                yield Button(f"{self.no} (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


def leave_guarded(screen: Screen[object], question: str, *, exit_app: bool = False) -> None:
    """Close `screen` once the person at the keyboard says yes.

    With `exit_app` (the trainer was opened on this activity from the command line), yes
    ends the program rather than landing on a Home nobody asked for.
    """

    def done(leave: bool | None) -> None:
        if not leave:
            return
        if exit_app:
            screen.app.exit()
        else:
            screen.dismiss()

    screen.app.push_screen(ConfirmDialog(question), done)
