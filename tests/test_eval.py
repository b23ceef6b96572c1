"""`listen-trainer eval`: the figures, the mapping files, the command, and the bars.

Every table and reply here was written for these tests; none comes from the outside data.
The last tests run on `../shared/data/*.jsonl` when it is there and check issue 7's bars.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from listen_trainer.cli import eval as eval_cli
from listen_trainer.content.library import Rubric, load_library
from listen_trainer.content.models import Verdict
from listen_trainer.evaluation import metrics
from listen_trainer.evaluation.mapping import MappingError, load_mapping
from listen_trainer.evaluation.runner import (
    DatasetReport,
    evaluate_exemplars,
    evaluate_file,
    exemplar_disagreements,
    read_rows,
)

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"


def run_eval(*argv: str | Path) -> int:
    """Run `listen-trainer eval ARGV` the way the CLI will, without the top-level parser."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--packs", type=Path, action="append", default=[])
    parser = argparse.ArgumentParser(prog="listen-trainer", parents=[common])
    eval_cli.add_parser(parser.add_subparsers(dest="command"), common)
    args = parser.parse_args(["eval", *map(str, argv)])
    return int(args.run(args))


# --------------------------------------------------------------------------- metrics


def test_counts_give_precision_recall_and_f1() -> None:
    # 3 hits, 1 false alarm, 2 misses, 4 right rejections.
    pairs = [(True, True)] * 3 + [(False, True)] + [(True, False)] * 2 + [(False, False)] * 4
    counts = metrics.binary_counts(pairs)
    assert (counts.tp, counts.fp, counts.fn, counts.tn) == (3, 1, 2, 4)
    assert counts.precision == pytest.approx(0.75)
    assert counts.recall == pytest.approx(0.6)
    assert counts.f1 == pytest.approx(2 * 0.75 * 0.6 / 1.35)


def test_an_empty_category_scores_zero_not_perfect() -> None:
    never_predicted = metrics.binary_counts([(True, False), (False, False)])
    assert never_predicted.precision == 0.0
    assert never_predicted.f1 == 0.0
    never_gold = metrics.binary_counts([(False, True)])
    assert never_gold.recall == 0.0
    assert metrics.Counts().f1 == 0.0


def test_per_category_reads_multi_label_sets() -> None:
    pairs = [
        ({"fixing"}, {"fixing", "question"}),  # fixing hit, question false alarm
        ({"question"}, {"question"}),  # question hit
        ({"fixing", "question"}, set()),  # both missed
        (set(), set()),
    ]
    table = metrics.per_category(pairs, ["fixing", "question"])
    assert (table["fixing"].tp, table["fixing"].fp, table["fixing"].fn) == (1, 0, 1)
    assert (table["question"].tp, table["question"].fp, table["question"].fn) == (1, 1, 1)
    assert table["fixing"].tn == 2


def test_confusion_matrix_and_macro_f1() -> None:
    pairs = (
        [("ask", "ask")] * 4
        + [("ask", "tell")]
        + [("tell", "tell")] * 2
        + [("tell", "ask")] * 2
        + [("rest", "ask")]
    )
    matrix = metrics.confusion(pairs, ["ask", "tell", "rest"])
    assert matrix.classes == ("ask", "tell", "rest")
    assert matrix.count("ask", "tell") == 1
    assert matrix.count("rest", "rest") == 0
    assert matrix.total == 10
    ask = matrix.counts("ask")
    assert (ask.tp, ask.fp, ask.fn, ask.tn) == (4, 3, 1, 2)
    tell = matrix.counts("tell")
    assert (tell.tp, tell.fp, tell.fn) == (2, 1, 2)
    per_class = {c: matrix.counts(c) for c in ("ask", "tell")}
    assert metrics.macro_f1(per_class) == pytest.approx((ask.f1 + tell.f1) / 2)
    # A class met only in the pairs is added after the given ones.
    assert metrics.confusion([("a", "b")], ["a"]).classes == ("a", "b")


