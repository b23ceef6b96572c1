"""Nothing leaves the machine, and what stays is the learner's alone.

- The real program runs with network sockets made to fail (and every attempt recorded):
  a `score --jsonl` batch, a scored reply saved to the history, `check`, and history
  export and delete all finish without one attempt; so does `serve` with a browser
  practising through it, its loopback listening socket being the stated exception.
- The history folder is 0700, its files 0600 and exports 0600, even under umask 000;
  `history delete --all --yes` leaves no reply or statement in the database's bytes.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from listen_trainer import cli

# Runs before the program: every way out (connecting, sending, listening beyond loopback,
# looking up a name) fails, and is written to $NETWORK_LOG first, so an attempt is seen
# even if the program swallows the error. Creating a socket is allowed: importing spaCy
# pulls in urllib3, which opens an IPv6 socket on ::1 to learn whether IPv6 works; that
# socket never leaves the machine. Local (AF_UNIX) sockets are allowed too.
GUARD = """
import os, socket, sys

def _refuse(what, *args):
    with open(os.environ["NETWORK_LOG"], "a", encoding="utf-8") as log:
        log.write(f"{what} {args!r:.120}\\n")
    raise OSError(f"network use refused in this test: {what}")

class _Guarded(socket.socket):
    def _out(self, what, *args):
        if self.family != socket.AF_UNIX:
            _refuse(what, *args)

    def connect(self, address):
        self._out("connect", address)
        return super().connect(address)

    def connect_ex(self, address):
        self._out("connect_ex", address)
        return super().connect_ex(address)

    def sendto(self, *args):
        self._out("sendto", *args)
        return super().sendto(*args)

    def sendmsg(self, *args):
        self._out("sendmsg", *args)
        return super().sendmsg(*args)

    def bind(self, address):
        if self.family != socket.AF_UNIX and address[0] not in ("127.0.0.1", "::1", "localhost"):
            _refuse("bind", address)
        return super().bind(address)

socket.socket = _Guarded
socket.create_connection = lambda *a, **k: _refuse("create_connection", *a)
socket.getaddrinfo = lambda *a, **k: _refuse("getaddrinfo", *a)
socket.gethostbyname = lambda *a, **k: _refuse("gethostbyname", *a)
socket.gethostbyname_ex = lambda *a, **k: _refuse("gethostbyname_ex", *a)

if sys.argv[1:2] == ["--probe"]:
    import urllib.request
    try:
        urllib.request.urlopen("http://127.0.0.1:9/", timeout=1)
    except OSError:
        pass
    try:
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("127.0.0.1", 9))
    except OSError:
        pass
    sys.exit(0)

