"""Settings: theme, drill order, difficulty range and packs, for this session."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Label, Select, Static

from listen_trainer.content.models import Pack
from listen_trainer.tui.state import DIFFICULTY_LABELS, ORDER_LABELS, Settings
from listen_trainer.tui.widgets.tick_list import Item, TickList

LEVELS = [(f"{d} · {DIFFICULTY_LABELS[d]}", d) for d in (1, 2, 3)]


class SettingsDialog(ModalScreen[Settings | None]):
    """Dismissed with the new Settings on Save, with None on Cancel or Esc."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
    ]

    def __init__(self, settings: Settings, packs: tuple[Pack, ...]) -> None:
        super().__init__()
        self.settings = settings
        self.packs = packs

    def compose(self) -> ComposeResult:
        s = self.settings
        with Vertical(id="settings", classes="dialog"):
            yield Static("Settings", classes="dialog-title")
            with Horizontal(classes="setting"):
                yield Label("Theme", classes="setting-label")
                yield Select(
                    [("Dark", "dark"), ("Light", "light")],
                    value=s.theme,
                    allow_blank=False,
                    id="theme",
                    compact=True,
                )
            with Horizontal(classes="setting"):
                yield Label("Drill order", classes="setting-label")
                yield Select(
                    [(label, key) for key, label in ORDER_LABELS.items()],
                    value=s.order,
                    allow_blank=False,
                    id="order",
                    compact=True,
                )
            with Horizontal(classes="setting"):
                yield Label("Levels", classes="setting-label")
                yield Select(
                    LEVELS,
                    value=s.min_difficulty,
                    allow_blank=False,
                    id="min-difficulty",
                    compact=True,
                )
                yield Label(" to ", classes="setting-to")
                yield Select(
                    LEVELS,
                    value=s.max_difficulty,
                    allow_blank=False,
                    id="max-difficulty",
                    compact=True,
                )
            yield Label("Packs to drill (Space ticks)", classes="setting-label", id="packs-label")
            yield TickList(
                [Item(p.id, p.title) for p in self.packs],
                selected=[p.id for p in self.packs if p.id not in s.disabled_packs],
                id="packs",
            )
            # A tick list of one, so that on and off read alike with the packs: a mark.
            yield TickList(
                [Item("sensitive", "Include risk scenarios (thoughts of suicide, self-harm)")],
                selected=["sensitive"] if s.include_sensitive else [],
                id="sensitive",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#theme", Select).focus()

    def chosen(self) -> Settings:
        """The settings as the dialog shows them now."""
        selected = set(self.query_one("#packs", TickList).selected)
        return Settings(
            theme=self.query_one("#theme", Select).value,  # type: ignore[arg-type]
            order=self.query_one("#order", Select).value,  # type: ignore[arg-type]
            min_difficulty=self.query_one("#min-difficulty", Select).value,  # type: ignore[arg-type]
            max_difficulty=self.query_one("#max-difficulty", Select).value,  # type: ignore[arg-type]
            disabled_packs=frozenset(p.id for p in self.packs if p.id not in selected),
            include_sensitive=bool(self.query_one("#sensitive", TickList).selected),
        ).normalised()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        self.dismiss(self.chosen())

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
