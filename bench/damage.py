"""Damaged and hostile files, measured: the figures behind docs/robustness.md's second table.

    .venv/bin/python bench/damage.py [--only history|cache]

Prints Markdown table rows: what was done to the files, how many cases, the worst time,
and what happened. Every case runs in its own temporary folders; nothing here touches
the user's own history or cache. Run it against an older checkout (PYTHONPATH=its src)
to see what a change fixed. Nothing is asserted: tests/test_history_damage.py and
tests/test_phrase_cache_trust.py do that.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

SECRET = "private-reply"
NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)


def row(name: str, cases: int | str, seconds: float, result: str) -> None:
    print(f"| {name} | {cases} | {seconds * 1000:,.0f} ms | {result} |", flush=True)


def fill(path: Path, n: int, tag: str = SECRET) -> None:
    from history_fixtures import make_feedback  # type: ignore[import-not-found]
    from listen_trainer.store import History

    with History.open(path) as history:
        for i in range(n):
            history.record(
                profile="default",
                reply=f"{tag} {i:05d} you should rest",
                feedback=make_feedback(score=40 + i % 50),
                scenario_id=None,
                statement="I have been so tired lately.",
                rubric_version="r1",
                at=NOW + timedelta(minutes=i),
            )


def cli(*argv: str) -> tuple[str, float, str]:
    """(outcome, seconds, everything printed) of one in-process `listen-trainer` run."""
    from listen_trainer.cli import main

    out, err = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(argv))
        outcome = f"exit {code}"
    except Exception as exc:
        outcome = f"traceback ({type(exc).__name__})"
        err.write(str(exc))
    return outcome, time.perf_counter() - started, out.getvalue() + err.getvalue()


# --------------------------------------------------------------------------- history


def random_bytes_rows(trials: int = 40) -> None:
    rng = random.Random(18)
    with tempfile.TemporaryDirectory() as tmp:
        good = Path(tmp) / "good.sqlite3"
        fill(good, 500)
        data = good.read_bytes()
        tracebacks = quoted = moved = answered = 0
        worst = 0.0
        for trial in range(trials):
            folder = Path(tmp) / f"t{trial}"
            folder.mkdir()
            os.environ["LISTEN_TRAINER_DATA_DIR"] = str(folder)
            damaged = bytearray(data)
            at = rng.randrange(len(data) // 4, 3 * len(data) // 4)
            damaged[at : at + 64] = rng.randbytes(64)
            (folder / "history.sqlite3").write_bytes(bytes(damaged))
            crashed = False
            for verb in ("list", "stats", "export"):
                extra = ["--format", "json", "--output", str(folder / "x.json")]
                outcome, seconds, printed = cli(
                    "history", verb, "--all", *(extra if verb == "export" else [])
                )
                worst = max(worst, seconds)
                crashed |= outcome.startswith("traceback")
                quoted += SECRET in printed
                answered += outcome == "exit 0"
            tracebacks += crashed
            moved += any(p.name.startswith("history.sqlite3.unreadable") for p in folder.iterdir())
        row(
            "History: 64 random bytes written into a 500-attempt file (list, stats, export)",
            f"{trials} files x 3 commands",
            worst,
            f"{tracebacks} of {trials} files ended in a traceback; a reply quoted {quoted} "
            f"times; {answered} of {trials * 3} runs exit 0; {moved} files moved aside",
        )


def bad_utf8_rows() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["LISTEN_TRAINER_DATA_DIR"] = str(folder)
        path = folder / "history.sqlite3"
        fill(path, 5)
        with sqlite3.connect(path) as conn:
            conn.execute(
                "UPDATE attempts SET reply = CAST(CAST(reply AS BLOB) || X'FF' AS TEXT) "
                "WHERE id = 3"
            )
        conn.close()
        for verb in ("list", "stats", "export"):
            extra = ["--format", "json", "--output", str(folder / "x.json")]
            outcome, seconds, printed = cli("history", verb, *(extra if verb == "export" else []))
            skipped = "1 attempt(s) could not be read" in printed
            row(
                f"History: one reply not UTF-8, `history {verb}`",
                1,
                seconds,
                f"{outcome}; reply {'quoted' if SECRET in printed else 'not quoted'}; "
                f"{'skipped and counted' if skipped else 'not counted'}; "
                f"moved aside: {any('unreadable' in p.name for p in folder.iterdir())}",
            )


def foreign_wal_row() -> None:
    from listen_trainer.store import History

    with tempfile.TemporaryDirectory() as tmp:
        mine = Path(tmp) / "mine" / "history.sqlite3"
        other = Path(tmp) / "other" / "history.sqlite3"
        fill(mine, 500)
        fill(other, 1, tag="other")
        keeper = sqlite3.connect(other)
        keeper.execute("PRAGMA wal_autocheckpoint = 0")
        for i in range(300):
            keeper.execute(
                "INSERT INTO attempts SELECT NULL, time, profile, scenario_id, 'x' || ?, "
                "reply, feedback, engine_version, rubric_version FROM attempts LIMIT 1",
                (i,),
            )
        keeper.commit()
        shutil.copyfile(f"{other}-wal", f"{mine}-wal")
        keeper.close()
        started = time.perf_counter()
        with History.open(mine) as history:
            seconds = time.perf_counter() - started
            moved = history.moved_aside
            shown = history.count()
        kept = 0
        if moved is not None:
            copy = Path(tmp) / "copy.sqlite3"
            shutil.copyfile(moved, copy)
            with sqlite3.connect(copy) as conn:
                kept = conn.execute(
                    f"SELECT count(*) FROM attempts WHERE reply LIKE '{SECRET}%'"
                ).fetchone()[0]
            conn.close()
        result = (
            f"moved aside; the copy holds {kept} of 500 replies"
            if moved
            else f"not noticed: the history now shows {shown} attempts, none of its own"
        )
        row("History: another history's write-ahead log beside it", 1, seconds, result)


def delete_row() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["LISTEN_TRAINER_DATA_DIR"] = str(folder)
        path = folder / "history.sqlite3"
        fill(path, 20)
        reader = sqlite3.connect(path, isolation_level=None)
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM attempts").fetchone()
        outcome, seconds, printed = cli("history", "delete", "--all", "--yes")
        still = SECRET.encode() in path.read_bytes()
        reader.execute("COMMIT")
        reader.close()
        said = "says the text stays" if "is reading it" in printed else "says only 'deleted'"
        row(
            "History: `delete --all` while another process reads",
            1,
            seconds,
            f"{outcome}; {said}; replies in the file's bytes: {still}; after the reader "
            f"closes: {SECRET.encode() in path.read_bytes()}",
        )


def open_cost_rows() -> None:
    from listen_trainer.store import History

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "history.sqlite3"
        fill(path, 10_000)
        size = path.stat().st_size
        for with_log in (False, True):
            times = []
            for _ in range(5):
                keeper = None
                if with_log:  # another listen-trainer has written and is still open
                    keeper = History.open(path)
                    keeper.record(
                        profile="default",
                        reply="one more",
                        feedback=History.open(path).attempts()[0].feedback,
                        scenario_id=None,
                        statement="s",
                        rubric_version="r1",
                    )
                started = time.perf_counter()
                History.open(path).close()
                times.append(time.perf_counter() - started)
                if keeper is not None:
                    keeper.close()
            what = "with a write-ahead log beside it" if with_log else "no log"
            row(
                f"History: opening a 10,000-attempt file ({size / 1e6:.1f} MB), {what}",
                5,
                max(times),
                f"median {sorted(times)[2] * 1000:.0f} ms",
            )


# --------------------------------------------------------------------------- cache

CHILD = """
import resource, sys, time
from pathlib import Path
import spacy
from listen_trainer.scoring.phrase_cache import PhraseDocs
resource.setrlimit(resource.RLIMIT_AS, (2_000_000_000, 2_000_000_000))
nlp = spacy.blank("en")
started = time.perf_counter()
try:
    docs = PhraseDocs(nlp, Path(sys.argv[1]))
    docs("don't worry")
    docs.save()
    print("ok", time.perf_counter() - started)
