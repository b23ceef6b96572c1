"""`listen-trainer serve` in a real (headless) browser: the terminal has the keyboard as
soon as the page has loaded, so a participant types their name without clicking first.

Driven through the Chrome DevTools protocol; skipped where no Chromium is installed.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

aiohttp = pytest.importorskip("aiohttp")
pytest.importorskip("textual_serve")

BROWSER = next(
    (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)),
    None,
)
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(BROWSER is None, reason="no Chromium to open the served page in"),
]
LOAD_SECONDS = 60  # a cold start on a slow machine; usually a few seconds


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[int]:
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
        stderr=subprocess.DEVNULL,
    )
    try:
        assert process.stdout is not None
        assert f"127.0.0.1:{port}".encode() in process.stdout.readline()
        yield port
    finally:
        process.kill()
        process.wait()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[int]:
    port = free_port()
    assert BROWSER is not None
    process = subprocess.Popen(
        [
            BROWSER,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            f"--user-data-dir={tmp_path / 'browser'}",
            f"--remote-debugging-port={port}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield port
    finally:
        process.kill()
        process.wait()


async def focused_after_load(browser_port: int, url: str) -> str:
    """Open `url`; once the trainer has drawn, the class of the element with the focus."""
    async with aiohttp.ClientSession() as http:
        pages: list[dict[str, Any]] = []
        deadline = time.monotonic() + LOAD_SECONDS
        while not pages and time.monotonic() < deadline:
            try:
                async with http.get(f"http://127.0.0.1:{browser_port}/json") as answer:
                    pages = [p for p in await answer.json() if p["type"] == "page"]
            except aiohttp.ClientError:
                await asyncio.sleep(0.2)
        assert pages, "the browser did not start"
        async with http.ws_connect(pages[0]["webSocketDebuggerUrl"], max_msg_size=0) as ws:
            calls = 0

            async def call(method: str, **params: Any) -> dict[str, Any]:
                nonlocal calls
                calls += 1
                await ws.send_json({"id": calls, "method": method, "params": params})
                while True:
                    message = await ws.receive_json(timeout=LOAD_SECONDS)
                    if message.get("id") == calls:
                        return message["result"]

            async def page(expression: str) -> str:
                result = await call("Runtime.evaluate", expression=expression, returnByValue=True)
                return str(result["result"].get("value", ""))

            await call("Page.navigate", url=url)
            while time.monotonic() < deadline:
                # textual.js marks the body once the trainer's first output has arrived.
                if "-first-byte" in await page("document.body.className"):
                    await asyncio.sleep(1.0)
                    return await page("document.activeElement.className")
                await asyncio.sleep(0.3)
            raise AssertionError("the trainer never drew in the browser")


def test_the_served_terminal_has_the_keyboard_without_a_click(served: int, browser: int) -> None:
    active = asyncio.run(focused_after_load(browser, f"http://127.0.0.1:{served}/"))
    # xterm.js reads keys through this hidden textarea; without the focus there, keys
    # go nowhere until the terminal is clicked.
    assert "xterm-helper-textarea" in active, active
