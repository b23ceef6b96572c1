"""`listen-trainer score --speaker`: score what you would say (not a reply), alone or
against a speaker scenario; `--json` and `--jsonl` as for replies.

JSON Lines in: each line has 'text' (or 'statement' or 'reply'), optionally 'scenario'
(a speaker scenario id) and 'id'; out: one Feedback object per line (`side: speaker`),
with the line's id first, or `{"id": ..., "error": ...}` for a bad line.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from listen_trainer.cli.score import MAX_LINE_BYTES, _lines, _readable, _save


def run(args: argparse.Namespace) -> int:
    if args.statement:
        print(
            "score: with --speaker the statement is the argument itself (what you would "
            "say); give no --statement",
            file=sys.stderr,
        )
        return 2
    if args.jsonl:
        if args.reply or args.scenario:
            print(
                "score: --jsonl reads everything from standard input; give no text or "
                "--scenario with it",
                file=sys.stderr,
            )
            return 2
        return _run_jsonl(args)
    if args.reply is None:
        print(
            "score: give what you would say (or '-' to read it from standard input)",
            file=sys.stderr,
        )
        return 2
    text = _readable(args.reply)
    if text == "-":
        text = sys.stdin.buffer.read().decode("utf-8", errors="replace")

    from listen_trainer.content.speaker_library import load_speaker_library, load_speaker_rubric
    from listen_trainer.scoring.speaker import SpeakerScorer

    rubric = load_speaker_rubric()
    scenario = None
    if args.scenario:
        library = load_speaker_library(rubric.lexicon, _dirs(args))
        scenario = library.find(args.scenario)
        if scenario is None:
            print(
                f"score: no speaker scenario with id {args.scenario!r}; "
                "`listen-trainer scenarios list --pack say-it-softly` shows them",
                file=sys.stderr,
            )
            return 1
    feedback = SpeakerScorer(rubric).score(text, scenario)
    situation = scenario.situation if scenario else None
    if not args.no_save:
        _save(args, text, feedback, scenario.id if scenario else None, situation or "", rubric)
    if args.json:
        print(feedback.model_dump_json(indent=2))
    else:
        from listen_trainer.cli.speaker_render import render_speaker_feedback

        render_speaker_feedback(text, situation, feedback, rubric)
    return 0


def _dirs(args: argparse.Namespace) -> list[Any]:
    from listen_trainer.content.library import pack_dirs

    return pack_dirs(args.packs)


def _parse(number: int, raw: bytes) -> tuple[Any, dict[str, Any] | None, str | None]:
    try:
        item = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return None, None, f"line {number}: not valid UTF-8 ({exc.reason} at byte {exc.start})"
    except json.JSONDecodeError as exc:
        return None, None, f"line {number}: not valid JSON ({exc.msg} at column {exc.colno})"
    except (RecursionError, ValueError):
        return None, None, f"line {number}: not valid JSON"
    if not isinstance(item, dict):
        return None, None, f"line {number}: expected a JSON object"
    ident = item.get("id")
    text = item.get("text", item.get("statement", item.get("reply")))
    scenario = item.get("scenario")
    if not isinstance(text, str):
        return ident, None, f"line {number}: 'text' (or 'statement') must be a string"
    if scenario is not None and not isinstance(scenario, str):
        return ident, None, f"line {number}: 'scenario' must be a string id"
    return ident, {"text": text, "scenario": scenario}, None


def _run_jsonl(args: argparse.Namespace) -> int:
    from listen_trainer.content.speaker_library import load_speaker_library, load_speaker_rubric
    from listen_trainer.scoring.speaker import SpeakerScorer

    out = sys.stdout
    if out is None:
        print("score: standard output is closed; nowhere to write the results", file=sys.stderr)
        return 1
    rubric = load_speaker_rubric()
    scorer = SpeakerScorer(rubric)
    library = None
    failed = False
    for number, raw in _lines():
        if raw is None:
            ident, fields, error = (
                None,
                None,
                f"line {number}: longer than {MAX_LINE_BYTES:,} bytes",
            )
        else:
            ident, fields, error = _parse(number, raw)
        scenario = None
        if fields is not None and fields["scenario"] is not None:
            if library is None:
                library = load_speaker_library(rubric.lexicon, _dirs(args))
            scenario = library.find(fields["scenario"])
            if scenario is None:
                error = f"line {number}: no speaker scenario with id {fields['scenario']!r}"
        if error is not None or fields is None:
            failed = True
            out.write(json.dumps({"id": ident, "error": error}) + "\n")
            continue
        values = scorer.values(fields["text"], scenario)
        out.write(json.dumps({"id": ident, **values}) + "\n")
    out.flush()
    return 1 if failed else 0
