"""`listen-trainer eval`: how far the scorer agrees with people, on labelled data.

Two kinds of data: rows with one `label` each, read through a mapping's measures, and
rows that list every act a reply performs (`acts`, or `acts_a` and `acts_b`), read
through a mapping with `acts` (their faces are in `eval_acts.py`).

Exit codes: 0 every figure met its bar; 1 a bar was missed, or lines were skipped or
carried labels the mapping does not know (the figures are still printed); 2 nothing was
measured: a usage error, a missing file, a broken mapping.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

    from listen_trainer.evaluation.act_rows import ActRow
    from listen_trainer.evaluation.acts import ActsReport
    from listen_trainer.evaluation.mapping import EvalMapping
    from listen_trainer.evaluation.runner import (
        DatasetReport,
        Disagreement,
        ExemplarOutcome,
        ExemplarReport,
        Progress,
        Row,
        Skipped,
    )
    from listen_trainer.scoring import Feedback

EXIT_OK, EXIT_MISSED, EXIT_USAGE = 0, 1, 2
PROGRESS_FROM = 1000  # rows; fewer are scored before a bar would be worth drawing
SHOWN_SKIPS = 10
HALVES = ("A", "B")


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        "eval",
        parents=[common],
        help="measure the scorer against labelled replies",
        description="Score labelled JSON Lines rows ({id, prompt, response, label}) in "
        "free-statement mode and print how far the engine agrees with the labels: "
        "per-measure precision, recall and F1, verdict checks, a confusion matrix, depth "
        "orders and ranking accuracy, each against its bar. Rows that list every act a "
        "reply performs ({id, prompt, response, acts} or acts_a and acts_b from two "
        "annotators) get per-act precision, recall and F1 against each annotator, beside "
        "the annotators' own agreement, for each half of the rows and for all; and the "
        "verdict agreement when rows carry a verdict. A mapping file says how the "
        "data set's labels read as our measures; without --mapping, the shipped mapping "
        "whose 'files' pattern fits each file name is used. Exit 0 when every bar is met, "
        "1 when one is missed (or lines were skipped), 2 when nothing could be measured.",
    )
    parser.add_argument(
        "files", nargs="*", type=Path, metavar="FILE.jsonl", help="labelled JSON Lines files"
    )
    parser.add_argument(
        "--mapping",
        action="append",
        type=Path,
        default=[],
        metavar="MAPPING.yaml",
        help="the mapping for the files: once for all of them, or once per file in the same order",
    )
    parser.add_argument(
        "--exemplars",
        action="store_true",
        help="also score every pack's exemplar replies (and every speaker pack's "
        "exemplar statements) against their scenario and compare the verdicts with the "
        "authors' labels",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--errors",
        type=_count,
        default=0,
        metavar="N",
        help="print up to N of the worst disagreements of each kind, with "
        "the flagged spans (for rule authors)",
    )
    parser.add_argument(
        "--half",
        type=str.upper,
        choices=HALVES,
        default=None,
        help="score only half A or half B of each file's rows (a fixed split by row id: "
        "tune on one half, check on the other)",
    )
    parser.add_argument(
        "--rules-only",
        action="store_true",
        help="judge by the rubric's rules alone, without the acts model (to measure what "
        "the model adds)",
    )
    parser.add_argument(
        "--limit",
        type=_count,
        default=None,
        metavar="N",
        help="read only the first N rows of each file",
    )
    parser.set_defaults(run=run)


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected 0 or more, got {value}")
    return value


def _fail(message: str) -> int:
    print(f"eval: {message}", file=sys.stderr)
    return EXIT_USAGE


# --------------------------------------------------------------------------- run


def _resolve_mappings(
    files: list[Path], given: list[Path]
) -> tuple[list[tuple[Path, EvalMapping]], list[str]]:
    """The mapping for each file, or the problems that stop the run."""
    from listen_trainer import paths
    from listen_trainer.evaluation.mapping import MappingError, load_mapping, shipped_mappings

    problems: list[str] = []
    loaded: dict[Path, EvalMapping] = {}
    for path in dict.fromkeys(given):
        try:
            loaded[path] = load_mapping(path)
        except MappingError as exc:
            problems += [str(p) for p in exc.problems]
    if problems:
        return [], problems
    if len(given) == 1:
        return [(given[0], loaded[given[0]])] * len(files), []
    if given:
        return [(m, loaded[m]) for m in given], []
    shipped = [
        (p, m)
        for p, m in shipped_mappings(paths.shipped("eval"))
        if not isinstance(m, MappingError)
    ]
    chosen: list[tuple[Path, EvalMapping]] = []
    for file in files:
        fits = [(p, m) for p, m in shipped if m.fits(file)]
        if not fits:
            problems.append(
                f"{file}: no shipped mapping fits this file name; give one with --mapping"
            )
        else:
            chosen.append(fits[0])
    return chosen, problems


def run(args: argparse.Namespace) -> int:
    files: list[Path] = list(args.files)
    if not files and not args.exemplars:
        return _fail("give labelled JSON Lines files, or --exemplars (or both)")
    if args.mapping and len(args.mapping) not in (1, len(files)):
        return _fail(
            f"{len(args.mapping)} --mapping for {len(files)} file(s): give one "
            "mapping for all files, or one per file in the same order"
        )

    # Everything that can stop the run is checked before the first row is scored.
    mappings, problems = _resolve_mappings(files, args.mapping)
    read = _read_all(files, mappings, args, problems)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        return EXIT_USAGE

    from listen_trainer.cli import speaker_eval
    from listen_trainer.content.library import (
        ContentError,
        load_library,
        load_rubric,
        pack_dirs,
    )
    from listen_trainer.evaluation.runner import evaluate_exemplars, exemplar_count
    from listen_trainer.scoring import Scorer

    try:
        rubric = load_rubric()
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return _fail("the rubric is broken; nothing was measured")
    library = None
    speaker_packs = None
    if args.exemplars:
        library = load_library(rubric, pack_dirs(args.packs))
        for problem in library.problems:
            print(f"{problem} (pack skipped)", file=sys.stderr)
        speaker_packs = speaker_eval.load(args.packs)

    for file, (_, skipped) in zip(files, read, strict=True):
        _print_skips(file, skipped)

    scorer = Scorer(rubric, learned=not args.rules_only)
    total = sum(len(rows) for rows, _ in read)
    total += exemplar_count(library) if library is not None else 0
    total += speaker_eval.count(speaker_packs)
    reports: list[DatasetReport | ActsReport] = []
    exemplars = None
    with _progress(total) as advance:
        for file, (path, mapping), (rows, skipped) in zip(files, mappings, read, strict=True):
            reports.append(
                _evaluate(file, rows, skipped, (path, mapping), scorer, advance, args.half)
            )
        if library is not None:
            exemplars = evaluate_exemplars(library, scorer, advance)
        speaker = speaker_eval.evaluate(speaker_packs, scorer.nlp, advance)

    if args.json:
        _print_json(reports, exemplars, args.errors, scorer.version, speaker)
    else:
        _print_text(reports, exemplars, args.errors, rubric)
        speaker_eval.print_report(speaker, args.errors)
    return speaker_eval.exit_code(speaker, _exit_code(reports), EXIT_MISSED)


def _evaluate(
    file: Path,
    rows: list[Row] | list[ActRow],
    skipped: list[Skipped],
    mapping: tuple[Path, EvalMapping],
    scorer: Any,
    advance: Progress | None,
    half: str | None,
) -> DatasetReport | ActsReport:
    """Score one file's rows and measure them, by labels or by acts as its mapping says."""
    from listen_trainer.evaluation.acts import evaluate_act_rows
    from listen_trainer.evaluation.runner import evaluate_rows

    path, spec = mapping
    if spec.acts is not None:
        return evaluate_act_rows(file, rows, skipped, spec, path, scorer, advance, half)
    return evaluate_rows(file, rows, skipped, spec, path, scorer, advance)


