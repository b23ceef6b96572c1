"""The learner's history: every scored attempt, kept in SQLite on the user's own machine.

Promises, in the order they matter to a learner:
- nothing earlier is lost: each attempt is one transaction in WAL mode with
  `synchronous=FULL`, so a crash or a killed process loses at most the attempt being
  written;
- a history that cannot be read is never overwritten: it is checked read-only, then
  moved aside as it was found, with a timestamp (`moved_aside` says where), and a fresh
  one starts; a row that cannot be read is skipped and counted (`skipped`), never
  quoted, and left in the file;
- the replies stay private: the folder is 0700, the file and SQLite's side files 0600,
  and `delete` leaves no trace of a deleted reply in the file's bytes, or says it could
  not yet (`scrubbed`).

One `History` may be shared by the UI thread and worker threads: every use of the
connection holds a lock.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from pydantic import ValidationError

from listen_trainer import paths
from listen_trainer.content.speaker_kinds import Side
from listen_trainer.scoring.feedback import Feedback
from listen_trainer.store.migrations import ForeignFileError, NewerSchemaError, migrate

FILENAME = "history.sqlite3"
DEFAULT_PROFILE = "default"
MAX_PROFILE_LENGTH = 40
# Another listen-trainer (the TUI while `history export` runs) may hold the write lock for
# a moment; wait this long before saying the history is busy.
BUSY_TIMEOUT_SECONDS = 5.0
# SQLite's side files: the write-ahead log and its index. They hold recent pages, so they
# share the database's fate when it is moved aside or scrubbed.
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")
# Only these primary result codes say the bytes themselves are bad. Anything else (busy,
# locked, read-only, disk full) is a passing condition, and moving the file aside for it
# would hide a good history from its owner.
_CORRUPT_CODES = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})
_BUSY_CODES = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})


class HistoryError(Exception):
    """The history cannot be used; the message says why and what to do, for the user."""


class _Undecodable:
    """Stands for a stored text that is not valid UTF-8 (the bytes were damaged)."""

    def __repr__(self) -> str:
        return "<text that is not UTF-8>"


UNDECODABLE = _Undecodable()


def _text(raw: bytes) -> str | _Undecodable:
    """SQLite's text, decoded here rather than by the sqlite3 module, whose error for bad
    bytes ends the whole query and quotes the text (a reply, say) in its message."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return UNDECODABLE


class _Unreadable(Exception):
    """Internal: the file's contents are bad and it should be moved aside."""


@dataclass(frozen=True)
class Attempt:
    """One scored reply, as it was stored."""

    id: int
    time: datetime  # aware, UTC
    profile: str
    scenario_id: str | None  # None for a free statement typed by the learner
    statement: str
    reply: str
    feedback: Feedback
    engine_version: str
    rubric_version: str


def check_profile(name: str) -> str:
    """Return the profile name stripped, or raise ValueError saying what is expected."""
    stripped = name.strip()
    if not stripped:
        raise ValueError("a profile name cannot be empty")
    if len(stripped) > MAX_PROFILE_LENGTH:
        raise ValueError(f"a profile name is at most {MAX_PROFILE_LENGTH} characters")
    if any(not ch.isprintable() for ch in stripped):
        raise ValueError("a profile name cannot hold control characters")
    return stripped


