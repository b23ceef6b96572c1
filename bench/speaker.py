"""Speed of the speaker's scorer, printed as figures (never asserted in tests).

    .venv/bin/python bench/speaker.py [--rounds N]

Prints: building a SpeakerScorer in this process (pipeline and rubric), the per-statement
latency median and p99 over the speaker packs' exemplar statements (each scored against
its scenario, `rounds` times), and the cold start of `listen-trainer score --speaker
--json --no-save` as a whole process (median of five). Wall-clock figures depend on what
else the machine runs: the load average is printed with them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f}")

    from listen_trainer.content.speaker_library import load_speaker_library, load_speaker_rubric

    started = time.perf_counter()
    from listen_trainer.scoring.speaker import SpeakerScorer

    rubric = load_speaker_rubric()
    scorer = SpeakerScorer(rubric)
    print(f"build (import, rubric, pipeline, compile): {time.perf_counter() - started:.2f} s")

    library = load_speaker_library(rubric.lexicon, [REPO / "scenarios"])
    items = [(e.reply, s) for _, s in library.scenarios() for e in s.exemplars]
    for text, scenario in items[:50]:
        scorer.score(text, scenario)  # warm the caches, as a session would
    times = []
    for _ in range(args.rounds):
        for text, scenario in items:
            begun = time.perf_counter()
            scorer.score(text, scenario)
            times.append(time.perf_counter() - begun)
    times.sort()
    p99 = times[int(len(times) * 0.99)]
    print(
        f"per statement ({len(times)} scored): median {statistics.median(times) * 1000:.2f} ms, "
        f"p99 {p99 * 1000:.2f} ms"
    )

    runs = []
    for _ in range(5):
        begun = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "listen_trainer",
                "score",
                "--speaker",
                "--json",
                "--no-save",
                "I felt lonely last night. Would you sit with me tonight?",
            ],
            check=True,
            capture_output=True,
        )
        runs.append(time.perf_counter() - begun)
    print(f"cold start, score --speaker --json (process): median {statistics.median(runs):.2f} s")


if __name__ == "__main__":
    main()
