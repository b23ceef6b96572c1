"""`listen-trainer workshop [DECK]`: open the trainer straight into workshop mode."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from listen_trainer.content.models import MAX_ROUND_SECONDS, MIN_ROUND_SECONDS


def _seconds(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a whole number of seconds, got {text!r}"
        ) from None
    if not MIN_ROUND_SECONDS <= value <= MAX_ROUND_SECONDS:
        raise argparse.ArgumentTypeError(
            f"expected {MIN_ROUND_SECONDS} to {MAX_ROUND_SECONDS} seconds, got {value}"
        )
    return value


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        "workshop",
        parents=[common],
        help="run a classroom workshop: a deck of timed rounds, or partner practice",
        description="Open the trainer in workshop mode. DECK is a built-in deck id "
        "(first-evening, complaints-and-longings, good-news, or the speaker's "
        "complaints-to-requests) or a deck YAML file; without "
        "it, choose on screen. Replies stay in memory; nothing is saved unless the "
        "facilitator exports the summary.",
    )
    parser.add_argument("deck", nargs="?", metavar="DECK", help="a deck id or a YAML path")
    parser.add_argument(
        "--deck", dest="deck_option", metavar="DECK", help="the same as DECK, named"
    )
    parser.add_argument(
        "--seconds", type=_seconds, metavar="N", help="seconds per round (overrides the deck)"
    )
    parser.add_argument(
        "--partner", action="store_true", help="partner practice: two people, one keyboard"
    )
    parser.add_argument(
        "--participants",
        "--names",
        metavar='"Ann,Bo"',
        default="",
        help="names, separated by commas",
    )
    parser.add_argument(
        "--export-dir",
        type=Path,
        metavar="DIR",
        help="where the summary is exported (default: workshops/ in the user data folder)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from listen_trainer.content.decks import find_deck, load_speaker_content
    from listen_trainer.content.library import ContentError, load_library, load_rubric, pack_dirs

    try:
        rubric = load_rubric()
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    if args.deck and args.deck_option and args.deck != args.deck_option:
        print(f"two decks given: {args.deck!r} and --deck {args.deck_option!r}", file=sys.stderr)
        return 2
    ref = args.deck_option or args.deck
    library = load_library(rubric, [*pack_dirs(), *args.packs])
    deck = None
    if ref and not args.partner:
        speaker = load_speaker_content(args.packs)
        deck, problems = find_deck(ref, rubric, library, speaker)
        if deck is None:
            for problem in problems:
                print(problem, file=sys.stderr)
            return 1
    from listen_trainer.tui import make_app
    from listen_trainer.tui.screens.workshop import WorkshopScreen
    from listen_trainer.workshop import split_names

    names = split_names(args.participants)

    def start(session):  # type: ignore[no-untyped-def]
        session.leave_exits = True  # Esc asks, then ends the program: Home was not asked for
        return WorkshopScreen(
            session,
            deck=deck,
            partner=args.partner,
            participants=names,
            seconds=args.seconds,
            export_dir=args.export_dir,
        )

    make_app(rubric, library, scorer=None, start=start).run()
    return 0