def _iso(moment: datetime) -> str:
    """Fixed-width UTC text, so that comparing the text compares the times.

    A naive datetime is taken as local time, as `datetime.astimezone` does.
    """
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _from_iso(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def _attempt_of(row: tuple[Any, ...]) -> Attempt | None:
    """The attempt a row holds, or None when any of its values is not what was written:
    damaged bytes can turn a text into a number, a NULL, or bytes that are not UTF-8."""
    ident, time, profile, scenario, statement, reply, data, engine, rubric = row
    texts = (time, profile, statement, reply, data, engine, rubric)
    if not isinstance(ident, int) or not all(isinstance(t, str) for t in texts):
        return None
    if scenario is not None and not isinstance(scenario, str):
        return None
    try:
        feedback = Feedback.model_validate_json(data)
        moment = _from_iso(time)
    except (ValidationError, ValueError):
        return None
    return Attempt(ident, moment, profile, scenario, statement, reply, feedback, engine, rubric)


def _private_folder(folder: Path) -> None:
    try:
        paths.private_folder(folder)
    except OSError as exc:
        raise HistoryError(f"cannot prepare the history folder {folder}: {exc.strerror}") from exc


def _private_file(path: Path) -> None:
    """Create the file 0600 before SQLite does, so it is never readable by others."""
    try:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            # An existing file may have been left open to others (or closed to its owner,
            # which SQLite would call unreadable): give it back to the owner alone.
            path.chmod(0o600)
        else:
            os.fchmod(fd, 0o600)  # the umask may only narrow the mode; this pins it
            os.close(fd)
    except OSError as exc:
        raise HistoryError(f"cannot open the history file {path}: {exc.strerror}") from exc


def _aside_name(path: Path, now: datetime) -> Path:
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    candidate = path.with_name(f"{path.name}.unreadable-{stamp}")
    counter = 2
    # Never overwrite: an earlier moved-aside file may be all that is left of a history.
    while any(Path(f"{candidate}{s}").exists() for s in ("", *SIDE_SUFFIXES)):
        candidate = path.with_name(f"{path.name}.unreadable-{stamp}-{counter}")
        counter += 1
    return candidate


def _move_aside(path: Path) -> Path:
    target = _aside_name(path, datetime.now(UTC))
    try:
        # Side files go with it: a stale write-ahead log next to a fresh database would be
        # replayed into it.
        for suffix in SIDE_SUFFIXES:
            side = Path(f"{path}{suffix}")
            if side.exists():
                side.rename(f"{target}{suffix}")
        path.rename(target)
    except OSError as exc:
        raise HistoryError(
            f"the history file {path} cannot be read, and moving it aside failed "
            f"({exc.strerror}); move or remove it yourself, then try again"
        ) from exc
    return target


def _newest(conn: sqlite3.Connection) -> tuple[int | None, tuple[int, str] | None]:
    """The AUTOINCREMENT counter and the newest attempt's (id, time), as `conn` sees them."""
    seq = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'attempts'").fetchone()
    row = conn.execute("SELECT id, time FROM attempts ORDER BY id DESC LIMIT 1").fetchone()
    return (seq[0] if seq else None), row


def _log_continues_file(path: Path, conn: sqlite3.Connection) -> bool:
    """Whether the write-ahead log beside `path` carries this history on, rather than
    another file's (left beside a history restored from a copy, say).

    SQLite cannot tell: it replays any log whose page size fits, and the history would
    silently become the other one. A log only ever adds to its own file, so the counter
    of attempts never goes back, and the newest attempt in the file alone is still there
    with its own time, or deleted. The file alone is read with `immutable=1`, which
    ignores the log and writes nothing.
    """
    alone = sqlite3.connect(f"{path.resolve().as_uri()}?immutable=1", uri=True)
    try:
        seq, newest = _newest(alone)
    except sqlite3.DatabaseError:
        return True  # no history in the file alone (a new one): nothing to compare
    finally:
        alone.close()
    try:
        later_seq, _ = _newest(conn)
    except sqlite3.DatabaseError:
        return False  # with the log, the history's own table is gone
    if seq is not None and (later_seq is None or later_seq < seq):
        return False
    if newest is not None:
        now = conn.execute("SELECT time FROM attempts WHERE id = ?", (newest[0],)).fetchone()
        if now is not None and now[0] != newest[1]:
            return False
    return True


def _has_log(path: Path) -> bool:
    try:
        return Path(f"{path}-wal").stat().st_size > 0
    except OSError:
        return False


def _probe(path: Path) -> None:
    """Raise _Unreadable if the file's bytes, or the log beside it, are bad; read-only.

    A read-write connection replays a write-ahead log into the file and copies it in when
    it closes: had the log been another file's, the history would be damaged on its way
    to being moved aside. A read-only connection cannot write the file or the log (the
    operating system holds it to that), so what is moved aside is what was found.
    Anything that is not bad bytes (a busy file, one that cannot be opened) is left to
    the read-write open to report.
    """
    if not path.is_file():
        return
    _private_file(path)  # its mode only: a file closed to its owner could not be checked
    try:
        conn = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_SECONDS
        )
    except sqlite3.Error:
        return
    conn.text_factory = _text
    try:
        problems = [row[0] for row in conn.execute("PRAGMA quick_check")]
        if problems != ["ok"]:
            raise _Unreadable("; ".join(str(p) for p in problems[:3]))
        if _has_log(path) and not _log_continues_file(path, conn):
            raise _Unreadable("the write-ahead log is another file's")
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorcode", 0) & 0xFF in _CORRUPT_CODES:
            raise _Unreadable from None
    finally:
        conn.close()


