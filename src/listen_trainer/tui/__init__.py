"""The trainer's terminal interface (Textual).

`launch(args)` is what `listen-trainer` runs with no subcommand; `make_app(...)` builds
the App from content loaded beforehand, for the CLI and the tests alike.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from listen_trainer.content.library import (
    ContentError,
    Library,
    Rubric,
    load_library,
    load_rubric,
    pack_dirs,
)
from listen_trainer.tui.state import Session, Settings

if TYPE_CHECKING:
    from textual.screen import Screen

    from listen_trainer.scoring import Scorer
    from listen_trainer.tui.app import TrainerApp


def make_app(
    rubric: Rubric,
    library: Library,
    scorer: Scorer | None,
    settings: Settings | None = None,
    start: Callable[[Session], Screen[Any]] | None = None,
    profile: str = "default",
    *,
    first_run: bool = False,
) -> TrainerApp:
    """The trainer App for loaded content; with `scorer` None it builds one in a worker.

    `start(session)`, if given, is the screen the trainer opens on, above Home; `profile`
    is the learner whose attempts are recorded until another is chosen on Home; with
    `first_run`, Home asks who is practising and why before anything else.
    """
    from listen_trainer.tui.app import TrainerApp

    session = Session(
        rubric=rubric, library=library, settings=settings or Settings(), profile=profile
    )
    session.set_scorer(scorer)
    return TrainerApp(session, start=start, first_run=first_run)


def launch(args: argparse.Namespace) -> int:
    """Load the rubric and packs, then run the trainer; 1 if the rubric is broken."""
    try:
        rubric = load_rubric()
    except ContentError as exc:
        print("listen-trainer cannot start: its rubric files are broken.", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        print("Reinstall listen-trainer, or undo your changes to the rubrics.", file=sys.stderr)
        return 1
    # Extra folders go in unfiltered, so a mistyped --packs path is reported, not ignored.
    library = load_library(rubric, [*pack_dirs(), *(getattr(args, "packs", None) or [])])
    start = None
    ask_profile = getattr(args, "ask_profile", False)
    if ask_profile:
        # A browser joining `serve`: the participant says who they are before anything else.
        from listen_trainer.tui.dialogs.profile import ProfileDialog

        def start(session: Session) -> Screen[Any]:
            return ProfileDialog(session, required=True)

    from listen_trainer.tui.first_run import load_choice, settings_for

    # The first run asks who is practising and why; later runs start where it left off.
    choice = load_choice()
    named = getattr(args, "profile", None)
    # Until someone says why they are here, the trainer is set as for a newcomer on their
    # own: everyday packs, easiest first (a serve participant or `--profile` skips asking).
    settings = settings_for(choice.purpose if choice else "own", library)

    # The scorer (spaCy) is built in a worker once the app is on screen, so it opens at once.
    app = make_app(
        rubric,
        library,
        scorer=None,
        settings=settings,
        start=start,
        profile=named or (choice.name if choice else "default"),
        first_run=choice is None and not named and not ask_profile,
    )
    app.run()
    return 0
