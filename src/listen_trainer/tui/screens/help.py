"""Help: what the trainer listens for, the keys, and where packs and history live."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from listen_trainer import paths
from listen_trainer.content.library import Rubric
from listen_trainer.content.models import ROADBLOCKS
from listen_trainer.tui.state import Session
from listen_trainer.tui.widgets.feedback_panel import category_style

KEYS = [
    (
        "Home",
        "p practise · f first time · b browse · g progress · w workshop · k say it softly"
        " · u who is practising · ? help · s settings · q quit",
    ),
    ("Drill", "Enter send the reply · Ctrl+J new line · Ctrl+L clear · Tab to the feedback"),
    ("Feedback", "t try again · m model reply · n next scenario · ↑↓ scroll"),
    ("Browse", "type to search · / back to the search · Enter open · Ctrl+R reset filters"),
    (
        "Workshop",
        "Enter: my turn, then send · 1-9 whose feedback · h hide names · v large type · "
        "n next round",
    ),
    ("Partner", "Ctrl+K how it sounds · Ctrl+S hand over · s swap roles · e end and see both"),
    ("Say it softly", "1 soften · 2 reach out · 3 five steps (Ctrl+S score · Ctrl+E export)"),
    ("Summary", "e export the CSV and handout · f choose the folder"),
    ("Anywhere", "Esc back · Ctrl+Q quit · Ctrl+P commands"),
]


def categories_text(rubric: Rubric, roadblocks: bool) -> Text:
    """Each category with its colour, a one-line definition and an example."""
    text = Text()
    infos = [c for name, c in rubric.categories.items() if (name in ROADBLOCKS) == roadblocks]
    for index, info in enumerate(infos):
        if index:
            text.append("\n")
        text.append("  ", category_style(info.name, rubric))
        text.append(f" {info.label}", "bold")
        text.append(f"  {info.what}\n")
        text.append(f"   e.g. “{info.example}”", "italic dim")
    return text


def keys_text() -> Text:
    text = Text()
    for index, (where, keys) in enumerate(KEYS):
        if index:
            text.append("\n")
        text.append(f"{where:<10}", "bold")
        text.append(keys)
    return text


def _tilde(path: Path) -> str:
    """`path` with the home folder shown as ~, as people write it."""
    try:
        return f"~/{path.relative_to(Path.home())}"
    except ValueError:
        return str(path)


def places_text() -> Text:
    text = Text()
    for label, where in (
        ("Your own packs", paths.user_packs_dir()),
        ("Your history", paths.data_dir()),
        ("Shipped packs", paths.shipped("scenarios")),
    ):
        text.append(f"{label:<16}", "bold")
        text.append(f"{_tilde(where)}\n")
    text.append("Add a pack folder for one run with ", "dim")
    text.append("listen-trainer --packs DIR", "bold")
    text.append("; check a pack with ", "dim")
    text.append("listen-trainer check FILE", "bold")
    text.append("; open the trainer to browsers on this network with ", "dim")
    text.append("listen-trainer serve", "bold")
    text.append(".", "dim")
    return text


class HelpScreen(Screen[None]):
    BINDINGS = [Binding("escape", "back", "Back")]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        rubric = self.session.rubric
        yield Header()
        with VerticalScroll(id="help"):
            yield Static(
                "The trainer reads your reply for two kinds of thing: what gets in the way "
                "of someone feeling heard, and what helps. Each is coloured in your reply.",
                id="help-intro",
            )
            for title, content in (
                ("What gets in the way", categories_text(rubric, roadblocks=True)),
                ("What helps", categories_text(rubric, roadblocks=False)),
                ("Keys", keys_text()),
                ("Where things live", places_text()),
            ):
                section = Static(content, classes="help-section")
                section.border_title = title
                yield section
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#help", VerticalScroll).focus()

    def action_back(self) -> None:
        self.dismiss()
