"""The speaker packs' part of `listen-trainer eval --exemplars`: each speaker exemplar
scored against its scenario, the verdicts compared with the author's labels, against the
agreement bar (evaluation/speaker.py)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from listen_trainer.evaluation.speaker import (
    AGREEMENT_BAR,
    SpeakerExemplarReport,
    evaluate_speaker_exemplars,
    speaker_exemplar_count,
)


def load(extra_packs: Iterable[Path]) -> Any:
    """The speaker library (its problems printed), or None when there is no speaker pack."""
    from listen_trainer.content.library import pack_dirs
    from listen_trainer.content.speaker_library import load_speaker_library, load_speaker_rubric

    rubric = load_speaker_rubric()
    library = load_speaker_library(rubric.lexicon, pack_dirs(extra_packs))
    for problem in library.problems:
        print(f"{problem} (pack skipped)", file=sys.stderr)
    return (rubric, library) if library.packs else None


def count(loaded: Any) -> int:
    return speaker_exemplar_count(loaded[1]) if loaded else 0


def evaluate(
    loaded: Any, nlp: Any, progress: Callable[[int], None] | None
) -> SpeakerExemplarReport | None:
    """Score the speaker exemplars on `nlp` (the listener scorer's pipeline, shared)."""
    if not loaded:
        return None
    from listen_trainer.scoring.speaker import SpeakerScorer

    rubric, library = loaded
    return evaluate_speaker_exemplars(library, SpeakerScorer(rubric, nlp=nlp), progress)


def print_report(report: SpeakerExemplarReport | None, errors: int) -> None:
    """The speaker's section of `eval`'s text, if speaker packs were measured."""
    if report is not None:
        # Piped output is read in files and pagers: wide enough for the verdict matrix.
        console = Console(highlight=False, width=None if sys.stdout.isatty() else 160)
        print_text(console, report, errors)


def exit_code(report: SpeakerExemplarReport | None, code: int, missed: int) -> int:
    """`code`, or `missed` when the speaker exemplars missed their bar."""
    return missed if report is not None and not report.passed else code


def print_text(console: Console, report: SpeakerExemplarReport, errors: int) -> None:
    accuracy = report.accuracy or 0.0
    mark = "[green]met[/]" if report.passed else "[bold red]MISSED[/]"
    console.rule("speaker exemplars: verdict against the authors' label")
    console.print(
        f"{len(report.outcomes)} statements scored in {report.seconds:.1f} s; "
        f"verdict == label for {accuracy:.3f} (bar >= {AGREEMENT_BAR}: {mark})"
    )
    table = Table(title="per label", title_justify="left")
    for col in ("label", "exemplars", "agreed", "accuracy"):
        table.add_column(col, justify="left" if col == "label" else "right")
    for label, (n, right) in report.per_label().items():
        table.add_row(label, str(n), str(right), f"{right / n:.2f}")
    console.print(table)
    confusion = report.confusion()
    used = [
        v
        for v in confusion.classes
        if any(confusion.count(v, p) or confusion.count(p, v) for p in confusion.classes)
    ]
    matrix = Table(title="confusion matrix (rows: label, columns: verdict)", title_justify="left")
    matrix.add_column("label \\ verdict")
    for v in used:
        matrix.add_column(v.replace("_", " "), justify="right")
    for gold in used:
        matrix.add_row(gold, *(str(confusion.count(gold, p) or "") for p in used))
    console.print(matrix)
    if errors:
        wrong = report.disagreements(errors)
        console.rule(f"[bold]statements judged otherwise[/]: {len(wrong)} shown", align="left")
        for o in wrong:
            fb = o.feedback
            flags = ", ".join(f'{f.category.value} "{escape(f.text)}"' for f in fb.flags) or "-"
            console.print(
                f"[dim]{o.pack}/{o.scenario}[/]  label {o.exemplar.label.value}  "
                f"verdict {fb.verdict.value}  score {fb.score}"
            )
            console.print(f"  said: {escape(o.exemplar.reply)}")
            console.print(f"  [dim]flags:[/] {flags}")
    console.print()
