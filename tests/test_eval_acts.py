"""`listen-trainer eval` on act data: rows that list every act a reply performs.

The tiny files here were written for these tests. Their replies are plain cases of one act
each, so that what the engine finds in them is not in doubt; every expected figure below
is worked out by hand from the table in `TWO`. The last tests run on
`../shared/data/acts_dev.jsonl` when it is there, and on the shipped held-out set.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import get_args

import pytest

from listen_trainer.cli import eval as eval_cli
from listen_trainer.content.models import Act
from listen_trainer.evaluation import metrics
from listen_trainer.evaluation.act_rows import read_act_rows
from listen_trainer.evaluation.acts import ActsReport, evaluate_act_rows
from listen_trainer.evaluation.mapping import MappingError, load_mapping

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
ACTS = REPO / "eval" / "acts.yaml"
NAMES = [*get_args(Act), "none"]  # the acts the guide names, and none
PROMPT = "My boss yelled at me in front of everyone and I felt so humiliated."

# id, reply, annotator a, annotator b. Where they part: r3 is advice put as a question,
# typed without its "?", which a still counts as a question; r7 says back the feeling and
# what happened, and b hears only the feeling; b hears "don't worry" as shrinking the
# problem too.
# The engine: one act per reply, except both reflections in r7 and no question in r3.
TWO = [
    ("r1", "You should look for a new job.", ["fixing"], ["fixing"]),
    ("r2", "What happened after that?", ["question"], ["question"]),
    ("r3", "Have you tried talking to HR", ["fixing", "question"], ["fixing"]),
    ("r4", "I had a boss like that once.", ["self_focus"], ["self_focus"]),
    ("r5", "Ok.", ["none"], ["none"]),
    ("r6", "At least you still have a job.", ["minimise"], ["minimise"]),
    (
        "r7",
        "You felt humiliated in front of everyone.",
        ["reflect_feeling", "reflect_content"],
        ["reflect_feeling"],
    ),
    ("r8", "Don't worry about it.", ["dismiss"], ["dismiss", "minimise"]),
    ("r9", "That makes sense.", ["validate"], ["validate"]),
]
# The ids fall in the halves so (sha1 of the id, even is A): a fixed split, the same
# wherever it is computed.
HALF_A = {"r3", "r4", "r7", "r8"}


def run_eval(*argv: str | Path) -> int:
    """Run `listen-trainer eval ARGV` the way the CLI will, without the top-level parser."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--packs", type=Path, action="append", default=[])
    parser = argparse.ArgumentParser(prog="listen-trainer", parents=[common])
    eval_cli.add_parser(parser.add_subparsers(dest="command"), common)
    args = parser.parse_args(["eval", *map(str, argv)])
    return int(args.run(args))


def two_lines() -> list[str]:
    return [
        json.dumps(
            {"id": i, "prompt": PROMPT, "response": r, "acts_a": a, "acts_b": b, "label": "x"}
        )
        for i, r, a, b in TWO
    ]


