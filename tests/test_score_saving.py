"""`listen-trainer score` and the history: the feedback is never lost to a failed save, an
empty reply is refused and not kept, and a long reply is shown and kept only as far as it
was scored.

These call `cli.main` in this process with one shared Scorer (building one costs about half
a second).
"""

from __future__ import annotations

import io
import json
import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import listen_trainer.scoring
import listen_trainer.store.history as store_history
from listen_trainer import cli
from listen_trainer.scoring import Scorer
from listen_trainer.store import History

# Connections a test holds open while `score` runs; closed after it.
HELD: list[sqlite3.Connection] = []
STATEMENT = "I practised my speech for weeks and then forgot half of it on stage."
REPLY = "You should have used notes. It sounds like you felt embarrassed."


@pytest.fixture(scope="module")
def shared_scorer() -> Scorer:
    return Scorer()


@pytest.fixture(autouse=True)
def data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shared_scorer: Scorer
) -> Iterator[Path]:
    data = tmp_path / "data"
    monkeypatch.setenv("LISTEN_TRAINER_DATA_DIR", str(data))
    monkeypatch.setattr(listen_trainer.scoring, "Scorer", lambda rubric=None: shared_scorer)
    yield data
    while HELD:
        HELD.pop().close()


def score(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    *argv: str,
    stdin: bytes = b"",
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    code = cli.main(["score", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def saved_replies(data: Path) -> list[str]:
    if not (data / store_history.FILENAME).exists():
        return []
    with History.open() as history:
        return [a.reply for a in history.attempts()]


# --------------------------------------------------------------------------- empty


@pytest.mark.parametrize(
    ("reply", "stdin"), [("", b""), ("   \n\t", b""), ("-", b""), ("-", b" \n\n ")]
)
def test_an_empty_reply_is_refused_and_not_saved(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    data_dir: Path,
    reply: str,
    stdin: bytes,
) -> None:
    code, out, err = score(monkeypatch, capsys, "--statement", STATEMENT, reply, stdin=stdin)
    assert code == 1
    assert out == ""
    assert err.startswith("score: the reply is empty"), err
    assert saved_replies(data_dir) == []


# --------------------------------------------------------------------------- failed saves


def refused_profile(data: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    return ["--profile", "x" * 41]


def busy_history(data: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    # Another listen-trainer holds the write lock for longer than the store waits.
    History.open().close()
    monkeypatch.setattr(store_history, "BUSY_TIMEOUT_SECONDS", 0.1)
    holder = sqlite3.connect(data / store_history.FILENAME, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    HELD.append(holder)
    return []


def unwritable_folder(data: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    # The data folder cannot be made: a file stands where its parent should be.
    blocker = data.parent / "not-a-folder"
    blocker.write_text("a file", encoding="utf-8")
    monkeypatch.setenv("LISTEN_TRAINER_DATA_DIR", str(blocker / "data"))
    return []


def newer_schema(data: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    History.open().close()
    with sqlite3.connect(data / store_history.FILENAME) as conn:
        conn.execute("PRAGMA user_version = 999")
    return []


FAILURES: dict[str, Callable[[Path, pytest.MonkeyPatch], list[str]]] = {
    "a profile name the store refuses": refused_profile,
    "a history busy in another program": busy_history,
    "a data folder that cannot be made": unwritable_folder,
    "a history from a newer version": newer_schema,
}


@pytest.mark.parametrize("failure", list(FAILURES))
@pytest.mark.parametrize("display", ["--json", "text"])
def test_a_failed_save_still_prints_the_feedback_and_says_so_on_one_line(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    data_dir: Path,
    failure: str,
    display: str,
) -> None:
    extra = FAILURES[failure](data_dir, monkeypatch)
    shown = ["--json"] if display == "--json" else []
    code, out, err = score(monkeypatch, capsys, *shown, *extra, "--statement", STATEMENT, REPLY)

    assert code == 1
    if display == "--json":
        assert json.loads(out)["verdict"] == "fixing"
    else:
        assert "Your reply, made better:" in out
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("score: not saved to your history: "), err
    assert "Traceback" not in err


def test_a_saved_attempt_exits_0_with_nothing_on_stderr(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    code, out, err = score(monkeypatch, capsys, "--json", "--statement", STATEMENT, REPLY)
    assert (code, err) == (0, "")
    assert json.loads(out)["verdict"] == "fixing"
    assert saved_replies(data_dir) == [REPLY]


# --------------------------------------------------------------------------- long replies


def test_a_long_reply_is_shown_and_kept_only_as_far_as_it_was_scored(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    data_dir: Path,
    shared_scorer: Scorer,
) -> None:
    limit = shared_scorer.rubric.settings.max_reply_chars
    reply = "It sounds like you felt embarrassed. " * 20_000  # ~740,000 characters
    code, out, err = score(monkeypatch, capsys, "--statement", STATEMENT, "-", stdin=reply.encode())

    assert (code, err) == (0, "")
    assert "only the start of this long reply was scored" in out
    # The panel holds the scored part, not the whole paste.
    assert len(out) < 4 * limit, len(out)
    assert saved_replies(data_dir) == [reply[:limit]]
