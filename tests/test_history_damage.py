"""A damaged history: bad rows are skipped and counted, never quoted; a file that cannot be
read is moved aside exactly as it was found; a delete says when its scrub must wait."""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from history_fixtures import make_feedback
from listen_trainer import cli
from listen_trainer.cli import history as history_cli
from listen_trainer.store import History
from listen_trainer.store import history as store

SECRET = "my-private-words"
NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _registered(monkeypatch: pytest.MonkeyPatch) -> None:
    if history_cli not in cli.COMMANDS:
        monkeypatch.setattr(cli, "COMMANDS", (*cli.COMMANDS, history_cli))


@pytest.fixture()
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "data"
    monkeypatch.setenv("LISTEN_TRAINER_DATA_DIR", str(data))
    monkeypatch.chdir(tmp_path)
    return data


def fill(path: Path, n: int, tag: str = SECRET) -> None:
    with History.open(path) as history:
        for i in range(n):
            history.record(
                profile="default",
                reply=f"{tag} {i:04d} you should rest",
                feedback=make_feedback(score=40 + i % 50),
                scenario_id=None,
                statement="I have been so tired lately.",
                rubric_version="r1",
                at=NOW + timedelta(minutes=i),
            )


def spoil_reply(path: Path, attempt_id: int) -> None:
    """Append a byte that is never UTF-8 to one stored reply, as a damaged disk might."""
    with sqlite3.connect(path) as conn:
        conn.execute(
            "UPDATE attempts SET reply = CAST(CAST(reply AS BLOB) || X'FF' AS TEXT) WHERE id = ?",
            (attempt_id,),
        )
    conn.close()


def run(*argv: str) -> int:
    return cli.main(["history", *argv])


@pytest.mark.parametrize("verb", ["list", "stats", "export"])
def test_a_reply_that_is_not_utf8_is_skipped_counted_and_never_quoted(
    data_dir: Path, capsys: pytest.CaptureFixture[str], verb: str
) -> None:
    path = data_dir / "history.sqlite3"
    fill(path, 5)
    spoil_reply(path, 3)
    before = path.read_bytes()
    extra = ["--format", "json", "--output", "out.json"] if verb == "export" else []
    assert run(verb, *extra) == 0
    captured = capsys.readouterr()
    assert SECRET not in captured.out + captured.err
    assert "1 attempt(s) could not be read" in captured.err
    assert "ids 3" in captured.err
    if verb == "list":
        assert "4 attempt(s)" in captured.out
    if verb == "export":
        exported = Path("out.json").read_text(encoding="utf-8")
        assert exported.count(SECRET) == 4
    # The row stays where it was, and the file is not moved aside.
    assert path.read_bytes() == before
    assert not list(data_dir.glob("*.unreadable-*"))


def test_random_damage_never_ends_in_a_traceback_or_prints_a_reply(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = data_dir / "history.sqlite3"
    fill(path, 300)
    good = path.read_bytes()
    rng = random.Random(18)
    answered = 0
    for _trial in range(40):
        for side in data_dir.glob("history.sqlite3*"):
            side.unlink()
        for aside in data_dir.glob("*.unreadable-*"):
            aside.unlink()
        damaged = bytearray(good)
        at = rng.randrange(len(good) // 4, 3 * len(good) // 4)
        damaged[at : at + 64] = rng.randbytes(64)
        path.write_bytes(bytes(damaged))
        for verb in ("list", "stats"):
            code = run(verb)  # a traceback would fail the test here
            captured = capsys.readouterr()
            assert SECRET not in captured.out + captured.err
            answered += code == 0
    assert answered > 0  # most trials still show the undamaged rows


def test_a_foreign_write_ahead_log_does_not_change_the_copy_moved_aside(tmp_path: Path) -> None:
    mine = tmp_path / "mine" / "history.sqlite3"
    other = tmp_path / "other" / "history.sqlite3"
    fill(mine, 500)
    original = mine.read_bytes()
    # Another history, its write-ahead log left behind as a crash leaves it.
    fill(other, 1, tag="other")
    keeper = sqlite3.connect(other)
    keeper.execute("PRAGMA wal_autocheckpoint = 0")
    for i in range(300):
        keeper.execute(
            "INSERT INTO attempts SELECT NULL, time, profile, scenario_id, "
            "'x' || ?, reply, feedback, engine_version, rubric_version "
            "FROM attempts LIMIT 1",
            (i,),
        )
    keeper.commit()
    foreign_wal = Path(f"{other}-wal").read_bytes()
    keeper.close()
    assert len(foreign_wal) > 0
    Path(f"{mine}-wal").write_bytes(foreign_wal)

    with History.open(mine) as history:
        moved = history.moved_aside
        assert history.count() == 0  # a fresh history, not the other one's attempts
    assert moved is not None
    assert moved.read_bytes() == original
    assert Path(f"{moved}-wal").read_bytes() == foreign_wal
    # The copy alone still holds every reply.
    copy = tmp_path / "copy.sqlite3"
    copy.write_bytes(moved.read_bytes())
    with sqlite3.connect(copy) as conn:
        replies = conn.execute(f"SELECT count(*) FROM attempts WHERE reply LIKE '{SECRET}%'")
        assert replies.fetchone()[0] == 500
    conn.close()


def test_delete_says_so_when_a_reader_keeps_the_replies_in_the_file(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(store, "BUSY_TIMEOUT_SECONDS", 0.2)
    path = data_dir / "history.sqlite3"
    fill(path, 20)
    reader = sqlite3.connect(path, isolation_level=None)
    reader.execute("BEGIN")
    assert reader.execute("SELECT count(*) FROM attempts").fetchone()[0] == 20
    try:
        assert run("delete", "--all", "--yes") == 0
        out = capsys.readouterr().out
        assert "another listen-trainer is reading it" in out
        assert SECRET.encode() in path.read_bytes()  # what the message warns of
    finally:
        reader.execute("COMMIT")
        reader.close()
    # Once the last one has closed, the replies are gone from the file.
    assert SECRET.encode() not in path.read_bytes()
    with History.open() as history:
        assert history.count() == 0


def test_export_force_replaces_only_a_regular_file(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import os

    fill(data_dir / "history.sqlite3", 2)
    pipe = tmp_path / "a-pipe"
    os.mkfifo(pipe)
    link = tmp_path / "a-link"
    link.symlink_to(tmp_path / "elsewhere.json")
    for target in (pipe, link):
        assert run("export", "--format", "json", "--output", str(target), "--force") == 1
        assert "is not a regular file" in capsys.readouterr().err
    assert pipe.is_fifo() and link.is_symlink()
    plain = tmp_path / "old.json"
    plain.write_text("old")
    assert run("export", "--format", "json", "--output", str(plain), "--force") == 0
    assert SECRET in plain.read_text(encoding="utf-8")