def test_pairwise_ranking_counts_only_pairs_within_a_group_with_different_ranks() -> None:
    items = [
        ("p1", 2, 80.0),
        ("p1", 0, 20.0),  # in order
        ("p1", 0, 90.0),  # a worse reply scored above the better one
        ("p2", 1, 50.0),
        ("p2", 0, 50.0),  # a tie: half right
        ("p3", 1, 10.0),
        ("p3", 1, 99.0),  # same rank: no pair
        ("p4", 2, 70.0),  # alone: no pair
    ]
    ranking = metrics.pairwise_ranking(items)
    # p1: 80 over 20 right, 80 under 90 wrong, the two rank-0 replies no pair; p2: a tie.
    assert (ranking.pairs, ranking.right, ranking.ties) == (3, 1, 1)
    assert ranking.accuracy == pytest.approx(1.5 / 3)
    assert metrics.pairwise_ranking([]).accuracy == 0.0


def test_mean_of_nothing_is_unknown_not_zero() -> None:
    assert metrics.mean([]) is None
    assert metrics.mean([1, 2, 4]) == pytest.approx(7 / 3)


# --------------------------------------------------------------------------- mappings


@pytest.mark.parametrize("name", ["esconv.yaml", "annomi.yaml"])
def test_the_shipped_mappings_load(name: str) -> None:
    mapping = load_mapping(REPO / "eval" / name)
    assert mapping.fits(Path(f"{name.removesuffix('.yaml')}_dev.jsonl"))
    assert all(item.bar is not None for item in mapping.measures)


def test_annomi_precedence_puts_advice_before_question_before_reflection() -> None:
    mapping = load_mapping(REPO / "eval" / "annomi.yaml")
    assert mapping.classification is not None
    assert mapping.classification.class_names == ["advice", "question", "reflection"]


GOOD_MAPPING = """\
dataset: Toy
files: ["toy*.jsonl"]
labels: [advice, reflection, question, chat]
measures:
  - name: fixing
    labels: [advice]
    flags: [fixing]
    bar: {at_least: 0.5}
verdict_checks:
  - name: advice_attuned
    labels: [advice]
    verdicts: [attuned]
    bar: {below: 0.05}
classification:
  name: act
  classes:
    - {name: advice, labels: [advice], flags: [fixing]}
    - {name: question, labels: [question], flags: [exploring, closed_question]}
    - {name: reflection, labels: [reflection], flags: [reflecting_feeling, reflecting_content]}
  bar: {at_least: 0.5}
depth_orders:
  - name: reflection_deeper
    higher: [reflection]
    lower: [chat]
    bar: {above: 0}
"""


