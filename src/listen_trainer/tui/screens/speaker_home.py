"""The speaker's side: say a hard thing softly, reach out for comfort, or walk the five
steps from resentment to closeness."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from listen_trainer.tui.speaker_state import SpeakerPractice

SPEAKER_CSS = "../speaker.tcss"
MODES: list[tuple[str, str, str, str]] = [
    (
        "soften",
        "1",
        "Say it softly",
        "turn a complaint into what happened, how you feel, what you need and one request",
    ),
    ("reach_out", "2", "Reach out", "ask for comfort directly, instead of hoping they guess"),
    (
        "five_steps",
        "3",
        "Five steps",
        "from resentment to closeness: a worksheet for something that still stings",
    ),
]


def _prompt(key: str, title: str, line: str) -> Text:
    text = Text()
    text.append(f" {key} ", "reverse bold")
    text.append(f"  {title}\n", "bold")
    text.append(f"      {line}", "dim")
    return text


class SpeakerHomeScreen(Screen[None]):
    CSS_PATH = SPEAKER_CSS
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("1", "open('soften')", "Say it softly"),
        Binding("2", "open('reach_out')", "Reach out"),
        Binding("3", "open('five_steps')", "Five steps"),
    ]

    def __init__(self, practice: SpeakerPractice) -> None:
        super().__init__()
        self.practice = practice

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="speaker-menu"):
            yield Static(
                "The other half of a hard talk is how you start it. Say what happened, the "
                "softer feeling under the anger, what you need, and one thing they could do.",
                id="speaker-intro",
            )
            yield OptionList(
                *(Option(_prompt(k, t, line), id=m) for m, k, t, line in MODES), id="speaker-modes"
            )
            yield Static(id="speaker-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#speaker-modes", OptionList).focus()
        practice = self.practice
        if practice.problem:
            status = f"The speaker's rubric could not be loaded: {practice.problem}"
        else:
            count = sum(1 for _ in practice.library.scenarios())
            status = f"{count} moments to practise in {len(practice.library.packs)} pack(s)"
        self.query_one("#speaker-status", Static).update(Text(status, "dim"))

    @on(OptionList.OptionSelected, "#speaker-modes")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.action_open(event.option.id or "")

    def action_open(self, mode: str) -> None:
        if self.practice.rubric is None:
            self.notify(self.practice.problem or "", title="Not available", severity="error")
            return
        if mode == "five_steps":
            from listen_trainer.tui.screens.five_steps import FiveStepsScreen

            self.app.push_screen(FiveStepsScreen(self.practice))
            return
        from listen_trainer.tui.screens.speaker_drill import SpeakerDrillScreen

        scenarios = self.practice.scenarios(mode)
        if not scenarios:
            self.notify(
                "No speaker pack has a scenario for this drill.", title="Nothing to practise"
            )
            return
        self.app.push_screen(SpeakerDrillScreen(self.practice, scenarios, mode))

    def action_back(self) -> None:
        self.dismiss()
