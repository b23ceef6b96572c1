"""`listen-trainer check [PATH...]`: validate packs, decks and rubrics, list every problem."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from listen_trainer import paths
from listen_trainer.cli.terminal import safe_text

if TYPE_CHECKING:
    from listen_trainer.content.library import Library, Rubric
    from listen_trainer.content.models import Deck
    from listen_trainer.content.yaml_source import Document


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        "check",
        parents=[common],
        help="validate scenario packs, workshop decks and rubrics",
        description="Validate packs, workshop decks and rubrics. Prints each problem as "
        "FILE:LINE: field: what was expected. Exit 0 when all is well, 1 when any "
        "problem was found.",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        help="files or folders to check (default: the shipped rubrics and every pack)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from listen_trainer.content.library import ContentError, load_rubric

    try:
        rubric = load_rubric()
    except ContentError as exc:
        for problem in exc.problems:
            print(safe_text(str(problem)))
        print(f"{len(exc.problems)} problem(s) in the rubrics; packs were not checked")
        return 1
    return _check(args, rubric)


def _targets(args: argparse.Namespace) -> tuple[list[Path], set[Path]]:
    """What to check, and which of it may be missing (the user's own folders)."""
    from listen_trainer.content.decks import user_decks_dir

    targets = list(args.paths) + list(args.packs)
    if targets:
        return targets, set()
    optional = {paths.user_packs_dir(), user_decks_dir()}
    return [paths.shipped("rubrics"), paths.shipped("scenarios"), *optional], optional


def _target_problem(target: Path, optional: set[Path]) -> str | None:
    """Why `target` cannot be checked at all, or None."""
    from listen_trainer.content.library import yaml_files

    if not target.exists():
        return None if target in optional else "no such file or folder"
    if not target.is_file() and not target.is_dir():
        # Reading a FIFO waits for a writer, and a device may never end.
        return "not a regular file or folder (a pipe or a device?)"
    if target.is_dir() and target not in optional and not yaml_files(target):
        return "no .yaml or .yml files in this folder"
    return None


def _check(args: argparse.Namespace, rubric: Rubric) -> int:
    from listen_trainer.cli import speaker_check
    from listen_trainer.content.library import DeckFile, Pack, load_file, yaml_files

    problems: list[object] = []
    examples = _self_check(rubric, [*args.paths, *args.packs], problems)
    targets, optional = _targets(args)
    pack_targets: list[Path] = []
    speaker_files = speaker_check.Collected()
    decks = []
    files = 0
    for target in targets:
        why = _target_problem(target, optional)
        if why is not None:
            problems.append(_say(f"{target}: (file): {why}"))
            continue
        if not target.exists():
            continue
        for path in yaml_files(target):
            files += 1
            model, doc, found = load_file(path)
            problems += [_say(str(problem)) for problem in found]
            if speaker_files.take(model, doc, path, found):
                continue
            if isinstance(model, Pack) and not found:
                pack_targets.append(path)
            elif isinstance(model, DeckFile) and doc is not None:
                decks.append((model.deck, doc, str(path)))
    library, usual = _packs_together(args, rubric, pack_targets)
    problems += [_say(str(problem)) for problem in library.problems]
    problems += _check_decks(decks, rubric, library, usual)
    speaker = speaker_check.check(speaker_files.packs, speaker_files.decks, list(args.packs))
    problems += [_say(str(problem)) for problem in speaker.problems]
    if problems:
        print(f"{len(problems)} problem(s) in {files} file(s)")
        return 1
    scenarios = sum(len(p.scenarios) for p in library.packs)
    print(
        f"ok: {files} file(s), {len(library.packs)} pack(s), {scenarios} scenario(s), "
        f"{len(decks)} deck(s), {len(rubric.rules)} rule(s), {examples} rule example(s); "
        f"speaker: {speaker.packs} pack(s), {speaker.scenarios} scenario(s), "
        f"{speaker.decks} deck(s), {speaker.rules} rule(s)"
    )
    return 0


def _packs_together(
    args: argparse.Namespace, rubric: Rubric, pack_targets: list[Path]
) -> tuple[Library, Library]:
    """The checked packs, loaded after every other pack the trainer would load (shipped,
    the user's, --packs), so that an id already taken there is reported on the checked
    file and line; and those other packs. Only the checked files' problems are kept."""
    from listen_trainer.content.library import Library, load_library, pack_dirs

    usual = load_library(rubric, pack_dirs(args.packs))
    checked = {path.resolve() for path in pack_targets}
    others = [Path(name) for name in usual.sources.values() if Path(name).resolve() not in checked]
    together = load_library(rubric, [*others, *pack_targets])
    names = {str(path) for path in pack_targets}
    library = Library(
        packs=tuple(p for p in together.packs if together.sources.get(p.id) in names),
        problems=tuple(p for p in together.problems if p.file in names),
        sources={k: v for k, v in together.sources.items() if v in names},
    )
    return library, usual


def _check_decks(
    decks: list[tuple[Deck, Document, str]], rubric: Rubric, library: Library, usual: Library
) -> list[str]:
    """Each deck's problems. Its scenario ids may come from the packs checked here or from
    those the trainer would load anyway (shipped, the user's, --packs)."""
    from listen_trainer.content.decks import check_deck
    from listen_trainer.content.library import Library

    if not decks:
        return []
    checked = {p.id for p in library.packs}
    known = Library(packs=library.packs + tuple(p for p in usual.packs if p.id not in checked))
    return [
        _say(str(problem))
        for deck, doc, name in decks
        for problem in check_deck(deck, doc, name, rubric, known)
    ]


def _say(problem: str) -> str:
    """Print one problem (a pack's words in it made safe for the terminal); return it."""
    print(safe_text(problem))
    return problem


def _self_check(rubric: Rubric, targets: list[Path], problems: list) -> int:
    """With no paths, or the rubric's own folder among them, run every rule's examples
    (failures are problems) and warn of phrases listed twice. Returns how many ran."""
    folder = paths.shipped("rubrics").resolve()
    if targets and not any(folder in (t.resolve(), *t.resolve().parents) for t in targets):
        return 0
    from listen_trainer.content.rubric_lint import repeated_phrases
    from listen_trainer.scoring.rule_examples import run_examples

    outcome = run_examples(rubric, folder)
    for problem in repeated_phrases(folder) + outcome.problems:
        print(safe_text(str(problem)))
    problems += outcome.problems
    return outcome.examples
