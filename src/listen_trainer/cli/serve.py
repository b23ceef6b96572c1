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
from urllib.parse import urlsplit

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
# A classroom of 40, each with their own trainer process (most of 100 MB of memory each).
DEFAULT_MAX_SESSIONS = 40
# How long a stop waits for the browsers' trainers to close (each saves nothing late:
# an attempt is written when it is scored), before the server gives up on them.
STOP_TIMEOUT_SECONDS = 5.0
PAGE_FOLDER = Path(__file__).parent / "serve_page"

EXPOSURE = (
    "anyone who can reach this machine at that address can open the trainer, with no "
    "password: what they type is scored here and stored on this machine, under the "
    "profile they choose (and they may choose anyone's, and see its progress)."
)
FULL = "The trainer is full: it takes {sessions} at once. Try again when someone has finished."


def _sessions(text: str) -> int:
    try:
        count = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of sessions, got {text!r}") from None
    if not 1 <= count <= 1000:
        raise argparse.ArgumentTypeError(f"expected 1 to 1000 sessions, got {count}")
    return count


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
        "0.0.0.0 or this machine's network address lets others on that network join. "
        "Browsers open it by address (or by this name): a page from anywhere else is "
        "refused.",
    )
    parser.add_argument(
        "--port",
        type=_port,
        default=DEFAULT_PORT,
        help="the port to listen on (default: %(default)s)",
    )
    parser.add_argument(
        "--max-sessions",
        type=_sessions,
        default=DEFAULT_MAX_SESSIONS,
        metavar="N",
        help="how many browsers may practise at once (default: %(default)s); each runs its "
        "own trainer, and one more is told the trainer is full",
    )
    parser.set_defaults(run=run)


def _host_and_port(host_header: str) -> tuple[str, int | None] | None:
    """The name (lower case, without brackets) and port in a Host header; None if bad."""
    try:
        parts = urlsplit(f"//{host_header}")
        return (parts.hostname or "", parts.port)
    except ValueError:
        return None


def host_allowed(host_header: str, bind_host: str) -> bool:
    """Whether a request naming `host_header` is for this server, listening on `bind_host`.

    A web page can point a name it controls at 127.0.0.1 (DNS rebinding) and then talk to
    the server as its own origin; such a request still names the page's host. So only
    addresses are answered, and names that cannot be rebound: localhost, or the name the
    server was told to listen on. On loopback, only loopback addresses.
    """
    parsed = _host_and_port(host_header)
    if parsed is None or not parsed[0]:
        return False
    name = parsed[0]
    if name == bind_host.lower().strip("[]"):
        return True
    if name == "localhost":
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    return address.is_loopback or not is_loopback(bind_host)


def same_origin(origin: str | None, host_header: str) -> bool:
    """Whether a websocket's Origin is the server's own page (the Host it was asked at).

    Browsers always send Origin with a websocket; a page from elsewhere sends its own. A
    client that sends none is not a browser acting for a web page, and is let in.
    """
    if origin is None:
        return True
    try:
        parts = urlsplit(origin)
        port = parts.port
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    asked = _host_and_port(host_header)
    default = 443 if parts.scheme == "https" else 80
    return asked is not None and (parts.hostname, port or default) == (
        asked[0],
        asked[1] or default,
    )


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
        max_sessions=args.max_sessions,
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
