"""The history store: what a learner keeps, what survives a crash, what delete removes."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from history_fixtures import NOW, flag, make_feedback
from listen_trainer.content.models import Category, Verdict
from listen_trainer.store import DEFAULT_PROFILE, History, HistoryError
from listen_trainer.store import history as history_module
from listen_trainer.store.migrations import SCHEMA_VERSION

TESTS = Path(__file__).resolve().parent


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # Never the user's real history, even if a test forgets to pass a path.
    data = tmp_path / "data"
    monkeypatch.setenv("LISTEN_TRAINER_DATA_DIR", str(data))
    return data


def record(
    history: History,
    reply: str,
    *,
    profile: str = DEFAULT_PROFILE,
    at: datetime | None = None,
    scenario_id: str | None = "partner-late-dinner",
    **feedback: object,
) -> int:
    return history.record(
        profile=profile,
        reply=reply,
        feedback=make_feedback(**feedback),  # type: ignore[arg-type]
        scenario_id=scenario_id,
        statement="You were late again and didn't even call.",
        rubric_version="rubric-abc",
        at=at,
    )


def file_bytes(path: Path) -> bytes:
    """The database and its side files, as anyone reading the disk would see them."""
    return b"".join(
        Path(f"{path}{suffix}").read_bytes()
        for suffix in ("", "-wal", "-shm", "-journal")
        if Path(f"{path}{suffix}").exists()
    )


# --------------------------------------------------------------------------- round trip


def test_default_path_is_the_data_dir(_data_dir: Path) -> None:
    with History.open() as history:
        assert history.path == _data_dir / "history.sqlite3"
    assert (_data_dir / "history.sqlite3").is_file()


def test_attempts_come_back_as_recorded_oldest_first(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    reply = "It sounds like you felt forgotten when I didn't call."
    feedback = make_feedback(
        score=82,
        verdict=Verdict.ATTUNED,
        skills={"reflect_feeling": 0.9},
        flags=[flag(Category.REFLECTING_FEELING, reply, "felt forgotten")],
        named_underlying=["lonely"],
        safety=None,
    )
    with History.open(path) as history:
        later = record(history, "Sorry.", at=NOW, verdict=Verdict.PLACATING, score=20)
        first = history.record(
            profile="default",
            reply=reply,
            feedback=feedback,
            scenario_id=None,
            statement="You never call me.",
            rubric_version="rubric-abc",
            at=NOW - timedelta(days=2),
        )
    with History.open(path) as history:
        attempts = history.attempts()
    assert [a.id for a in attempts] == [first, later]
    kept = attempts[0]
    assert kept.feedback == feedback
    assert kept.reply == reply
    assert kept.scenario_id is None
    assert kept.statement == "You never call me."
    assert kept.time == NOW - timedelta(days=2)
    assert kept.time.tzinfo is not None and kept.time.utcoffset() == timedelta(0)
    assert (kept.engine_version, kept.rubric_version) == ("test-1", "rubric-abc")
    assert attempts[1].scenario_id == "partner-late-dinner"


def test_record_defaults_to_now(tmp_path: Path) -> None:
    before = datetime.now(UTC)
    with History.open(tmp_path / "h.sqlite3") as history:
        record(history, "I'm here.")
        (attempt,) = history.attempts()
    assert before <= attempt.time <= datetime.now(UTC)


def test_profiles_and_filters(tmp_path: Path) -> None:
    with History.open(tmp_path / "h.sqlite3") as history:
        record(history, "a1", profile="alice", at=NOW - timedelta(days=10))
        record(history, "b1", profile="bob", at=NOW - timedelta(days=3))
        record(history, "a2", profile="alice", at=NOW - timedelta(days=1))
        assert history.profiles() == ["alice", "bob"]
        assert [a.reply for a in history.attempts(profile="alice")] == ["a1", "a2"]
        assert [a.reply for a in history.attempts(since=NOW - timedelta(days=5))] == ["b1", "a2"]
        assert [
            a.reply for a in history.attempts(profile="alice", since=NOW - timedelta(days=5))
        ] == ["a2"]
        # A naive `since` is local time: the same instant gives the same answer.
        naive_local = (NOW - timedelta(days=5)).astimezone().replace(tzinfo=None)
        assert [a.reply for a in history.attempts(since=naive_local)] == ["b1", "a2"]
        assert history.count(profile="alice") == 2
        assert history.count() == 3


def test_a_bad_profile_name_is_refused_with_a_reason(tmp_path: Path) -> None:
    with History.open(tmp_path / "h.sqlite3") as history:
        with pytest.raises(ValueError, match="empty"):
            record(history, "hi", profile="  ")
        assert history.count() == 0


def test_record_from_a_worker_thread(tmp_path: Path) -> None:
    # The TUI writes from a Textual worker thread, having opened the history on its own.
    with History.open(tmp_path / "h.sqlite3") as history:
        errors: list[BaseException] = []

        def work() -> None:
            try:
                record(history, "from a thread")
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        thread = threading.Thread(target=work)
        thread.start()
        thread.join()
        assert errors == []
        assert [a.reply for a in history.attempts()] == ["from a thread"]


def test_a_closed_history_says_so(tmp_path: Path) -> None:
    history = History.open(tmp_path / "h.sqlite3")
    history.close()
    history.close()  # twice is harmless
    with pytest.raises(HistoryError, match="closed"):
        history.attempts()


def test_a_row_that_no_longer_validates_is_skipped_not_lost(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    with History.open(path) as history:
        record(history, "good one")
        bad = record(history, "bad one")
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE attempts SET feedback = '{\"score\": 500}' WHERE id = ?", (bad,))
    conn.close()
    with History.open(path) as history:
        assert [a.reply for a in history.attempts()] == ["good one"]
        assert history.skipped == [bad]
        assert history.count() == 2


# --------------------------------------------------------------------------- privacy


def test_folder_and_files_are_private_even_with_an_open_umask(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "listen-trainer"
    old = os.umask(0)
    try:
        with History.open(folder / "history.sqlite3") as history:
            record(history, "private words")
            mode = stat.S_IMODE(folder.stat().st_mode)
            assert mode == 0o700, oct(mode)
            for name in ("history.sqlite3", "history.sqlite3-wal", "history.sqlite3-shm"):
                file_mode = stat.S_IMODE((folder / name).stat().st_mode)
                assert file_mode == 0o600, (name, oct(file_mode))
    finally:
        os.umask(old)


def test_an_existing_open_folder_and_file_are_closed_to_others(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    path = folder / "history.sqlite3"
    History.open(path).close()
    path.chmod(0o644)
    with History.open(path):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_delete_one_profile_leaves_no_trace_of_its_replies(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    with History.open(path) as history:
        for i in range(30):
            record(history, f"alice-secret-{i:03d} my mother said it", profile="alice")
            record(history, f"bob-keeps-{i:03d}", profile="bob")
        assert b"alice-secret-007" in file_bytes(path)  # the check below can fail
        assert history.delete(profile="alice") == 30
        assert history.profiles() == ["bob"]
        assert b"alice-secret" not in file_bytes(path)
        assert b"bob-keeps-007" in file_bytes(path)
    assert b"alice-secret" not in file_bytes(path)


def test_delete_all(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    with History.open(path) as history:
        record(history, "first-secret", profile="alice")
        record(history, "second-secret", profile="bob")
        assert history.delete() == 2
        assert history.attempts() == []
        assert history.profiles() == []
        record(history, "after")  # still usable
    data = file_bytes(path)
    assert b"first-secret" not in data and b"second-secret" not in data


# --------------------------------------------------------------------------- schema

# Schema v1 exactly as released. Never edit it: it is what older histories hold.
SCHEMA_V1 = """
PRAGMA application_id = 1280529486;
CREATE TABLE attempts (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    time           TEXT NOT NULL,
    profile        TEXT NOT NULL,
    scenario_id    TEXT,
    statement      TEXT NOT NULL,
    reply          TEXT NOT NULL,
    feedback       TEXT NOT NULL,
    engine_version TEXT NOT NULL,
    rubric_version TEXT NOT NULL
);
CREATE INDEX attempts_by_profile_time ON attempts (profile, time);
PRAGMA user_version = 1;
"""


def test_a_v1_history_opens_with_its_attempts(tmp_path: Path) -> None:
    path = tmp_path / "v1.sqlite3"
    feedback = make_feedback(score=71, verdict=Verdict.ATTUNED)
    conn = sqlite3.connect(path)
    conn.executescript(SCHEMA_V1)
    conn.execute(
        "INSERT INTO attempts (time, profile, scenario_id, statement, reply, feedback, "
        "engine_version, rubric_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            "2024-11-02T08:30:00.000000Z",
            "sam",
            "friend-moving",
            "I'm moving away.",
            "That's a big change.",
            feedback.model_dump_json(),
            "0.1.0",
            "r1",
        ),
    )
    conn.commit()
    conn.close()
    with History.open(path) as history:
        assert history.moved_aside is None
        (attempt,) = history.attempts(profile="sam")
        assert attempt.feedback == feedback
        assert attempt.time == datetime(2024, 11, 2, 8, 30, tzinfo=UTC)
        record(history, "new one", profile="sam")
        assert history.count(profile="sam") == 2
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()


def test_an_empty_sqlite_file_becomes_a_history(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite3"
    sqlite3.connect(path).close()
    with History.open(path) as history:
        assert history.moved_aside is None
        record(history, "hello")
        assert history.count() == 1


def test_a_newer_history_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    with History.open(path) as history:
        record(history, "from the future")
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(HistoryError, match="newer listen-trainer"):
        History.open(path)
    assert path.read_bytes() == before
    assert list(tmp_path.glob("*unreadable*")) == []


# --------------------------------------------------------------------------- damage


def test_a_corrupt_file_is_moved_aside_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    garbage = b"this is not a database, but it may be all someone has" * 100
    path.write_bytes(garbage)
    with History.open(path) as history:
        assert history.moved_aside is not None
        assert history.moved_aside.parent == tmp_path
        assert "unreadable-" in history.moved_aside.name
        assert history.moved_aside.read_bytes() == garbage
        assert history.attempts() == []
        record(history, "fresh start")
        assert history.count() == 1
        assert history.moved_aside_files() == [history.moved_aside]

    # A second bad file in the same second gets its own name.
    History.open(path).close()
    path.write_bytes(b"broken again" * 100)
    with History.open(path) as history:
        assert history.moved_aside is not None
        assert history.moved_aside.read_bytes() == b"broken again" * 100
        assert len(history.moved_aside_files()) == 2
    assert sum(1 for p in tmp_path.iterdir() if p.read_bytes() == garbage) == 1


def test_a_damaged_database_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    with History.open(path) as history:
        for i in range(200):
            record(history, f"reply {i} " + "x" * 200)
    data = bytearray(path.read_bytes())
    # Scribble over the middle of the file: the header still says SQLite, the pages lie.
    middle = len(data) // 2
    data[middle : middle + 4096] = b"\xff" * 4096
    path.write_bytes(bytes(data))
    with History.open(path) as history:
        assert history.moved_aside is not None
        assert history.moved_aside.read_bytes() == bytes(data)
        assert history.count() == 0


def test_another_apps_database_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    with History.open(path) as history:
        assert history.moved_aside is not None
        moved = sqlite3.connect(history.moved_aside)
        assert moved.execute("SELECT name FROM sqlite_master").fetchall() == [("recipes",)]
        moved.close()


def test_a_busy_history_is_reported_not_moved_aside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "history.sqlite3"
    History.open(path).close()
    monkeypatch.setattr(history_module, "BUSY_TIMEOUT_SECONDS", 0.1)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another listen-trainer is writing
    try:
        with pytest.raises(HistoryError, match="busy"):
            History.open(path)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert list(tmp_path.glob("*unreadable*")) == []


def test_a_failure_inside_a_write_keeps_everything_before_it(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    with History.open(path) as history:
        record(history, "kept 1")
        record(history, "kept 2")
        # Inject a failure in the middle of the INSERT's own transaction.
        with sqlite3.connect(path) as conn:
            conn.execute(
                "CREATE TRIGGER boom BEFORE INSERT ON attempts WHEN NEW.reply = 'boom' "
                "BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"
            )
        conn.close()
        with pytest.raises(sqlite3.DatabaseError, match="disk on fire"):
            record(history, "boom")
        record(history, "kept 3")  # no transaction was left open
        assert [a.reply for a in history.attempts()] == ["kept 1", "kept 2", "kept 3"]


CRASHER = """
import contextlib, sys, time
from pathlib import Path
sys.path.insert(0, {tests!r})
from history_fixtures import make_feedback
from listen_trainer.store.history import History