def write(folder: Path, lines: list[str], name: str = "acts_toy.jsonl") -> Path:
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def figures_of(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> dict:
    run_eval(*argv, "--json")
    return json.loads(capsys.readouterr().out)["datasets"][0]


# --------------------------------------------------------------------------- kappa


def test_kappa_is_agreement_beyond_chance() -> None:
    # 2 both yes, 1 only the first, 1 only the second, 6 both no: agreement 0.8; by
    # chance 0.3 * 0.3 + 0.7 * 0.7 = 0.58; kappa (0.8 - 0.58) / 0.42.
    counts = metrics.Counts(tp=2, fn=1, fp=1, tn=6)
    assert metrics.kappa(counts) == pytest.approx(0.22 / 0.42)
    assert metrics.kappa(metrics.Counts(tp=3, tn=5)) == pytest.approx(1.0)
    # Both said no to everything: agreement by chance is total, kappa cannot be told.
    assert metrics.kappa(metrics.Counts(tn=4)) is None
    assert metrics.kappa(metrics.Counts()) is None


# --------------------------------------------------------------------------- the mapping


def test_the_shipped_acts_mapping_reads_each_act_from_its_categories() -> None:
    mapping = load_mapping(ACTS)
    assert mapping.fits(Path("acts_dev.jsonl"))
    assert mapping.fits(Path("acts_fresh.jsonl"))
    assert not mapping.fits(Path("esconv_dev.jsonl"))
    assert mapping.acts is not None
    assert mapping.acts.names == NAMES
    flags = {act.name: sorted(act.flags) for act in mapping.acts.items}
    assert flags == {
        "fixing": ["fixing"],
        "question": ["checking", "closed_question", "exploring", "interrogating"],
        "reflect_feeling": ["reflecting_feeling"],
        "reflect_content": ["reflecting_content"],
        "validate": ["placating", "validating"],
        "minimise": ["minimising"],
        "dismiss": ["dismissing"],
        "self_focus": ["deflecting"],
    }
    assert str(mapping.acts.bar) == "≥ 0.8"
    assert str(mapping.acts.mean_bar) == "≥ 0.85"


ACTS_MAPPING = """\
dataset: Toy acts
acts:
  items:
    - {name: fixing, flags: [fixing]}
    - {name: question, flags: [exploring]}
  bar: {at_least: 0.8}
"""


@pytest.mark.parametrize(
    ("old", "new", "line", "field", "says"),
    [
        (
            "{name: question,",
            "{name: fixing,",
            5,
            "acts.items[1].name",
            "'fixing' is already the name of acts.items[0].name",
        ),
        ("flags: [exploring]", "flags: [asking]", 5, "acts.items[1].flags[0]", "Input should be"),
        (
            "bar: {at_least: 0.8}",
            "bar: {at_least: 0.8}\nmeasures:\n  - {name: m, labels: [x], flags: [fixing]}",
            3,
            "acts",
            "an acts mapping measures acts only",
        ),
    ],
)
def test_a_broken_acts_mapping_names_file_line_and_field(
    tmp_path: Path, old: str, new: str, line: int, field: str, says: str
) -> None:
    assert old in ACTS_MAPPING
    path = tmp_path / "toy.yaml"
    path.write_text(ACTS_MAPPING.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(MappingError) as caught:
        load_mapping(path)
    shown = [str(p) for p in caught.value.problems]
    assert any(s.startswith(f"{path}:{line}: {field}: ") and says in s for s in shown), shown


def test_a_label_mapping_still_needs_its_labels(tmp_path: Path) -> None:
    path = tmp_path / "toy.yaml"
    path.write_text(
        "dataset: Toy\nmeasures:\n  - {name: m, labels: [x], flags: [fixing]}\n",
        encoding="utf-8",
    )
    with pytest.raises(MappingError) as caught:
        load_mapping(path)
    assert any("labels: required field is missing" in str(p) for p in caught.value.problems)


# --------------------------------------------------------------------------- reading


def test_both_row_shapes_are_read(tmp_path: Path) -> None:
    two = write(tmp_path, two_lines()[:2], "two.jsonl")
    rows, skipped = read_act_rows(two, NAMES, "none")
    assert not skipped
    assert rows[0].acts == {"acts_a": {"fixing"}, "acts_b": {"fixing"}}
    assert (rows[0].id, rows[0].label, rows[0].verdict, rows[0].line) == ("r1", "x", None, 1)

    one = write(
        tmp_path,
        [
            json.dumps(
                {"id": "f1", "prompt": PROMPT, "response": "Ok.", "acts": [], "verdict": "missed"}
            ).replace("[]", '["none"]'),
            json.dumps(
                {"prompt": PROMPT, "response": "Have you tried HR?", "acts": ["fixing", "question"]}
            ),
        ],
        "one.jsonl",
    )
    rows, skipped = read_act_rows(one, NAMES, "none")
    assert not skipped
    assert rows[0].acts == {"acts": {"none"}}
    # A verdict the engine never gives is kept: the row counts against the engine.
    assert rows[0].verdict == "missed"
    assert rows[1].acts == {"acts": {"fixing", "question"}}
    assert rows[1].id == "line 2"  # no id: named by its line


def test_broken_rows_are_skipped_and_named_by_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = two_lines()

    def row(**fields: object) -> str:
        return json.dumps({"id": "bad", "prompt": PROMPT, "response": "Hm.", **fields})

    lines = [
        good[0],
        row(acts_a=["fixin"], acts_b=["fixing"]),
        row(acts_a=["fixing"]),
        row(acts_a=["none"], acts_b=["none"], acts=["none"]),
        row(acts=["question"]),
        row(acts_a=[], acts_b=["none"]),
        row(acts_a=["none", "fixing"], acts_b=["fixing"]),
        row(acts_a="fixing", acts_b=["fixing"]),
        row(acts_a=["none"], acts_b=["none"], verdict=3),
        '{"id": "cut", "prompt": "off',
        *good[1:],
    ]
    data = write(tmp_path, lines)
    figures = figures_of(capsys, data)
    err = capsys.readouterr().err  # printed by the run above, read after the JSON
    assert figures["rows"] == len(TWO)
    assert figures["skipped"] == 9
    reasons = {item["line"]: item["reason"] for item in figures["skipped_lines"]}
    assert "'acts_a' has 'fixin', not one of the acts (fixing, question," in reasons[2]
    assert reasons[3].startswith("'acts_b' is missing")
    assert reasons[4] == "give either 'acts' or 'acts_a' and 'acts_b', not both"
    assert reasons[5] == "has 'acts' where the file's first row has 'acts_a' and 'acts_b'"
    assert reasons[6] == "'acts_a' is empty: a reply with no act is ['none']"
    assert reasons[7] == "'acts_a' has 'none' beside other acts"
    assert reasons[8] == "'acts_a' must be a list of act names"
    assert reasons[9].startswith("'verdict' must be a verdict's name")
    assert reasons[10].startswith("not valid JSON")
    assert err == ""  # with --json the skips are in the figures; see the text run below
    assert run_eval(data) == 1
    err = capsys.readouterr().err
    assert f"{data}:2: skipped: 'acts_a' has 'fixin'" in err
    assert "Traceback" not in err


# --------------------------------------------------------------------------- the figures


def test_per_act_figures_against_each_annotator_and_between_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    figures = figures_of(capsys, write(tmp_path, two_lines()))
    assert figures["kind"] == "acts"
    assert figures["annotators"] == ["acts_a", "acts_b"]
    assert figures["rows"] == 9
    acts = figures["acts"]
    assert list(acts) == NAMES
    # question: a says r2 and r3, the engine r2 only: P 1, R 1/2, F1 2/3. b says r2: F1 1.
    q = acts["question"]
    assert (q["vs"]["acts_a"]["tp"], q["vs"]["acts_a"]["fn"], q["vs"]["acts_a"]["fp"]) == (1, 1, 0)
    assert q["vs"]["acts_a"]["f1"] == pytest.approx(0.6667)
    assert q["vs"]["acts_b"]["f1"] == 1.0
    assert q["predicted"] == 1
    # a against b on question: both r2, only a r3, 7 rows neither. Agreement 8/9; by
    # chance (2/9)(1/9) + (7/9)(8/9) = 58/81; kappa (72 - 58) / (81 - 58) = 14/23.
    assert q["annotators"] == {"f1": 0.6667, "kappa": 0.6087, "both": 1, "either": 2}
    assert q["passed"] == {"acts_a": False, "acts_b": True}
    # reflect_content: a says r7 and the engine too; b never: F1 1 vs a, 0 vs b, and the
    # annotators' F1 0 and kappa 0 (agreement 8/9 is exactly what chance gives).
    rc = acts["reflect_content"]
    assert (rc["vs"]["acts_a"]["f1"], rc["vs"]["acts_b"]["f1"]) == (1.0, 0.0)
    assert rc["annotators"]["f1"] == 0.0
    assert rc["annotators"]["kappa"] == 0.0
    # minimise: b says r6 and r8, the engine r6: P 1, R 1/2 vs b; a and b: F1 2/3, 14/23.
    mn = acts["minimise"]
    assert mn["vs"]["acts_b"]["recall"] == 0.5
    assert mn["vs"]["acts_b"]["f1"] == pytest.approx(0.6667)
    assert mn["annotators"]["kappa"] == pytest.approx(0.6087)
    for act in ("fixing", "reflect_feeling", "validate", "dismiss", "self_focus", "none"):
        assert acts[act]["vs"]["acts_a"]["f1"] == 1.0, act
        assert acts[act]["vs"]["acts_b"]["f1"] == 1.0, act
        assert acts[act]["annotators"]["kappa"] == 1.0, act
    # Means over the nine acts: a (8 + 2/3) / 9 = 26/27, b (7 + 2/3) / 9 = 23/27,
    # the annotators (7 - 1 + 4/3) / 9 = 22/27.
    assert figures["mean_f1"]["acts_a"] == pytest.approx(26 / 27, abs=1e-4)
    assert figures["mean_f1"]["acts_b"] == pytest.approx(23 / 27, abs=1e-4)
    assert figures["mean_f1"]["annotators"] == pytest.approx(22 / 27, abs=1e-4)
    assert figures["mean_passed"] == {"acts_a": True, "acts_b": True}


def test_bars_count_each_act_against_each_annotator_and_fail_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = write(tmp_path, two_lines())
    assert run_eval(data) == 1
    out = capsys.readouterr().out
    # 9 acts x 2 annotators + 2 means; missed: question vs a, reflect_content and
    # minimise vs b.
    assert "per act, all 9 rows: 17 of 20 bars met (each F1 ≥ 0.8, mean ≥ 0.85)" in out
    run_eval(data, "--json")
    assert json.loads(capsys.readouterr().out)["bars"] == {"met": 17, "missed": 3}


def test_the_last_fourteen_lines_are_the_per_act_table_over_all_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_eval(write(tmp_path, two_lines()), "--errors", "2")
    tail = capsys.readouterr().out.rstrip("\n").split("\n")[-14:]
    assert tail[0].startswith("per act, all 9 rows:")
    assert tail[1].split() == [
        "act",
        "F1",
        "vs",
        "acts_a",
        "F1",
        "vs",
        "acts_b",
        "annotators",
        "F1",
        "κ",
        "bar",
    ]
    cells = {line.split()[0]: line.split()[1:] for line in tail[3:] if line.strip()}
    assert list(cells) == [*NAMES, "mean"]
    assert cells["question"] == ["0.67", "1.00", "0.67", "0.61", "MISSED", "vs", "acts_a"]
    assert cells["reflect_content"] == ["1.00", "0.00", "0.00", "0.00", "MISSED", "vs", "acts_b"]
    assert cells["fixing"] == ["1.00", "1.00", "1.00", "1.00", "met"]
    # The mean kappa: six acts at 1, question and minimise at 14/23, reflect_content 0:
    # (6 + 28/23) / 9 = 0.80.
    assert cells["mean"] == ["0.96", "0.85", "0.81", "0.80", "met"]


def test_halves_split_the_rows_by_id_and_each_is_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = write(tmp_path, two_lines())
    whole = figures_of(capsys, data)
    assert whole["half"] is None
    assert whole["halves"]["A"]["rows"] == len(HALF_A)
    assert whole["halves"]["B"]["rows"] == len(TWO) - len(HALF_A)
    # r3 (the missed question) is in half A, r2 (the found one) in half B.
    assert whole["halves"]["A"]["acts"]["question"]["vs"]["acts_a"]["f1"] == 0.0
    assert whole["halves"]["B"]["acts"]["question"]["vs"]["acts_a"]["f1"] == 1.0

    only_a = figures_of(capsys, data, "--half", "a")
    assert only_a["half"] == "A"
    assert "halves" not in only_a
    assert only_a["rows"] == len(HALF_A)
    assert only_a["acts"] == whole["halves"]["A"]["acts"]
    only_a = figures_of(capsys, data, "--half", "A", "--errors", "9")
    shown = {row["id"] for group in only_a["errors"] for row in group["rows"]}
    assert "r3" in shown
    assert shown <= HALF_A

    run_eval(data)
    out = capsys.readouterr().out
    at = [out.index(f"per act, half {h} ({n} rows") for h, n in (("A", 4), ("B", 5))]
    assert out.index("per act, all 9 rows") < at[0] < at[1] < out.rindex("per act, all 9 rows")


def test_json_keys_for_act_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    figures = figures_of(capsys, write(tmp_path, two_lines()), "--errors", "1")
    assert set(figures) == {
        "dataset",
        "kind",
        "file",
        "mapping",
        "half",
        "annotators",
        "rows",
        "skipped",
        "skipped_lines",
        "seconds",
        "acts",
        "mean_f1",
        "mean_bar",
        "mean_passed",
        "halves",
        "errors",
        "rules",
    }
    assert set(figures["acts"]["fixing"]) == {"predicted", "vs", "annotators", "bar", "passed"}
    assert set(figures["acts"]["fixing"]["vs"]["acts_a"]) >= {"precision", "recall", "f1"}
    assert set(figures["halves"]) == {"A", "B"}
    # The worst disagreements name the act, and carry the flags that fired.
    missed = next(g for g in figures["errors"] if g["act"] == "question" and g["kind"] == "missed")
    row = missed["rows"][0]
    assert row["id"] == "r3"
    assert row["acts_a"] == ["fixing", "question"]
    assert row["engine_acts"] == ["fixing"]
    assert [f["category"] for f in row["flags"]] == ["fixing"]
    # The rules behind fixing fired on r1 and r3, both labelled fixing by both.
    rules = figures["rules"]["fixing"]
    assert sum(r["rows"] for r in rules) == 2
    assert all(r["labelled_so"] == {"acts_a": r["rows"], "acts_b": r["rows"]} for r in rules)
    assert figures["rules"]["none"] == []


def test_errors_in_text_show_the_rows_with_their_flags(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_eval(write(tmp_path, two_lines()), "--errors", "3")
    out = capsys.readouterr().out
    missed = out[out.index("question: missed") : out.index("question: false alarms")]
    assert "r3  acts_a fixing, question  acts_b fixing  engine fixing" in missed
    assert "Have you tried talking to HR" in missed
    assert "flags: fixing 'Have you tried" in missed
    alarms = out[out.index("reflect_content: false alarms") :]
    assert "r7" in alarms.split("validate: missed")[0]


# --------------------------------------------------------------------------- one annotator


def one_lines() -> list[str]:
    # One annotator, with verdicts: fixing and minimising as the engine calls them; the
    # "don't worry" labelled attuned (the engine says dismissing); "Ok." labelled missed,
    # as the engine calls it, and "I had a boss like that once." labelled with a verdict the
    # engine never gives.
    chosen = {
        "r1": "fixing",
        "r6": "minimising",
        "r8": "attuned",
        "r5": "missed",
        "r4": "supportive",
    }
    return [
        json.dumps({"id": i, "prompt": PROMPT, "response": r, "acts": a, "verdict": chosen[i]})
        for i, r, a, _ in TWO
        if i in chosen
    ]


def test_one_annotator_shows_no_agreement_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = write(tmp_path, one_lines())
    figures = figures_of(capsys, data)
    assert figures["annotators"] == ["acts"]
    assert "annotators" not in figures["acts"]["fixing"]
    assert figures["acts"]["fixing"]["vs"]["acts"]["f1"] == 1.0
    # validate: nobody labelled it and the engine never found it: F1 0, not perfect.
    assert figures["acts"]["validate"]["vs"]["acts"]["f1"] == 0.0
    run_eval(data)
    out = capsys.readouterr().out
    assert "one annotator (acts): no annotator agreement to show" in out
    tail = out.rstrip("\n").split("\n")[-14:]
    assert tail[0].startswith("per act, all 5 rows:")
    assert tail[1].split() == ["act", "F1", "vs", "acts", "bar"]


def test_verdict_agreement_when_rows_carry_a_verdict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = write(tmp_path, one_lines())
    verdicts = figures_of(capsys, data)["verdicts"]
    assert (verdicts["rows"], verdicts["agreed"], verdicts["share"]) == (5, 3, 0.6)
    confusion = verdicts["confusion"]
    assert confusion["fixing"]["fixing"] == 1
    assert confusion["minimising"]["minimising"] == 1
    assert confusion["missed"]["missed"] == 1
    assert confusion["attuned"]["dismissing"] == 1
    assert sum(confusion["supportive"].values()) == 1
    run_eval(data)
    out = capsys.readouterr().out
    assert "verdict: the engine's equals the row's for 0.60 (3 of 5 rows that carry one)" in out
    assert "labelled with verdicts the engine never gives: supportive (1)" in out
    # Rows without a verdict: no verdict figures at all.
    assert "verdicts" not in figures_of(capsys, write(tmp_path, two_lines()))


# --------------------------------------------------------------------------- the data


DEV = DATA / "acts_dev.jsonl"
FRESH = REPO / "eval" / "heldout" / "acts_fresh.jsonl"
TUNE = REPO / "eval" / "tuning" / "acts_tune.jsonl"
# The verdict the learner sees, on the replies written to tune it: the share the engine
# calls as their writers did may not fall (docs/quality.md has today's, a little above).
TUNE_VERDICT_FLOOR = 0.65


@pytest.fixture(scope="module")
def dev_acts(scorer) -> ActsReport:
    if not DEV.exists():
        pytest.skip(f"the outside dev data is not here ({DEV}); CI has it")
    mapping = load_mapping(ACTS)
    assert mapping.acts is not None
    rows, skipped = read_act_rows(DEV, mapping.acts.names, mapping.acts.none)
    return evaluate_act_rows(DEV, rows, skipped, mapping, ACTS, scorer)


@pytest.mark.slow
def test_the_dev_acts_read_cleanly_and_split_in_two(dev_acts: ActsReport) -> None:
    assert not dev_acts.skipped
    assert dev_acts.annotators == ("acts_a", "acts_b")
    assert dev_acts.figures is not None
    assert dev_acts.figures.rows == 600
    halves = dev_acts.halves
    assert halves["A"].rows + halves["B"].rows == 600
    assert min(halves["A"].rows, halves["B"].rows) > 250  # an even split, give or take


@pytest.mark.slow
def test_the_dev_annotators_agree_as_the_data_says(dev_acts: ActsReport) -> None:
    # The data's README: kappa 0.85-0.98 per act, F1 0.86-0.98. The ceiling to reach.
    figures = dev_acts.figures
    assert figures is not None
    for act in NAMES:
        assert 0.85 <= figures.annotators_f1(act) <= 0.99, act
        assert 0.84 <= figures.kappa(act) <= 0.99, act


# Issue 13's targets, far from met today. Strict: when rule work clears one, this turns
# red, so that its mark is dropped and the bar is held from then on.
NOT_YET_MET = {name for name in NAMES if name != "question"} | {"mean"}
# Until then the ground gained is held: the mean F1 against each annotator may not fall,
# over all rows nor over half B, on which nothing was chosen (docs/quality.md has
# today's figures, a little above these).
MEAN_FLOOR = 0.72
HALF_B_FLOOR = 0.65


@pytest.mark.slow
@pytest.mark.parametrize(
    "act",
    [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, reason="bar not met yet"))
        if name in NOT_YET_MET
        else name
        for name in [*NAMES, "mean"]
    ],
)
def test_issue_13_act_bar(dev_acts: ActsReport, act: str) -> None:
    lines = {line.name: line for line in dev_acts.bars()}
    for who in ("acts_a", "acts_b"):
        line = lines[f"{act} vs {who}"]
        assert line.passed, f"{act} vs {who}: {line.figure} {line.value:.3f}, bar {line.bar}"


@pytest.mark.slow
def test_the_act_figures_hold_their_ground(dev_acts: ActsReport) -> None:
    figures = dev_acts.figures
    assert figures is not None
    half_b = dev_acts.halves["B"]
    for who in ("acts_a", "acts_b"):
        assert figures.mean_f1(who) >= MEAN_FLOOR, (who, figures.mean_f1(who))
        assert half_b.mean_f1(who) >= HALF_B_FLOOR, (who, half_b.mean_f1(who))


@pytest.mark.slow
def test_the_fresh_held_out_set_is_read_through_the_same_mapping(
    capsys: pytest.CaptureFixture[str],
) -> None:
    figures = figures_of(capsys, FRESH)
    assert Path(figures["mapping"]).name == "acts.yaml"
    assert figures["skipped"] == 0
    assert figures["rows"] == 260
    assert figures["annotators"] == ["acts"]
    assert figures["verdicts"]["rows"] == 260
    assert (REPO / "eval" / "heldout" / "README.md").exists()


@pytest.mark.slow
def test_the_verdict_holds_its_ground_on_the_tuning_replies(
    capsys: pytest.CaptureFixture[str],
) -> None:
    figures = figures_of(capsys, TUNE)
    assert figures["skipped"] == 0
    assert figures["verdicts"]["rows"] == 503
    assert figures["verdicts"]["share"] >= TUNE_VERDICT_FLOOR, figures["verdicts"]["share"]
