"""The first run's question: who is practising, and why (on one's own, training, a workshop)."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from listen_trainer.tui.first_run import PURPOSES, Choice


class FirstRunDialog(ModalScreen[Choice | None]):
    """Dismissed with the learner's Choice; with None on Esc (asked again next time)."""

    BINDINGS = [Binding("escape", "later", "Not now")]

    def __init__(self, check_name: Callable[[str], str] | None = None) -> None:
        super().__init__()
        self.check_name = check_name
        """A function that returns the name cleaned, or raises ValueError (the store's rules)."""

    def compose(self) -> ComposeResult:
        with Vertical(id="first-run", classes="dialog"):
            yield Static("Welcome. Who is practising?", classes="dialog-title")
            yield Input(placeholder="Your name or a nickname", id="first-name", max_length=80)
            yield Static("And what brings you here? (↑↓, Enter to start)", id="first-why")
            yield OptionList(
                *[
                    Option(Text.assemble((title, "bold"), (f"\n  {line}", "dim")), id=key)
                    for key, (title, line) in PURPOSES.items()
                ],
                id="first-purpose",
            )
            yield Static(id="first-error")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#first-purpose", OptionList).highlighted = 0
        self.query_one("#first-name", Input).focus()

    @on(Input.Submitted, "#first-name")
    def _name_done(self) -> None:
        self.query_one("#first-purpose", OptionList).focus()

    @on(OptionList.OptionSelected, "#first-purpose")
    def _start(self, event: OptionList.OptionSelected) -> None:
        name = self.query_one("#first-name", Input).value.strip() or "default"
        if self.check_name is not None:
            try:
                name = self.check_name(name)
            except ValueError as exc:
                self.query_one("#first-error", Static).update(
                    Text(f"That name cannot be used: {exc}.", "bold")
                )
                self.query_one("#first-name", Input).focus()
                return
        self.dismiss(Choice(name, event.option.id))  # type: ignore[arg-type]

    def action_later(self) -> None:
        self.dismiss(None)
