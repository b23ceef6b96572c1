"""`listen-trainer score` with bad input: broken and huge JSON Lines, invalid UTF-8, a reader
that leaves early. Errors come per line, never as a traceback, with the exit codes that
`cli/score.py` documents: 0 all scored, 1 some input was bad (the rest still scored),
2 a usage error.

Most tests call `cli.main` in this process with one shared Scorer (building one costs
about half a second); those about pipes and file descriptors run the real program.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import listen_trainer.scoring
from listen_trainer import cli
from listen_trainer.cli.score import MAX_LINE_BYTES
from listen_trainer.scoring import Scorer

STATEMENT = "I practised my speech for weeks and then forgot half of it on stage."
REPLY = "You should have used notes. It sounds like you felt embarrassed."
GOOD = json.dumps({"id": "good", "statement": STATEMENT, "reply": REPLY}).encode()
EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


@pytest.fixture(scope="module")
def shared_scorer() -> Scorer:
    return Scorer()


@pytest.fixture(autouse=True)
def _isolated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shared_scorer: Scorer
) -> Iterator[None]:
    monkeypatch.setenv("LISTEN_TRAINER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LISTEN_TRAINER_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setattr(listen_trainer.scoring, "Scorer", lambda rubric=None: shared_scorer)
    yield


def run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], stdin: bytes, *argv: str
) -> tuple[int, list[str], str]:
    """Run the command on `stdin` bytes; return (exit code, stdout lines, stderr)."""
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def jsonl(*lines: bytes) -> bytes:
    return b"\n".join(lines) + b"\n"


# --------------------------------------------------------------------------- --jsonl


def test_every_good_line_is_scored_in_order_and_exits_0(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        json.dumps({"id": n, "statement": STATEMENT, "reply": REPLY}).encode() for n in range(5)
    ]
    code, out, err = run(monkeypatch, capsys, jsonl(*lines), "score", "--jsonl")
    assert code == EXIT_OK, err
    assert [json.loads(line)["id"] for line in out] == [0, 1, 2, 3, 4]
    assert all("fixing" in {f["category"] for f in json.loads(line)["flags"]} for line in out)


def test_broken_lines_get_an_error_each_and_the_rest_are_scored(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stdin = jsonl(
        GOOD,
        b"{this is not json",
        b"\xff\xfe not UTF-8 at all",
        b'["a list", "not an object"]',
        json.dumps({"id": 5, "statement": STATEMENT, "reply": 42}).encode(),
        json.dumps({"id": 6, "reply": REPLY}).encode(),
        json.dumps({"id": 7, "scenario": "no-such-scenario", "reply": REPLY}).encode(),
        json.dumps({"id": 8, "scenario": ["a", "list"], "reply": REPLY}).encode(),
        b"",  # a blank line is skipped, and still counted
        b"   ",
        b'{"id": 11, "prompt": "I lost my keys again.", "response": "That is so annoying."}',
        GOOD,
    )
    code, out, err = run(monkeypatch, capsys, stdin, "score", "--jsonl")
    assert code == EXIT_PROBLEMS
    assert err == ""
    rows = [json.loads(line) for line in out]
    errors = [row.get("error") for row in rows]
    assert errors == [
        None,
        "line 2: not valid JSON (Expecting property name enclosed in double quotes at column 2)",
        "line 3: not valid UTF-8 (invalid start byte at byte 0)",
        "line 4: expected a JSON object",
        "line 5: 'reply' (or 'response') must be a string",
        "line 6: give 'statement' (or 'prompt') as a string, or a 'scenario' id",
        "line 7: no scenario with id 'no-such-scenario'",
        "line 8: 'scenario' must be a string id",
        None,
        None,
    ]
    assert [row["id"] for row in rows] == ["good", None, None, None, 5, 6, 7, 8, 11, "good"]
    assert rows[0] == rows[-1]  # the same line scores the same, errors around it or not
    assert 0 <= rows[8]["score"] <= 100


def test_a_line_over_the_limit_is_refused_and_the_next_still_scored(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    huge = json.dumps({"id": "huge", "statement": STATEMENT, "reply": "x" * 1_500_000})
    code, out, err = run(monkeypatch, capsys, jsonl(huge.encode(), GOOD), "score", "--jsonl")
    assert code == EXIT_PROBLEMS, err
    assert json.loads(out[0]) == {"id": None, "error": "line 1: longer than 1,000,000 bytes"}
    assert json.loads(out[1])["id"] == "good"


def test_a_line_at_the_limit_is_scored_on_its_start(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    opening = json.dumps({"id": "long", "statement": STATEMENT, "reply": ""})[:-2]  # ..."
    filler = "Why did you not write notes? " * (MAX_LINE_BYTES // 29)
    line = (opening + filler)[: MAX_LINE_BYTES - 2] + '"}'
    assert len(line.encode()) == MAX_LINE_BYTES
    code, out, _ = run(monkeypatch, capsys, jsonl(line.encode()), "score", "--jsonl")
    assert code == EXIT_OK, out
    row = json.loads(out[0])
    assert row["truncated"] is True
    assert row["flags"] and all(f["end"] <= 4000 for f in row["flags"])


def test_no_input_is_no_output_and_exit_0(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(monkeypatch, capsys, b"", "score", "--jsonl") == (EXIT_OK, [], "")
    assert run(monkeypatch, capsys, b"\n\n  \n", "score", "--jsonl") == (EXIT_OK, [], "")


def test_crlf_line_ends_are_read_as_line_ends(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(monkeypatch, capsys, GOOD + b"\r\n" + GOOD + b"\r\n", "score", "--jsonl")
    assert code == EXIT_OK
    assert len(out) == 2


@pytest.mark.parametrize(
    "argv",
    [
        ["score", "--jsonl", "a reply as well"],
        ["score", "--jsonl", "--statement", "something"],
        ["score", "--statement", "something"],  # no reply
        ["score", "a reply with nothing it answers"],
    ],
)
def test_usage_errors_exit_2_with_a_sentence_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    code, out, err = run(monkeypatch, capsys, b"", *argv)
    assert code == EXIT_USAGE
    assert out == []
    assert err.startswith("score: ") and "Traceback" not in err


def test_an_unknown_scenario_exits_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        monkeypatch, capsys, b"", "score", "--no-save", "--scenario", "no-such-scenario", REPLY
    )
    assert code == EXIT_PROBLEMS
    assert err == (
        "score: no scenario with id 'no-such-scenario'; `listen-trainer scenarios "
        "list` shows them\n"
    )


# --------------------------------------------------------------------------- invalid UTF-8


def test_score_dash_reads_invalid_utf8_from_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stdin = b"You should \xff\xfe have used notes. It sounds like you felt \xc3 embarrassed."
    code, out, err = run(
        monkeypatch, capsys, stdin, "score", "--json", "--statement", STATEMENT, "-"
    )
    assert code == EXIT_OK, err
    feedback = json.loads("\n".join(out))
    assert {f["category"] for f in feedback["flags"]} >= {"fixing", "reflecting_feeling"}
    # Saved to the history too (the default), with the bad bytes as U+FFFD.
    from listen_trainer.store import History

    with History.open() as history:
        (attempt,) = history.attempts()
    assert attempt.reply.startswith("You should \ufffd\ufffd have used notes.")


# --------------------------------------------------------------------------- a reader that leaves

PROGRAM = [sys.executable, "-m", "listen_trainer"]


def env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "LISTEN_TRAINER_DATA_DIR": str(tmp_path / "data"),
        "LISTEN_TRAINER_CONFIG_DIR": str(tmp_path / "config"),
    }


@pytest.fixture()
def big_batch(tmp_path: Path) -> Path:
    """2,000 lines: several batches, far more output than a pipe buffer holds."""
    path = tmp_path / "big.jsonl"
    path.write_bytes(jsonl(*[GOOD] * 2_000))
    return path


# Long enough for a cold start and a few chunks on a loaded machine; the program's own
# run takes a second or two.
PIPE_TIMEOUT = 60


def run_in_own_group(args: list[str], **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
    """Run `args` in a process group of its own; if it has not ended within PIPE_TIMEOUT,
    kill the whole group (the program, its workers, a shell's `head`) and fail, so that a
    hang is a failed test and leaves nothing behind."""
    with subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, **kwargs
    ) as proc:
        try:
            out, err = proc.communicate(timeout=PIPE_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            pytest.fail(f"{' '.join(args)} still ran after {PIPE_TIMEOUT} s")
    return subprocess.CompletedProcess(args, proc.returncode, out, err)


def test_a_reader_that_leaves_after_one_line_ends_it_quietly(
    tmp_path: Path, big_batch: Path
) -> None:
    # listen-trainer score --jsonl < big.jsonl | head -1, with Python as `head`.
    script = (
        "import subprocess, sys\n"
        f"with open({str(big_batch)!r}, 'rb') as stdin:\n"
        f"    proc = subprocess.Popen({[*PROGRAM, 'score', '--jsonl']!r}, stdin=stdin,\n"
        "        stdout=subprocess.PIPE, stderr=subprocess.PIPE)\n"
        "first = proc.stdout.readline()\n"
        "proc.stdout.close()\n"
        "err = proc.stderr.read()\n"
        "print(proc.wait(), first.decode().strip(), err.decode(), sep='\\n')\n"
    )
    done = run_in_own_group([sys.executable, "-c", script], env=env(tmp_path))
    code, first, err = done.stdout.decode().split("\n", 2)
    assert json.loads(first)["id"] == "good"
    assert err.strip() == ""
    assert int(code) == EXIT_OK  # cli.main: a reader leaving is not an error


@pytest.mark.parametrize("reader", ["head -1", "head -c 10", "true"])
def test_the_same_through_a_shell_pipe(tmp_path: Path, big_batch: Path, reader: str) -> None:
    # However the reader closes: after a line, inside the first line, or before reading.
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("no bash for a shell pipe")
    command = (
        f"{' '.join(PROGRAM)} score --jsonl < {big_batch} 2> {tmp_path / 'err'}; "
        f"echo $? > {tmp_path / 'code'}"
    )
    done = run_in_own_group([bash, "-c", f"({command}) | {reader}"], env=env(tmp_path))
    if reader == "head -1":
        assert len(done.stdout.splitlines()) == 1
    assert (tmp_path / "err").read_text() == ""
    assert (tmp_path / "code").read_text().strip() == str(EXIT_OK)


# --------------------------------------------------------------------------- known bugs


def test_a_deeply_nested_line_is_one_bad_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    nested = b'{"reply": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    code, out, _ = run(monkeypatch, capsys, jsonl(nested, GOOD), "score", "--jsonl")
    assert code == EXIT_PROBLEMS
    assert json.loads(out[0])["error"].startswith("line 1: ")
    assert json.loads(out[1])["id"] == "good"


def test_a_lone_surrogate_escape_in_a_line_is_scored(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    line = b'{"id": 1, "statement": "I waited.", "reply": "Why did you \\ud800 not call?"}'
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(io.BytesIO(), encoding="utf-8"))
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(jsonl(line, GOOD))))
    assert cli.main(["score", "--jsonl"]) == EXIT_OK


@pytest.mark.parametrize("where", ["reply", "statement", "json"])
def test_invalid_utf8_on_the_command_line_is_scored(tmp_path: Path, where: str) -> None:
    odd = os.fsencode("Why did you \udcff not call?")
    argv = {
        "reply": [b"--statement", STATEMENT.encode(), odd],
        "statement": [b"--statement", odd, REPLY.encode()],
        "json": [b"--json", b"--no-save", b"--statement", STATEMENT.encode(), odd],
    }[where]
    done = subprocess.run(
        [*map(os.fsencode, PROGRAM), b"score", *argv],
        capture_output=True,
        env=env(tmp_path),
        timeout=120,
        check=False,
    )
    assert b"Traceback" not in done.stderr, done.stderr.decode(errors="replace")
    assert done.returncode == EXIT_OK


def test_a_closed_stdout_is_an_error_message_not_a_traceback(tmp_path: Path) -> None:
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("no bash to close stdout")
    done = subprocess.run(
        [bash, "-c", f"{' '.join(PROGRAM)} score --jsonl >&-"],
        input=jsonl(GOOD),
        capture_output=True,
        env=env(tmp_path),
        timeout=120,
        check=False,
    )
    assert b"Traceback" not in done.stderr, done.stderr.decode(errors="replace")
    assert done.returncode != EXIT_OK


def test_a_full_disk_is_an_error_message_not_a_traceback(tmp_path: Path) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [*PROGRAM, "score", "--jsonl"],
            input=jsonl(GOOD),
            stdout=full,
            stderr=subprocess.PIPE,
            env=env(tmp_path),
            timeout=120,
            check=False,
        )
    assert b"Traceback" not in done.stderr, done.stderr.decode(errors="replace")
    assert done.returncode == EXIT_PROBLEMS


def test_every_output_line_is_strict_json(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stdin = jsonl(b'{"id": NaN, "statement": "I waited.", "reply": "Oh."}')
    _, out, _ = run(monkeypatch, capsys, stdin, "score", "--jsonl")

    def refuse(name: str) -> None:
        raise ValueError(f"{name} is not JSON")

    for line in out:
        json.loads(line, parse_constant=refuse)


# The child's own peak resident memory. Not ru_maxrss: on Linux a child inherits its
# parent's peak through fork and exec, and pytest is the larger process.
MEMORY_PROBE = """
import sys
from listen_trainer.cli import main
code = main(["score", "--jsonl"])
with open("/proc/self/status") as status:
    peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
print(peak, file=sys.stderr)
sys.exit(code)
"""


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_a_huge_line_costs_no_more_memory_than_the_limit(tmp_path: Path) -> None:
    def peak_kb(stdin: Path) -> int:
        with stdin.open("rb") as handle:
            done = subprocess.run(
                [sys.executable, "-c", MEMORY_PROBE],
                stdin=handle,
                capture_output=True,
                env=env(tmp_path),
                timeout=120,
                check=False,
            )
        assert done.returncode == EXIT_PROBLEMS or stdin.name == "small.jsonl", done.stderr
        return int(done.stderr.split()[-1])

    small = tmp_path / "small.jsonl"
    small.write_bytes(jsonl(GOOD))
    huge = tmp_path / "huge.jsonl"
    with huge.open("wb") as handle:
        handle.write(b'{"reply": "')
        handle.write(b"x" * 100_000_000)
        handle.write(b'"}\n' + GOOD + b"\n")
    assert peak_kb(huge) - peak_kb(small) < 50_000  # KB: the 1 MB limit and some slack
