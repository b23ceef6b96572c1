"""Who is practising: pick a profile from the history, or type a new name.

Several learners may share one machine (a family, a classroom laptop, browsers joining
`listen-trainer serve`); each one's attempts and progress are kept under their profile.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.css.query import NoMatches
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from listen_trainer.tui.state import Session

# Opening the history may wait on another listen-trainer holding its lock; the chooser
# waits no longer than the store does before offering what it has.
HISTORY_WAIT_SECONDS = 6.0


class ProfileDialog(ModalScreen[str | None]):
    """Switches the session to the chosen profile and is dismissed with its name.

    With `required` (a browser joining `serve`), there is no Esc: each participant says
    who they are, so that nobody's attempts land under someone else's name.
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, session: Session, *, required: bool = False) -> None:
        super().__init__()
        self.session = session
        self.required = required

    def compose(self) -> ComposeResult:
        with Vertical(id="profile", classes="dialog"):
            yield Static("Who is practising?", classes="dialog-title")
            yield Static(
                "Each learner's attempts and progress are kept apart, on this machine.",
                id="profile-note",
            )
            yield Input(
                placeholder="Type your name and press Enter",
                id="new-profile",
                max_length=80,
            )
            yield Static("or pick one (Tab, then ↑↓ and Enter):", id="profile-or")
            yield OptionList(id="profiles")
            yield Static(id="profile-error")
        yield Footer()

    def on_mount(self) -> None:
        self._offer(self.session.known_profiles())
        # Typing a name is what most people do first: the box has focus, and a name typed
        # there switches (or creates) the profile on Enter. Tab or ↑ reach the list.
        self.query_one("#new-profile", Input).focus()
        self._load_profiles()

    @work(thread=True, exclusive=True, group="profiles")
    def _load_profiles(self) -> None:
        # The history is opened in a worker at start-up; the names come once it is open.
        self.session.wait_for_history(HISTORY_WAIT_SECONDS)
        names = self.session.known_profiles()
        self.app.call_from_thread(self._offer, names)

    def _offer(self, names: list[str]) -> None:
        try:
            options = self.query_one("#profiles", OptionList)
        except NoMatches:
            return  # the chooser was closed while the names were on their way
        # Keep the learner's place when the list fills in under them.
        keep = options.highlighted_option.id if options.highlighted_option else None
        options.clear_options()
        for name in names:
            label = Text(name)
            if name == self.session.profile:
                label.append("  (now)", "dim")
            options.add_option(Option(label, id=name))
        target = keep if keep in names else self.session.profile
        options.highlighted = names.index(target) if target in names else 0

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel":
            return not self.required
        return True

    @on(OptionList.OptionSelected, "#profiles")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self._choose(event.option.id)

    @on(Input.Submitted, "#new-profile")
    def _typed(self, event: Input.Submitted) -> None:
        self._choose(event.value)

    @on(Input.Changed, "#new-profile")
    def _clear_error(self) -> None:
        self.query_one("#profile-error", Static).update("")

    def _choose(self, name: str) -> None:
        try:
            self.session.switch_profile(name)
        except ValueError as exc:
            error = Text(f"That name cannot be used: {exc}.", "bold")
            self.query_one("#profile-error", Static).update(error)
            return
        self.dismiss(self.session.profile)

    def action_cancel(self) -> None:
        self.dismiss(None)
