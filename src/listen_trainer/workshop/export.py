"""Write the class summary as CSV and as a one-page Markdown handout, readable by the
facilitator alone (files 0600, each created folder 0700). Nothing is written unless
asked, and nothing already there is replaced: a second export in the same minute gets
its own names."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from listen_trainer import paths
from listen_trainer.content.library import Rubric
from listen_trainer.content.speaker_library import SpeakerRubric
from listen_trainer.content.yaml_source import visible
from listen_trainer.skills import SPEAKER_SKILL_LABELS
from listen_trainer.workshop.summary import Row, Summary

CSV_FIELDS = (
    "scope",
    "name",
    "attempts",
    "no_reply",
    "average_score",
    "most_common_roadblock",
    "most_improved_skill",
    "skill_rise_points",
)


@dataclass(frozen=True)
class Labels:
    """How the summary names skills and roadblocks, and what to try instead of each."""

    skills: Mapping[str, str] = field(default_factory=dict)
    roadblocks: Mapping[str, str] = field(default_factory=dict)
    instead: Mapping[str, str] = field(default_factory=dict)
    # What the summary counts: the listener's roadblocks, or the speaker's costs.
    cost: str = "roadblock"

    def skill(self, key: str | None) -> str:
        return "" if key is None else self.skills.get(key, key.replace("_", " ").capitalize())

    def roadblock(self, key: str | None) -> str:
        return "" if key is None else self.roadblocks.get(key, key.capitalize())


def default_folder() -> Path:
    return paths.data_dir() / "workshops"


def _points(rise: float | None) -> str:
    return "" if rise is None else f"{round(rise * 100):+d}"


# A spreadsheet runs a cell that starts with one of these as a formula: a name typed as
# `=HYPERLINK("http://...")` would become a link that sends the sheet's data away.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text_cell(text: str) -> str:
    """A cell of text, as text: control characters shown, never a formula."""
    text = visible(text)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def _csv_row(scope: str, row: Row, labels: Labels) -> list[str]:
    return [
        scope,
        _text_cell(row.name),
        str(row.attempts),
        str(row.missed),
        "" if row.average is None else f"{row.average:.1f}",
        _text_cell(labels.roadblock(row.roadblock)),
        _text_cell(labels.skill(row.improved)),
        _points(row.rise),  # a number this module formats, "+12": left for the sheet
    ]


def to_csv(summary: Summary, labels: Labels) -> str:
    """One row per participant, then the class; empty cells where there is nothing to say."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(tuple(f.replace("roadblock", labels.cost) for f in CSV_FIELDS))
    for row in summary.people:
        writer.writerow(_csv_row("participant", row, labels))
    writer.writerow(_csv_row("class", summary.everyone, labels))
    return out.getvalue()


def _cell(text: str) -> str:
    # A name is typed by a participant: keep it from breaking the table or the terminal.
    return " ".join(visible(text).replace("|", "/").split()) or "-"


def _md_row(row: Row, labels: Labels, bold: bool = False) -> str:
    average = "-" if row.average is None else f"{row.average:.0f}"
    improved = labels.skill(row.improved)
    if improved:
        improved += f" ({_points(row.rise)})"
    cells = [
        row.name,
        str(row.attempts),
        average,
        labels.roadblock(row.roadblock),
        improved,
    ]
    cells = [_cell(c) for c in cells]
    if bold:
        cells = [f"**{c}**" for c in cells]
    return "| " + " | ".join(cells) + " |"


def to_markdown(summary: Summary, labels: Labels, when: datetime) -> str:
    """A one-page handout: the table, the class line, and one thing to try this week."""
    lines = [
        f"# {_cell(summary.title) if summary.title else 'Listening workshop'}",
        "",
        f"{when:%A %d %B %Y}",
        "",
        f"| Name | Replies | Average score | Most common {labels.cost} | Most improved skill |",
        "| --- | ---: | ---: | --- | --- |",
        *(_md_row(row, labels) for row in summary.people),
        _md_row(summary.everyone, labels, bold=True),
        "",
        "Scores are out of 100. The most improved skill compares the second half of "
        f"someone's replies with the first half; a {labels.cost} is counted once per reply.",
    ]
    tip = labels.instead.get(summary.everyone.roadblock or "")
    if tip:
        lines += [
            "",
            f"## To try this week: instead of {labels.roadblock(summary.everyone.roadblock)}",
            "",
            tip,
        ]
    lines += [
        "",
        "_Made by listen-trainer on this computer. Nothing was sent anywhere; "
        "the replies themselves are not in this handout._",
        "",
    ]
    return "\n".join(lines)


def write_private(path: Path, text: str) -> Path:
    """Create `path` readable by its owner alone (0600), whatever the umask, and write
    `text` to it. Missing folders are made 0700; an existing file, link or device is
    never opened (FileExistsError)."""
    paths.private_folder(path.parent, tighten=False)  # a folder the user named stays
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, 0o600)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            fd = -1
            handle.write(text)
    finally:
        if fd != -1:
            os.close(fd)
    return path


def _free_base(folder: Path, base: str) -> str:
    """`base`, or `base-2`, `base-3`...: the first for which neither file exists yet."""
    candidate, counter = base, 2
    # lexists: a dangling link is taken too (O_EXCL refuses it).
    while any(os.path.lexists(folder / f"{candidate}{ext}") for ext in (".csv", ".md")):
        candidate, counter = f"{base}-{counter}", counter + 1
    return candidate


def export(
    summary: Summary,
    labels: Labels,
    folder: Path | None = None,
    stem: str = "workshop",
    when: datetime | None = None,
) -> tuple[Path, Path]:
    """Write `STEM-YYYYMMDD-HHMM.csv` and `.md` into `folder` (default: the data folder's
    `workshops/`), with `-2`, `-3`... added when that minute's are taken; the two paths
    written."""
    when = when or datetime.now()
    folder = folder or default_folder()
    csv_text, md_text = to_csv(summary, labels), to_markdown(summary, labels, when)
    for _race in range(100):
        base = _free_base(folder, f"{stem}-{when:%Y%m%d-%H%M}")
        try:
            csv_path = write_private(folder / f"{base}.csv", csv_text)
        except FileExistsError:
            continue  # taken since it was looked at: look again
        try:
            md_path = write_private(folder / f"{base}.md", md_text)
        except FileExistsError:
            csv_path.unlink()
            continue
        return csv_path, md_path
    raise FileExistsError(f"no free name for {stem} in {folder}")


def speaker_labels_for(rubric: SpeakerRubric) -> Labels:
    """Labels for a speaker's deck: the speaker's skills, its costs and what to try instead."""
    return Labels(
        skills=dict(SPEAKER_SKILL_LABELS),
        roadblocks={c.value: info.label for c, info in rubric.categories.items()},
        instead={c.value: info.instead for c, info in rubric.categories.items()},
        cost="cost",
    )


def labels_for(rubric: Rubric, skills: Mapping[str, str] | None = None) -> Labels:
    """Labels from the rubric's categories (their names and what to try instead)."""
    return Labels(
        skills=dict(skills or {}),
        roadblocks={c.value: info.label for c, info in rubric.categories.items()},
        instead={c.value: info.instead for c, info in rubric.categories.items()},
    )
