"""`listen-trainer score`: score one reply, or a JSON Lines batch from standard input.

Exit codes: 0 all scored; 1 a problem with the input (an empty reply, an unknown scenario,
a bad JSON Lines line: the other lines are still scored), the output could not be written,
or the attempt could not be saved (its feedback is printed all the same); 2 a usage error.
A reader that leaves early (`| head`) is no error: exit 0, nothing on stderr.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from collections import deque
from collections.abc import Iterator
from typing import Any

MAX_LINE_BYTES = 1_000_000
BATCH = 512
READ_CHUNK = 1 << 16


def _readable(text: str) -> str:
    """Text from argv or stdin with undecodable bytes (lone surrogates) made U+FFFD."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def _strict(value: Any) -> bool:
    """Whether `value` can be written as strict JSON (no infinity, no NaN)."""
    try:
        json.dumps(value, allow_nan=False)
    except (ValueError, RecursionError):
        return False
    return True


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        "score",
        parents=[common],
        help="score a reply to a statement or a scenario",
        description="Score a reply. Give what was said with --statement or a scenario id "
        "with --scenario, and the reply as an argument ('-' reads it from standard input). "
        "With --jsonl, read JSON Lines from standard input instead: each line has "
        "'statement' (or 'prompt') and 'reply' (or 'response'), optionally 'scenario' and "
        "'id'; one JSON object is written per line, in order. Exit 0 when everything was "
        "scored, 1 when any input was bad (an empty reply; in a batch the rest is still "
        "scored) or the attempt could not be saved (its feedback is printed all the same), "
        "2 on a usage error.",
    )
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--statement", help="what the speaker said")
    what.add_argument("--scenario", metavar="ID", help="a scenario id from `scenarios list`")
    parser.add_argument("reply", nargs="?", help="the reply to score ('-' for stdin)")
    parser.add_argument("--json", action="store_true", help="print the feedback as JSON")
    parser.add_argument("--jsonl", action="store_true", help="score JSON Lines from stdin")
    parser.add_argument(
        "--no-save", action="store_true", help="do not keep this attempt in your history"
    )
    parser.add_argument("--profile", default=None, help="the learner profile to save under")
    parser.add_argument(
        "--speaker",
        action="store_true",
        help="score what you would say, softly or harshly, instead of a reply "
        "(--scenario then names a speaker scenario)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if getattr(args, "speaker", False):
        from listen_trainer.cli import speaker_score

        return speaker_score.run(args)
    if args.jsonl:
        if args.reply or args.statement or args.scenario:
            print(
                "score: --jsonl reads everything from standard input; give no reply, "
                "--statement or --scenario with it",
                file=sys.stderr,
            )
            return 2
        return _run_jsonl(args)
    if args.reply is None:
        print(
            "score: give the reply to score (or '-' to read it from standard input)",
            file=sys.stderr,
        )
        return 2
    if not args.statement and not args.scenario:
        print(
            "score: say what the reply answers: --statement TEXT or --scenario ID", file=sys.stderr
        )
        return 2
    if sys.stdout is None:
        print("score: standard output is closed; nowhere to write the feedback", file=sys.stderr)
        return 1
    reply = _readable(args.reply)
    if reply == "-":
        reply = sys.stdin.buffer.read().decode("utf-8", errors="replace")
    if not reply.strip():
        print("score: the reply is empty; give the words you would answer with", file=sys.stderr)
        return 1
    if args.statement:
        args.statement = _readable(args.statement)

    from listen_trainer.content.library import load_library, load_rubric, pack_dirs
    from listen_trainer.scoring import Scorer

    rubric = load_rubric()
    scenario = None
    if args.scenario:
        library = load_library(rubric, pack_dirs(args.packs))
        scenario = library.find(args.scenario)
        if scenario is None:
            print(
                f"score: no scenario with id {args.scenario!r}; "
                "`listen-trainer scenarios list` shows them",
                file=sys.stderr,
            )
            return 1
    scorer = Scorer(rubric)
    feedback = scorer.score(reply, scenario=scenario, statement=args.statement)
    statement = scenario.statement if scenario else args.statement
    # The feedback first: a history that cannot take the attempt must not cost the
    # learner what they came for.
    if args.json:
        print(feedback.model_dump_json(indent=2))
    else:
        from listen_trainer.cli.render import render_feedback

        render_feedback(reply, statement, feedback, rubric)
    if args.no_save:
        return 0
    # Only the start of a long reply is scored (and shown): only that is kept.
    kept = reply[: rubric.settings.max_reply_chars]
    problem = _save(args, kept, feedback, scenario.id if scenario else None, statement, rubric)
    if problem is not None:
        print(f"score: not saved to your history: {problem}", file=sys.stderr)
        return 1
    return 0


def _save(
    args: argparse.Namespace,
    reply: str,
    feedback: Any,
    scenario_id: str | None,
    statement: str,
    rubric: Any,
) -> str | None:
    """Keep the attempt in the learner's history; None when it was kept, else why not."""
    from listen_trainer.store import DEFAULT_PROFILE, History, HistoryError

    try:
        with History.open() as history:
            if history.moved_aside is not None:
                print(
                    f"warning: the history could not be read; it was moved aside to "
                    f"{history.moved_aside} and a fresh one was started",
                    file=sys.stderr,
                )
            history.record(
                profile=args.profile or DEFAULT_PROFILE,
                reply=reply,
                feedback=feedback,
                scenario_id=scenario_id,
                statement=statement,
                rubric_version=rubric.version,
            )
    except (HistoryError, ValueError) as exc:
        # The store's messages are written for the user: a bad profile name, a newer
        # schema, a folder that cannot be made.
        return " ".join(str(exc).split())
    except sqlite3.Error as exc:
        if getattr(exc, "sqlite_errorcode", 0) & 0xFF in (
            sqlite3.SQLITE_BUSY,
            sqlite3.SQLITE_LOCKED,
        ):
            return "the history is busy in another listen-trainer; try again in a moment"
        return f"the history file cannot be written ({exc})"
    except OSError as exc:
        return f"the history file cannot be written ({getattr(exc, 'strerror', None) or exc})"
    return None


# --------------------------------------------------------------------------- JSON Lines


def _parse(number: int, raw: bytes) -> tuple[Any, dict[str, Any] | None, str | None]:
    """One input line -> (its id, the request fields, or an error message)."""
    if len(raw) > MAX_LINE_BYTES:
        return None, None, f"line {number}: longer than {MAX_LINE_BYTES:,} bytes"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, None, f"line {number}: not valid UTF-8 ({exc.reason} at byte {exc.start})"
    try:
        item = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        return None, None, f"line {number}: not valid JSON ({exc.msg} at column {exc.colno})"
    except RecursionError:
        return None, None, f"line {number}: JSON nested too deeply"
    except ValueError as exc:
        return None, None, f"line {number}: not valid JSON ({exc})"
    if not isinstance(item, dict):
        return None, None, f"line {number}: expected a JSON object"
    ident = item.get("id")
    if not _strict(ident):
        # 1e400 reads as infinity, which strict JSON cannot carry back out.
        return None, None, f"line {number}: 'id' holds a number too large for JSON"
    reply = item.get("reply", item.get("response"))
    statement = item.get("statement", item.get("prompt"))
    scenario = item.get("scenario")
    if not isinstance(reply, str):
        return ident, None, f"line {number}: 'reply' (or 'response') must be a string"
    if scenario is None and not isinstance(statement, str):
        return (
            ident,
            None,
            (f"line {number}: give 'statement' (or 'prompt') as a string, or a 'scenario' id"),
        )
    if scenario is not None and not isinstance(scenario, str):
        return ident, None, f"line {number}: 'scenario' must be a string id"
    return ident, {"reply": reply, "statement": statement, "scenario": scenario}, None


def _lines() -> Iterator[tuple[int, bytes | None]]:
    """Numbered non-blank lines; None for a line over the limit, which is skipped unread
    so that a line without end costs no more memory than the limit."""
    stream = sys.stdin.buffer
    number = 0
    while True:
        raw = stream.readline(MAX_LINE_BYTES + 2)
        if not raw:
            return
        number += 1
        if len(raw.rstrip(b"\r\n")) > MAX_LINE_BYTES:
            while raw and not raw.endswith(b"\n"):
                raw = stream.readline(READ_CHUNK)
            yield number, None
            continue
        stripped = raw.strip()
        if stripped:
            yield number, stripped


def _run_jsonl(args: argparse.Namespace) -> int:
    out = sys.stdout
    if out is None:
        print("score: standard output is closed; nowhere to write the results", file=sys.stderr)
        return 1
    try:
        return _score_lines(args, out)
    except BrokenPipeError:
        raise  # the reader left early: main() ends quietly
    except OSError as exc:
        print(f"score: cannot write the results: {exc.strerror or exc}", file=sys.stderr)
        return 1


def _score_lines(args: argparse.Namespace, out: Any) -> int:
    from listen_trainer.content.library import load_library, load_rubric, pack_dirs
    from listen_trainer.scoring import Scorer, ScoreRequest

    rubric = load_rubric()
    scorer = Scorer(rubric)
    library = None
    failed = False
    # Lines read and not yet written, in order: (id, error or None for a request).
    waiting: deque[tuple[Any, str | None]] = deque()

    def requests() -> Iterator[Any]:
        """Each good line's request, read as the scorer asks for more: one stream, so
        that the workers never wait while this process reads or writes a batch."""
        nonlocal library, failed
        for number, raw in _lines():
            if raw is None:
                ident, fields, error = (
                    None,
                    None,
                    f"line {number}: longer than {MAX_LINE_BYTES:,} bytes",
                )
            else:
                ident, fields, error = _parse(number, raw)
            request = None
            if fields is not None:
                scenario = None
                if fields["scenario"] is not None:
                    if library is None:
                        library = load_library(rubric, pack_dirs(args.packs))
                    scenario = library.find(fields["scenario"])
                    if scenario is None:
                        error = f"line {number}: no scenario with id {fields['scenario']!r}"
                if error is None:
                    request = ScoreRequest(fields["reply"], scenario, fields["statement"])
            failed = failed or error is not None
            waiting.append((ident, error))
            if request is not None:
                yield request

    def write_errors() -> None:
        while waiting and waiting[0][1] is not None:
            ident, error = waiting.popleft()
            out.write(json.dumps({"id": ident, "error": error}, allow_nan=False) + "\n")

    # JSON text as the workers wrote it (ASCII escapes: a lone surrogate from a "\\ud800"
    # escape stays valid JSON), with the line's id put first: the same bytes as
    # json.dumps({"id": ..., **feedback}), without rebuilding the Feedback.
    for written, text in enumerate(scorer.score_many_json(requests()), 1):
        write_errors()
        ident, _ = waiting.popleft()
        out.write(f'{{"id": {json.dumps(ident, allow_nan=False)}, {text[1:]}\n')
        if written % BATCH == 0:
            out.flush()
    write_errors()
    out.flush()
    return 1 if failed else 0
