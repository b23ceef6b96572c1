"""The `listen-trainer` command: the TUI by default, and subcommands for scripts.

Each subcommand lives in its own module with `add_parser(subparsers)` and `run(args)`;
imports stay inside `run` so that `--help` and a single `score` start quickly.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from listen_trainer import __version__
from listen_trainer.cli import check, history, scenarios, score, serve, workshop
from listen_trainer.cli import eval as evaluate

COMMANDS = (score, check, scenarios, history, evaluate, serve, workshop)

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


def _profile_name(text: str) -> str:
    from listen_trainer.store import check_profile  # here: `--help` stays quick

    try:
        return check_profile(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{exc}; got {text!r}") from None


class _TrainerProfile(argparse.Action):
    """The trainer's `--profile`, remembered apart: a command's own `--profile` default
    would silently replace it, so `main` can refuse it before a command instead."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        setattr(namespace, self.dest, values)
        namespace.profile_before_command = values


PACKS_HELP = "an extra folder (or file) of scenario packs; may be given more than once"


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--packs", metavar="DIR", type=Path, action="append", default=[], help=PACKS_HELP
    )
    parser = argparse.ArgumentParser(
        prog="listen-trainer",
        description="Practise reflective listening: answer what someone feels, and see "
        "how attuned your reply was.",
    )
    # Its own dest: a command's `--packs` default would otherwise replace the folders
    # given before the command; `main` joins the two.
    parser.add_argument(
        "--packs",
        metavar="DIR",
        type=Path,
        action="append",
        default=[],
        dest="packs_before_command",
        help=PACKS_HELP,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--profile",
        metavar="NAME",
        type=_profile_name,
        action=_TrainerProfile,
        help="practise as this learner (several can share one machine); the default "
        "profile otherwise. It can also be chosen on the home screen.",
    )
    parser.add_argument(
        "--ask-profile",
        action="store_true",
        help="open on the profile chooser, so whoever sits down says who they are "
        "(what `serve` runs for each browser)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMANDS:
        module.add_parser(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.packs = [*args.packs_before_command, *getattr(args, "packs", [])]
    before = getattr(args, "profile_before_command", None)
    if args.command is not None and before is not None and args.profile != before:
        # `listen-trainer --profile ann history delete` would otherwise act on "default".
        parser.error(
            f"--profile before {args.command!r} is the trainer's; give it after the "
            f"command instead: listen-trainer {args.command} --profile {before}"
        )
    if args.command is None:
        return _open_trainer(args, parser)
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `listen-trainer score --jsonl ... | head`: the reader left; nothing to report.
        sys.stderr.close()
        return EXIT_OK


def _open_trainer(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    try:
        from listen_trainer.tui import launch
    except ImportError:
        parser.print_help()
        return EXIT_OK
    return launch(args)
