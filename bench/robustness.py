"""The worst cases of bad input, measured: the figures behind docs/robustness.md.

    .venv/bin/python bench/robustness.py [--examples N]

Prints Markdown table rows: each class of bad input, how many cases were tried, the worst
time (time.perf_counter, one run with a fresh tokenizer cache) and the worst memory
(tracemalloc's peak of Python allocations, measured in a second run since tracing slows
everything down; for whole processes, the child's own peak resident size, VmHWM, above
that of a run on one good line), and the result. Nothing here is asserted: the tests in
tests/test_robustness_*.py and tests/test_privacy.py do that, with generous guards.
Process rows need Linux (/proc/self/status).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

warnings.filterwarnings("ignore")

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))  # the hostile packs are defined with their tests

STATEMENT = "You never asked how my interview went. I waited all evening and felt invisible."


def measure(action: Callable[[], Any]) -> tuple[float, int]:
    """(seconds, peak bytes) of `action`: timed untraced, then traced for memory."""
    started = time.perf_counter()
    action()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    try:
        action()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return seconds, peak


def size(peak: int) -> str:
    return f"{peak / 1e6:.1f} MB" if peak >= 100_000 else f"{peak / 1e3:.0f} KB"


def row(name: str, cases: int | str, seconds: float, peak: int | None, result: str) -> None:
    memory = "n/a" if peak is None else size(peak)
    print(f"| {name} | {cases} | {seconds * 1000:,.0f} ms | {memory} | {result} |", flush=True)


def fresh(rng: random.Random, alphabet: str, n: int) -> str:
    # The tokenizer caches each chunk it has seen: a new string for every run.
    return "".join(rng.choice(alphabet) for _ in range(n))


# --------------------------------------------------------------------------- engine


def engine_rows(examples: int) -> None:
    from hypothesis import HealthCheck, given, settings

    from listen_trainer.scoring import Scorer
    from test_robustness_engine import ANY_REPLY  # type: ignore[import-not-found]

    scorer = Scorer()
    rng = random.Random(7)
    limit = scorer.rubric.settings.max_reply_chars

    def sound(reply: str, statement: str) -> bool:
        feedback = scorer.score(reply, statement=statement)
        return 0 <= feedback.score <= 100 and all(
            reply[f.start : f.end] == f.text for f in feedback.flags
        )

    worst = [0.0, 0]
    failures = [0]

    @settings(
        max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(reply=ANY_REPLY, statement=ANY_REPLY)
    def generated(reply: str, statement: str) -> None:
        seconds, peak = measure(lambda: scorer.score(reply, statement=statement))
        worst[0] = max(worst[0], seconds)
        worst[1] = max(worst[1], peak)
        failures[0] += not sound(reply, statement)

    generated()
    result = (
        "sound feedback, spans quote the reply" if not failures[0] else (f"{failures[0]} unsound")
    )
    row("Engine: generated text (hypothesis)", f"{examples:,}", worst[0], worst[1], result)

    named: dict[str, Callable[[], str]] = {
        "empty / whitespace only": lambda: rng.choice(["", " \n\t\u00a0\u3000 "]),
        "1 MB of text": lambda: (
            ("It sounds like you felt invisible. You should rest. " * 20_000)[:1_000_000]
            + fresh(rng, "ab", 8)
        ),
        "one 100 KB word": lambda: fresh(rng, "abcdefgh", 100_000),
        "emoji and combining marks": lambda: " ".join(
            fresh(rng, "😢👩\u200d👧e\u0301\u0301🏳️\u200d🌈", 12) for _ in range(2_000)
        ),
        "right-to-left text": lambda: " ".join(
            rng.choice(
                [
                    "\u202eyou should relax\u202c",
                    "\u05d0\u05e0\u05d9 \u05db\u05d0\u05df",
                    "\u0645\u0631\u062d\u0628\u0627",
                    "you feel invisible",
                ]
            )
            for _ in range(500)
        ),
        "control characters and NUL": lambda: fresh(
            rng, "you should just relax \x00\x1b\x07\x7f\x85", 20_000
        ),
        "lone surrogates": lambda: fresh(rng, "you should relax \ud800\udcff", 20_000),
        "4,000 symbols without a space": lambda: fresh(rng, "$%!?(\"'😢…", limit),
        "2,000 one-character questions": lambda: "? " * 2_000,
        "typos near feeling words": lambda: " ".join(
            fresh(rng, "frustaedlny", 9) for _ in range(600)
        ),
    }
    for name, make in named.items():
        worst_seconds, worst_peak = 0.0, 0
        for _ in range(3):
            reply, statement = make(), make()
            for pair in ((reply, STATEMENT), ("I'm here.", statement)):
                seconds, peak = measure(lambda p=pair: scorer.score(p[0], statement=p[1]))
                worst_seconds = max(worst_seconds, seconds)
                worst_peak = max(worst_peak, peak)
        feedback = scorer.score(reply, statement=STATEMENT)
        note = "scored" + (", truncated and told so" if feedback.truncated else "")
        row(f"Engine: {name}", "3 replies + 3 statements", worst_seconds, worst_peak, note)


# --------------------------------------------------------------------------- packs


def pack_rows() -> None:
    from listen_trainer.content.library import load_library, load_rubric
    from test_robustness_packs import HOSTILE, good_pack, write  # type: ignore[import-not-found]

    rubric = load_rubric()
    with tempfile.TemporaryDirectory() as tmp:
        for index, (name, (contents, _line, _words)) in enumerate(HOSTILE.items()):
            folder = Path(tmp) / f"case-{index}"
            folder.mkdir()
            (folder / "good.yaml").write_text(good_pack(f"good-{index}", f"good-{index}-one"))
            write(folder / "hostile.yaml", contents)
            library: list[Any] = []
            seconds, peak = measure(
                lambda f=folder, out=library: out.append(load_library(rubric, [f]))
            )
            loaded = library[-1]
            refused = [p for p in loaded.problems if p.file == str(folder / "hostile.yaml")]
            if not refused:
                result = "NOT refused"
            elif refused[0].line is not None:
                result = f"refused at line {refused[0].line}"
            else:
                result = "refused (no line: the file is not read)"
            result += "; good pack loaded" if len(loaded.packs) == 1 else "; good pack NOT loaded"
            row(f"Pack: {name}", 1, seconds, peak, result)


# --------------------------------------------------------------------------- JSON Lines


# The child's own peak resident memory, in KB. Not ru_maxrss: on Linux a child inherits
# its parent's peak through fork and exec, and this bench is the larger process.
PROBE = """\
import sys
from listen_trainer.cli import main
code = main(sys.argv[1:])
sys.stdout.flush()
with open("/proc/self/status") as status:
    peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