except MemoryError:
    print("MemoryError", time.perf_counter() - started)
with open("/proc/self/status") as status:
    print(next(line.split()[1] for line in status if line.startswith("VmHWM:")))
"""


def cache_file(folder: Path) -> Path:
    import spacy

    return folder / f"phrases-{spacy.about.__version__}.json"


def cache_rows() -> None:
    cases = {
        "a link to /dev/zero": lambda p: p.symlink_to("/dev/zero"),
        "a named pipe": lambda p: os.mkfifo(p),
        "a 9 MB file": lambda p: p.write_bytes(b" " * 9_000_000),
    }
    for name, make in cases.items():
        with tempfile.TemporaryDirectory() as tmp:
            make(cache_file(Path(tmp)))
            seconds = 30.0
            try:
                done = subprocess.run(
                    [sys.executable, "-c", CHILD, tmp],
                    capture_output=True,
                    text=True,
                    timeout=30,
                    check=False,
                )
                lines = done.stdout.split()
                seconds = float(lines[1]) if len(lines) == 3 else seconds
                result = (
                    f"{lines[0]} after {float(lines[1]) * 1000:,.0f} ms; "
                    f"peak {int(lines[2]) / 1000:,.0f} MB resident (2 GB cap)"
                    if len(lines) == 3
                    else f"exit {done.returncode}"
                )
            except subprocess.TimeoutExpired:
                result = "hung: killed after 30 s"
            # The time is the cache's own, in the child: spaCy's import is left out.
            row(f"Phrase cache: {name}", 1, seconds, result)
    altered_row()


def altered_row() -> None:
    from listen_trainer.content.library import load_rubric
    from listen_trainer.scoring import Scorer

    rubric = load_rubric()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["LISTEN_TRAINER_CACHE_DIR"] = tmp
        reply, statement = "You should rest.", "I have been so tired lately."
        before = Scorer(rubric).score(reply, statement=statement).verdict.value
        path = cache_file(Path(tmp))
        text = path.read_text(encoding="utf-8")
        path.write_text(
            text.replace(
                '"you should":[["you",true],["should",false]]',
                '"you should":[["you should",false]]',
            ),
            encoding="utf-8",
        )
        started = time.perf_counter()
        after = Scorer(rubric).score(reply, statement=statement).verdict.value
        seconds = time.perf_counter() - started
        again = Scorer(rubric).score(reply, statement=statement).verdict.value
        row(
            "Phrase cache: one entry split another way (same text)",
            1,
            seconds,
            f"verdict {before} -> {after}; next start {again}",
        )
        del os.environ["LISTEN_TRAINER_CACHE_DIR"]


def main(argv: Iterable[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("history", "cache"), action="append")
    args = parser.parse_args(list(argv) if argv is not None else None)
    only = set(args.only or ("history", "cache"))
    print("| What was done | Cases | Worst time | Result |")
    print("|---|---|---|---|")
    if "history" in only:
        random_bytes_rows()
        bad_utf8_rows()
        foreign_wal_row()
        delete_row()
        open_cost_rows()
    if "cache" in only:
        cache_rows()


if __name__ == "__main__":
    main()
