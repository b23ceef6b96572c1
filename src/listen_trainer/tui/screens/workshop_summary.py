"""The end of a workshop: each participant's figures and the class's, and the export keys.

Nothing is written unless the facilitator presses a key; leaving without exporting asks
first, because the summary is gone once the screen is.
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from listen_trainer.skills import SKILL_LABELS
from listen_trainer.tui.dialogs.confirm import leave_guarded
from listen_trainer.tui.state import Session
from listen_trainer.workshop.export import Labels, default_folder, export, labels_for
from listen_trainer.workshop.summary import Row, Summary

# Short headers: the table must fit a classroom laptop's 80 columns.
COLUMNS = ("Name", "Replies", "Missed", "Average", "Top roadblock", "Most improved")


def columns(labels: Labels) -> tuple[str, ...]:
    """The table's headers: a speaker's deck counts costs where a listener's counts roadblocks."""
    return tuple(c.replace("roadblock", labels.cost) for c in COLUMNS)


def row_cells(row: Row, labels: Labels) -> tuple[str, ...]:
    improved = labels.skill(row.improved)
    if improved and row.rise is not None:
        improved += f" +{round(row.rise * 100)}"
    return (
        row.name,
        str(row.attempts),
        str(row.missed),
        "-" if row.average is None else f"{row.average:.0f}",
        labels.roadblock(row.roadblock) or "-",
        improved or "-",
    )


class WorkshopSummaryScreen(Screen[None]):
    """Per participant and class rows; `e` writes the CSV and the Markdown handout."""

    CSS_PATH = "../workshop.tcss"
    BINDINGS = [
        Binding("escape", "leave", "Leave"),
        Binding("e", "export", "Export CSV + handout"),
        Binding("f", "folder", "Choose folder"),
    ]

    def __init__(
        self,
        session: Session,
        summary: Summary,
        stem: str = "workshop",
        export_dir: object = None,
        labels: Labels | None = None,
    ) -> None:
        super().__init__()
        self.session = session
        self.summary = summary
        self.stem = stem
        self.labels = labels or labels_for(session.rubric, SKILL_LABELS)
        self.folder = Path(str(export_dir)) if export_dir else default_folder()
        self.exported: tuple[Path, Path] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="ws-summary"):
            yield Static(self.summary.title or "Workshop summary", id="ws-summary-title")
            yield DataTable(id="ws-table", cursor_type="row", zebra_stripes=True)
            yield Static(
                "Most improved: the skill that rose most from the first half of someone's "
                "replies to the second. Nothing is saved unless you export.",
                id="ws-summary-note",
            )
            yield Input(str(self.folder), id="ws-folder")
            yield Static(id="ws-exported")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*columns(self.labels))
        for row in self.summary.people:
            table.add_row(*row_cells(row, self.labels), key=row.name)
        table.add_row(*row_cells(self.summary.everyone, self.labels), key="class")
        self.query_one("#ws-folder").display = False
        table.focus()

    def cells(self, name: str) -> tuple[str, ...]:
        """What the table shows for `name` (a participant, or "class")."""
        table = self.query_one(DataTable)
        return tuple(str(c) for c in table.get_row(name))

    def action_folder(self) -> None:
        box = self.query_one("#ws-folder", Input)
        box.display = True
        box.border_title = "Export to this folder (Enter)"
        box.focus()

    @on(Input.Submitted, "#ws-folder")
    def _folder_chosen(self, event: Input.Submitted) -> None:
        self.folder = Path(event.value.strip() or str(default_folder())).expanduser()
        event.input.display = False
        self.action_export()

    def action_export(self) -> None:
        try:
            self.exported = export(self.summary, self.labels, self.folder, self.stem)
        except OSError as exc:
            self.notify(
                f"Could not write to {self.folder}: {exc.strerror or exc}",
                severity="error",
                title="Export failed",
            )
            return
        csv_path, md_path = self.exported
        self.query_one("#ws-exported", Static).update(
            f"Saved, readable by you alone:\n{csv_path}\n{md_path}"
        )
        self.query_one(DataTable).focus()

    def action_leave(self) -> None:
        if self.exported is not None:
            if self.session.leave_exits:
                self.app.exit()
            else:
                self.dismiss()
            return
        leave_guarded(
            self,
            "Leave without exporting? The summary will be gone.",
            exit_app=self.session.leave_exits,
        )
