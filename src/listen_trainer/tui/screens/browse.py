"""Browse: every scenario of every pack, filtered and fuzzily searched; Enter drills one."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Select, Static

from listen_trainer.content.models import Pack, Scenario
from listen_trainer.tui.screens.drill import DrillScreen
from listen_trainer.tui.state import DIFFICULTY_LABELS, SPEAKER_LABELS, Session

# partial_ratio forgives typos ("dishs") and finds words inside long statements; below
# this a hit is more likely noise than what the learner meant.
MATCH_THRESHOLD = 75


@dataclass(frozen=True)
class Filters:
    query: str = ""
    pack: str | None = None
    difficulty: int | None = None
    speaker: str | None = None
    tag: str | None = None


def _haystacks(pack: Pack, scenario: Scenario) -> list[str]:
    return [
        scenario.statement,
        scenario.situation,
        pack.title,
        scenario.id,
        " ".join(scenario.tags),
    ]


def matching(
    scenarios: list[tuple[Pack, Scenario]], filters: Filters
) -> list[tuple[Pack, Scenario]]:
    """The scenarios that pass every filter, best fuzzy match first when searching."""
    kept = [
        (pack, s)
        for pack, s in scenarios
        if (filters.pack is None or pack.id == filters.pack)
        and (filters.difficulty is None or s.difficulty == filters.difficulty)
        and (filters.speaker is None or s.speaker.value == filters.speaker)
        and (filters.tag is None or filters.tag in s.tags)
    ]
    query = filters.query.strip().lower()
    if not query:
        return kept
    scored = []
    for index, (pack, s) in enumerate(kept):
        best = max(fuzz.partial_ratio(query, h.lower()) for h in _haystacks(pack, s))
        if best >= MATCH_THRESHOLD:
            scored.append((-best, index, pack, s))
    return [(pack, s) for _, _, pack, s in sorted(scored, key=lambda t: t[:2])]


def _value(select: Select[str] | Select[int]) -> str | int | None:
    value = select.value
    return None if value is Select.NULL else value  # type: ignore[return-value]


class BrowseScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("slash", "search", "Search", key_display="/"),
        Binding("ctrl+r", "reset", "Reset filters"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.all = list(session.library.scenarios())
        self.shown: list[tuple[Pack, Scenario]] = []

    def compose(self) -> ComposeResult:
        scenarios = [s for _, s in self.all]
        yield Header()
        with Vertical(id="browse"):
            yield Input(placeholder="Search statements, situations and tags…", id="search")
            with Horizontal(id="filters"):
                yield Select(
                    [(p.title, p.id) for p in self.session.library.packs],
                    prompt="Any pack",
                    id="pack",
                    compact=True,
                )
                yield Select(
                    [(f"{'●' * d} {DIFFICULTY_LABELS[d]}", d) for d in (1, 2, 3)],
                    prompt="Any level",
                    id="difficulty",
                    compact=True,
                )
                speakers = sorted({s.speaker.value for s in scenarios})
                yield Select(
                    [(SPEAKER_LABELS.get(v, v), v) for v in speakers],
                    prompt="Anyone",
                    id="speaker",
                    compact=True,
                )
                tags = sorted({t for s in scenarios for t in s.tags})
                yield Select([(t, t) for t in tags], prompt="Any tag", id="tag", compact=True)
            yield DataTable(id="table", cursor_type="row", zebra_stripes=True)
            yield Static(id="preview")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Level", key="level", width=5)
        table.add_column("Who", key="who", width=12)
        table.add_column("Statement", key="statement")
        self.refilter()
        self.query_one("#search", Input).focus()

    def filters(self) -> Filters:
        return Filters(
            query=self.query_one("#search", Input).value,
            pack=_value(self.query_one("#pack", Select)),  # type: ignore[arg-type]
            difficulty=_value(self.query_one("#difficulty", Select)),  # type: ignore[arg-type]
            speaker=_value(self.query_one("#speaker", Select)),  # type: ignore[arg-type]
            tag=_value(self.query_one("#tag", Select)),  # type: ignore[arg-type]
        )

    @on(Input.Changed, "#search")
    @on(Select.Changed)
    def refilter(self) -> None:
        self.shown = matching(self.all, self.filters())
        table = self.query_one(DataTable)
        table.clear()
        # Cut statements to the room there is, so the table never scrolls sideways.
        room = max(20, self.app.size.width - 26)
        for _, s in self.shown:
            statement = s.statement if len(s.statement) <= room else s.statement[: room - 1] + "…"
            table.add_row(
                Text("●" * s.difficulty),
                SPEAKER_LABELS.get(s.speaker.value, ""),
                Text(statement),
                key=s.id,
            )
        table.border_title = f"{len(self.shown)} of {len(self.all)} scenarios"
        self._preview(self.shown[0] if self.shown else None)

    @on(DataTable.RowHighlighted, "#table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        found = [ps for ps in self.shown if ps[1].id == event.row_key.value]
        self._preview(found[0] if found else None)

    def _preview(self, item: tuple[Pack, Scenario] | None) -> None:
        preview = self.query_one("#preview", Static)
        if item is None:
            preview.update(
                Text(
                    "No scenario matches. Try fewer words or reset the filters (Ctrl+R).", "italic"
                )
            )
            return
        pack, s = item
        text = Text()
        text.append(f"“{s.statement}”\n", "bold")
        text.append(s.situation, "italic")
        text.append(f"\n{pack.title} · {DIFFICULTY_LABELS[s.difficulty]}", "dim")
        if s.tags:
            text.append(" · " + ", ".join(f"#{t}" for t in s.tags), "dim")
        preview.update(text)

    @on(Input.Submitted, "#search")
    def _to_table(self) -> None:
        self.query_one(DataTable).focus()

    @on(DataTable.RowSelected, "#table")
    def _open(self, event: DataTable.RowSelected) -> None:
        scenario = self.session.library.find(str(event.row_key.value))
        if scenario is not None:
            self.app.push_screen(DrillScreen(self.session, scenario))

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_reset(self) -> None:
        self.query_one("#search", Input).value = ""
        for select in self.query(Select):
            select.clear()
        self.refilter()

    def action_back(self) -> None:
        self.dismiss()
