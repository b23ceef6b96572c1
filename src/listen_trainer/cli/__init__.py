"""The `listen-trainer` command: the TUI by default, and subcommands for scripts.

Each subcommand lives in its own module with `add_parser(subparsers)` and `run(args)`;
imports stay inside `run` so that `--help` and a single `score` start quickly. `main`
imports only the module of the command given (the rest cost 30-50 ms, `workshop` more);
`--help`, a mistyped command or no command at all load them all, so that every message
lists them as before.
"""

from __future__ import annotations

import argparse
import atexit
import gc
import importlib
import os
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType, ModuleType
from typing import Any

from listen_trainer import __version__
from listen_trainer.cli.terminal import tolerate_any_encoding
from listen_trainer.content.errors import ContentError

# The subcommands' modules under listen_trainer.cli, in the order `--help` lists them.
COMMAND_MODULES = ("score", "check", "scenarios", "history", "eval", "serve", "workshop")

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_TERMINATED = 128 + signal.SIGTERM
# Commands that run no event loop of their own: SIGTERM ends them as Ctrl-C does. The
# trainer, `workshop` and `serve` are left to their own handling.
ENDED_BY_SIGTERM = ("score", "check", "scenarios", "history", "eval")


class Terminated(Exception):
    """SIGTERM reached a command: it ends quietly, as after Ctrl-C."""


def _on_sigterm_in(main_pid: int) -> Callable[[int, FrameType | None], None]:
    def on_sigterm(signum: int, frame: FrameType | None) -> None:
        if os.getpid() != main_pid:
            # A worker forked with this handler (`score --jsonl`): end as SIGTERM ends a
            # process, without the traceback an exception there would print.
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise Terminated

    return on_sigterm


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


def _command_module(name: str) -> ModuleType:
    return importlib.import_module(f"{__name__}.{name}")


def __getattr__(name: str) -> Any:
    # `COMMANDS`, every subcommand's module, is imported on first use only.
    if name == "COMMANDS":
        return tuple(_command_module(n) for n in COMMAND_MODULES)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _Refused(Exception):
    pass


class _Lenient(argparse.ArgumentParser):
    """A parser that raises instead of printing and exiting: for a first look only."""

    def error(self, message: str) -> Any:
        raise _Refused(message)


def _command_given(argv: Sequence[str]) -> str | None:
    """The command name in `argv`, read past the trainer's own options as the real
    parser reads them; None when there is none or the line is not understood (the real
    parser, with every command, then says why)."""
    first = _Lenient(add_help=False)
    first.add_argument("--packs", action="append")
    first.add_argument("--profile")
    first.add_argument("--ask-profile", action="store_true")
    first.add_argument("-h", "--help", "--version", action="store_true")
    first.add_argument("command", nargs="?")
    first.add_argument("rest", nargs=argparse.REMAINDER)
    try:
        seen, _ = first.parse_known_args(argv)
    except (_Refused, argparse.ArgumentError):
        return None
    if seen.help or seen.command not in COMMAND_MODULES:
        return None
    return seen.command


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The whole command line; given `argv`, with only the command it names (when it
    names one), so that the other commands' modules are not imported."""
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
    given = None if argv is None else _command_given(argv)
    # A `COMMANDS` set on this module (a test adding a command) is used as it is.
    modules = globals().get("COMMANDS")
    if modules is None:
        names = COMMAND_MODULES if given is None else (given,)
        modules = tuple(_command_module(n) for n in names)
    for module in modules:
        module.add_parser(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # Python's exit ends with a full collection of every object still alive (~0.04 s
    # after a `score`); at exit there is nothing left worth collecting. atexit runs
    # before that collection; once per process, however often main is called.
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)
    tolerate_any_encoding()
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    args.packs = [*args.packs_before_command, *getattr(args, "packs", [])]
    before = getattr(args, "profile_before_command", None)
    if args.command is not None and before is not None and args.profile != before:
        # `listen-trainer --profile ann history delete` would otherwise act on "default".
        parser.error(
            f"--profile before {args.command!r} is the trainer's; give it after the "
            f"command instead: listen-trainer {args.command} --profile {before}"
        )
    from listen_trainer.scoring.spacy_import import defer_spacy_cli

    # No command uses spaCy's own command line: a third of spaCy's import time, saved for
    # every command that scores (the trainer, score, eval, workshop) before one imports it.
    defer_spacy_cli()
    if args.command is None:
        return _open_trainer(args, parser)
    if args.command in ENDED_BY_SIGTERM:
        # Left to the default, the signal would end this process and leave its workers
        # writing to a closed pipe, each printing a traceback.
        signal.signal(signal.SIGTERM, _on_sigterm_in(os.getpid()))
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        return 130
    except Terminated:
        return EXIT_TERMINATED
    except BrokenPipeError:
        # `listen-trainer score --jsonl ... | head`: the reader left; nothing to report.
        sys.stderr.close()
        return EXIT_OK
    except ContentError as exc:
        # A rubric file edited by hand and broken: each problem with its file and line.
        print(f"{args.command}: the trainer's content files are broken:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_PROBLEMS


def _open_trainer(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    try:
        from listen_trainer.tui import launch
    except ImportError:
        parser.print_help()
        return EXIT_OK
    return launch(args)
