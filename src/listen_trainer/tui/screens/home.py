"""Home: choose what to do, with a line on what each mode is for.

Home is the first thing drawn, so it imports only what it shows: each mode's screen is
imported when the mode is chosen (the drill pulls in the scoring engine's types, the
workshop its decks), which keeps the first paint close to a bare Textual app's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from listen_trainer.tui.state import THEMES, Session, Settings

if TYPE_CHECKING:
    from listen_trainer.content.models import Scenario
    from listen_trainer.tui.first_run import Choice

# (mode, key, title, what it is for); a mode is opened by `action_<mode>`.
MODES: list[tuple[str, str, str, str]] = [
    ("practice", "p", "Practice", "answer one scenario after another, with feedback on each"),
    ("first_time", "f", "First time? Start here", "what an attuned reply is, then an easy drill"),
    ("browse", "b", "Browse", "find a scenario by pack, level, relationship or words"),
    ("progress", "g", "Progress", "your attempts over time, and the skills to work on next"),
    ("workshop", "w", "Workshop", "a classroom deck with timed rounds, or partner practice"),
    ("speaker", "k", "Say it softly", "the speaker's side: say a hard thing so it can be heard"),
    ("help", "?", "Help", "what the trainer listens for, the keys, where files live"),
    ("settings", "s", "Settings", "theme, drill order, levels and packs"),
]


def _prompt(key: str, title: str, line: str) -> Text:
    text = Text()
    text.append(f" {key} ", "reverse bold")
    text.append(f"  {title}\n", "bold")
    text.append(f"      {line}", "dim")
    return text


class HomeScreen(Screen[None]):
    # Every mode has its key (shown in the list); the footer keeps the few that must fit
    # in 80 columns: the main mode, and the ways to change who practises, settings, leave.
    BINDINGS = [
        Binding("p", "practice", "Practice"),
        Binding("f", "first_time", "First time", show=False),
        Binding("b", "browse", "Browse", show=False),
        Binding("g", "progress", "Progress", show=False),
        Binding("w", "workshop", "Workshop", show=False),
        Binding("k", "speaker", "Say it softly", show=False),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("s", "settings", "Settings"),
        Binding("u", "profile", "Profile"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, session: Session, *, first_run: bool = False) -> None:
        super().__init__()
        self.session = session
        self.first_run = first_run

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home"):
            yield Static(
                "Practise answering what someone feels. Write what you would say back, "
                "and see how attuned it was, and why.",
                id="tagline",
            )
            options = [
                Option(_prompt(key, title, line), id=mode) for mode, key, title, line in MODES
            ]
            yield OptionList(*options, id="modes")
            yield Static(id="home-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#modes", OptionList).focus()
        self._show_status()
        if self.first_run:
            self.call_after_refresh(self._ask_first_run)

    def on_screen_resume(self) -> None:
        self._show_status()

    def _show_status(self) -> None:
        library = self.session.library
        count = sum(1 for _ in library.scenarios())
        packs = len(library.packs)
        status = Text("Practising as ", "dim")
        status.append(self.session.profile, "bold")
        status.append(" (u to change)", "dim")
        status.append(f" · {count} scenarios in {packs} pack{'' if packs == 1 else 's'}", "dim")
        drafts = self.session.drafts
        if drafts:
            status.append(" · ", "dim")
            status.append(
                f"{len(drafts)} unsent repl{'y' if len(drafts) == 1 else 'ies'} "
                "kept: Practice picks up where you left off",
                "italic",
            )
        self.query_one("#home-status", Static).update(status)

    @on(OptionList.OptionSelected, "#modes")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        action = getattr(self, f"action_{event.option.id}", None)
        if action is not None:
            action()

    # ------------------------------------------------------------------ first run

    def _ask_first_run(self) -> None:
        from listen_trainer.store import check_profile
        from listen_trainer.tui.dialogs.first_run import FirstRunDialog

        self.app.push_screen(FirstRunDialog(check_profile), self._first_run_done)

    def _first_run_done(self, choice: Choice | None) -> None:
        if choice is None:
            return
        from listen_trainer.tui.first_run import PURPOSES, save_choice, settings_for

        session = self.session
        session.switch_profile(choice.name)
        session.settings = settings_for(choice.purpose, session.library, session.settings)
        problem = save_choice(choice)
        if problem:
            self.notify(problem, title="Not saved", severity="warning", markup=False)
        self._show_status()
        self.notify(
            f"Practising as {session.profile}: {PURPOSES[choice.purpose][0].lower()}. "
            "Settings (s) changes the packs and order.",
            title="Welcome",
            markup=False,
        )
        if choice.purpose == "workshop":
            self.action_workshop()
        else:
            self._drill(session.easy_scenario())

    # ------------------------------------------------------------------ modes

    def _drill(self, scenario: Scenario | None) -> None:
        if scenario is None:
            self.notify(
                "No scenario fits the packs and levels chosen in Settings.",
                title="Nothing to practise",
                severity="warning",
            )
            return
        from listen_trainer.tui.screens.drill import DrillScreen

        self.app.push_screen(DrillScreen(self.session, scenario))

    def action_practice(self) -> None:
        current = self.session.current_scenario()
        allowed = {s.id for s in self.session.drill_scenarios()}
        if current is not None and current.id not in allowed:
            current = self.session.next_scenario()
        self._drill(current)

    def action_first_time(self) -> None:
        from listen_trainer.tui.dialogs.intro import IntroDialog

        def chosen(start: bool | None) -> None:
            if start:
                self._drill(self.session.easy_scenario())

        self.app.push_screen(IntroDialog(), chosen)

    def action_browse(self) -> None:
        from listen_trainer.tui.screens.browse import BrowseScreen

        self.app.push_screen(BrowseScreen(self.session))

    def action_progress(self) -> None:
        if self.session.history is None:
            self.notify(
                "Your history is not available, so there is no progress to show.",
                title="Progress",
                severity="warning",
            )
            return
        from listen_trainer.tui.screens.progress import ProgressScreen

        self.app.push_screen(
            ProgressScreen(self.session.history, self.session.profile, self.session.library)
        )

    def action_workshop(self) -> None:
        from listen_trainer.tui.screens.workshop import WorkshopScreen

        self.app.push_screen(WorkshopScreen(self.session))

    def action_speaker(self) -> None:
        from listen_trainer.tui.screens.speaker_home import SpeakerHomeScreen

        self.app.push_screen(SpeakerHomeScreen(self.app.speaker))  # type: ignore[attr-defined]

    def action_help(self) -> None:
        from listen_trainer.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self.session))

    def action_profile(self) -> None:
        from listen_trainer.tui.dialogs.profile import ProfileDialog

        def switched(name: str | None) -> None:
            self._show_status()
            if name is not None:
                self.notify(f"Practising as {name}.", title="Profile", markup=False)

        # The chooser switches the session itself; Home shows the name when it closes.
        self.app.push_screen(ProfileDialog(self.session), switched)

    def action_settings(self) -> None:
        from listen_trainer.tui.dialogs.settings import SettingsDialog

        def apply(settings: Settings | None) -> None:
            if settings is not None:
                self.session.settings = settings
                self.app.theme = THEMES[settings.theme]

        self.app.push_screen(
            SettingsDialog(self.session.settings, self.session.library.packs), apply
        )