def _read_all(
    files: list[Path],
    mappings: list[tuple[Path, EvalMapping]],
    args: argparse.Namespace,
    problems: list[str],
) -> list[tuple[list[Row] | list[ActRow], list[Skipped]]]:
    """Every file's rows, each as its mapping reads them; a file that cannot be read is
    added to `problems`. With a mapping missing the files are still read, so that every
    problem is named at once."""
    from listen_trainer.evaluation.runner import DataError

    read: list[tuple[list[Row] | list[ActRow], list[Skipped]]] = []
    chosen = [m for _, m in mappings] if len(mappings) == len(files) else [None] * len(files)
    for file, mapping in zip(files, chosen, strict=True):
        try:
            read.append(_read(file, mapping, args.limit, args.half))
        except DataError as exc:
            problems.append(str(exc))
    return read


def _print_skips(file: Path, skipped: list[Skipped]) -> None:
    for item in skipped[:SHOWN_SKIPS]:
        print(f"{file}:{item.line}: skipped: {item.reason}", file=sys.stderr)
    if len(skipped) > SHOWN_SKIPS:
        print(
            f"{file}: ... and {len(skipped) - SHOWN_SKIPS} more line(s) skipped",
            file=sys.stderr,
        )


def _read(
    file: Path, mapping: EvalMapping | None, limit: int | None, half: str | None
) -> tuple[list[Row] | list[ActRow], list[Skipped]]:
    """The file's rows as its mapping reads them (labels or acts), cut to `half`."""
    from listen_trainer.evaluation.act_rows import read_act_rows
    from listen_trainer.evaluation.runner import half_of, read_rows

    if mapping is not None and mapping.acts is not None:
        acts, skipped = read_act_rows(file, mapping.acts.names, mapping.acts.none, limit)
        return [r for r in acts if half is None or half_of(r.id) == half], skipped
    rows, skipped = read_rows(file, limit)
    return [r for r in rows if half is None or half_of(r.id) == half], skipped


