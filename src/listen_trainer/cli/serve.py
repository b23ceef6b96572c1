"""`listen-trainer serve`: the trainer in browsers on this machine or the local network.

textual-serve runs one `listen-trainer` process per browser connection and relays its
screen over a websocket, so each participant has their own session; each is asked who
they are first (`--ask-profile`), so their attempts are kept under their own name.
"""

from __future__ import annotations

import argparse
import ipaddress
import shlex
import sys
from pathlib import Path

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
# How long a stop waits for the browsers' trainers to close (each saves nothing late:
# an attempt is written when it is scored), before the server gives up on them.
STOP_TIMEOUT_SECONDS = 5.0
PAGE_FOLDER = Path(__file__).parent / "serve_page"

EXPOSURE = (
    "anyone who can reach this machine at that address can open the trainer, with no "
    "password: what they type is scored here and stored on this machine, under the "
    "profile they choose (and they may choose anyone's, and see its progress)."
)


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, got {text!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port from 1 to 65535, got {port}")
    return port


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        "serve",
        parents=[common],
        help="serve the trainer to web browsers (a classroom without terminals)",
        description="Serve the trainer to web browsers with textual-serve: each browser "
        "gets its own trainer and first says who is practising. No internet is needed. "
        "By default only this machine can connect (127.0.0.1). With another --host, "
        "such as 0.0.0.0 (every network this machine is on), " + EXPOSURE,
    )
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help="the address to listen on (default: %(default)s, this machine only). "
        "0.0.0.0 or this machine's network address lets others on that network join.",
    )
    parser.add_argument(
        "--port",
        type=_port,
        default=DEFAULT_PORT,
        help="the port to listen on (default: %(default)s)",
    )
    parser.set_defaults(run=run)


def is_loopback(host: str) -> bool:
    """Whether `host` lets only this machine connect."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to any interface


def trainer_command(packs: list[Path]) -> str:
    """The shell command textual-serve runs for each browser: this Python, this program.

    The pack folders are made absolute and quoted, since textual-serve hands the command
    to a shell.
    """
    argv = [sys.executable, "-m", "listen_trainer", "--ask-profile"]
    for folder in packs:
        argv.append(f"--packs={folder.expanduser().resolve()}")
    # `exec`: the trainer replaces the shell, so stopping the process stops the trainer.
    return "exec " + shlex.join(argv)


def run(args: argparse.Namespace) -> int:
    try:
        from listen_trainer.cli.serve_app import TrainerServer
    except ImportError as exc:
        print(
            f"error: serving to browsers needs textual-serve ({exc.name} is missing); "
            "install it with: pip install textual-serve",
            file=sys.stderr,
        )
        return 1
    if not _content_loads(list(args.packs)):
        return 1
    loopback = is_loopback(args.host)
    server = TrainerServer(
        trainer_command(list(args.packs)),
        host=args.host,
        port=args.port,
        stop_timeout=STOP_TIMEOUT_SECONDS,
        templates_path=PAGE_FOLDER,
    )
    if not loopback:
        print(f"warning: listening on {args.host}: {EXPOSURE}", file=sys.stderr)
    try:
        server.serve()
    except OSError as exc:
        print(
            f"error: cannot listen on {args.host} port {args.port}: "
            f"{exc.strerror or exc}; choose another --port or --host",
            file=sys.stderr,
        )
        return 1
    return 0


def _content_loads(packs: list[Path]) -> bool:
    """Check the rubric and packs once here, so that a broken install is reported on this
    console rather than in every browser that joins; broken packs are only warned of."""
    from listen_trainer.content.library import ContentError, load_library, load_rubric, pack_dirs

    try:
        rubric = load_rubric()
    except ContentError as exc:
        print("error: the trainer's rubric files are broken:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return False
    library = load_library(rubric, [*pack_dirs(), *packs])
    for problem in library.problems:
        print(f"warning: a pack will be skipped: {problem}", file=sys.stderr)
    return True
