"""The worst single-reply latency over many replies, with and without `gc.freeze`.

    .venv/bin/python bench/latency.py [--replies 10000]

Each way runs in a process of its own: build a Scorer (then, in the second, call
`pipeline.freeze_built_objects`, which is `gc.freeze`), warm it on a few replies, then
score each reply alone with `Scorer.score`, timing each. Prints the median, p99, p99.9
and the worst, each reply's CPU time (`thread_time`, which other work on the machine
moves much less than wall time), and the garbage collector's full collections during the
run with their longest pause (`gc.callbacks`): a full collection walks every object
alive, the Scorer's too unless they were frozen, and lands in whichever reply is being
scored. The replies
are bench/run.py's generated ones, then the outside data's real replies (ESConv, each to
its own statement) where that sits beside the checkout. Figures depend on what else the
machine runs: the load average is printed with them.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

warnings.filterwarnings("ignore")
HERE = Path(__file__).resolve()
OUTSIDE = HERE.parents[2] / "shared" / "data" / "esconv_dev.jsonl"
WARM_UP = 200


def corpus(count: int) -> list[tuple[str, str]]:
    """(statement, reply) pairs: the bench's replies, then real ones, `count` in all."""
    sys.path.insert(0, str(HERE.parent))
    from run import replies

    pairs: list[tuple[str, str]] = []
    if OUTSIDE.exists():
        rows = [json.loads(line) for line in OUTSIDE.read_text(encoding="utf-8").splitlines()]
        pairs = [(r["prompt"], r["response"]) for r in rows][: count // 2]
    return replies(count - len(pairs)) + pairs


def measure(count: int, freeze: bool) -> dict[str, float]:
    from listen_trainer.scoring import Scorer
    from listen_trainer.scoring.pipeline import freeze_built_objects

    scorer = Scorer()
    if freeze:
        freeze_built_objects()
    pairs = corpus(count)
    for statement, reply in pairs[:WARM_UP]:
        scorer.score(reply, statement=statement)
    pauses: list[float] = []
    started: list[float] = []

    def watch(phase: str, info: dict[str, int]) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            started.append(time.perf_counter())
        elif started:
            pauses.append((time.perf_counter() - started.pop()) * 1000)

    gc.callbacks.append(watch)
    times, cpu = [], []
    for statement, reply in pairs:
        start, start_cpu = time.perf_counter(), time.thread_time()
        scorer.score(reply, statement=statement)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.thread_time() - start_cpu) * 1000)
    gc.callbacks.remove(watch)
    ordered = sorted(times)
    return {
        "cpu_p99": sorted(cpu)[int(0.99 * len(cpu))],
        "cpu_worst": max(cpu),
        "replies": len(times),
        "median": statistics.median(times),
        "p99": ordered[int(0.99 * len(ordered))],
        "p999": ordered[int(0.999 * len(ordered))],
        "worst": ordered[-1],
        "full_collections": len(pauses),
        "longest_pause": max(pauses, default=0.0),
        "frozen": gc.get_freeze_count(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replies", type=int, default=10_000)
    parser.add_argument("--measure", choices=["plain", "frozen"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.replies, args.measure == "frozen")))
        return 0
    load = os.getloadavg()[0]
    print(f"{args.replies:,} replies scored one at a time (ms)")
    print(
        f"{'':<10}{'median':>9}{'p99':>9}{'p99.9':>9}{'worst':>9}"
        f"{'CPU p99':>9}{'CPU max':>9}  full GCs (longest pause)"
    )
    for way in ("plain", "frozen"):
        done = subprocess.run(
            [sys.executable, str(HERE), "--replies", str(args.replies), "--measure", way],
            capture_output=True,
            text=True,
            check=True,
        )
        m = json.loads(done.stdout)
        print(
            f"{way:<10}{m['median']:>9.3f}{m['p99']:>9.3f}{m['p999']:>9.3f}{m['worst']:>9.3f}"
            f"{m['cpu_p99']:>9.3f}{m['cpu_worst']:>9.3f}"
            f"  {m['full_collections']} ({m['longest_pause']:.1f} ms)"
            f"  [{m['frozen']:,} objects frozen]"
        )
    print(f"load average (1 min) before/after: {load:.2f} / {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
