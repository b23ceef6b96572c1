"""How long the trainer takes to draw Home, as a ratio to a bare Textual app.

    .venv/bin/python bench/first_paint.py [--runs N]

Each run is a fresh process (imports are most of the cost): from its start to the first
refresh of its first screen, in a headless terminal of 80x24. The bare app is a Header, a
Static and a Footer; the trainer loads its rubric and packs and draws Home, as
`listen-trainer` does (the scorer is built afterwards, in a worker, and is not waited
for). Runs alternate between the two so that the machine's load weighs on both alike;
the load average is printed with the figures.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

BARE = """
import time
start = time.perf_counter()
from textual.app import App
from textual.widgets import Footer, Header, Static

class Bare(App):
    def compose(self):
        yield Header()
        yield Static("hello")
        yield Footer()

async def painted(pilot):
    await pilot.pause()
    print(time.perf_counter() - start)
    pilot.app.exit()

Bare().run(headless=True, size=(80, 24), auto_pilot=painted)
"""

TRAINER = """
import time
start = time.perf_counter()
from listen_trainer.content.library import load_library, load_rubric, pack_dirs
from listen_trainer.tui import make_app

rubric = load_rubric()
app = make_app(rubric, load_library(rubric, pack_dirs()), scorer=None)

async def painted(pilot):
    await pilot.pause()
    print(time.perf_counter() - start)
    pilot.app.exit()

app.run(headless=True, size=(80, 24), auto_pilot=painted)
"""


def run_once(code: str, env: dict[str, str]) -> tuple[float, float]:
    """(seconds from process start to exit, seconds from its first line to first paint)."""
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    wall = time.perf_counter() - began
    return wall, float(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        # Private folders: a run must not touch the learner's history or settings.
        env = {
            **os.environ,
            "LISTEN_TRAINER_DATA_DIR": f"{folder}/data",
            "LISTEN_TRAINER_CONFIG_DIR": f"{folder}/config",
        }
        run_once(BARE, env)  # warm the file cache for both
        run_once(TRAINER, env)
        bare: list[tuple[float, float]] = []
        trainer: list[tuple[float, float]] = []
        for _ in range(args.runs):
            bare.append(run_once(BARE, env))
            trainer.append(run_once(TRAINER, env))
    load = os.getloadavg()[0]
    # The trainer's process lives on after Home is drawn: it builds the scorer in its
    # worker, which the exit waits for; that line is there to show it, not to compare.
    for name, index in (("first line to first paint", 1), ("process start to exit", 0)):
        b = statistics.median(r[index] for r in bare)
        t = statistics.median(r[index] for r in trainer)
        print(f"{name:<28} bare {b:.3f} s  trainer {t:.3f} s  ratio {t / b:.2f}")
    print(f"({args.runs} alternating runs each, median; load average {load:.1f})")


if __name__ == "__main__":
    main()