@pytest.mark.parametrize(
    ("old", "new", "line", "field", "says"),
    [
        (
            "labels: [advice]\n    flags",
            "labels: [advise]\n    flags",
            6,
            "measures[0].labels[0]",
            "'advise' is not one of the data set's labels",
        ),
        (
            "flags: [fixing]\n    bar",
            "flags: [fixin]\n    bar",
            7,
            "measures[0].flags[0]",
            "Input should be",
        ),
        (
            "bar: {at_least: 0.5}",
            "bar: {at_least: 0.5, below: 0.9}",
            8,
            "measures[0].bar",
            "give exactly one of at_least, above, at_most, below",
        ),
        (
            "    verdicts: [attuned]",
            "    verdicts: [attuned]\n    colour: red",
            13,
            "verdict_checks[0].colour",
            "unknown field",
        ),
        (
            "{name: question, labels: [question]",
            "{name: advice, labels: [question]",
            18,
            "classification.classes[1].name",
            "class 'advice' is named twice",
        ),
        (
            "lower: [chat]",
            "lower: [chat, reflection]",
            24,
            "depth_orders[0].lower",
            "reflection cannot be both higher and lower",
        ),
    ],
)
def test_a_broken_mapping_names_file_line_and_field(
    tmp_path: Path, old: str, new: str, line: int, field: str, says: str
) -> None:
    assert old in GOOD_MAPPING
    path = tmp_path / "toy.yaml"
    path.write_text(GOOD_MAPPING.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(MappingError) as caught:
        load_mapping(path)
    shown = [str(p) for p in caught.value.problems]
    assert any(s.startswith(f"{path}:{line}: {field}: ") and says in s for s in shown), shown


def test_a_mapping_that_is_not_yaml_says_where(tmp_path: Path) -> None:
    path = tmp_path / "toy.yaml"
    path.write_text("dataset: Toy\nlabels: [a, b\nmeasures: []\n", encoding="utf-8")
    with pytest.raises(MappingError) as caught:
        load_mapping(path)
    assert "not valid YAML" in str(caught.value)
    assert str(caught.value).startswith(f"{path}:")


# --------------------------------------------------------------------------- the command

# A toy data set in the shape of the outside data, every line written for this test.
# The last "advice" row is mislabelled on purpose, so the figures are not all perfect.
PROMPT = "My boss yelled at me in front of everyone and I felt so humiliated."
TOY = [
    ("t1", "advice", "You should start looking for a new job right away."),
    ("t2", "advice", "Maybe you could talk to HR about it tomorrow."),
    (
        "t3",
        "reflection",
        "It sounds like you felt humiliated when your boss yelled in front of everyone.",
    ),
    ("t4", "question", "What happened after he yelled?"),
    ("t5", "question", "Did anyone stand up for you?"),
    ("t6", "chat", "I had a terrible boss once too."),
    ("t7", "advice", "Thanks for telling me."),
]


def write_toy(folder: Path, lines: list[str] | None = None) -> tuple[Path, Path]:
    data = folder / "toy.jsonl"
    rows = [
        json.dumps({"id": i, "prompt": PROMPT, "response": r, "label": label})
        for i, label, r in TOY
    ]
    data.write_text("\n".join(lines if lines is not None else rows) + "\n", encoding="utf-8")
    mapping = folder / "toy.yaml"
    mapping.write_text(GOOD_MAPPING, encoding="utf-8")
    return data, mapping


def test_eval_json_gives_the_figures_a_user_would_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, mapping = write_toy(tmp_path)
    code = run_eval(data, "--mapping", mapping, "--json")
    out, err = capsys.readouterr()
    figures = json.loads(out)["datasets"][0]
    assert figures["rows"] == 7
    assert figures["skipped"] == 0
    fixing = figures["measures"]["fixing"]
    # Both real suggestions flagged, the mislabelled thank-you not: P 1, R 2/3.
    assert (fixing["tp"], fixing["fp"], fixing["fn"]) == (2, 0, 1)
    assert fixing["f1"] == pytest.approx(0.8)
    assert fixing["passed"] is True
    assert figures["verdict_checks"]["advice_attuned"]["hits"] == 0
    confusion = figures["classification"]["confusion"]
    assert confusion["question"]["question"] == 2
    assert confusion["reflection"]["reflection"] == 1
    assert confusion["other"]["other"] == 1  # the chat row: no class, nothing predicted
    assert figures["depth_orders"]["reflection_deeper"]["passed"] is True
    assert code == 0
    assert err == ""  # no progress bar when standard error is not a terminal


def test_eval_text_shows_measures_confusion_and_bars(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, mapping = write_toy(tmp_path)
    assert run_eval(data, "--mapping", mapping) == 0
    out = capsys.readouterr().out
    assert "7 rows scored" in out
    assert "confusion matrix" in out
    assert "Toy fixing: F1 0.800 (bar ≥ 0.5)  met" in out
    assert "4 of 4 bar(s) met" in out


def test_errors_show_the_misses_with_their_flags(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, mapping = write_toy(tmp_path)
    run_eval(data, "--mapping", mapping, "--errors", "3")
    out = capsys.readouterr().out
    missed = out[out.index("fixing: missed") :]
    assert "t7" in missed.split("fixing: false alarms")[0]
    assert "Thanks for telling me." in missed
    assert "flags: placating" in missed


def test_errors_in_json_list_the_rows_and_spans(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, mapping = write_toy(tmp_path)
    run_eval(data, "--mapping", mapping, "--errors", "2", "--json")
    out = capsys.readouterr().out
    groups = json.loads(out)["datasets"][0]["errors"]
    missed = next(g for g in groups if g["kind"].startswith("fixing: missed"))
    assert [r["id"] for r in missed["rows"]] == ["t7"]
    assert missed["rows"][0]["flags"][0]["category"] == "placating"
    # The per-rule table: both suggestions were caught, by rules that fired on nothing else.
    rules = json.loads(out)["datasets"][0]["rules"]["fixing"]
    assert sum(r["labelled_so"] for r in rules) >= 2
    assert all(r["rows"] == r["labelled_so"] for r in rules)


def test_a_broken_line_is_skipped_counted_and_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = [
        json.dumps({"id": i, "prompt": PROMPT, "response": r, "label": label})
        for i, label, r in TOY
    ]
    lines = [
        good[0],
        '{"id": "x", "prompt": "cut off',
        good[1],
        '["a list"]',
        json.dumps({"id": "y", "prompt": PROMPT, "label": "chat"}),
        *good[2:],
    ]
    data, mapping = write_toy(tmp_path, lines)
    code = run_eval(data, "--mapping", mapping, "--json")
    out, err = capsys.readouterr()
    assert json.loads(out)["datasets"][0]["rows"] == 7
    assert json.loads(out)["datasets"][0]["skipped"] == 3
    assert f"{data}:2: skipped: not valid JSON" in err
    assert f"{data}:4: skipped: expected a JSON object" in err
    assert f"{data}:5: skipped: 'response' must be a string" in err
    assert code == 1  # the figures are there, but the run was not clean


def test_a_row_with_a_label_the_mapping_does_not_know_is_left_out_and_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    extra = json.dumps({"id": "z", "prompt": PROMPT, "response": "Hm.", "label": "humming"})
    good = [
        json.dumps({"id": i, "prompt": PROMPT, "response": r, "label": label})
        for i, label, r in TOY
    ]
    data, mapping = write_toy(tmp_path, [*good, extra])
    assert run_eval(data, "--mapping", mapping) == 1
    out = capsys.readouterr().out
    assert "7 rows scored" in out
    assert "'humming' (1)" in out


def test_a_missing_file_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, mapping = write_toy(tmp_path)
    assert run_eval(tmp_path / "nowhere.jsonl", "--mapping", mapping) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path / 'nowhere.jsonl'}: no such file" in err
    assert "Traceback" not in err


def test_a_bad_mapping_stops_the_run_before_scoring(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, mapping = write_toy(tmp_path)
    mapping.write_text(
        GOOD_MAPPING.replace("flags: [fixing]\n    bar", "flags: [fix]\n    bar"), encoding="utf-8"
    )
    assert run_eval(data, "--mapping", mapping) == 2
    out, err = capsys.readouterr()
    assert f"{mapping}:7: measures[0].flags[0]: " in err
    assert out == ""


def test_without_mapping_a_file_no_mapping_fits_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, _ = write_toy(tmp_path)
    assert run_eval(data) == 2
    assert "no shipped mapping fits this file name" in capsys.readouterr().err


def test_without_mapping_the_shipped_mapping_that_fits_the_name_is_used(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "esconv_mine.jsonl"
    data.write_text(
        json.dumps(
            {
                "id": "m1",
                "prompt": PROMPT,
                "label": "Providing Suggestions",
                "response": "You should start looking for a new job.",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    run_eval(data, "--json")
    figures = json.loads(capsys.readouterr().out)["datasets"][0]
    assert figures["dataset"] == "ESConv"
    assert Path(figures["mapping"]).name == "esconv.yaml"
    assert figures["measures"]["fixing"]["tp"] == 1


def test_mappings_must_be_one_or_one_per_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, mapping = write_toy(tmp_path)
    assert run_eval(data, data, data, "--mapping", mapping, "--mapping", mapping) == 2
    assert "2 --mapping for 3 file(s)" in capsys.readouterr().err


def test_limit_reads_only_the_first_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, mapping = write_toy(tmp_path)
    run_eval(data, "--mapping", mapping, "--limit", "3", "--json")
    assert json.loads(capsys.readouterr().out)["datasets"][0]["rows"] == 3


def test_a_missed_bar_fails_the_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data, mapping = write_toy(tmp_path)
    mapping.write_text(GOOD_MAPPING.replace("at_least: 0.5", "at_least: 0.9"), encoding="utf-8")
    assert run_eval(data, "--mapping", mapping) == 1
    assert "MISSED" in capsys.readouterr().out


RANKED_MAPPING = """\
dataset: Ranked toy
labels: [good, poor]
ranking:
  ranks: {good: 1, poor: 0}
  bar: {at_least: 0.9}
"""


def test_ranking_accuracy_on_graded_replies_to_one_prompt(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [
        ("a1", PROMPT, "good", "That sounds humiliating, being yelled at with everyone watching."),
        ("a2", PROMPT, "poor", "You should just ignore him."),
        (
            "b1",
            "I failed my driving test again and I feel like an idiot.",
            "good",
            "You feel like an idiot after failing the test again, and that stings.",
        ),
        (
            "b2",
            "I failed my driving test again and I feel like an idiot.",
            "poor",
            "At least you can take it again next month.",
        ),
    ]
    data = tmp_path / "ranked.jsonl"
    data.write_text(
        "\n".join(
            json.dumps({"id": i, "prompt": p, "label": label, "response": r})
            for i, p, label, r in rows
        ),
        encoding="utf-8",
    )
    mapping = tmp_path / "ranked.yaml"
    mapping.write_text(RANKED_MAPPING, encoding="utf-8")
    assert run_eval(data, "--mapping", mapping, "--json") == 0
    ranking = json.loads(capsys.readouterr().out)["datasets"][0]["ranking"]
    assert ranking["pairs"] == 2  # one pair per prompt, never across prompts
    assert ranking["accuracy"] == 1.0


TOY_PACK = """\
id: eval-toy
title: Eval toy pack
description: Two scenarios for the eval tests; not shipped.
scenarios:
  - id: eval-toy-humiliated
    statement: My boss yelled at me in front of everyone and I felt so humiliated.
    speaker: colleague
    situation: At lunch, after a team meeting.
    feelings: {surface: [ashamed], underlying: [hurt]}
    key_content: [boss, yelled, everyone]
    difficulty: 1
    teaching_note: Being shamed in public; the sting is being seen.
    exemplars:
      - reply: You felt humiliated and hurt when your boss yelled at you in front of everyone.
        label: attuned
      - reply: You should report him to HR.
        label: fixing
      - reply: You should report him to HR.
        label: attuned
"""


def test_exemplars_are_judged_against_their_authors_labels(
    tmp_path: Path, rubric: Rubric, scorer
) -> None:
    (tmp_path / "pack.yaml").write_text(TOY_PACK, encoding="utf-8")
    library = load_library(rubric, [tmp_path])
    assert not library.problems
    report = evaluate_exemplars(library, scorer)
    assert len(report.outcomes) == 3
    # The fixing reply labelled attuned by mistake is a disagreement; its twin is not.
    assert report.per_label()["fixing"] == (1, 1)
    assert report.per_label()["attuned"][0] == 2
    assert report.confusion().count("attuned", "fixing") == 1
    worst = exemplar_disagreements(report, 5)
    assert worst[0].exemplar.label is Verdict.ATTUNED
    assert worst[0].feedback.verdict is Verdict.FIXING
    # Pairs of different labels: the attuned reply over the fixing one (right), and the
    # mislabelled copy against its twin (a tie, half right); the two "attuned" no pair.
    ranking = report.ranking()
    assert (ranking.pairs, ranking.right, ranking.ties) == (2, 1, 1)
    assert ranking.accuracy == pytest.approx(0.75)


def test_eval_exemplars_alone_scores_every_shipped_exemplar(
    library, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run_eval("--exemplars", "--json")
    figures = json.loads(capsys.readouterr().out)
    shipped = sum(len(s.exemplars) for _, s in library.scenarios())
    assert figures["exemplars"]["exemplars"] == shipped
    assert figures["datasets"] == []
    assert code == 0


def test_nothing_to_measure_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_eval() == 2
    assert "give labelled JSON Lines files, or --exemplars" in capsys.readouterr().err


# --------------------------------------------------------------------------- the bars

DATA_FILES = {"esconv": DATA / "esconv_dev.jsonl", "annomi": DATA / "annomi_dev.jsonl"}


@pytest.fixture(scope="module")
def dev_reports(scorer) -> dict[str, DatasetReport]:
    missing = [str(p) for p in DATA_FILES.values() if not p.exists()]
    if missing:
        pytest.skip(f"the outside dev data is not here ({', '.join(missing)}); CI has it")
    reports = {}
    for name, path in DATA_FILES.items():
        mapping_path = REPO / "eval" / f"{name}.yaml"
        reports[name] = evaluate_file(path, load_mapping(mapping_path), mapping_path, scorer)
    return reports


@pytest.mark.slow
@pytest.mark.parametrize("name", list(DATA_FILES))
def test_the_dev_data_reads_cleanly_through_its_mapping(
    dev_reports: dict[str, DatasetReport], name: str
) -> None:
    report = dev_reports[name]
    rows, skipped = read_rows(DATA_FILES[name])
    assert not skipped
    assert not report.unknown_labels, "the mapping misses labels the data set uses"
    assert len(report.outcomes) == len(rows)


ISSUE_7_BARS = [
    ("esconv", "fixing"),
    ("esconv", "reflecting"),
    ("esconv", "question"),
    ("esconv", "suggestions_attuned"),
    ("annomi", "behaviour"),
    ("annomi", "complex_deeper"),
]
# The bars the rules do not clear yet (figures in docs/quality.md). Strict: when a rule
# change clears one, this turns red so that its mark is dropped and the bar is held.
NOT_YET_MET = {
    ("esconv", "fixing"),
    ("esconv", "question"),
}
# Until then, the ground gained is held: each figure may not fall below where it stands.
# ESConv's single strategy label counts a reply that advises and asks ("have you tried
# yoga?") against one of its two acts; since the engine reads both (the two annotators of
# acts_dev.jsonl do, and its question F1 there rose from 0.82 to 0.94), its question and
# fixing floors here were set again where that reading leaves them.
FLOORS = {
    ("esconv", "fixing"): 0.52,
    ("esconv", "reflecting"): 0.45,
    ("esconv", "question"): 0.64,
    ("annomi", "behaviour"): 0.60,
}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("dataset", "bar"),
    [
        pytest.param(*key, marks=pytest.mark.xfail(strict=True, reason="bar not met yet"))
        if key in NOT_YET_MET
        else key
        for key in ISSUE_7_BARS
    ],
)
def test_issue_7_bar(dev_reports: dict[str, DatasetReport], dataset: str, bar: str) -> None:
    lines = {line.name: line for line in dev_reports[dataset].bars()}
    assert bar in lines, f"the shipped {dataset} mapping lost the {bar} bar"
    line = lines[bar]
    assert line.passed, f"{dataset} {bar}: {line.figure} {line.value:.3f}, bar {line.bar}"


@pytest.mark.slow
@pytest.mark.parametrize(("dataset", "bar"), sorted(FLOORS))
def test_the_scorer_holds_its_ground(
    dev_reports: dict[str, DatasetReport], dataset: str, bar: str
) -> None:
    lines = {line.name: line for line in dev_reports[dataset].bars()}
    assert lines[bar].value >= FLOORS[(dataset, bar)], (
        f"{dataset} {bar} fell to {lines[bar].value:.3f} (floor {FLOORS[(dataset, bar)]})"
    )
