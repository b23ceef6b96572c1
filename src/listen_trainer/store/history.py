"""The learner's history: every scored attempt, kept in SQLite on the user's own machine.

Promises, in the order they matter to a learner:
- nothing earlier is lost: each attempt is one transaction in WAL mode with
  `synchronous=FULL`, so a crash or a killed process loses at most the attempt being
  written;
- a history that cannot be read is never overwritten: it is moved aside with a timestamp
  (`moved_aside` says where) and a fresh one starts;
- the replies stay private: the folder is 0700, the file and SQLite's side files 0600,
  and `delete` leaves no trace of a deleted reply in the file's bytes.

One `History` may be shared by the UI thread and worker threads: every use of the
connection holds a lock.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

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
        problems = [row[0] for row in conn.execute("PRAGMA quick_check")]
        if problems != ["ok"]:
            raise _Unreadable("; ".join(str(p) for p in problems[:3]))
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
    """Ids of rows the last `attempts()` could not read back (their feedback JSON no
    longer validates); they are left in the file, untouched."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn: sqlite3.Connection | None = conn
        self._lock = threading.RLock()
        self.path = path
        self.moved_aside = None
        self.skipped = []

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
            rows = self._db.execute(query, params).fetchall()
        found: list[Attempt] = []
        skipped: list[int] = []
        for row in rows:
            try:
                feedback = Feedback.model_validate_json(row[6])
                time = _from_iso(row[1])
            except (ValidationError, ValueError):
                # One bad row (written by a broken or much older engine) must not hide
                # all the others; it is reported through `skipped`, never deleted.
                skipped.append(row[0])
                continue
            if side is not None and feedback.side != side:
                continue
            found.append(
                Attempt(row[0], time, row[2], row[3], row[4], row[5], feedback, row[7], row[8])
            )
        self.skipped = skipped
        return found

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
            rows = self._db.execute(
                "SELECT DISTINCT profile FROM attempts ORDER BY profile"
            ).fetchall()
        return [r[0] for r in rows]

    def delete(self, *, profile: str | None = None) -> int:
        """Delete the attempts of `profile` (every attempt when None); return how many.

        Afterwards the file is rebuilt (VACUUM) and the write-ahead log emptied, so the
        deleted replies are gone from the bytes on disk, not only from queries.
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
            # TRUNCATE copies the log into the file and cuts it to zero bytes. Should
            # another process be reading at this moment, the log keeps its old frames
            # until the next checkpoint overwrites them; secure_delete has already zeroed
            # the rows in the database pages themselves.
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return deleted

    def moved_aside_files(self) -> list[Path]:
        """Histories moved aside in this folder, earlier or now: they still hold replies."""
        return sorted(
            p
            for p in self.path.parent.glob(f"{self.path.name}.unreadable-*")
            if not p.name.endswith(SIDE_SUFFIXES)
        )
