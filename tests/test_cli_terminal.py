"""What the commands write: strict JSON Lines, no control characters from packs or replies,
any output encoding, and a quiet end on SIGTERM."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console

import listen_trainer.content.library as content_library
import listen_trainer.scoring
from listen_trainer import cli
from listen_trainer.cli.render import render_feedback
from listen_trainer.cli.terminal import safe_text
from listen_trainer.content.library import Library, Rubric
from listen_trainer.content.models import Pack, Scenario
from listen_trainer.scoring import Scorer

STATEMENT = "I felt so sad all day."
# An escape sequence that would clear the screen, one that would retitle the window, a
# carriage return that would overwrite the line, and a right-to-left override.
HOSTILE = "\x1b[2J\x1b]0;pwned\x07\rsad\u202e"
CONTROLS = ("\x1b", "\x07", "\r", "\u202e")


@pytest.fixture(scope="module")
def shared_scorer() -> Scorer:
    return Scorer()


@pytest.fixture(autouse=True)
def _isolated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shared_scorer: Scorer
) -> Iterator[None]:
    monkeypatch.setenv("LISTEN_TRAINER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(listen_trainer.scoring, "Scorer", lambda rubric=None: shared_scorer)
    yield


def run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], stdin: bytes, *argv: str
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def child_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "LISTEN_TRAINER_DATA_DIR": str(tmp_path / "data"), **extra}


# --------------------------------------------------------------------------- JSON Lines


@pytest.mark.parametrize("ident", ["1e400", "-1e400", "[1, 1e400]", '{"a": 1e999}'])
def test_an_id_too_large_for_json_is_a_bad_line_and_every_line_is_strict(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], ident: str
) -> None:
    lines = [
        f'{{"id": {ident}, "statement": "{STATEMENT}", "reply": "Oh."}}',
        f'{{"id": 2, "statement": "{STATEMENT}", "reply": "That sounds so hard."}}',
    ]
    code, out, _ = run(monkeypatch, capsys, "\n".join(lines).encode(), "score", "--jsonl")

    def refuse(name: str) -> None:
        raise ValueError(f"{name} is not JSON")

    rows = [json.loads(line, parse_constant=refuse) for line in out.splitlines()]
    assert code == 1
    assert rows[0] == {"id": None, "error": "line 1: 'id' holds a number too large for JSON"}
    assert rows[1]["id"] == 2 and "score" in rows[1]


# --------------------------------------------------------------------------- controls


def test_safe_text_drops_controls_and_keeps_text() -> None:
    assert (
        safe_text(f"I feel{HOSTILE}.\tNext line\nhere") == "I feel[2J]0;pwnedsad.\tNext line\nhere"
    )


def test_a_reply_with_controls_is_shown_without_them(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    reply = f"It sounds like you feel {HOSTILE} today."
    code, out, _ = run(monkeypatch, capsys, b"", "score", "--statement", STATEMENT, reply)
    assert code == 0
    assert "It sounds like you feel" in out
    assert not any(c in out for c in CONTROLS), repr(out)


def hostile_scenario(rubric: Rubric) -> tuple[Pack, Scenario]:
    """A scenario whose words carry control characters. Built without validation: packs
    may refuse such words when loading, and printing must be safe whatever got in."""
    shipped = content_library.load_library(rubric).packs[0]
    scenario = shipped.scenarios[0].model_copy(
        update={"id": f"odd{HOSTILE}", "statement": f"I am {HOSTILE} today."}
    )
    pack = shipped.model_copy(update={"id": f"pack{HOSTILE}", "scenarios": [scenario]})
    return pack, scenario


def test_scenarios_list_prints_no_control_characters(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], rubric: Rubric
) -> None:
    pack, _ = hostile_scenario(rubric)
    monkeypatch.setattr(content_library, "load_library", lambda *a, **k: Library(packs=(pack,)))
    code, out, _ = run(monkeypatch, capsys, b"", "scenarios", "list")
    assert code == 0
    assert "I am [2J]0;pwnedsad today." in out
    assert not any(c in out for c in CONTROLS), repr(out)


def test_the_feedback_panel_prints_no_control_characters_from_a_scenario(
    rubric: Rubric, scorer: Scorer
) -> None:
    _, scenario = hostile_scenario(rubric)
    feedback = scorer.score("You should rest.", scenario=scenario)
    feedback = feedback.model_copy(
        update={"rewrite": f"Try {HOSTILE}.", "suggestions": [f"Say {HOSTILE}."]}
    )
    buffer = io.StringIO()
    console = Console(file=buffer, width=100, color_system=None)
    render_feedback("You should rest.", scenario.statement, feedback, rubric, console)
    out = buffer.getvalue()
    assert "They said: I am [2J]0;pwnedsad today." in out
    assert not any(c in out for c in CONTROLS), repr(out)


# --------------------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    "argv",
    [
        ["score", "--no-save", "--statement", "The café closed — for good.", "That\u2019s so sad."],
        ["scenarios", "list"],
    ],
    ids=["score", "scenarios list"],
)
def test_an_ascii_stdout_gets_question_marks_not_a_traceback(
    tmp_path: Path, argv: list[str]
) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "listen_trainer", *argv],
        capture_output=True,
        env=child_env(tmp_path, PYTHONIOENCODING="ascii"),
        timeout=120,
        check=False,
    )
    assert b"Traceback" not in done.stderr, done.stderr.decode(errors="replace")
    assert done.returncode == 0
    done.stdout.decode("ascii")  # nothing but ASCII reached the pipe
    if argv[0] == "score":
        assert b"caf? closed ? for good." in done.stdout


# --------------------------------------------------------------------------- SIGTERM


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGTERM") or os.name != "posix", reason="POSIX")
def test_sigterm_during_jsonl_ends_quietly_with_143(tmp_path: Path) -> None:
    line = json.dumps({"statement": STATEMENT, "reply": "You should rest, it sounds sad."})
    batch = tmp_path / "batch.jsonl"
    batch.write_text((line + "\n") * 30_000, encoding="utf-8")
    with batch.open("rb") as stdin:
        child = subprocess.Popen(
            [sys.executable, "-m", "listen_trainer", "score", "--jsonl"],
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=child_env(tmp_path),
        )
        try:
            assert child.stdout is not None
            assert child.stdout.readline()  # scoring is under way
            child.send_signal(signal.SIGTERM)
            # Waits for every holder of the pipes: workers left behind would keep it open.
            _, err = child.communicate(timeout=60)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
    assert err.decode(errors="replace") == ""
    assert child.returncode == 128 + signal.SIGTERM
