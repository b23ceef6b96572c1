"""Prove a faster engine says exactly what the old one said: compare Feedback JSON.

    cp -r rubrics /tmp/frozen-rubrics; cp -r scenarios /tmp/frozen-scenarios
    .venv/bin/python bench/same_output.py --engine-at <old commit> \\
        --rubric /tmp/frozen-rubrics --scenarios /tmp/frozen-scenarios

`--engine-at REF` compares with today's code in which only the engine's plumbing (the
files of ENGINE_FILES) is taken back to REF: findings, verdicts and advice change under
other hands at the same time, and only the plumbing is meant to change nothing.
`--base DIR` compares with another src/ folder as a whole. Today's code runs in this
interpreter from the installed package, or in `--python` from `--src`: an environment
without spaCy's lookups package, say, against the old code that read it.

The corpus: every scenario exemplar against its scenario, the prompt/response rows of the
outside data (data/*.jsonl) as free statements, and bench/run.py's generated replies.
Each code version runs in its own process (PYTHONPATH picks the source tree) on the same
frozen rubric and packs, scoring the corpus three ways: one `score_many` batch (shared
among processes, where the engine does that), `score` one at a time (a sample), and
`score_many` in small batches in one process (the first 3,000); and it writes each
reply's and statement's tokens as the pipeline leaves them (text, lemma, norm, tag,
sentence start, space). Any difference is printed with the reply and the field.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import warnings
from inspect import signature
from pathlib import Path

warnings.filterwarnings("ignore")

HERE = Path(__file__).resolve()
DATA = HERE.parents[2] / "shared" / "data"
SINGLE_SAMPLE = 1500
BENCH_REPLIES = 2000
ENGINE_FILES = [
    "src/listen_trainer/scoring/__init__.py",
    "src/listen_trainer/scoring/engine.py",
    "src/listen_trainer/scoring/matcher.py",
    "src/listen_trainer/scoring/phrase_trie.py",
    "src/listen_trainer/scoring/tokenizer_cache.py",
    "src/listen_trainer/scoring/lemma_tables.py",
    "src/listen_trainer/scoring/pipeline.py",
    "src/listen_trainer/scoring/rules.py",
    "src/listen_trainer/scoring/parallel.py",
    "src/listen_trainer/scoring/lemmas.py",
    "src/listen_trainer/scoring/advice.py",
    "src/listen_trainer/scoring/verdict.py",
    "src/listen_trainer/scoring/feedback.py",
    "src/listen_trainer/scoring/spacy_import.py",
    "src/listen_trainer/scoring/phrase_cache.py",
    # Round 3 reworked these for speed too, against the new APIs of the files above.
    "src/listen_trainer/scoring/findings.py",
    "src/listen_trainer/scoring/hearing.py",
    "src/listen_trainer/scoring/analysis.py",
    "src/listen_trainer/scoring/reading.py",
    "src/listen_trainer/scoring/rule_findings.py",
    "src/listen_trainer/scoring/contest.py",
    "src/listen_trainer/scoring/whose.py",
    "src/listen_trainer/scoring/lexicon.py",
    "src/listen_trainer/scoring/matches.py",
    "src/listen_trainer/scoring/words.py",
    "src/listen_trainer/scoring/text_clean.py",
    "src/listen_trainer/scoring/layout.py",
    "src/listen_trainer/cli/__init__.py",
    "src/listen_trainer/cli/score.py",
]


def engine_at(ref: str, into: Path) -> Path:
    """A copy of today's src/ with ENGINE_FILES as they were at `ref`."""
    root = HERE.parents[1]
    shutil.copytree(root / "src", into / "src")
    for name in ENGINE_FILES:
        old = subprocess.run(
            ["git", "-C", str(root), "show", f"{ref}:{name}"], capture_output=True, text=True
        )
        target = into / name
        if old.returncode == 0:
            target.write_text(old.stdout, encoding="utf-8")
        else:
            target.unlink(missing_ok=True)
    return into / "src"


