"""Pick one to three feelings in seconds: the families first, with a few common words
each, and a filter that finds any of the lexicon's words as you type.

The families and words come from the rubric's lexicon (data, not code). The lexicon
lists every form the engine listens for (sad, sadness, sorrow…); the first screen shows
a few distinct ones per family, and typing finds the rest, forgiving a typo (rapidfuzz).
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from listen_trainer.content.models import MAX_PICKED_FEELINGS, Lexicon
from listen_trainer.tui.widgets.tick_list import Item, Row, TickList

COMMON_PER_FAMILY = 4
MATCHES_SHOWN = 12
# A typed word this close to a lexicon word (0-100) is offered even without a shared start.
FUZZY_CUTOFF = 75


def feeling_words(lexicon: Lexicon) -> dict[str, str]:
    """Every feeling word, once, with the family it is first listed under, in order."""
    words: dict[str, str] = {}
    for family in lexicon.families:
        for word in [family.name, *family.words]:
            words.setdefault(word.lower(), family.name)
    return words


def common_words(words: list[str], count: int = COMMON_PER_FAMILY) -> list[str]:
    """The first `count` distinct single words: "sadness" is a form of "sad", not another."""
    chosen: list[str] = []
    for word in words:
        if " " in word or any(word[:3] == other[:3] for other in chosen):
            continue
        chosen.append(word)
        if len(chosen) == count:
            break
    return chosen


def families_first(lexicon: Lexicon) -> list[Row]:
    """Each family as a heading with a few of its common words."""
    rows: list[Row] = []
    seen: set[str] = set()
    for family in lexicon.families:
        words = [w.lower() for w in [family.name, *family.words] if w.lower() not in seen]
        common = common_words(words)
        seen.update(common)
        if common:
            rows.append(family.name)
            rows += [Item(word, word) for word in common]
    return rows


def matches(typed: str, words: dict[str, str], limit: int = MATCHES_SHOWN) -> list[str]:
    """Words for what was typed: those that start with it, then the closest others."""
    typed = " ".join(typed.lower().split())
    if not typed:
        return []
    starting = [w for w in words if w.startswith(typed)]
    if len(starting) >= limit:
        return starting[:limit]
    others = [w for w in words if w not in starting]
    close = process.extract(
        typed, others, scorer=fuzz.WRatio, limit=limit - len(starting), score_cutoff=FUZZY_CUTOFF
    )
    return starting + [word for word, _, _ in close]


class FeelingsPicker(Vertical):
    """A filter box over a tick list of feeling words; at most `limit` can be ticked."""

    DEFAULT_CSS = """
    FeelingsPicker { height: 1fr; }
    FeelingsPicker > #fp-picked { height: auto; padding: 0 1; }
    FeelingsPicker > Input { margin: 0; }
    FeelingsPicker > TickList { height: 1fr; }
    """

    @dataclass
    class Refused(Message):
        """A pick beyond the limit was not made; the screen says why."""

        picker: FeelingsPicker
        word: str

        @property
        def control(self) -> FeelingsPicker:
            return self.picker

    def __init__(
        self, lexicon: Lexicon, *, limit: int = MAX_PICKED_FEELINGS, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.limit = limit
        self.words = feeling_words(lexicon)
        self.home_rows = families_first(lexicon)

    def compose(self) -> ComposeResult:
        yield Static(id="fp-picked")
        yield Input(placeholder="Type to find a feeling (↓ to the list)", id="fp-filter")
        yield TickList(self.home_rows, limit=self.limit, id="fp-list")

    def on_mount(self) -> None:
        self._title()

    @property
    def selected(self) -> list[str]:
        return list(self.query_one(TickList).selected)

    def select(self, word: str) -> None:
        self.query_one(TickList).select(word)

    def deselect_all(self) -> None:
        self.query_one(TickList).deselect_all()

    def clear(self) -> None:
        self.query_one("#fp-filter", Input).value = ""
        self.deselect_all()
        self.query_one(TickList).show_rows(self.home_rows)

    def focus(self, scroll_visible: bool = True) -> FeelingsPicker:
        self.query_one("#fp-filter", Input).focus(scroll_visible)
        return self

    def _title(self) -> None:
        picked = self.selected
        self.border_title = f"Feelings: pick 1 to {self.limit}"
        line = ", ".join(picked) if picked else "none yet"
        self.query_one("#fp-picked", Static).update(f"Picked ({len(picked)}/{self.limit}): {line}")

    @on(Input.Changed, "#fp-filter")
    def _filter(self, event: Input.Changed) -> None:
        found = matches(event.value, self.words)
        tick_list = self.query_one(TickList)
        if not event.value.strip():
            tick_list.show_rows(self.home_rows, keep_place=False)
        elif found:
            rows = [Item(w, w, self._kin(w)) for w in found]
            tick_list.show_rows(rows, keep_place=False)
        else:
            tick_list.show_rows(["no feeling word like that"], keep_place=False)

    def _kin(self, word: str) -> str:
        family = self.words[word]
        return "" if family == word else f"({family})"

    @on(Input.Submitted, "#fp-filter")
    def _tick_first(self) -> None:
        """Enter in the filter ticks the best match, and clears the filter for the next."""
        tick_list = self.query_one(TickList)
        option = tick_list.highlighted_option
        box = self.query_one("#fp-filter", Input)
        if not (box.value.strip() and option and not option.disabled):
            return
        if tick_list.toggle(option.id or ""):
            box.value = ""

    def on_key(self, event: events.Key) -> None:
        filter_box = self.query_one("#fp-filter", Input)
        tick_list = self.query_one(TickList)
        if event.key == "down" and filter_box.has_focus:
            event.stop()
            tick_list.focus()
        elif tick_list.has_focus and event.character and event.character.isalpha():
            # A letter in the list is a word being looked for, not a screen's key.
            event.stop()
            filter_box.value += event.character
            filter_box.cursor_position = len(filter_box.value)
            filter_box.focus()

    @on(TickList.Changed)
    def _changed(self, event: TickList.Changed) -> None:
        event.stop()
        self._title()

    @on(TickList.Refused)
    def _refused(self, event: TickList.Refused) -> None:
        event.stop()
        self.post_message(self.Refused(self, event.value))