history = History.open(Path(sys.argv[1]))
for i in range(3):
    history.record(profile="default", reply=f"kept reply {{i}}", feedback=make_feedback(),
                   scenario_id=None, statement="s", rubric_version="r")

original = History._transaction

@contextlib.contextmanager
def stalled(self):
    with original(self) as conn:
        yield conn
        # The INSERT has run; the COMMIT has not.
        print("inserted", flush=True)
        time.sleep(60)

History._transaction = stalled
history.record(profile="default", reply="lost reply", feedback=make_feedback(),
               scenario_id=None, statement="s", rubric_version="r")
"""


def test_a_process_killed_mid_write_loses_only_that_attempt(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    env = {**os.environ, "LISTEN_TRAINER_DATA_DIR": str(tmp_path)}
    proc = subprocess.Popen(
        [sys.executable, "-c", CRASHER.format(tests=str(TESTS)), str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.strip() == "inserted", proc.stderr.read() if proc.stderr else ""
    finally:
        proc.kill()  # SIGKILL: no cleanup, no rollback, as in a crash
        proc.wait(timeout=10)
    with History.open(path) as history:
        assert history.moved_aside is None
        assert [a.reply for a in history.attempts()] == [f"kept reply {i}" for i in range(3)]
        record(history, "after the crash")
        assert history.count() == 4
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
