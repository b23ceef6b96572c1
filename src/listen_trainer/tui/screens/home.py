"""Home: choose what to do, with a line on what each mode is for."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from listen_trainer.content.models import Scenario
from listen_trainer.tui.screens.browse import BrowseScreen
from listen_trainer.tui.screens.drill import DrillScreen
from listen_trainer.tui.screens.help import HelpScreen
from listen_trainer.tui.screens.intro import IntroScreen
from listen_trainer.tui.screens.profile import ProfileScreen
from listen_trainer.tui.screens.settings import SettingsScreen
from listen_trainer.tui.state import THEMES, Session, Settings

try:  # The progress screen is written alongside this one; Home offers it once it exists.
    from listen_trainer.tui.screens.progress import ProgressScreen
except ImportError:
    ProgressScreen = None  # type: ignore[assignment,misc]

try:  # Likewise the workshop (classroom deck, partner practice), written alongside.
    from listen_trainer.tui.screens.workshop import WorkshopScreen
except ImportError:
    WorkshopScreen = None  # type: ignore[assignment,misc]

MODES: list[tuple[str, str, str, str]] = [
    ("practice", "p", "Practice", "answer one scenario after another, with feedback on each"),
    ("first", "f", "First time? Start here", "what an attuned reply is, then an easy drill"),
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
    BINDINGS = [
        Binding("p", "practice", "Practice"),
        Binding("f", "first_time", "First time"),
        Binding("b", "browse", "Browse"),
        Binding("g", "progress", "Progress"),
        Binding("w", "workshop", "Workshop"),
        Binding("k", "speaker", "Say it softly"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("s", "settings", "Settings"),
        Binding("u", "profile", "Profile"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home"):
            yield Static(
                "Practise answering what someone feels. Write what you would say back, "
                "and see how attuned it was, and why.",
                id="tagline",
            )
            options = [
                Option(_prompt(key, title, line), id=mode)
                for mode, key, title, line in MODES
                if self._available(mode)
            ]
            yield OptionList(*options, id="modes")
            yield Static(id="home-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#modes", OptionList).focus()
        self._show_status()

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

    @staticmethod
    def _available(mode: str) -> bool:
        """Whether the screen behind `mode` is installed (some are written alongside)."""
        if mode == "progress":
            return ProgressScreen is not None
        if mode == "workshop":
            return WorkshopScreen is not None
        return True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self._available(action)

    @on(OptionList.OptionSelected, "#modes")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self._open_mode(event.option.id or "")

    def _open_mode(self, mode: str) -> None:
        actions = {
            "practice": self.action_practice,
            "first": self.action_first_time,
            "browse": self.action_browse,
            "progress": self.action_progress,
            "workshop": self.action_workshop,
            "speaker": self.action_speaker,
            "help": self.action_help,
            "settings": self.action_settings,
        }
        if mode in actions:
            actions[mode]()

    def _drill(self, scenario: Scenario | None) -> None:
        if scenario is None:
            self.notify(
                "No scenario fits the packs and levels chosen in Settings.",
                title="Nothing to practise",
                severity="warning",
            )
            return
        self.app.push_screen(DrillScreen(self.session, scenario))

    def action_practice(self) -> None:
        current = self.session.current_scenario()
        allowed = {s.id for s in self.session.drill_scenarios()}
        if current is not None and current.id not in allowed:
            current = self.session.next_scenario()
        self._drill(current)

    def action_first_time(self) -> None:
        def chosen(start: bool | None) -> None:
            if start:
                self._drill(self.session.easy_scenario())

        self.app.push_screen(IntroScreen(), chosen)

    def action_browse(self) -> None:
        self.app.push_screen(BrowseScreen(self.session))

    def action_progress(self) -> None:
        if ProgressScreen is None:
            return
        if self.session.history is None:
            self.notify(
                "Your history is not available, so there is no progress to show.",
                title="Progress",
                severity="warning",
            )
            return
        self.app.push_screen(
            ProgressScreen(self.session.history, self.session.profile, self.session.library)
        )

    def action_workshop(self) -> None:
        if WorkshopScreen is None:
            return
        self.app.push_screen(WorkshopScreen(self.session))

    def action_speaker(self) -> None:
        from listen_trainer.tui.screens.speaker_home import SpeakerHomeScreen

        self.app.push_screen(SpeakerHomeScreen(self.app.speaker))  # type: ignore[attr-defined]

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.session))

    def action_profile(self) -> None:
        # The chooser switches the session itself; Home shows the name when it resumes.
        self.app.push_screen(ProfileScreen(self.session))

    def action_settings(self) -> None:
        def apply(settings: Settings | None) -> None:
            if settings is not None:
                self.session.settings = settings
                self.app.theme = THEMES[settings.theme]

        self.app.push_screen(
            SettingsScreen(self.session.settings, self.session.library.packs), apply
        )
