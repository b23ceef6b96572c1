"""A list to tick items in, where a ticked item shows a mark ([x]), not only a colour.

Headings group the items and cannot be ticked. Enter or Space ticks the highlighted item;
`limit`, if set, is the most that may be ticked at once (one more is refused, with a
message the screen can explain).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

TICKED = "[x] "
UNTICKED = "[ ] "
HEADING = "#"  # ids of headings start with this: they are not values


@dataclass(frozen=True)
class Item:
    """One tickable row: its value, what it shows, and a dim note after it."""

    value: str
    label: str
    note: str = ""


Row = Item | str  # a str is a heading


class TickList(OptionList):
    """Rows of items under headings; `selected` holds the ticked values, in tick order."""

    BINDINGS = [Binding("space", "tick", "Tick", show=False)]

    @dataclass
    class Refused(Message):
        """Ticking `value` would pass the limit, so it was not ticked."""

        tick_list: TickList
        value: str

        @property
        def control(self) -> TickList:
            return self.tick_list

    @dataclass
    class Changed(Message):
        """The ticked values changed."""

        tick_list: TickList

        @property
        def control(self) -> TickList:
            return self.tick_list

    def __init__(
        self,
        rows: Iterable[Row] = (),
        *,
        selected: Iterable[str] = (),
        limit: int | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.limit = limit
        self.selected: list[str] = list(selected)
        self._rows: list[Row] = list(rows)

    def on_mount(self) -> None:
        self.show_rows(self._rows)

    def _prompt(self, item: Item) -> Text:
        ticked = item.value in self.selected
        text = Text(TICKED if ticked else UNTICKED, "bold" if ticked else "dim")
        text.append(item.label, "bold" if ticked else "")
        if item.note:
            text.append(f"  {item.note}", "dim")
        return text

    def show_rows(self, rows: Iterable[Row], *, keep_place: bool = True) -> None:
        """Show `rows` (the ticks are kept, whatever is shown); without `keep_place`, the
        first item is highlighted (the best match of a filter)."""
        self._rows = list(rows)
        option = self.highlighted_option if keep_place else None
        keep = option.id if option else None
        self.clear_options()
        options = []
        for index, row in enumerate(self._rows):
            if isinstance(row, str):
                options.append(
                    Option(Text(f"── {row} ──", "bold"), id=f"{HEADING}{index}", disabled=True)
                )
            else:
                options.append(Option(self._prompt(row), id=row.value))
        self.add_options(options)
        ids = [o.id for o in options]
        if keep in ids:
            self.highlighted = ids.index(keep)
        else:
            self.highlighted = next((i for i, o in enumerate(options) if not o.disabled), None)

    def _redraw(self, value: str) -> None:
        for row in self._rows:
            if isinstance(row, Item) and row.value == value:
                self.replace_option_prompt(value, self._prompt(row))

    def toggle(self, value: str) -> bool:
        """Tick `value` or untick it; False when the limit refused it."""
        if value in self.selected:
            self.selected.remove(value)
        elif self.limit is not None and len(self.selected) >= self.limit:
            self.post_message(self.Refused(self, value))
            return False
        else:
            self.selected.append(value)
        self._redraw(value)
        self.post_message(self.Changed(self))
        return True

    def select(self, value: str) -> None:
        if value not in self.selected:
            self.toggle(value)

    def deselect_all(self) -> None:
        ticked, self.selected = self.selected, []
        for value in ticked:
            self._redraw(value)
        self.post_message(self.Changed(self))

    def action_tick(self) -> None:
        option = self.highlighted_option
        if option is not None and option.id and not option.disabled:
            self.toggle(option.id)

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id and not event.option.disabled:
            self.toggle(event.option.id)
