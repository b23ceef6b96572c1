"""Speed and memory of the scoring engine, printed as figures (never asserted in tests).

    make bench            # or: .venv/bin/python bench/run.py [--replies N]

Prints, for the engine and for the floor (the bare spaCy tokenizer, sentencizer,
lemmatizer and rubric matchers on the same replies): per-reply latency median and p99,
batch throughput in one process and shared among worker processes (one per core) two
ways: as Feedback models in this process (`score_many`, each rebuilt from the workers'
JSON) and as the JSON text stream (`score_many_json`, what `score --jsonl` writes), with
this process's CPU per reply for each; then `score --jsonl` through the command on the
same replies, the cold start of `listen-trainer score --json`, and peak memory; and, where
the outside data sits beside the checkout, the same on ESConv's real replies, each to its
own statement.
`--crossover` also times batches of growing size both ways, to see where sharing the work
starts to pay.
Targets: batch >= 5,000 replies/s on 2 cores, p99 < 5 ms, cold start < 1.3 s.
The replies are generated from templates here, in our own words. Wall-clock figures
depend on what else the machine runs: the load average is printed with them.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

warnings.filterwarnings("ignore")

OPENINGS = ["", "Oh love, ", "Honestly, ", "Hmm. ", "Okay. "]
BODIES = [
    "It sounds like today was really sad for you.",
    "You should get some rest and stop worrying about it.",
    "At least you still have your health.",
    "Don't be sad, it'll all be fine tomorrow.",
    "That reminds me of when my own dad got sick.",
    "That's not true, I did the dishes last night.",
    "Ok. Sorry you feel that way.",
    "Why didn't you tell me sooner?",
    "What was the hardest part of the day?",
    "I'm here, and it makes sense you feel so alone with it.",
    "I understand, but you need to calm down.",
    "You're not overreacting. Of course you're hurt. Is that right?",
]
STATEMENTS = [
    "I felt so sad all day.",
    "You never take out the trash and I'm fed up.",
    "I'm nervous about my test tomorrow.",
    "My boss took credit for my work again.",
]


def replies(n: int) -> list[tuple[str, str]]:
    rng = random.Random(7)
    out = []
    for _ in range(n):
        body = " ".join(rng.sample(BODIES, rng.randint(1, 3)))
        out.append((rng.choice(STATEMENTS), rng.choice(OPENINGS) + body))
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def cold_start(runs: int = 5) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU (user + system) seconds of each run."""
    times, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "listen_trainer",
                "score",
                "--json",
                "--no-save",
                "--statement",
                "I felt so sad all day",
                "It sounds so sad.",
            ],
            check=True,
            capture_output=True,
        )
        times.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return times, cpu


def rate(scorer: object, requests: list, workers: int, as_json: bool = False) -> float:
    score = scorer.score_many_json if as_json else scorer.score_many  # type: ignore[attr-defined]
    start = time.perf_counter()
    count = sum(1 for _ in score(requests, workers=workers))
    return count / (time.perf_counter() - start)


def parent_rate(scorer: object, requests: list, workers: int, as_json: bool) -> tuple[float, float]:
    """Replies/s shared among workers, and this (the parent) process's CPU ms per reply."""
    cpu = time.process_time()
    shared = rate(scorer, requests, workers, as_json)
    return shared, (time.process_time() - cpu) / len(requests) * 1000


def jsonl_command(data: list[tuple[str, str]]) -> float:
    """Replies/s of `listen-trainer score --jsonl` on `data`, start and output included."""
    lines = "".join(
        json.dumps({"id": i, "statement": s, "reply": r}) + "\n" for i, (s, r) in enumerate(data)
    )
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "listen_trainer", "score", "--jsonl"],
        input=lines.encode(),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return len(data) / (time.perf_counter() - start)