def corpus(rubric_dir: Path, scenarios_dir: Path) -> list[dict]:
    from listen_trainer.content.library import load_library, load_rubric

    rubric = load_rubric(rubric_dir)
    library = load_library(rubric, [scenarios_dir])
    items: list[dict] = [
        {"scenario": s.id, "reply": e.reply} for _, s in library.scenarios() for e in s.exemplars
    ]
    for path in sorted(DATA.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            items.append({"statement": row["prompt"], "reply": row["response"]})
    sys.path.insert(0, str(HERE.parent))
    from run import replies

    items += [{"statement": s, "reply": r} for s, r in replies(BENCH_REPLIES)]
    return items


def produce(rubric_dir: Path, scenarios_dir: Path, out: Path) -> None:
    """Score the corpus with whichever `listen_trainer` is on the path; one JSON a line."""
    import listen_trainer
    from listen_trainer.content.library import load_library, load_rubric
    from listen_trainer.scoring import Scorer, ScoreRequest

    rubric = load_rubric(rubric_dir)
    library = load_library(rubric, [scenarios_dir])
    items = corpus(rubric_dir, scenarios_dir)

    def request(item: dict) -> ScoreRequest:
        scenario = library.find(item["scenario"]) if "scenario" in item else None
        return ScoreRequest(item["reply"], scenario, item.get("statement"))

    requests = [request(i) for i in items]
    with out.open("w", encoding="utf-8") as sink:
        sink.write(json.dumps({"source": listen_trainer.__file__}) + "\n")
        batch = Scorer(rubric).score_many(requests)
        for feedback in batch:
            sink.write("batch " + feedback.model_dump_json() + "\n")
        single = Scorer(rubric)
        for r in requests[:: max(1, len(requests) // SINGLE_SAMPLE)]:
            feedback = single.score(
                r.reply, scenario=r.scenario, statement=r.statement, feelings=r.feelings
            )
            sink.write("single " + feedback.model_dump_json() + "\n")
        # In small batches, and in this process where the engine can share out work.
        small = Scorer(rubric)
        serial = {"workers": 1} if "workers" in signature(small.score_many).parameters else {}
        for feedback in small.score_many(requests[:3000], batch_size=7, **serial):
            sink.write("small " + feedback.model_dump_json() + "\n")
        texts = dict.fromkeys(t for i in items for t in (i["reply"], i.get("statement")) if t)
        for doc in small.nlp.pipe(texts):
            tokens = [
                [t.text, t.lemma_, t.norm_, t.tag_, t.is_sent_start, t.whitespace_] for t in doc
            ]
            sink.write("tokens " + json.dumps(tokens) + "\n")


def run_version(
    src: Path | None,
    args: argparse.Namespace,
    out: Path,
    rubric: Path,
    python: str = sys.executable,
) -> str:
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    cmd = [python, str(HERE), "--produce", str(out)]
    cmd += ["--rubric", str(rubric), "--scenarios", str(args.scenarios)]
    subprocess.run(cmd, env=env, check=True)
    with out.open(encoding="utf-8") as lines:
        return json.loads(lines.readline())["source"]


def without_version(lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        mode, body = line.split(" ", 1)
        feedback = json.loads(body)
        feedback.pop("engine_version", None)
        out.append(f"{mode} {json.dumps(feedback)}")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, help="the old code's src/ folder")
    parser.add_argument("--engine-at", metavar="REF", help="today's code, engine files at REF")
    parser.add_argument("--rubric", type=Path, required=True)
    parser.add_argument(
        "--base-rubric",
        type=Path,
        help="the old code's own rubric, when the rubric's files were rewritten (the "
        "engine_version, which holds the files' digest, is then not compared)",
    )
    parser.add_argument("--scenarios", type=Path, required=True)
    parser.add_argument("--python", default=sys.executable, help="runs today's code")
    parser.add_argument("--src", type=Path, help="today's src/ folder (default: installed)")
    parser.add_argument("--produce", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.produce:
        produce(args.rubric, args.scenarios, args.produce)
        return 0
    if (args.base is None) == (args.engine_at is None):
        parser.error("give one of --base and --engine-at")
    with tempfile.TemporaryDirectory() as tmp:
        if args.engine_at:
            args.base = engine_at(args.engine_at, Path(tmp, "base"))
        old, new = Path(tmp, "old.txt"), Path(tmp, "new.txt")
        print("old:", run_version(args.base, args, old, args.base_rubric or args.rubric))
        print("new:", run_version(args.src, args, new, args.rubric, args.python))
        old_lines = old.read_text(encoding="utf-8").splitlines()[1:]
        new_lines = new.read_text(encoding="utf-8").splitlines()[1:]
    if args.base_rubric:
        old_lines, new_lines = without_version(old_lines), without_version(new_lines)
    items = corpus(args.rubric, args.scenarios)
    differ = 0
    if len(old_lines) != len(new_lines):
        print(f"DIFFERENT: {len(old_lines)} results before, {len(new_lines)} now")
        differ += 1
    for index, (a, b) in enumerate(zip(old_lines, new_lines, strict=False)):
        if a == b:
            continue
        differ += 1
        if differ <= 10:
            mode, a_json = a.split(" ", 1)
            _, b_json = b.split(" ", 1)
            before, after = json.loads(a_json), json.loads(b_json)
            if mode == "tokens":
                print(f"DIFFERENT tokens: {before} -> {after}"[:300])
                continue
            fields = [k for k in before if before[k] != after.get(k)]
            where = index if mode == "batch" else "?"
            reply = items[index]["reply"][:80] if mode == "batch" else ""
            print(f"DIFFERENT ({mode} #{where}) in {fields}: {reply!r}")
    print(f"{len(items):,} replies; {len(new_lines):,} feedbacks and token lists compared")
    print(f"{differ} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
