"""`listen-trainer history list|export|delete|stats`: a learner's past attempts.

Replies are private: `list` and `stats` never print a reply, and `export` writes them to a
file readable by the user alone (0600), or to standard output only when asked to with
`--output -`.
Without `--profile`, a command works on the default profile; `--all` means every profile.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import stat
import sys
import tempfile
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from listen_trainer.store import Attempt, History

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2

EXPORT_FORMAT_VERSION = 1
_DAYS_BACK = re.compile(r"^(\d{1,5})\s*([dw])$")


def parse_since(text: str) -> datetime:
    """--since: a date (local midnight), a date and time, or '7d' / '2w' back from now."""
    text = text.strip()
    match = _DAYS_BACK.match(text.lower())
    if match:
        amount, unit = int(match[1]), match[2]
        return datetime.now(UTC) - timedelta(days=amount * (7 if unit == "w" else 1))
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a date as YYYY-MM-DD (e.g. 2025-03-01), a date and time "
            f"(2025-03-01T18:30) or a span back from now (7d, 2w); got {text!r}"
        ) from None
    # A date, or a time without a zone, is the user's own local time.
    return moment if moment.tzinfo else moment.astimezone()


def _has_option(parser: argparse.ArgumentParser, option: str) -> bool:
    return any(option in action.option_strings for action in parser._actions)


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        "history",
        parents=[common],
        help="list, export, delete or sum up past attempts",
        description="A learner's past attempts, kept on this machine only. Without "
        "--profile a command works on the default profile; --all means every profile.",
    )
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)
    # The main parser may grow a global --profile; then the subcommands take that one,
    # since argparse refuses the same option twice.
    own_profile = not _has_option(common, "--profile")

    def who(verb: argparse.ArgumentParser, all_help: str) -> None:
        group = verb.add_mutually_exclusive_group()
        if own_profile:
            group.add_argument("--profile", metavar="NAME", help="this learner's profile")
        group.add_argument("--all", action="store_true", help=all_help)

    def since(verb: argparse.ArgumentParser) -> None:
        verb.add_argument(
            "--since",
            type=parse_since,
            metavar="DATE",
            help="only attempts from this date on: YYYY-MM-DD, an ISO date and time, "
            "or a span back from now such as 7d or 2w",
        )

    listing = verbs.add_parser(
        "list", parents=[common], help="one line per attempt (no reply text)"
    )
    who(listing, "every profile")
    since(listing)
    listing.set_defaults(run=run_list)

    export = verbs.add_parser(
        "export",
        parents=[common],
        help="write attempts, replies included, to a private CSV or JSON file",
        description="Write attempts with their replies and feedback to a file readable "
        "by you alone. Without --output the file is created in the current folder; "
        "--output - writes to standard output.",
    )
    who(export, "every profile")
    since(export)
    export.add_argument("--format", choices=("csv", "json"), required=True)
    export.add_argument(
        "--output", metavar="FILE", type=Path, help="where to write ('-': standard output)"
    )
    export.add_argument("--force", action="store_true", help="replace FILE if it exists")
    export.set_defaults(run=run_export)

    delete = verbs.add_parser(
        "delete",
        parents=[common],
        help="delete attempts for good",
        description="Delete a profile's attempts (or every attempt with --all). Asks "
        "first; --yes skips the question. The file is rebuilt so that no deleted reply "
        "remains in it.",
    )
    who(delete, "every profile's attempts")
    delete.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    delete.set_defaults(run=run_delete)

    stats = verbs.add_parser(
        "stats",
        parents=[common],
        help="averages, skills, verdicts, roadblocks and trend",
    )
    who(stats, "every profile together")
    since(stats)
    stats.set_defaults(run=run_stats)


# --------------------------------------------------------------------------- helpers


def _profile(args: argparse.Namespace) -> str | None:
    """The profile asked for, DEFAULT_PROFILE when none, None for --all."""
    from listen_trainer.store import DEFAULT_PROFILE, check_profile

    if getattr(args, "all", False):
        return None
    return check_profile(getattr(args, "profile", None) or DEFAULT_PROFILE)


def _who(profile: str | None) -> str:
    return "every profile" if profile is None else f"profile {profile!r}"


def _open() -> History | None:
    from listen_trainer.store import History, HistoryError

    try:
        history = History.open()
    except HistoryError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None
    if history.moved_aside is not None:
        print(
            f"warning: the history could not be read; it was moved aside to "
            f"{history.moved_aside} and a fresh one was started",
            file=sys.stderr,
        )
    return history


def _open_for(args: argparse.Namespace) -> tuple[History, str | None] | int:
    """The history and the profile asked for, or the exit code that says why not."""
    try:
        profile = _profile(args)
    except ValueError as exc:
        print(f"error: --profile: {exc}", file=sys.stderr)
        return EXIT_USAGE
    history = _open()
    if history is None:
        return EXIT_PROBLEMS
    return history, profile


def _load(
    args: argparse.Namespace, side: str | None = "listener"
) -> tuple[str | None, list[Attempt]] | int:
    """The profile and the attempts asked for (a listener's replies, unless `side` says
    otherwise), the history closed again; or the exit code that says why there are none
    (a bad profile, an unreadable file, no attempts)."""
    opened = _open_for(args)
    if isinstance(opened, int):
        return opened
    history, profile = opened
    since = getattr(args, "since", None)
    with history:
        attempts = history.attempts(profile=profile, since=since, side=side)
        if history.skipped:
            ids = ", ".join(str(i) for i in history.skipped[:10])
            print(
                f"warning: {len(history.skipped)} attempt(s) could not be read and are "
                f"left out (ids {ids}); they are still in the file",
                file=sys.stderr,
            )
        if not attempts:
            return _nothing_found(history, profile, since)
    return profile, attempts


def _nothing_found(history: History, profile: str | None, since: datetime | None) -> int:
    when = f" since {since.astimezone():%Y-%m-%d %H:%M}" if since else ""
    print(f"no attempts for {_who(profile)}{when}", file=sys.stderr)
    others = [p for p in history.profiles() if p != profile]
    if profile is not None and others:
        print(f"profiles with attempts: {', '.join(others)}", file=sys.stderr)
    return EXIT_PROBLEMS


def _local(moment: datetime) -> str:
    return f"{moment.astimezone():%Y-%m-%d %H:%M}"


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.0f}%"


# --------------------------------------------------------------------------- list


def run_list(args: argparse.Namespace) -> int:
    loaded = _load(args, side=None)
    if isinstance(loaded, int):
        return loaded
    profile, attempts = loaded
    from listen_trainer.cli.terminal import safe_text

    for a in attempts:
        where = safe_text(a.scenario_id or "(own statement)")
        who = f"{a.profile:<14} " if profile is None else ""
        verdict = a.feedback.verdict.value.replace("_", " ")
        print(f"{a.id:>5}  {_local(a.time)}  {who}{where:<32} {a.feedback.score:>3}  {verdict}")
    print(f"{len(attempts)} attempt(s), {_who(profile)}")
    return EXIT_OK


# --------------------------------------------------------------------------- export

CSV_SKILLS = (
    "reflect_feeling",
    "reflect_content",
    "validate",
    "explore",
    "presence",
    "avoid_roadblocks",
)
CSV_FIELDS = (
    "id",
    "time",
    "profile",
    "scenario_id",
    "statement",
    "reply",
    "score",
    "verdict",
    "depth",
    *CSV_SKILLS,
    "flags",
    "engine_version",
    "rubric_version",
)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _attempt_json(a: Attempt) -> dict[str, Any]:
    return {
        "id": a.id,
        "time": _utc(a.time),
        "profile": a.profile,
        "scenario_id": a.scenario_id,
        "statement": a.statement,
        "reply": a.reply,
        "engine_version": a.engine_version,
        "rubric_version": a.rubric_version,
        "feedback": a.feedback.model_dump(mode="json"),
    }


def write_json(out: TextIO, attempts: Sequence[Attempt], profile: str | None) -> None:
    document = {
        "listen_trainer_history": EXPORT_FORMAT_VERSION,
        "exported": _utc(datetime.now(UTC)),
        "profile": profile,
        "attempts": [_attempt_json(a) for a in attempts],
    }
    json.dump(document, out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_csv(out: TextIO, attempts: Sequence[Attempt]) -> None:
    """One row per attempt, flat, for a spreadsheet; `flags` lists the categories found."""
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS)
    writer.writeheader()
    for a in attempts:
        skills = a.feedback.skills.as_dict()
        categories = list(dict.fromkeys(f.category.value for f in a.feedback.flags))
        writer.writerow(
            {
                "id": a.id,
                "time": _utc(a.time),
                "profile": a.profile,
                "scenario_id": a.scenario_id or "",
                "statement": a.statement,
                "reply": a.reply,
                "score": a.feedback.score,
                "verdict": a.feedback.verdict.value,
                "depth": a.feedback.depth,
                # A speaker's statement has speaking skills instead (in the JSON export).
                **{s: f"{skills[s]:.3f}" if s in skills else "" for s in CSV_SKILLS},
                "flags": ";".join(categories),
                "engine_version": a.engine_version,
                "rubric_version": a.rubric_version,
            }
        )


def _write_private(target: Path, force: bool, fill: Any) -> None:
    """Create `target` 0600 and fill it; never leave a half-written or public file.

    Without `force` an existing file is refused (O_EXCL). With it, the new content is
    written beside it and swapped in, so a failure leaves the old file whole.
    """
    if force:
        fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        written = Path(temp_name)
    else:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        written = target
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            fill(out)
        if force:
            os.replace(written, target)
    except BaseException:
        written.unlink(missing_ok=True)
        raise


def _not_a_file(target: Path) -> bool:
    """Whether something other than a regular file (a device, a pipe, a link, a folder)
    is at `target`: --force would put the export in its place."""
    try:
        return not stat.S_ISREG(target.lstat().st_mode)
    except FileNotFoundError:
        return False


def run_export(args: argparse.Namespace) -> int:
    # Everything the learner wrote: replies, and statements from the speaker's drills.
    loaded = _load(args, side=None)
    if isinstance(loaded, int):
        return loaded
    profile, attempts = loaded
    target: Path = args.output or Path(
        f"listen-trainer-history-{profile or 'all'}-{date.today():%Y%m%d}.{args.format}"
    )

    def fill(out: TextIO) -> None:
        if args.format == "json":
            write_json(out, attempts, profile)
        else:
            write_csv(out, attempts)

    if str(target) == "-":
        try:
            fill(sys.stdout)
            sys.stdout.flush()
        except BrokenPipeError:
            raise  # the reader left early: main() ends quietly
        except OSError as exc:
            print(f"error: cannot write to standard output: {exc.strerror}", file=sys.stderr)
            return EXIT_PROBLEMS
        print(f"exported {len(attempts)} attempt(s) of {_who(profile)}", file=sys.stderr)
        return EXIT_OK
    if args.force and _not_a_file(target):
        print(
            f"error: {target} is not a regular file; --force replaces only a file",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    try:
        _write_private(target, args.force, fill)
    except FileExistsError:
        print(
            f"error: {target} exists; choose another --output, or pass --force to replace it",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    except OSError as exc:
        print(f"error: cannot write {target}: {exc.strerror}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(
        f"exported {len(attempts)} attempt(s) of {_who(profile)} to {target} "
        "(readable by you only; it holds your replies)"
    )
    return EXIT_OK


# --------------------------------------------------------------------------- delete


def _confirm(question: str) -> bool:
    try:
        answer = input(f"{question} [y/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")


def run_delete(args: argparse.Namespace) -> int:
    opened = _open_for(args)
    if isinstance(opened, int):
        return opened
    history, profile = opened
    with history:
        count = history.count(profile=profile)
        if count == 0:
            print(f"nothing to delete: no attempts for {_who(profile)}")
            return EXIT_OK
        if not args.yes:
            if not sys.stdin.isatty():
                print(
                    "error: not deleting without confirmation, and there is no terminal to "
                    "ask on; pass --yes to delete anyway",
                    file=sys.stderr,
                )
                return EXIT_USAGE
            if not _confirm(
                f"Delete {count} attempt(s) of {_who(profile)}? This cannot be undone."
            ):
                print("nothing deleted")
                return EXIT_PROBLEMS
        deleted = history.delete(profile=profile)
        if history.scrubbed:
            print(f"deleted {deleted} attempt(s) of {_who(profile)}")
        else:
            print(
                f"deleted {deleted} attempt(s) of {_who(profile)} from the history, but "
                "another listen-trainer is reading it: their text stays in the file until "
                "every listen-trainer using the history has closed"
            )
        aside = history.moved_aside_files()
        if aside:
            print(
                "note: older histories that could not be read were moved aside and still "
                "hold replies; remove them yourself if you want them gone:"
            )
            for path in aside:
                print(f"  {path}")
    return EXIT_OK


# --------------------------------------------------------------------------- stats


def run_stats(args: argparse.Namespace) -> int:
    from listen_trainer.practice import progress

    loaded = _load(args)
    if isinstance(loaded, int):
        return loaded
    profile, attempts = loaded
    now = datetime.now(UTC)
    score = progress.score_trend(attempts)
    print(
        f"{_who(profile)}: {len(attempts)} attempt(s), "
        f"{_local(attempts[0].time)} to {_local(attempts[-1].time)}"
    )
    trend_text = ""
    if score.change is not None:
        trend_text = f" (recent {score.recent:.0f}, earlier {score.earlier:.0f}, {score.direction})"
    print(f"average score {score.average:.0f}{trend_text}")
    print(f"attuned {_pct(progress.share_attuned(attempts))} of replies")

    print(f"\n{'skill':<18} {'average':>8} {'recent':>7}  trend")
    averages = progress.skill_averages(attempts)
    for skill, trend in progress.skill_trends(attempts).items():
        print(
            f"{progress.SKILL_LABELS[skill]:<18} {_pct(averages[skill]):>8} "
            f"{_pct(trend.recent):>7}  {trend.arrow} {trend.direction}"
        )

    print("\nverdicts")
    for verdict, n in progress.verdict_counts(attempts).items():
        print(f"  {verdict.value.replace('_', ' '):<18} {n:>5}")

    week = progress.roadblock_counts(attempts, now=now, days=7)
    month = progress.roadblock_counts(attempts, now=now, days=30)
    print(f"\n{'roadblocks (replies)':<20} {'7 days':>7} {'30 days':>8}")
    for category in progress.ROADBLOCK_ORDER:
        print(f"  {category.value:<18} {week[category]:>7} {month[category]:>8}")

    metrics = progress.miti(attempts)
    print("\nMITI-style (fair: R:Q 1:1 and 40% complex; good: 2:1 and 50%)")
    print(
        f"  reflections : questions  {progress.format_ratio(metrics.ratio):<13} "
        f"{metrics.ratio_level or ''}  ({metrics.reflections} R, {metrics.questions} Q)"
    )
    print(
        f"  complex reflections      {_pct(metrics.complex_share):<13} "
        f"{metrics.complex_level or ''}".rstrip()
    )

    print("\nweekly average score")
    for w in progress.weekly_scores(attempts):
        print(f"  week of {w.start:%Y-%m-%d}  {w.attempts:>4} attempt(s)  {w.average:>5.0f}")
    _speaking_stats(args, profile)
    return EXIT_OK


def _speaking_stats(args: argparse.Namespace, profile: str | None) -> None:
    """The speaker's skills beside the listener's, from the statements in the history."""
    from listen_trainer.content.speaker_models import Side
    from listen_trainer.practice import progress

    opened = _open_for(args)
    if isinstance(opened, int):
        return
    history, _ = opened
    with history:
        spoken = history.attempts(
            profile=profile, since=getattr(args, "since", None), side=Side.SPEAKER
        )
    if not spoken:
        return
    soft = _pct(progress.share_soft(spoken))
    print(f"\nspeaking: {len(spoken)} statement(s), soft start-ups {soft}")
    for skill, value in progress.speaker_skill_averages(spoken).items():
        print(f"  {progress.SPEAKER_SKILL_LABELS[skill]:<18} {_pct(value):>8}")