print("RSS", peak, file=sys.stderr)
sys.exit(code)
"""


def run_cli(
    argv: list[str], stdin: bytes | Path, env: dict[str, str]
) -> tuple[float, int, bytes, bytes, int]:
    """(seconds, peak RSS in KB, stdout, stderr, exit code) of one real run."""
    probe = PROBE
    started = time.perf_counter()
    if isinstance(stdin, Path):
        with stdin.open("rb") as handle:
            done = subprocess.run(
                [sys.executable, "-c", probe, *argv],
                stdin=handle,
                capture_output=True,
                env=env,
                check=False,
            )
    else:
        done = subprocess.run(
            [sys.executable, "-c", probe, *argv],
            input=stdin,
            capture_output=True,
            env=env,
            check=False,
        )
    seconds = time.perf_counter() - started
    rss = 0
    for line in done.stderr.splitlines():
        if line.startswith(b"RSS "):
            rss = int(line.split()[1])
    return seconds, rss, done.stdout, done.stderr, done.returncode


def jsonl_rows() -> None:
    good = json.dumps({"id": 1, "statement": STATEMENT, "reply": "You should rest."}).encode()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "LISTEN_TRAINER_DATA_DIR": f"{tmp}/data",
            "LISTEN_TRAINER_CONFIG_DIR": f"{tmp}/config",
        }
        base_seconds, base_rss, _, _, _ = run_cli(["score", "--jsonl"], good + b"\n", env)

        def case(name: str, stdin: bytes | Path, lines: int) -> None:
            seconds, rss, out, err, code = run_cli(["score", "--jsonl"], stdin, env)
            crashed = b"Traceback" in err
            last = err.strip().splitlines()[-2:-1] if crashed else []
            rows = [json.loads(line) for line in out.splitlines()]
            refused = sum(1 for r in rows if "error" in r)
            said = [line for line in err.splitlines() if not line.startswith(b"RSS ")]
            result = (
                f"traceback ({last[0].decode(errors='replace')[:60]})"
                if crashed
                else f"exit {code}; {len(rows) - refused:,} scored, {refused:,} refused "
                f"with an error object{'; stderr: ' + str(len(said)) + ' line(s)' if said else ''}"
            )
            print(
                f"| JSONL: {name} | {lines:,} lines | {seconds * 1000:,.0f} ms (process; "
                f"{base_seconds * 1000:,.0f} ms for one good line) | "
                f"+{max(rss - base_rss, 0) / 1000:,.0f} MB RSS | {result} |",
                flush=True,
            )

        broken = [
            good,
            b"{not json",
            b"\xff\xfe",
            b"[1, 2]",
            b'{"reply": 3}',
            b'{"scenario": "nope", "reply": "x"}',
            b"",
        ]
        case("broken lines (7 kinds) x 100", b"\n".join(broken * 100) + b"\n", 700)
        huge = Path(tmp) / "huge.jsonl"
        with huge.open("wb") as handle:
            handle.write(b'{"reply": "' + b"x" * 100_000_000 + b'"}\n' + good + b"\n")
        case("a 100 MB line, then a good one", huge, 2)
        case(
            "a 1.5 MB line, then a good one",
            b'{"reply": "' + b"x" * 1_500_000 + b'"}\n' + good + b"\n",
            2,
        )
        case(
            "deeply nested JSON on a line",
            b'{"reply": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n" + good + b"\n",
            2,
        )
        case(
            "a JSON \\ud800 escape in a flagged span",
            b'{"statement": "I waited.", "reply": "Why did you \\ud800 not call?"}\n',
            1,
        )
        case("NaN as an id", b'{"id": NaN, "statement": "I waited.", "reply": "Oh."}\n', 1)

        big = Path(tmp) / "big.jsonl"
        big.write_bytes(b"\n".join([good] * 2_000) + b"\n")
        started = time.perf_counter()
        shell = (
            f"{sys.executable} -m listen_trainer score --jsonl < {big} 2> {tmp}/err; "
            f"echo $? > {tmp}/code"
        )
        subprocess.run(["bash", "-c", f"({shell}) | head -1 > /dev/null"], env=env, check=False)
        seconds = time.perf_counter() - started
        err = Path(f"{tmp}/err").read_bytes()
        code = Path(f"{tmp}/code").read_text().strip()
        print(
            f"| JSONL: reader leaves after one line (`\\| head -1`) | 2,000 lines | "
            f"{seconds * 1000:,.0f} ms (process) | n/a | exit {code}, "
            f"{'silent stderr' if not err else 'stderr: ' + err.decode()[:40]} |"
        )


def main(argv: Iterable[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--examples", type=int, default=1_000, help="hypothesis examples for the generated-text row"
    )
    parser.add_argument("--only", choices=("engine", "packs", "jsonl"), action="append")
    args = parser.parse_args(list(argv) if argv is not None else None)
    only = set(args.only or ("engine", "packs", "jsonl"))
    print("| Class of bad input | Cases tried | Worst time | Worst memory | Result |")
    print("|---|---|---|---|---|")
    if "engine" in only:
        engine_rows(args.examples)
    if "packs" in only:
        pack_rows()
    if "jsonl" in only:
        jsonl_rows()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(
        f"\n(bench process peak RSS {usage.ru_maxrss / 1000:,.0f} MB; "
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs)"
    )


if __name__ == "__main__":
    main()
