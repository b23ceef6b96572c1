"""Reading multi-label rows: every act a reply performs, from one annotator or two.

A row is `{id, prompt, response, acts_a, acts_b}` (two annotators who labelled the same
replies on their own) or `{id, prompt, response, acts}` (one); it may carry `verdict`
(what the whole reply should be called), and `label` and `source` from the data set it
came from. A `verdict` is kept as written, even one the engine never gives (a bare "ok"
may be called "missed"): such a row counts against the engine's verdict agreement rather
than being dropped. Every row of a file has the same shape, fixed by its first good row, so that
each figure is computed over the same rows for every annotator.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from listen_trainer.evaluation.runner import Skipped, decode_line, read_lines, row_id

TWO_ANNOTATORS = ("acts_a", "acts_b")
ONE_ANNOTATOR = ("acts",)


@dataclass(frozen=True)
class ActRow:
    id: str
    prompt: str
    response: str
    # The acts each annotator found, keyed by the row's field name (acts_a, acts_b, acts).
    acts: dict[str, frozenset[str]]
    verdict: str | None
    label: str | None
    line: int


class _Reader:
    """Parses one file's lines, holding the shape its first good row gave."""

    def __init__(self, acts: Sequence[str], none: str | None) -> None:
        self.acts = list(acts)
        self.none = none
        self.shape: tuple[str, ...] | None = None

    def _shape(self, item: dict[str, Any]) -> tuple[str, ...] | str:
        has_one = "acts" in item
        has_two = [key for key in TWO_ANNOTATORS if key in item]
        if has_one and has_two:
            return "give either 'acts' or 'acts_a' and 'acts_b', not both"
        if has_one:
            shape = ONE_ANNOTATOR
        elif len(has_two) == 2:
            shape = TWO_ANNOTATORS
        elif has_two:
            other = "acts_b" if has_two[0] == "acts_a" else "acts_a"
            return f"'{other}' is missing (a row with '{has_two[0]}' needs both annotators)"
        else:
            return "no acts: give 'acts', or 'acts_a' and 'acts_b'"
        if self.shape is not None and shape != self.shape:
            return (
                f"has {' and '.join(repr(k) for k in shape)} where the file's first row has "
                f"{' and '.join(repr(k) for k in self.shape)}"
            )
        return shape

    def _acts(self, key: str, value: object) -> frozenset[str] | str:
        if not isinstance(value, list) or not all(isinstance(a, str) for a in value):
            return f"'{key}' must be a list of act names"
        unknown = [a for a in value if a not in self.acts]
        if unknown:
            return f"'{key}' has {unknown[0]!r}, not one of the acts ({', '.join(self.acts)})"
        found = frozenset(value)
        if not found:
            if self.none is None:
                return found
            return f"'{key}' is empty: a reply with no act is [{self.none!r}]"
        if self.none is not None and self.none in found and len(found) > 1:
            return f"'{key}' has {self.none!r} beside other acts"
        return found

    def __call__(self, number: int, raw: bytes) -> ActRow | Skipped:
        item = decode_line(number, raw)
        if isinstance(item, Skipped):
            return item
        shape = self._shape(item)
        if isinstance(shape, str):
            return Skipped(number, shape)
        acts: dict[str, frozenset[str]] = {}
        for key in shape:
            found = self._acts(key, item[key])
            if isinstance(found, str):
                return Skipped(number, found)
            acts[key] = found
        verdict = item.get("verdict")
        if verdict is not None and not (isinstance(verdict, str) and verdict.strip()):
            return Skipped(number, "'verdict' must be a verdict's name, such as 'attuned'")
        label = item.get("label")
        self.shape = shape
        return ActRow(
            id=row_id(item, number),
            prompt=item["prompt"],
            response=item["response"],
            acts=acts,
            verdict=None if verdict is None else verdict.strip(),
            label=label if isinstance(label, str) else None,
            line=number,
        )


def read_act_rows(
    path: Path, acts: Sequence[str], none: str | None, limit: int | None = None
) -> tuple[list[ActRow], list[Skipped]]:
    """The file's act rows in order (at most `limit`), and the lines skipped with why.

    `acts` are every act name a row may use (the mapping's, `none` among them).
    """
    return read_lines(path, _Reader(acts, none), limit)
