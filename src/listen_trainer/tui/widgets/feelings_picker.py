"""Pick one to three feelings from the lexicon, shown family by family.

The families come from the rubric's lexicon (data, not code); a word listed in two
families is offered once, under the first. Family names are headings, not choices.
Typing letters jumps to the first word that starts with them, as in a file list: the
lexicon has some 280 words, too many to scroll through at a keyboard shared by two.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from textual import events
from textual.message import Message
from textual.widgets import SelectionList
from textual.widgets.selection_list import Selection

from listen_trainer.content.models import MAX_PICKED_FEELINGS, Lexicon

HEADING = "#"
# Letters typed within this many seconds of each other make one prefix ("lo" -> lonely).
TYPE_AHEAD_SECONDS = 1.0


def feeling_choices(lexicon: Lexicon) -> list[tuple[str, list[str]]]:
    """Each family with its words, each word once, in the lexicon's order."""
    seen: set[str] = set()
    out = []
    for family in lexicon.families:
        words = []
        for word in [family.name, *family.words]:
            key = word.lower()
            if key not in seen:
                seen.add(key)
                words.append(key)
        if words:
            out.append((family.name, words))
    return out


class FeelingsPicker(SelectionList[str]):
    """A list of feeling words under their families; at most `limit` can be ticked."""

    @dataclass
    class Refused(Message):
        """A pick beyond the limit was undone; the screen says why."""

        picker: FeelingsPicker
        word: str

        @property
        def control(self) -> FeelingsPicker:
            return self.picker

    def __init__(
        self, lexicon: Lexicon, *, limit: int = MAX_PICKED_FEELINGS, id: str | None = None
    ) -> None:
        options: list[Selection[str]] = []
        for family, words in feeling_choices(lexicon):
            options.append(Selection(f"── {family} ──", HEADING + family, disabled=True))
            options += [Selection(f"  {word}", word) for word in words]
        super().__init__(*options, id=id)
        self.limit = limit
        self._typed = ""
        self._typed_at = 0.0
        self._title()

    def on_key(self, event: events.Key) -> None:
        if not (event.character and event.character.isalpha()):
            return
        event.stop()  # a letter here is a word being looked for, not a screen's key
        now = time.monotonic()
        if now - self._typed_at > TYPE_AHEAD_SECONDS:
            self._typed = ""
        self._typed_at = now
        self._typed += event.character.lower()
        index = self.first_starting_with(self._typed)
        if index is not None:
            self.highlighted = index

    def first_starting_with(self, prefix: str) -> int | None:
        """The index of the first word (not heading) that starts with `prefix`."""
        for index in range(self.option_count):
            value = self.get_option_at_index(index).value
            if not value.startswith(HEADING) and value.startswith(prefix):
                return index
        return None

    def _title(self) -> None:
        self.border_title = f"Feelings: pick 1 to {self.limit} ({len(self.selected)} picked)"

    def _on_selection_list_selection_toggled(
        self, event: SelectionList.SelectionToggled[str]
    ) -> None:
        word = event.selection.value
        if word in self.selected and len(self.selected) > self.limit:
            self.deselect(word)
            self.post_message(self.Refused(self, word))
        self._title()

    def _on_selection_list_selected_changed(
        self, event: SelectionList.SelectedChanged[str]
    ) -> None:
        self._title()

    def clear(self) -> None:
        self.deselect_all()
        self._title()
