"""The command line, end to end, as the installed program runs it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "listen_trainer", *args],
        input=stdin,
        capture_output=True,
        timeout=120,
    )
    return subprocess.CompletedProcess(
        done.args,
        done.returncode,
        done.stdout.decode("utf-8", "replace"),
        done.stderr.decode("utf-8", "replace"),
    )


def test_score_json_prints_exactly_the_feedback() -> None:
    done = run(
        "score",
        "--json",
        "--no-save",
        "--statement",
        "I felt so sad all day",
        "Ok. Sorry you feel that way.",
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["verdict"] == "placating"
    assert data["flags"][0]["text"] == "Sorry you feel that way"
    assert 0 <= data["score"] <= 100


def test_score_prints_a_readable_verdict_and_saves_the_attempt() -> None:
    done = run(
        "score",
        "--statement",
        "I felt so sad all day",
        "It's ok to be sad. I can see why today made you sad, and I'm here.",
    )
    assert done.returncode == 0, done.stderr
    assert "attuned" in done.stdout
    assert "Your reply, made better" in done.stdout
    listed = run("history", "list")
    assert "It's ok to be sad" in listed.stdout or "attuned" in listed.stdout


def test_score_against_a_shipped_scenario() -> None:
    listing = run("scenarios", "list", "--pack", "partners", "--difficulty", "3")
    assert listing.returncode == 0, listing.stderr
    first_id = listing.stdout.split()[0]
    shown = run("scenarios", "show", first_id)
    assert "teaching_note" in shown.stdout and "exemplars" in shown.stdout
    done = run("score", "--json", "--no-save", "--scenario", first_id, "You should just calm down.")
    data = json.loads(done.stdout)
    assert data["verdict"] in {"dismissing", "fixing"}
    assert data["model_reply"]


def test_unknown_scenario_is_a_clear_error() -> None:
    done = run("score", "--scenario", "no-such-thing", "hello")
    assert done.returncode == 1
    assert "no scenario with id 'no-such-thing'" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("score", "reply without a statement"),
        ("score", "--statement", "hi"),
        ("score", "--jsonl", "extra"),
    ],
)
def test_usage_errors_exit_2_with_a_sentence(args: tuple[str, ...]) -> None:
    done = run(*args)
    assert done.returncode == 2
    assert done.stderr.strip() and "Traceback" not in done.stderr


def test_jsonl_keeps_order_and_ids_and_reports_bad_lines() -> None:
    lines = [
        json.dumps(
            {
                "id": "a",
                "prompt": "I lost my job today.",
                "response": "You should update your CV tonight.",
            }
        ),
        "{not json",
        json.dumps(
            {
                "id": "c",
                "statement": "I lost my job today.",
                "reply": "That sounds so hard. I'm here.",
            }
        ),
        json.dumps({"id": "d", "statement": "x"}),
    ]
    done = run("score", "--jsonl", stdin=("\n".join(lines) + "\n").encode())
    assert done.returncode == 1
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", None, "c", "d"]
    assert out[0]["verdict"] == "fixing"
    assert "line 2: not valid JSON" in out[1]["error"]
    assert out[2]["verdict"] in {"attuned", "partly_attuned"}
    assert "reply" in out[3]["error"]


def test_check_passes_on_the_shipped_content() -> None:
    done = run("check")
    assert done.returncode == 0, done.stdout
    # Warnings (a phrase listed in two rules) may come first; the summary is last.
    last = done.stdout.splitlines()[-1]
    assert last.startswith("ok:")
    assert re.search(r", \d+ rule\(s\), [1-9]\d* rule example\(s\); speaker: ", last), last


def test_check_lists_each_problem_and_exits_1(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(
        "id: bad\ntitle: t\ndescription: d\nscenarios:\n  - id: bad-1\n    statement: hi\n",
        encoding="utf-8",
    )
    done = run("check", str(tmp_path))
    assert done.returncode == 1
    assert (
        f"{tmp_path / 'bad.yaml'}:5: scenarios[0].speaker: required field is missing" in done.stdout
    )
    assert "problem(s)" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_extra_packs_folder_adds_scenarios(tmp_path: Path) -> None:
    pack = REPO / "tests" / "tui" / "data"
    if not pack.exists():
        pytest.skip("the TUI test pack is not present")
    # Before the command or after it, the folder is read, and both folders when both given.
    for args in (
        ("--packs", str(pack), "scenarios", "list"),
        ("scenarios", "list", "--packs", str(pack)),
    ):
        done = run(*args)
        assert done.returncode == 0, done.stderr
        assert "tui-sad-day" in done.stdout, args
    other = tmp_path / "more"
    other.mkdir()
    (other / "more.yaml").write_text(
        (pack / "tui_test_pack.yaml").read_text(encoding="utf-8").replace("id: tui-", "id: more-"),
        encoding="utf-8",
    )
    done = run("--packs", str(pack), "scenarios", "list", "--packs", str(other))
    assert "tui-sad-day" in done.stdout
    assert "more-sad-day" in done.stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_check_refuses_a_pipe_or_a_device_by_name(tmp_path: Path) -> None:
    fifo = tmp_path / "packs.fifo"
    os.mkfifo(fifo)
    targets = [str(fifo)] + (["/dev/zero"] if Path("/dev/zero").exists() else [])
    done = run("check", *targets)
    assert done.returncode == 1
    for target in targets:
        assert f"{target}: (file): not a regular file or folder" in done.stdout, done.stdout
    assert "ok:" not in done.stdout


def test_check_of_an_empty_folder_is_a_problem_not_ok(tmp_path: Path) -> None:
    done = run("check", str(tmp_path))
    assert done.returncode == 1
    assert f"{tmp_path}: (file): no .yaml or .yml files in this folder" in done.stdout


def test_check_reports_a_pack_reusing_shipped_ids_at_its_file_and_line(tmp_path: Path) -> None:
    # A copy of a shipped pack under a new pack id: every scenario id is taken already.
    shipped = REPO / "scenarios" / "workshop.yaml"
    text = shipped.read_text(encoding="utf-8")
    assert "\nid: workshop\n" in text
    mine = tmp_path / "mine.yaml"
    mine.write_text(text.replace("\nid: workshop\n", "\nid: my-workshop\n"), encoding="utf-8")
    first_id = next(
        number
        for number, line in enumerate(text.splitlines(), 1)
        if line.lstrip().startswith("- id:")
    )

    done = run("check", str(tmp_path))
    assert done.returncode == 1
    first = done.stdout.splitlines()[0]
    assert first.startswith(f"{mine}:{first_id}: scenarios[0].id: scenario id "), done.stdout
    assert f"is already used in {shipped}" in done.stdout
    # The shipped pack itself is not reported: only the file asked about.
    assert not any(line.startswith(str(shipped)) for line in done.stdout.splitlines())


def test_a_broken_rubric_is_reported_at_its_file_and_line_not_as_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from listen_trainer import cli
    from listen_trainer.content import library
    from listen_trainer.content.errors import ContentError
    from listen_trainer.content.yaml_source import Problem

    problem = Problem("rubrics/roadblocks.yaml", 611, "rules[7].patterns[1][1]", "LOWER takes text")

    def broken(*_args: object, **_kwargs: object) -> None:
        raise ContentError([problem])

    monkeypatch.setattr(library, "load_rubric", broken)
    code = cli.main(["score", "--no-save", "--statement", "I felt sad.", "That sounds hard."])
    err = capsys.readouterr().err
    assert code == 1
    assert "score: the trainer's content files are broken" in err
    assert "rubrics/roadblocks.yaml:611" in err
    assert "Traceback" not in err