def _exit_code(reports: list[DatasetReport | ActsReport]) -> int:
    from listen_trainer.evaluation.runner import DatasetReport

    missed = any(not line.passed for r in reports for line in r.bars())
    unclean = any(r.skipped for r in reports) or any(
        r.unknown_labels for r in reports if isinstance(r, DatasetReport)
    )
    return EXIT_MISSED if missed or unclean else EXIT_OK


@contextmanager
def _progress(total: int) -> Iterator[Progress | None]:
    """A progress bar on standard error, only for long runs and only on a terminal."""
    if total < PROGRESS_FROM or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    with Progress(
        TextColumn("scoring"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("scoring", total=total)
        yield lambda n: bar.advance(task, n)


# --------------------------------------------------------------------------- JSON


def _print_json(
    reports: list[DatasetReport | ActsReport],
    exemplars: ExemplarReport | None,
    errors: int,
    version: str,
    speaker: Any = None,
) -> None:
    from listen_trainer.cli.eval_acts import acts_report_json
    from listen_trainer.evaluation.runner import (
        DatasetReport,
        dataset_json,
        disagreements,
        exemplar_disagreements,
        exemplar_json,
        outcome_json,
        rule_firings,
    )

    out: dict[str, Any] = {"engine_version": version, "datasets": []}
    for report in reports:
        if not isinstance(report, DatasetReport):
            out["datasets"].append(acts_report_json(report, errors))
            continue
        item = dataset_json(report)
        if errors:
            item["errors"] = [
                {"kind": group.title, "rows": [outcome_json(o) for o in group.outcomes]}
                for group in disagreements(report, errors)
            ]
            item["rules"] = {
                m.name: [
                    {"rule": f.rule, "rows": f.rows, "labelled_so": f.agreed}
                    for f in rule_firings(report, m)
                ]
                for m in report.mapping.measures
            }
        out["datasets"].append(item)
    if exemplars is not None:
        out["exemplars"] = exemplar_json(exemplars)
        if errors:
            out["exemplars"]["errors"] = [
                {
                    "pack": o.pack,
                    "scenario": o.scenario,
                    "label": o.exemplar.label.value,
                    "verdict": o.feedback.verdict.value,
                    "score": o.feedback.score,
                    "reply": o.exemplar.reply,
                }
                for o in exemplar_disagreements(exemplars, errors)
            ]
    if speaker is not None:
        from listen_trainer.evaluation.speaker import speaker_exemplar_json

        out["speaker_exemplars"] = speaker_exemplar_json(speaker, errors)
    bars = [line for r in reports for line in r.bars()]
    out["bars"] = {"met": sum(b.passed for b in bars), "missed": sum(not b.passed for b in bars)}
    print(json.dumps(out, indent=2, ensure_ascii=False))


# --------------------------------------------------------------------------- text


def fmt(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def mark(passed: bool | None) -> str:
    return "" if passed is None else ("[green]met[/]" if passed else "[bold red]MISSED[/]")


def _print_text(
    reports: list[DatasetReport | ActsReport],
    exemplars: ExemplarReport | None,
    errors: int,
    rubric: Any,
) -> None:
    from rich.console import Console

    from listen_trainer.cli.eval_acts import print_acts_closing, print_acts_report
    from listen_trainer.evaluation.runner import DatasetReport

    # Piped output is read in files and pagers: wide enough for the verdict matrix.
    console = Console(highlight=False, width=None if sys.stdout.isatty() else 160)
    by_acts = [r for r in reports if not isinstance(r, DatasetReport)]
    for report in reports:
        if not isinstance(report, DatasetReport):
            print_acts_report(console, report, errors, rubric)
            continue
        _print_dataset(console, report)
        if errors:
            from listen_trainer.evaluation.runner import disagreements

            _print_rules(console, report)
            for group in disagreements(report, errors):
                _print_disagreement(console, group, rubric)
    if exemplars is not None:
        _print_exemplars(console, exemplars, errors)
    # The act tables carry their own bars, and come last: the figures a reader of the
    # output's last lines wants.
    bars = [
        (r.mapping.dataset, line)
        for r in reports
        if isinstance(r, DatasetReport)
        for line in r.bars()
    ]
    if bars:
        met = sum(line.passed for _, line in bars)
        console.rule("bars")
        for dataset, line in bars:
            console.print(
                f"  {dataset} {line.name}: {line.figure} {fmt(line.value, 3)} "
                f"(bar {line.bar})  {mark(line.passed)}"
            )
        console.print(f"{met} of {len(bars)} bar(s) met")
    for report in by_acts:
        print_acts_closing(console, report)


def _print_dataset(console: Console, report: DatasetReport) -> None:
    from rich.markup import escape
    from rich.table import Table

    console.rule(escape(f"{report.mapping.dataset}: {report.path}"))
    line = (
        f"{len(report.outcomes):,} rows scored in {report.seconds:.1f} s "
        f"(mapping {report.mapping_path})"
    )
    if report.skipped:
        line += f"; {len(report.skipped)} broken line(s) skipped"
    console.print(escape(line))
    if report.unknown_labels:
        names = escape(", ".join(f"{k!r} ({v})" for k, v in report.unknown_labels.most_common()))
        console.print(
            f"[yellow]left out: rows with labels the mapping does not declare: {names}[/]"
        )

    if report.measures:
        table = Table(title="measures: label -> flag", title_justify="left")
        for col in ("measure", "labelled", "flagged", "precision", "recall", "F1", "bar", ""):
            table.add_column(col, justify="left" if col in ("measure", "bar", "") else "right")
        for m in report.measures:
            c = m.counts
            table.add_row(
                m.measure.name,
                str(c.gold),
                str(c.predicted),
                fmt(c.precision),
                fmt(c.recall),
                fmt(c.f1),
                str(m.measure.bar or ""),
                mark(m.passed),
            )
        console.print(table)
        firing = report.firing()
        counts = report.label_counts
        table = Table(
            title="share of each label's rows each measure fires on", title_justify="left"
        )
        table.add_column("label")
        table.add_column("rows", justify="right")
        for m in report.measures:
            table.add_column(m.measure.name, justify="right")
        for label, row in firing.items():
            table.add_row(
                escape(label), str(counts[label]), *(_share(n, counts[label]) for n in row.values())
            )
        console.print(table)

    if report.verdict_checks:
        table = Table(title="verdict checks", title_justify="left")
        for col in ("check", "rows", "judged", "share", "bar", ""):
            table.add_column(col, justify="right" if col in ("rows", "judged", "share") else "left")
        for v in report.verdict_checks:
            table.add_row(
                f"{v.check.name} ({' / '.join(v.check.verdicts)})",
                str(v.rows),
                str(v.hits),
                _share(v.hits, v.rows) if v.rows else "-",
                str(v.check.bar or ""),
                mark(v.passed),
            )
        console.print(table)

    if report.classification is not None:
        _print_classification(console, report)

    for d in report.depth_orders:
        console.print(
            f"{d.order.name}: mean depth {fmt(d.higher_mean)} for {' / '.join(d.order.higher)} "
            f"({len(d.higher)} rows) vs {fmt(d.lower_mean)} for {' / '.join(d.order.lower)} "
            f"({len(d.lower)} rows): difference {fmt(d.difference)}"
            + (f" (bar {d.order.bar}) {mark(d.passed)}" if d.order.bar else "")
        )

    if report.ranking is not None:
        r = report.ranking.ranking
        if r.pairs:
            console.print(
                f"ranking: {r.pairs} same-prompt pairs, {r.right} in order, "
                f"{r.ties} tied: accuracy {fmt(r.accuracy)}"
                + (
                    f" (bar {report.ranking.spec.bar}) {mark(report.ranking.passed)}"
                    if report.ranking.spec.bar
                    else ""
                )
            )
        else:
            console.print("ranking: no prompt has replies of different ranks")
    console.print()


def _print_classification(console: Console, report: DatasetReport) -> None:
    from rich.table import Table

    c = report.classification
    assert c is not None
    table = Table(
        title=f"{c.spec.name}: one class per row (precedence {' > '.join(c.spec.class_names)})",
        title_justify="left",
    )
    for col in ("class", "labelled", "predicted", "precision", "recall", "F1"):
        table.add_column(col, justify="left" if col == "class" else "right")
    for name, counts in c.per_class.items():
        table.add_row(
            name,
            str(counts.gold),
            str(counts.predicted),
            fmt(counts.precision),
            fmt(counts.recall),
            fmt(counts.f1),
        )
    table.add_row("[bold]macro-F1[/]", "", "", "", "", f"[bold]{fmt(c.macro_f1)}[/]")
    console.print(table)
    if c.spec.bar is not None:
        console.print(f"macro-F1 {fmt(c.macro_f1)} (bar {c.spec.bar}) {mark(c.passed)}")
    matrix = Table(
        title="confusion matrix (rows: labelled, columns: predicted)", title_justify="left"
    )
    matrix.add_column("labelled \\ predicted")
    for cls in c.confusion.classes:
        matrix.add_column(cls, justify="right")
    for gold in c.confusion.classes:
        matrix.add_row(gold, *(str(c.confusion.count(gold, p)) for p in c.confusion.classes))
    console.print(matrix)


def _print_rules(console: Console, report: DatasetReport) -> None:
    from rich.table import Table

    from listen_trainer.evaluation.runner import rule_firings

    for m in report.mapping.measures:
        table = Table(
            title=f"{m.name}: the rules behind its flags (rows fired, and how many "
            f"were labelled {' / '.join(m.labels)})",
            title_justify="left",
        )
        for col in ("rule", "rows", "labelled so", "precision"):
            table.add_column(col, justify="left" if col == "rule" else "right")
        for firing in rule_firings(report, m):
            table.add_row(firing.rule, str(firing.rows), str(firing.agreed), fmt(firing.precision))
        console.print(table)


def flag_list(feedback: Feedback) -> str:
    from rich.markup import escape

    return (
        "; ".join(
            f"{f.category.value} {escape(repr(f.text))} ({escape(f.rule)})" for f in feedback.flags
        )
        or "(none)"
    )


def _print_disagreement(console: Console, group: Disagreement, rubric: Any) -> None:
    from rich.markup import escape
    from rich.text import Text

    from listen_trainer.cli.render import highlighted
    from listen_trainer.cli.terminal import safe_text

    console.rule(f"[bold]{escape(group.title)}[/]: {len(group.outcomes)} shown", align="left")
    for o in group.outcomes:
        fb = o.feedback
        console.print(
            f"[dim]{escape(o.row.id)}[/]  label {escape(o.row.label)}  "
            f"verdict {fb.verdict.value}  score {fb.score}  depth {fb.depth}"
        )
        prompt = o.row.prompt if len(o.row.prompt) <= 200 else o.row.prompt[:200] + "..."
        console.print(Text.assemble(("  said:  ", "dim"), safe_text(prompt)))
        console.print(Text.assemble(("  reply: ", "dim"), highlighted(o.row.response, fb, rubric)))
        console.print(f"  [dim]flags:[/] {flag_list(fb)}")
    console.print()


def _print_exemplars(console: Console, report: ExemplarReport, errors: int) -> None:
    from rich.table import Table

    from listen_trainer.evaluation.runner import exemplar_disagreements

    console.rule("scenario exemplars: verdict against the authors' label")
    console.print(
        f"{len(report.outcomes)} exemplars scored in {report.seconds:.1f} s; "
        f"verdict == label for {fmt(report.accuracy)}"
    )
    table = Table(title="per label", title_justify="left")
    for col in ("label", "exemplars", "agreed", "accuracy"):
        table.add_column(col, justify="left" if col == "label" else "right")
    for label, (n, right) in report.per_label().items():
        table.add_row(label, str(n), str(right), fmt(right / n if n else None))
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
    ranking = report.ranking()
    console.print(
        f"ranking (attuned > partly attuned > roadblock, within a scenario): "
        f"{ranking.pairs} pairs, accuracy {fmt(ranking.accuracy)}"
    )
    if errors:
        wrong = exemplar_disagreements(report, errors)
        console.rule(f"[bold]exemplars judged otherwise[/]: {len(wrong)} shown", align="left")
        for o in wrong:
            _print_exemplar(console, o)
    console.print()


def _print_exemplar(console: Console, o: ExemplarOutcome) -> None:
    from rich.markup import escape

    from listen_trainer.cli.terminal import safe_text

    fb = o.feedback
    console.print(
        f"[dim]{o.pack}/{o.scenario}[/]  label {o.exemplar.label.value}  "
        f"verdict {fb.verdict.value}  score {fb.score}"
    )
    console.print(f"  reply: {escape(safe_text(o.exemplar.reply))}")
    console.print(f"  [dim]flags:[/] {flag_list(fb)}")
