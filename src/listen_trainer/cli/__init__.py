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
from listen_trainer.cli import check, history, scenarios, score
from listen_trainer.cli import eval as evaluate

COMMANDS = (score, check, scenarios, history, evaluate)

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--packs",
        metavar="DIR",
        type=Path,
        action="append",
        default=[],
        help="an extra folder (or file) of scenario packs; may be given more than once",
    )
    parser = argparse.ArgumentParser(
        prog="listen-trainer",
        description="Practise reflective listening: answer what someone feels, and see "
        "how attuned your reply was.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMANDS:
        module.add_parser(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
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
