"""The history's schema, as a list of migrations from an empty file.

Migration `n` (0-based) brings a file from schema version `n` to `n + 1`; the version
lives in SQLite's own `PRAGMA user_version`, so the file needs no table of its own to say
what it is. A released migration is never edited: an older history must open in every
later version, and `tests/test_history_store.py` keeps a frozen copy of each schema to
prove it.
"""

from __future__ import annotations

import sqlite3

# Marks the file as ours (`PRAGMA application_id`, "LSTN"), so that a stranger's SQLite
# file given by mistake is told apart from an old history.
APPLICATION_ID = 0x4C53544E

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # v1: one row per scored attempt. The feedback is kept whole, as the engine's JSON,
    # so that nothing the engine said is lost and later versions can read more out of it;
    # the time is ISO 8601 in UTC with a fixed width, so text order is time order.
    (
        f"PRAGMA application_id = {APPLICATION_ID}",
        """
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
        )
        """,
        "CREATE INDEX attempts_by_profile_time ON attempts (profile, time)",
    ),
)

SCHEMA_VERSION = len(MIGRATIONS)


class NewerSchemaError(Exception):
    """The file was written by a newer listen-trainer; it is left untouched."""


class ForeignFileError(Exception):
    """The file is a SQLite database, but not a listen-trainer history."""


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the file to SCHEMA_VERSION in one transaction; return the version found.

    The connection must be in autocommit mode (`isolation_level=None`). BEGIN IMMEDIATE
    takes the write lock first, so that two processes opening an old file at once do not
    both migrate it: the second waits, then finds nothing left to do.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        found = schema_version(conn)
        app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
        if found > SCHEMA_VERSION:
            raise NewerSchemaError(
                f"schema version {found}; this listen-trainer knows up to {SCHEMA_VERSION}"
            )
        if app_id not in (0, APPLICATION_ID):
            raise ForeignFileError(f"application id {app_id:#x} is not listen-trainer's")
        if found == 0:
            tables = conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
            ).fetchone()[0]
            if tables:
                raise ForeignFileError("it holds tables, but no listen-trainer schema version")
        for version in range(found, SCHEMA_VERSION):
            for statement in MIGRATIONS[version]:
                conn.execute(statement)
            # user_version is part of the database header, written in this transaction:
            # a crash leaves either the old schema and version or the new ones.
            conn.execute(f"PRAGMA user_version = {version + 1}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:  # some errors (a full disk) have rolled it back already
            conn.execute("ROLLBACK")
        raise
    return found
