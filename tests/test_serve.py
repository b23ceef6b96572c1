"""`listen-trainer serve`: the trainer in a browser, on loopback unless told otherwise.

The server runs as the real program in a subprocess on a free loopback port: it answers
with its page (which fetches nothing from the internet), a websocket session starts a
trainer that asks who is practising, and SIGTERM stops it all with exit 0.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from listen_trainer.cli import build_parser
from listen_trainer.cli.serve import host_allowed, is_loopback, same_origin, trainer_command

aiohttp = pytest.importorskip("aiohttp")
pytest.importorskip("textual_serve")

ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]")
STARTUP_SECONDS = 60  # a cold spaCy import on a slow CI machine; usually about 2 s


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def children_of(pid: int) -> list[int]:
    """Processes whose parent is `pid` (Linux /proc; empty elsewhere)."""
    found = []
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = entry.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry.parent.name))
    return found


def descendants(pid: int) -> list[int]:
    every = []
    todo = [pid]
    while todo:
        kids = children_of(todo.pop())
        every.extend(kids)
        todo.extend(kids)
    return every


def start_server(tmp_path: Path, *extra: str) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = {
        **os.environ,
        "LISTEN_TRAINER_DATA_DIR": str(tmp_path / "data"),
        "LISTEN_TRAINER_CONFIG_DIR": str(tmp_path / "config"),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "listen_trainer", "serve", "--port", str(port), *extra],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    banner = process.stdout.readline()  # blocks until the server listens (or dies)
    if f"127.0.0.1:{port}".encode() not in banner:
        process.kill()
        pytest.fail(f"serve did not start: {banner!r} {process.stderr}")
    return process, port


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    port = free_port()
    env = {
        **os.environ,
        "LISTEN_TRAINER_DATA_DIR": str(tmp_path / "data"),
        "LISTEN_TRAINER_CONFIG_DIR": str(tmp_path / "config"),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "listen_trainer", "serve", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()  # blocks until the server listens (or dies)
        assert f"127.0.0.1:{port}".encode() in banner, (banner, process.stderr)
        yield process, port
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def stop(process: subprocess.Popen[bytes]) -> tuple[int, bytes]:
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=20)
    return process.returncode, err


async def chooser_shown(ws: Any) -> str:
    """Read the trainer's screen until it asks who is practising; the text seen."""
    seen = b""
    deadline = time.monotonic() + STARTUP_SECONDS
    while b"Who is practising" not in ANSI.sub(b"", seen) and time.monotonic() < deadline:
        message = await ws.receive(timeout=STARTUP_SECONDS)
        if message.type != aiohttp.WSMsgType.BINARY:
            break
        seen += message.data
    return ANSI.sub(b"", seen).decode("utf-8", "replace")


def test_serve_answers_with_a_page_that_needs_no_internet_and_stops_cleanly(
    server: tuple[subprocess.Popen[bytes], int],
) -> None:
    process, port = server
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
        assert response.status == 200
        assert response.headers.get_content_type() == "text/html"
        page = response.read().decode()
    assert 'id="terminal"' in page
    assert f"ws://127.0.0.1:{port}/ws" in page
    # Every script, style and font the page loads comes from this server.
    fetched = re.findall(r'(?:src|href)="([^"]+)"|url\("([^"]+)"\)', page)
    urls = [a or b for a, b in fetched]
    assert urls, page
    assert all(u.startswith(f"http://127.0.0.1:{port}/static/") for u in urls), urls
    with urllib.request.urlopen(urls[0], timeout=10) as asset:
        assert asset.status == 200

    code, err = stop(process)
    assert code == 0, err.decode()
    assert b"Traceback" not in err


def test_each_browser_gets_a_trainer_that_asks_who_is_practising(
    server: tuple[subprocess.Popen[bytes], int],
) -> None:
    process, port = server

    # Join as a browser does, then stop the server while the browser is still there:
    # the stop ends that browser's trainer too.
    async def join_then_stop() -> tuple[str, int, bytes, list[int]]:
        url = f"http://127.0.0.1:{port}/ws?width=100&height=30"
        async with aiohttp.ClientSession() as client, client.ws_connect(url) as ws:
            screen = await chooser_shown(ws)
            trainers = descendants(process.pid)
            code, err = await asyncio.to_thread(stop, process)
            return screen, code, err, trainers

    screen, code, err, trainers = asyncio.run(join_then_stop())
    assert "Who is practising?" in screen

    assert code == 0, err.decode()
    assert b"Traceback" not in err
    assert trainers, "the session started no trainer process"
    assert not [pid for pid in trainers if Path(f"/proc/{pid}").exists()]