def _connect(path: Path) -> sqlite3.Connection:
    """Open, configure and migrate the file; raise _Unreadable if its bytes are bad."""
    if path.exists() and not path.is_file():
        raise HistoryError(f"{path} is not a file; the history needs that name for itself")
    _private_file(path)
    try:
        # isolation_level=None: transactions are begun and ended here, explicitly, so that
        # none is left open by the sqlite3 module's implicit BEGIN.
        conn = sqlite3.connect(
            path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False
        )
    except sqlite3.Error as exc:
        raise HistoryError(f"cannot open the history file {path}: {exc}") from exc
    conn.text_factory = _text
    try:
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise HistoryError(f"{path}: SQLite refused write-ahead logging (mode {mode})")
        # FULL: a committed attempt survives a power cut, not only a crash. One fsync per
        # attempt is nothing next to a person typing a reply.
        conn.execute("PRAGMA synchronous = FULL")
        # Deleted rows are overwritten with zeros, so a deleted reply does not linger in
        # free pages.
        conn.execute("PRAGMA secure_delete = ON")
        migrate(conn)
    except (_Unreadable, ForeignFileError):
        conn.close()
        raise _Unreadable from None
    except NewerSchemaError as exc:
        conn.close()
        raise HistoryError(
            f"{path} was written by a newer listen-trainer ({exc}); update listen-trainer "
            "to use it. The file was left as it is."
        ) from exc
    except sqlite3.DatabaseError as exc:
        conn.close()
        code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
        if code in _CORRUPT_CODES:
            raise _Unreadable from exc
        if code in _BUSY_CODES:
            raise HistoryError(
                f"the history {path} is busy in another listen-trainer; try again in a moment"
            ) from exc
        raise HistoryError(f"cannot use the history file {path}: {exc}") from exc
    except BaseException:
        conn.close()
        raise
    for suffix in ("-wal", "-shm"):
        side = Path(f"{path}{suffix}")
        # SQLite gives its side files the database's mode; this makes sure of it.
        with contextlib.suppress(FileNotFoundError):
            side.chmod(0o600)
    return conn