def crossover(scorer: object, requests: list, workers: int) -> None:
    from listen_trainer.scoring import parallel

    print(f"\nbatch size -> replies/s in one process | {workers} workers (a new pool each time)")
    for size in (128, 256, 512, 1024, 2048, 4096):
        batch = requests[:size]
        one = max(rate(scorer, batch, 1) for _ in range(3))
        shared = []
        for _ in range(3):
            parallel.stop()
            start = time.perf_counter()
            # Below PARALLEL_FROM score_many stays serial; here the pool is asked directly.
            pool = parallel.pool_for(scorer, workers)  # type: ignore[arg-type]
            count = sum(1 for _ in parallel.score(pool, workers, batch))  # type: ignore[arg-type]
            shared.append(count / (time.perf_counter() - start))
        print(f"{size:>10,}{one:>12,.0f}{max(shared):>12,.0f}")
    parallel.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replies", type=int, default=20_000)
    parser.add_argument("--crossover", action="store_true", help="time batch sizes both ways")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]

    from listen_trainer.content.library import load_rubric
    from listen_trainer.scoring import Scorer, ScoreRequest

    rubric = load_rubric()
    built = time.perf_counter()
    scorer = Scorer(rubric)
    build_s = time.perf_counter() - built
    data = replies(args.replies)

    # Warm the statement cache so both measures see the same work.
    for statement in STATEMENTS:
        scorer.score("warm up", statement=statement)

    single = []
    for statement, reply in itertools.islice(data, 2000):
        start = time.perf_counter()
        scorer.score(reply, statement=statement)
        single.append((time.perf_counter() - start) * 1000)

    from listen_trainer.scoring import parallel

    requests = [ScoreRequest(r, statement=s) for s, r in data]
    cpu = time.process_time()
    engine_rate = rate(scorer, requests, 1)
    engine_cpu = (time.process_time() - cpu) / len(requests) * 1000
    workers = parallel.default_workers()
    shared_rate, shared_cpu = parent_rate(scorer, requests, workers, as_json=False)
    shared = parallel.serves(scorer)
    json_rate, json_cpu = parent_rate(scorer, requests, workers, as_json=True)

    nlp = scorer.nlp
    floor_single = []
    for _, reply in itertools.islice(data, 2000):
        start = time.perf_counter()
        nlp(reply)
        floor_single.append((time.perf_counter() - start) * 1000)
    start = time.perf_counter()
    cpu = time.process_time()
    floor_count = sum(1 for _ in nlp.pipe(r for _, r in data))
    floor_rate = floor_count / (time.perf_counter() - start)
    floor_cpu = (time.process_time() - cpu) / floor_count * 1000

    # Real replies, each to its own statement (read for its feelings too): the outside
    # data, where it is beside the checkout. Templates repeat words; people do less.
    outside = Path(__file__).resolve().parents[2] / "shared" / "data" / "esconv_dev.jsonl"
    outside_rate = outside_cpu = None
    if outside.exists():
        rows = [json.loads(line) for line in outside.read_text(encoding="utf-8").splitlines()]
        real = [ScoreRequest(r["response"], statement=r["prompt"]) for r in rows]
        # Shared first, while the caches have not met these words and statements yet.
        outside_rate = rate(scorer, real, workers, as_json=True)
        cpu = time.process_time()
        rate(scorer, real, 1, as_json=True)
        outside_cpu = (time.process_time() - cpu) / len(real) * 1000

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    scorer.close()  # the workers are waited for, so their peak is counted below
    workers_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    command_rate = jsonl_command(data)
    cold, cold_cpu = cold_start()

    print(f"listen-trainer engine bench: {len(data):,} replies, Python {sys.version.split()[0]}")
    print(f"{'measure':<34}{'engine':>12}{'floor':>12}{'target':>12}")
    print(
        f"{'per reply, median (ms)':<34}{statistics.median(single):>12.3f}"
        f"{statistics.median(floor_single):>12.3f}{'':>12}"
    )
    print(
        f"{'per reply, p99 (ms)':<34}{percentile(single, 0.99):>12.3f}"
        f"{percentile(floor_single, 0.99):>12.3f}{'< 5':>12}"
    )
    print(
        f"{'batch, one process (replies/s)':<34}{engine_rate:>12,.0f}{floor_rate:>12,.0f}{'':>12}"
    )
    # CPU time hardly depends on what else runs: the capacity of one idle core.
    print(f"{'batch, CPU per reply (ms)':<34}{engine_cpu:>12.3f}{floor_cpu:>12.3f}")
    label = f"batch, {workers} workers, Feedback" if shared else "batch (no fork here)"
    print(f"{label:<34}{shared_rate:>12,.0f}{'':>12}{'>= 5,000':>12}   (replies/s)")
    print(f"{'  parent CPU per reply (ms)':<34}{shared_cpu:>12.3f}")
    label = f"batch, {workers} workers, JSON" if shared else "batch as JSON (no fork)"
    print(f"{label:<34}{json_rate:>12,.0f}{'':>12}{'>= 5,000':>12}   (replies/s)")
    print(f"{'  parent CPU per reply (ms)':<34}{json_cpu:>12.3f}")
    if outside_rate is not None:
        print(f"{'ESConv replies, CPU per reply (ms)':<34}{outside_cpu:>12.3f}")
        label = f"ESConv replies, {workers} workers, JSON"
        print(f"{label:<34}{outside_rate:>12,.0f}{'':>12}{'':>12}   (replies/s)")
    print(
        f"{'score --jsonl, whole command':<34}{command_rate:>12,.0f}{'':>12}{'':>12}   (replies/s)"
    )
    print(f"{'building the Scorer (s)':<34}{build_s:>12.3f}")
    print(
        f"{'cold start, score --json (s)':<34}{statistics.median(cold):>12.3f}"
        f"{'':>12}{'< 1.3':>12}   (median of {len(cold)}; best {min(cold):.3f})"
    )
    print(f"{'cold start, CPU (s)':<34}{statistics.median(cold_cpu):>12.3f}")
    print(f"{'peak memory, this process (MB)':<34}{peak_mb:>12.0f}")
    print(f"{'peak memory, largest worker (MB)':<34}{workers_mb:>12.0f}")
    print(f"load average (1 min) before/after: {load_before:.2f} / {os.getloadavg()[0]:.2f}")
    if args.crossover:
        crossover(Scorer(rubric), requests, workers)

    shared = Path(__file__).resolve().parents[2] / "shared" / "data"
    files = [shared / "esconv_dev.jsonl", shared / "annomi_dev.jsonl"]
    if all(f.exists() for f in files):
        print("\nScorer quality on the outside data (listen-trainer eval; docs/quality.md):")
        done = subprocess.run(
            [sys.executable, "-m", "listen_trainer", "eval", *map(str, files), "--exemplars"],
            capture_output=True,
            text=True,
        )
        bars = [
            line for line in done.stdout.splitlines() if line.startswith("  ") and ("bar" in line)
        ]
        print("\n".join(bars) or done.stdout[-2000:])


if __name__ == "__main__":
    main()