def test_help_says_what_a_network_host_exposes() -> None:
    parser = build_parser()
    serve = parser._subparsers._group_actions[0].choices["serve"]  # type: ignore[union-attr]
    text = " ".join(serve.format_help().split())
    assert "only this machine can connect (127.0.0.1)" in text
    assert "anyone who can reach this machine" in text
    assert "stored on this machine" in text
    args = parser.parse_args(["serve"])
    assert (args.host, args.port) == ("127.0.0.1", 8000)


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("0.0.0.0", False),
        ("192.168.1.20", False),
        ("trainer.local", False),
    ],
)
def test_only_loopback_hosts_count_as_private(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_each_browser_runs_this_program_asking_for_a_profile_with_the_packs_quoted(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "my packs; rm -rf ~"
    command = trainer_command([folder])
    assert command.startswith(f"exec {sys.executable} -m listen_trainer --ask-profile")
    assert f"'--packs={folder}'" in command


def test_a_busy_port_is_a_clear_error(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "LISTEN_TRAINER_CONFIG_DIR": str(tmp_path / "config")}
        done = subprocess.run(
            [sys.executable, "-m", "listen_trainer", "serve", "--port", str(port)],
            env=env,
            capture_output=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == 1
    assert f"cannot listen on 127.0.0.1 port {port}" in done.stderr.decode()
    assert b"Traceback" not in done.stderr


# --------------------------------------------------------------------------- who may join


@pytest.mark.parametrize(
    ("host_header", "bind", "allowed"),
    [
        ("127.0.0.1:8000", "127.0.0.1", True),
        ("localhost:8000", "127.0.0.1", True),
        ("[::1]:8000", "::1", True),
        # A name a web page controls, pointed at this machine (DNS rebinding).
        ("rebind.example:8000", "127.0.0.1", False),
        ("rebind.example:8000", "0.0.0.0", False),
        ("192.168.1.20:8000", "127.0.0.1", False),
        ("192.168.1.20:8000", "0.0.0.0", True),
        ("trainer.local:8000", "trainer.local", True),
        ("127.0.0.1:not-a-port", "127.0.0.1", False),
        ("", "127.0.0.1", False),
    ],
)
def test_only_requests_that_name_this_server_are_answered(
    host_header: str, bind: str, allowed: bool
) -> None:
    assert host_allowed(host_header, bind) is allowed


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        ("http://127.0.0.1:8000", True),
        (None, True),  # not a browser acting for a page
        ("http://127.0.0.1:9000", False),  # another server on this machine
        ("http://localhost:8000", False),  # another origin, though the same machine
        ("https://example.com", False),
        ("null", False),  # a sandboxed frame or a file:// page
        ("http://127.0.0.1:8000:1", False),
    ],
)
def test_a_session_starts_only_from_the_servers_own_page(origin: str | None, allowed: bool) -> None:
    assert same_origin(origin, "127.0.0.1:8000") is allowed


def test_other_sites_are_refused_the_full_server_says_so_and_nothing_is_listed(
    tmp_path: Path,
) -> None:
    process, port = start_server(tmp_path, "--max-sessions", "1")
    base = f"http://127.0.0.1:{port}"

    def status(path: str, **headers: str) -> tuple[int, str]:
        request = urllib.request.Request(base + path, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as refused:
            return refused.code, refused.read().decode()

    async def visit() -> dict[str, Any]:
        seen: dict[str, Any] = {}
        url = f"ws://127.0.0.1:{port}/ws?width=100&height=30"
        async with aiohttp.ClientSession() as client:
            try:
                await client.ws_connect(url, headers={"Origin": "https://attacker.example"})
            except aiohttp.WSServerHandshakeError as refused:
                seen["foreign origin"] = refused.status
            seen["trainers after foreign"] = descendants(process.pid)
            async with client.ws_connect(url, headers={"Origin": base}) as first:
                seen["first"] = await chooser_shown(first)
                async with client.ws_connect(url, headers={"Origin": base}) as second:
                    message = await second.receive(timeout=10)
                    seen["second"] = message.data
                    closing = await second.receive(timeout=10)
                    seen["second closed"] = second.close_code or closing.data
                seen["index when full"] = await asyncio.to_thread(status, "/")
                # A malformed message ends that session, with no traceback in the log.
                await first.send_json(["stdin", 5])
                await first.receive(timeout=30)
        return seen

    try:
        assert status("/", Host="rebind.example:80")[0] == 421
        assert status("/static/")[0] in (403, 404)
        assert status("/static/js/")[0] in (403, 404)
        seen = asyncio.run(visit())
        with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
            raw.sendall(b"\x16\x03\x01 not http at all\r\n\r\n")
            raw.recv(1024)
    finally:
        code, err = stop(process)

    assert seen["foreign origin"] == 403
    assert seen["trainers after foreign"] == []
    assert "Who is practising?" in seen["first"]
    assert b"The trainer is full: it takes 1 at once" in seen["second"]
    assert seen["second closed"] == 1013
    assert seen["index when full"][0] == 503
    assert "The trainer is full" in seen["index when full"][1]
    assert code == 0
    text = err.decode()
    assert "Traceback" not in text
    assert "refused a session opened by a page from another site" in text
    assert "\x16" not in text
