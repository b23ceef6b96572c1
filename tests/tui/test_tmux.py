"""The installed `listen-trainer` in a real terminal (tmux): start, reply, see a verdict."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import PLACATING, TEST_PACK

TMUX = shutil.which("tmux")
ROOT = Path(__file__).resolve().parents[2]
PROGRAM = next(
    (
        p
        for p in (
            ROOT / ".venv" / "bin" / "listen-trainer",
            Path(sys.executable).parent / "listen-trainer",
        )
        if p.exists()
    ),
    None,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        TMUX is None,
        reason="tmux is not installed, so the real program cannot be driven in a terminal here",
    ),
    pytest.mark.skipif(
        PROGRAM is None,
        reason="the listen-trainer entry point is not "
        "installed (run `make test`, which installs it)",
    ),
]


def tmux(*args: str) -> str:
    assert TMUX is not None
    done = subprocess.run([TMUX, *args], capture_output=True, text=True, timeout=10, check=False)
    return done.stdout


class Terminal:
    def __init__(self, name: str) -> None:
        self.name = name

    def screen(self) -> str:
        return tmux("capture-pane", "-p", "-t", self.name)

    def keys(self, *keys: str, literal: bool = False) -> None:
        tmux("send-keys", "-t", self.name, *(["-l"] if literal else []), *keys)

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.1)
        raise AssertionError(
            f"{text!r} did not appear; the {self.size().strip()} screen shows:\n{self.screen()}"
        )

    def size(self) -> str:
        return tmux("display", "-p", "-t", self.name, "#{window_width}x#{window_height}")

    def alive(self) -> bool:
        assert TMUX is not None
        return (
            subprocess.run(
                [TMUX, "has-session", "-t", self.name], capture_output=True, timeout=10, check=False
            ).returncode
            == 0
        )


@pytest.fixture(params=[(80, 24), (120, 40)], ids=["80x24", "120x40"])
def terminal(private_folders: Path, request: pytest.FixtureRequest) -> Iterator[Terminal]:
    width, height = request.param
    name = f"listen-trainer-test-{os.getpid()}-{width}x{height}"
    command = " ".join(
        [
            "env",
            f"LISTEN_TRAINER_DATA_DIR={shlex.quote(str(private_folders / 'data'))}",
            f"LISTEN_TRAINER_CONFIG_DIR={shlex.quote(str(private_folders / 'config'))}",
            shlex.quote(str(PROGRAM)),
            "--packs",
            shlex.quote(str(TEST_PACK)),
        ]
    )
    tmux("new-session", "-d", "-s", name, "-x", str(width), "-y", str(height), command)
    try:
        yield Terminal(name)
    finally:
        tmux("kill-session", "-t", name)


def test_the_installed_program_scores_a_typed_reply(terminal: Terminal) -> None:
    # The first run asks who is practising and why, then opens an easy drill at once.
    terminal.wait_for("Who is practising?")
    terminal.keys("Ann", literal=True)
    terminal.keys("Enter")  # to the list of reasons...
    for _ in range(10):  # ...and its first, on my own, once the list has the focus
        time.sleep(0.4)
        if "Send reply" in terminal.screen():
            break
        terminal.keys("Enter")
    shown = terminal.wait_for("Send reply")
    assert "easy" in shown
    terminal.keys("Escape")
    terminal.wait_for("First time? Start here")
    assert "Practising as Ann" in terminal.screen()
    time.sleep(0.3)  # an Esc closely followed by a letter reads as Alt+letter
    terminal.keys("b")
    terminal.wait_for("Search statements")
    terminal.keys("tui-sad-day", literal=True)
    terminal.wait_for("I felt so sad all day")  # the best match, in the preview
    terminal.keys("Enter")  # from the search to the list...
    for _ in range(10):  # ...and open it, once the list has the focus
        time.sleep(0.3)
        terminal.keys("Enter")
        if "Send reply" in terminal.screen():
            break
    shown = terminal.wait_for("Send reply")
    assert "I felt so sad all day" in shown
    terminal.keys(PLACATING, literal=True)
    terminal.keys("Enter")
    shown = terminal.wait_for("/100")
    assert "PLACATING" in shown
    assert "Sorry you feel that way" in shown.split("Your reply")[1]
    # The statement stays in view with the feedback, with the keys that matter.
    shown = terminal.wait_for("Try again")
    assert "I felt so sad all day" in shown and "Model reply" in shown
    terminal.keys("Escape")
    terminal.wait_for("Reset filters")  # back on Browse
    terminal.keys("Escape")
    terminal.wait_for("First time? Start here")
    terminal.keys("q")
    deadline = time.monotonic() + 10
    while terminal.alive() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not terminal.alive(), "q on Home should quit the program"
