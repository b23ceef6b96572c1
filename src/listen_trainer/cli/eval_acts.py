"""The text and JSON faces of `listen-trainer eval` for act data (rows that list acts).

The text ends with the per-act table over every row scored (act, the engine's F1 against
each annotator, the annotators' own F1 and kappa, the bar), so that the last lines of the
output are the figures that matter; a pipe through `tail` shows exactly that table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from listen_trainer.cli.eval import flag_list, fmt, mark

if TYPE_CHECKING:
    from rich.console import Console

    from listen_trainer.evaluation.acts import ActDisagreement, ActFigures, ActsReport


# --------------------------------------------------------------------------- JSON


def acts_report_json(report: ActsReport, errors: int) -> dict[str, Any]:
    from listen_trainer.evaluation.acts import (
        act_disagreements,
        act_outcome_json,
        act_rule_firings,
        acts_json,
    )

    item = acts_json(report)
    if errors:
        item["errors"] = [
            {
                "act": group.act,
                "kind": group.kind,
                "title": group.title,
                "rows": [act_outcome_json(o) for o in group.outcomes],
            }
            for group in act_disagreements(report, errors)
        ]
        item["rules"] = {
            act: [
                {"rule": f.rule, "rows": f.rows, "labelled_so": f.agreed}
                for f in act_rule_firings(report, act)
            ]
            for act in report.spec.names
        }
    return item


# --------------------------------------------------------------------------- text


def _who(report: ActsReport) -> str:
    if len(report.annotators) == 2:
        first, second = report.annotators
        return f"two annotators who labelled every row apart ({first}, {second})"
    return (
        f"one annotator ({report.annotators[0]}): no annotator agreement to show, "
        "and no second opinion to set the engine's figures beside"
    )


def print_acts_report(console: Console, report: ActsReport, errors: int, rubric: Any) -> None:
    """Everything but the closing table: the detailed figures, both halves, the errors."""
    from rich.markup import escape

    console.rule(escape(f"{report.mapping.dataset}: {report.path}"))
    scope = "" if report.half is None else f" of half {report.half} (by row id)"
    line = (
        f"{len(report.outcomes):,} rows{scope} scored in {report.seconds:.1f} s "
        f"(mapping {report.mapping_path})"
    )
    if report.annotators:
        line += f"; {_who(report)}"
    if report.skipped:
        line += f"; {len(report.skipped)} broken line(s) skipped"
    console.print(escape(line))
    if report.verdicts is not None:
        _print_verdicts(console, report)
    if report.figures is not None and report.figures.rows:
        _print_detail(console, report, report.figures)
        for name, figures in report.halves.items():
            console.print(f"per act, half {name} ({figures.rows} rows, split by row id)")
            console.print(_compact(report, figures))
    if errors and report.outcomes:
        for act in report.spec.names:
            _print_rules(console, report, act)
        from listen_trainer.evaluation.acts import act_disagreements

        for group in act_disagreements(report, errors):
            _print_disagreement(console, group, rubric)
    console.print()


def print_acts_closing(console: Console, report: ActsReport) -> None:
    """The per-act table over every row scored, with the bars: the last thing printed."""
    figures = report.figures
    if figures is None or not figures.rows:
        console.print(f"{report.path}: no rows to measure")
        return
    bars = report.bars()
    met = sum(b.passed for b in bars)
    scope = "all" if report.half is None else f"half {report.half},"
    title = f"per act, {scope} {figures.rows} rows"
    if bars:
        title += (
            f": {met} of {len(bars)} bars met "
            f"(each F1 {report.spec.bar or '-'}, mean {report.spec.mean_bar or '-'})"
        )
    # Printed on its own line, not as the table's title, which would wrap to the table's
    # width and so change how many lines the table takes.
    console.print(title, soft_wrap=True)
    console.print(_compact(report, figures))


def _compact(report: ActsReport, figures: ActFigures) -> Any:
    """Act, F1 against each annotator, the annotators' F1 and kappa, the bar: one line
    per act and one for the mean, with no outer frame."""
    from rich import box
    from rich.table import Table

    two = figures.between is not None
    table = Table(box=box.SIMPLE_HEAD, show_edge=False)
    table.add_column("act")
    for who in figures.annotators:
        table.add_column(f"F1 vs {who}", justify="right")
    if two:
        table.add_column("annotators F1", justify="right")
        table.add_column("κ", justify="right")
    table.add_column("bar")
    for index, act in enumerate(figures.acts):
        cells = [fmt(figures.engine[who][act].f1) for who in figures.annotators]
        if two:
            cells += [fmt(figures.annotators_f1(act)), fmt(figures.kappa(act))]
        last = index == len(figures.acts) - 1
        table.add_row(act, *cells, _bar_cell(report.act_passed(figures, act)), end_section=last)
    cells = [fmt(figures.mean_f1(who)) for who in figures.annotators]
    if two:
        cells += [fmt(figures.annotators_mean_f1()), fmt(figures.annotators_mean_kappa())]
    table.add_row("[bold]mean[/]", *cells, _bar_cell(report.mean_passed(figures)))
    return table


def _bar_cell(passed: dict[str, bool] | None) -> str:
    if passed is None:
        return ""
    missed = [who for who, ok in passed.items() if not ok]
    if not missed:
        return mark(True)
    if len(missed) == len(passed):
        return mark(False)
    return f"{mark(False)} vs {', '.join(missed)}"


def _print_detail(console: Console, report: ActsReport, figures: ActFigures) -> None:
    from rich.table import Table

    scope = "all" if report.half is None else f"half {report.half},"
    table = Table(
        title=f"per act, {scope} {figures.rows} rows: rows with the act, and the engine's "
        "precision / recall / F1 against each annotator",
        title_justify="left",
    )
    table.add_column("act")
    for who in figures.annotators:
        table.add_column(who, justify="right")
    table.add_column("engine", justify="right")
    for who in figures.annotators:
        table.add_column(f"P / R / F1 vs {who}", justify="right")
    two = figures.between is not None
    if two:
        table.add_column("both", justify="right")
        table.add_column("annotators F1", justify="right")
        table.add_column("κ", justify="right")
    for act in figures.acts:
        counts = [figures.engine[who][act] for who in figures.annotators]
        cells = [str(c.gold) for c in counts] + [str(figures.predicted[act])]
        cells += [f"{fmt(c.precision)} / {fmt(c.recall)} / {fmt(c.f1)}" for c in counts]
        if two:
            assert figures.between is not None
            cells += [
                str(figures.between[act].tp),
                fmt(figures.annotators_f1(act)),
                fmt(figures.kappa(act)),
            ]
        table.add_row(act, *cells)
    console.print(table)


def _print_verdicts(console: Console, report: ActsReport) -> None:
    from rich.table import Table

    from listen_trainer.content.models import Verdict

    v = report.verdicts
    assert v is not None
    console.print(
        f"verdict: the engine's equals the row's for {fmt(v.share)} "
        f"({v.agreed} of {v.rows} rows that carry one)"
    )
    engine = {x.value for x in Verdict}
    foreign = [c for c in v.confusion.classes if c not in engine]
    if foreign:
        counts = ", ".join(
            f"{c} ({sum(v.confusion.count(c, p) for p in v.confusion.classes)})" for c in foreign
        )
        console.print(f"  labelled with verdicts the engine never gives: {counts}")
    used = [
        c
        for c in v.confusion.classes
        if any(v.confusion.count(c, p) or v.confusion.count(p, c) for p in v.confusion.classes)
    ]
    matrix = Table(
        title="verdict confusion (rows: labelled, columns: engine)", title_justify="left"
    )
    matrix.add_column("labelled \\ engine")
    for c in used:
        matrix.add_column(c.replace("_", " "), justify="right")
    for gold in used:
        matrix.add_row(gold, *(str(v.confusion.count(gold, p) or "") for p in used))
    console.print(matrix)


def _print_rules(console: Console, report: ActsReport, act: str) -> None:
    from rich.markup import escape
    from rich.table import Table

    from listen_trainer.evaluation.acts import act_rule_firings

    firings = act_rule_firings(report, act)
    if not firings:
        return
    table = Table(
        title=f"{act}: the rules behind its flags (rows fired, and how many each annotator "
        f"labelled {act})",
        title_justify="left",
    )
    table.add_column("rule")
    table.add_column("rows", justify="right")
    for who in report.annotators:
        table.add_column(f"{who} says so", justify="right")
    for firing in firings:
        table.add_row(
            escape(firing.rule),
            str(firing.rows),
            *(str(firing.agreed[who]) for who in report.annotators),
        )
    console.print(table)


def _print_disagreement(console: Console, group: ActDisagreement, rubric: Any) -> None:
    from rich.markup import escape
    from rich.text import Text

    from listen_trainer.cli.render import highlighted

    console.rule(f"[bold]{escape(group.title)}[/]: {len(group.outcomes)} shown", align="left")
    for o in group.outcomes:
        fb = o.feedback
        labels = "  ".join(f"{who} {', '.join(sorted(acts))}" for who, acts in o.row.acts.items())
        expected = "" if o.row.verdict is None else f"  labelled verdict {o.row.verdict}"
        console.print(
            escape(
                f"{o.row.id}  {labels}  engine {', '.join(sorted(o.predicted))}"
                f"{expected}  verdict {fb.verdict.value}  score {fb.score}"
            )
        )
        prompt = o.row.prompt if len(o.row.prompt) <= 200 else o.row.prompt[:200] + "..."
        console.print(Text.assemble(("  said:  ", "dim"), prompt))
        console.print(Text.assemble(("  reply: ", "dim"), highlighted(o.row.response, fb, rubric)))
        console.print(f"  [dim]flags:[/] {flag_list(fb)}")
    console.print()