class History:
    """A learner's attempts on this machine. Open with `History.open()`, close when done."""

    moved_aside: Path | None
    """Set when the file found on open could not be read and was moved here."""

    skipped: list[int]
    """Ids of rows the last `attempts()` could not read back (damaged bytes, or feedback
    JSON that no longer validates); they are left in the file, untouched."""

    scrubbed: bool
    """False after a `delete` whose replies are still in the file's bytes, because another
    process was reading the history; True otherwise."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn: sqlite3.Connection | None = conn
        self._lock = threading.RLock()
        self.path = path
        self.moved_aside = None
        self.skipped = []
        self.scrubbed = True

    @classmethod
    def open(cls, path: Path | None = None) -> History:
        """Open (creating or migrating as needed) the history at `path`.

        Default: `history.sqlite3` in the user's data folder. Raises HistoryError with a
        message for the user when the file cannot be used; a file whose contents are bad
        is moved aside rather than raising.
        """
        path = path or paths.data_dir() / FILENAME
        _private_folder(path.parent)
        moved: Path | None = None
        try:
            _probe(path)
            conn = _connect(path)
        except _Unreadable:
            moved = _move_aside(path)
            try:
                conn = _connect(path)
            except _Unreadable as exc:
                raise HistoryError(f"cannot start a fresh history at {path}") from exc
        history = cls(conn, path)
        history.moved_aside = moved
        return history

    # ------------------------------------------------------------------ plumbing

    @property
    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            raise HistoryError("the history is closed")
        return self._conn

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic change: all of it is written, or none of it."""
        with self._lock:
            conn = self._db
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> History:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # ------------------------------------------------------------------ public

    def record(
        self,
        *,
        profile: str,
        reply: str,
        feedback: Feedback,
        scenario_id: str | None,
        statement: str,
        rubric_version: str,
        at: datetime | None = None,
    ) -> int:
        """Store one attempt and return its id. `at` defaults to now (tests seed the past).

        Raises ValueError for a bad profile name.
        """
        profile = check_profile(profile)
        when = _iso(at or datetime.now(UTC))
        data = feedback.model_dump_json()
        with self._transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO attempts (time, profile, scenario_id, statement, reply, "
                "feedback, engine_version, rubric_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    when,
                    profile,
                    scenario_id,
                    statement,
                    reply,
                    data,
                    feedback.engine_version,
                    rubric_version,
                ),
            )
            assert cursor.lastrowid is not None
            return cursor.lastrowid

    def attempts(
        self,
        *,
        profile: str | None = None,
        since: datetime | None = None,
        side: Side | str | None = Side.LISTENER,
    ) -> list[Attempt]:
        """The attempts of `profile` (all profiles when None) from `since` on, oldest first:
        replies as a listener (the default), statements as a speaker, or both (None).

        A naive `since` is taken as local time.
        """
        query = (
            "SELECT id, time, profile, scenario_id, statement, reply, feedback, "
            "engine_version, rubric_version FROM attempts"
        )
        where: list[str] = []
        params: list[str] = []
        if profile is not None:
            where.append("profile = ?")
            params.append(profile.strip())
        if since is not None:
            where.append("time >= ?")
            params.append(_iso(since))
        if where:
            query += " WHERE " + " AND ".join(where)
        query += " ORDER BY time, id"
        with self._lock:
            rows = self._read(query, params)
        found: list[Attempt] = []
        skipped: list[int] = []
        for row in rows:
            attempt = _attempt_of(row)
            if attempt is None:
                # One bad row (damaged bytes, or written by a broken or much older engine)
                # must not hide all the others; it is counted in `skipped`, never quoted
                # and never deleted.
                skipped.append(row[0])  # the rowid: SQLite keeps it an integer
            elif side is None or attempt.feedback.side == side:
                found.append(attempt)
        self.skipped = skipped
        return found

    def _read(self, query: str, params: Sequence[str] = ()) -> list[tuple[Any, ...]]:
        """Rows of a query; damage found while reading is a HistoryError for the user."""
        try:
            return self._db.execute(query, params).fetchall()
        except sqlite3.DatabaseError as exc:
            code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
            if code in _BUSY_CODES:
                raise HistoryError(
                    f"the history {self.path} is busy in another listen-trainer; "
                    "try again in a moment"
                ) from None
            # The message is SQLite's own ("database disk image is malformed"): it names
            # no stored text. `from None`: nothing of the row reaches a traceback either.
            raise HistoryError(
                f"part of the history {self.path} is damaged and cannot be read "
                f"({exc}); it was left as it is. Copy it somewhere safe before "
                "anything else, then move it aside to start afresh"
            ) from None

    def count(self, *, profile: str | None = None) -> int:
        """How many attempts `profile` has (all profiles when None)."""
        with self._lock:
            if profile is None:
                row = self._db.execute("SELECT count(*) FROM attempts").fetchone()
            else:
                row = self._db.execute(
                    "SELECT count(*) FROM attempts WHERE profile = ?", (profile.strip(),)
                ).fetchone()
        return int(row[0])

    def profiles(self) -> list[str]:
        """The profiles that have at least one attempt, sorted by name."""
        with self._lock:
            rows = self._read("SELECT DISTINCT profile FROM attempts ORDER BY profile")
        return [r[0] for r in rows if isinstance(r[0], str)]

    def delete(self, *, profile: str | None = None) -> int:
        """Delete the attempts of `profile` (every attempt when None); return how many.

        Afterwards the file is rebuilt (VACUUM) and the write-ahead log emptied, so the
        deleted replies are gone from the bytes on disk, not only from queries; when
        another process's read kept the old pages, `scrubbed` is False: the replies leave
        the file when the last listen-trainer using it closes.
        """
        with self._transaction() as conn:
            if profile is None:
                deleted = conn.execute("DELETE FROM attempts").rowcount
            else:
                deleted = conn.execute(
                    "DELETE FROM attempts WHERE profile = ?", (profile.strip(),)
                ).rowcount
        with self._lock:
            self._db.execute("VACUUM")
            # TRUNCATE copies the log into the file and cuts it to zero bytes. It waits
            # (up to the busy timeout) for readers, but another listen-trainer in the
            # middle of a read keeps its snapshot, and with it the old pages: the first
            # column says so, and then the replies are still in the file's bytes.
            busy = self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        self.scrubbed = busy == 0
        return deleted

    def moved_aside_files(self) -> list[Path]:
        """Histories moved aside in this folder, earlier or now: they still hold replies."""
        return sorted(
            p
            for p in self.path.parent.glob(f"{self.path.name}.unreadable-*")
            if not p.name.endswith(SIDE_SUFFIXES)
        )