from listen_trainer.cli import main
sys.exit(main(sys.argv[1:]))
"""

SECRET_REPLY = "It sounds like the quince-coloured letter still stings. You should burn it."
SECRET_STATEMENT = "I found the quince-coloured letter in his drawer and I cannot stop shaking."
MARKER = b"quince-coloured"


def guarded(tmp_path: Path, *argv: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    env = {
        **os.environ,
        "LISTEN_TRAINER_DATA_DIR": str(tmp_path / "data"),
        "LISTEN_TRAINER_CONFIG_DIR": str(tmp_path / "config"),
        "NETWORK_LOG": str(tmp_path / "network.log"),
    }
    return subprocess.run(
        [sys.executable, "-c", GUARD, *argv],
        input=stdin,
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
    )


def attempts(tmp_path: Path) -> str:
    log = tmp_path / "network.log"
    return log.read_text() if log.exists() else ""


def test_the_guard_does_catch_a_connection(tmp_path: Path) -> None:
    # Without this, the tests below could pass with a guard that sees nothing.
    done = guarded(tmp_path, "--probe")
    assert done.returncode == 0, done.stderr
    seen = attempts(tmp_path)
    assert "create_connection" in seen or "getaddrinfo" in seen, seen
    assert "sendto" in seen, seen


def test_a_jsonl_batch_reaches_nothing_outside(tmp_path: Path) -> None:
    lines = [
        {"id": 1, "statement": SECRET_STATEMENT, "reply": SECRET_REPLY},
        {"id": 2, "scenario": "workshop-worst-day", "reply": "What a rotten day. Tell me."},
        {"id": 3, "prompt": "Nobody came to my party.", "response": "At least it was cheap."},
    ]
    stdin = "".join(json.dumps(line) + "\n" for line in lines).encode()
    done = guarded(tmp_path, "score", "--jsonl", stdin=stdin)
    assert done.returncode == 0, done.stderr.decode()
    assert [json.loads(row)["id"] for row in done.stdout.splitlines()] == [1, 2, 3]
    assert attempts(tmp_path) == ""


def test_scoring_saving_checking_exporting_and_deleting_reach_nothing_outside(
    tmp_path: Path,
) -> None:
    steps = [
        ["score", "--statement", SECRET_STATEMENT, SECRET_REPLY],
        ["score", "--json", "--scenario", "workshop-worst-day", "You should quit."],
        ["check"],
        ["history", "export", "--format", "json", "--output", str(tmp_path / "out.json")],
        ["history", "stats"],
        ["history", "delete", "--all", "--yes"],
    ]
    for argv in steps:
        done = guarded(tmp_path, *argv)
        assert done.returncode == 0, (argv, done.stderr.decode())
        assert b"Traceback" not in done.stderr
    assert attempts(tmp_path) == ""
    assert (tmp_path / "out.json").exists()


def test_serve_and_each_browsers_trainer_reach_nothing_outside(tmp_path: Path) -> None:
    """`serve` under the same guard, loaded into every process it starts (sitecustomize),
    so the server and each browser's trainer are watched. Its listening socket on
    127.0.0.1 is the one stated exception: the guard allows loopback binds already.
    A participant says who they are, scores a reply, and it is saved under their name."""
    aiohttp = pytest.importorskip("aiohttp")
    pytest.importorskip("textual_serve")
    from listen_trainer.store import History
    from test_serve import chooser_shown, free_port

    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(GUARD.split("if sys.argv[1:2]")[0])
    env = {
        **os.environ,
        "PYTHONPATH": str(site),
        "LISTEN_TRAINER_DATA_DIR": str(tmp_path / "data"),
        "LISTEN_TRAINER_CONFIG_DIR": str(tmp_path / "config"),
        "NETWORK_LOG": str(tmp_path / "network.log"),
    }
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "listen_trainer", "serve", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    history = tmp_path / "data" / "history.sqlite3"

    def saved() -> list[str]:
        if not history.exists():
            return []
        with History.open(history) as opened:
            return [a.reply for a in opened.attempts(profile="Quince")]

    async def practise() -> list[str]:
        url = f"http://127.0.0.1:{port}/ws?width=100&height=34"
        async with aiohttp.ClientSession() as client, client.ws_connect(url) as ws:
            assert "Who is practising?" in await chooser_shown(ws)
            for keys in ("Quince\r", "p"):
                await ws.send_json(["stdin", keys])
                await asyncio.sleep(1)
            await ws.send_json(["stdin", SECRET_REPLY + "\r"])
            deadline = time.monotonic() + 60
            while not saved() and time.monotonic() < deadline:
                await asyncio.sleep(0.5)
            return saved()

    try:
        assert server.stdout is not None
        assert f"127.0.0.1:{port}".encode() in server.stdout.readline()
        assert asyncio.run(practise()) == [SECRET_REPLY]
    finally:
        server.send_signal(signal.SIGTERM)
        _, err = server.communicate(timeout=30)
    assert server.returncode == 0, err.decode()
    assert attempts(tmp_path) == ""
    assert "sitecustomize" not in err.decode()  # the guard loaded without complaint


# --------------------------------------------------------------------------- the history

try:
    import listen_trainer.store  # noqa: F401

    HAS_STORE = True
except ImportError:  # pragma: no cover - the store is part of the app today
    HAS_STORE = False


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture()
def open_umask() -> Iterator[None]:
    # The most careless setting a user can have: files would be world-writable.
    before = os.umask(0)
    yield
    os.umask(before)


@pytest.mark.skipif(not HAS_STORE, reason="no history store in this build")
def test_history_and_exports_are_the_learners_alone_and_delete_scrubs_the_bytes(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    open_umask: None,
) -> None:
    data = tmp_path / "data"
    monkeypatch.setenv("LISTEN_TRAINER_DATA_DIR", str(data))
    monkeypatch.setenv("LISTEN_TRAINER_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.chdir(tmp_path)

    for n in range(3):
        code = cli.main(["score", "--statement", SECRET_STATEMENT, f"{SECRET_REPLY} ({n})"])
        assert code == 0
    database = data / "history.sqlite3"
    assert mode(data) == 0o700
    files = [p for p in data.iterdir() if p.name.startswith("history.sqlite3")]
    assert database in files
    assert {p.name: mode(p) for p in files} == {p.name: 0o600 for p in files}

    assert cli.main(["history", "export", "--format", "json", "--output", "out.json"]) == 0
    assert cli.main(["history", "export", "--format", "csv", "--output", "out.csv"]) == 0
    assert cli.main(["history", "export", "--format", "csv", "--output", "out.csv", "--force"]) == 0
    for export in ("out.json", "out.csv"):
        assert mode(tmp_path / export) == 0o600, export
        assert MARKER in (tmp_path / export).read_bytes()

    def stored_bytes() -> bytes:
        return b"".join(
            p.read_bytes() for p in data.iterdir() if p.name.startswith("history.sqlite3")
        )

    assert MARKER in stored_bytes()  # so the check below can fail
    assert cli.main(["history", "delete", "--all", "--yes"]) == 0
    assert MARKER not in stored_bytes()
    assert b"burn it" not in stored_bytes() and b"cannot stop shaking" not in stored_bytes()


@pytest.mark.skipif(not HAS_STORE, reason="no history store in this build")
def test_history_list_and_stats_never_print_a_reply(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LISTEN_TRAINER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LISTEN_TRAINER_CONFIG_DIR", str(tmp_path / "config"))
    assert cli.main(["score", "--no-save", "--statement", SECRET_STATEMENT, "Oh."]) == 0
    assert cli.main(["score", "--statement", SECRET_STATEMENT, SECRET_REPLY]) == 0
    capsys.readouterr()
    assert cli.main(["history", "list"]) == 0
    assert cli.main(["history", "stats"]) == 0
    shown = capsys.readouterr()
    assert "quince" not in shown.out + shown.err
