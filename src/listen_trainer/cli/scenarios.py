"""`listen-trainer scenarios list|show`: browse the library from the shell."""

from __future__ import annotations

import argparse
import sys

from listen_trainer.cli.terminal import safe_text


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("scenarios", parents=[common], help="list or show scenarios")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)
    listing = verbs.add_parser("list", parents=[common], help="one line per scenario")
    listing.add_argument("--pack", help="only this pack (its id)")
    listing.add_argument("--difficulty", type=int, choices=(1, 2, 3))
    listing.add_argument("--tag", help="only scenarios with this tag")
    listing.set_defaults(run=run_list)
    show = verbs.add_parser("show", parents=[common], help="the whole scenario")
    show.add_argument("id", help="the scenario id, as `scenarios list` prints it")
    show.set_defaults(run=run_show)


def _library(args: argparse.Namespace):
    from listen_trainer.content.library import load_library, load_rubric, pack_dirs

    library = load_library(load_rubric(), pack_dirs(args.packs))
    for problem in library.problems:
        print(f"warning: {safe_text(str(problem))}", file=sys.stderr)
    return library


def _speaker_library(args: argparse.Namespace):
    from listen_trainer.content.library import pack_dirs
    from listen_trainer.content.speaker_library import load_speaker_library, load_speaker_rubric

    library = load_speaker_library(load_speaker_rubric().lexicon, pack_dirs(args.packs))
    for problem in library.problems:
        print(f"warning: {problem}", file=sys.stderr)
    return library


def _everything(args: argparse.Namespace):
    """Every scenario with its pack and the line to show: a listener's statement, or the
    harsh first version a speaker's scenario asks to say softly."""
    for pack, scenario in _library(args).scenarios():
        yield pack, scenario, scenario.statement
    for pack, scenario in _speaker_library(args).scenarios():
        yield pack, scenario, scenario.harsh


def run_list(args: argparse.Namespace) -> int:
    shown = 0
    for pack, scenario, statement in _everything(args):
        if args.pack and pack.id != args.pack:
            continue
        if args.difficulty and scenario.difficulty != args.difficulty:
            continue
        if args.tag and args.tag not in scenario.tags:
            continue
        statement = " ".join(safe_text(statement).split())
        if len(statement) > 70:
            statement = statement[:69] + "…"
        ident, pack_id = safe_text(scenario.id), safe_text(pack.id)
        print(f"{ident:<34} {pack_id:<15} {scenario.difficulty}  {statement}")
        shown += 1
    if not shown:
        print("no scenarios match", file=sys.stderr)
        return 1
    return 0


def run_show(args: argparse.Namespace) -> int:
    import yaml

    scenario = _library(args).find(args.id) or _speaker_library(args).find(args.id)
    if scenario is None:
        print(
            f"no scenario with id {safe_text(args.id)!r}; `listen-trainer scenarios list` "
            "shows them",
            file=sys.stderr,
        )
        return 1
    data = scenario.model_dump(mode="json", exclude_none=True)
    # safe_dump escapes most controls itself, but takes bidirectional overrides as text.
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=88)
    print(safe_text(text), end="")
    return 0
