"""`listen-trainer check [PATH...]`: validate packs, decks and rubrics, list every problem."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from listen_trainer import paths

if TYPE_CHECKING:
    from listen_trainer.content.library import Rubric


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
    from listen_trainer.content.decks import check_deck, user_decks_dir
    from listen_trainer.content.library import (
        ContentError,
        DeckFile,
        Library,
        Pack,
        load_file,
        load_library,
        load_rubric,
        pack_dirs,
        yaml_files,
    )

    problems = []
    try:
        rubric = load_rubric()
    except ContentError as exc:
        for problem in exc.problems:
            print(problem)
        print(f"{len(exc.problems)} problem(s) in the rubrics; packs were not checked")
        return 1

    targets = list(args.paths) + list(args.packs)
    examples = _self_check(rubric, targets, problems)
    if not targets:
        targets = [
            paths.shipped("rubrics"),
            paths.shipped("scenarios"),
            paths.user_packs_dir(),
            user_decks_dir(),
        ]
    optional = {paths.user_packs_dir(), user_decks_dir()}
    pack_targets: list[Path] = []
    decks = []
    files = 0
    for target in targets:
        if not target.exists():
            if target in optional:
                continue
            print(f"{target}: (file): no such file or folder")
            problems.append(target)
            continue
        for path in yaml_files(target):
            files += 1
            model, doc, found = load_file(path)
            problems += found
            for problem in found:
                print(problem)
            if isinstance(model, Pack) and not found:
                pack_targets.append(path)
            elif isinstance(model, DeckFile) and doc is not None:
                decks.append((model.deck, doc, str(path)))
    # Packs are checked once more together: lexicon words, ids unique across packs.
    library = load_library(rubric, pack_targets)
    for problem in library.problems:
        print(problem)
        problems.append(problem)
    if decks:
        # A deck's scenario ids may come from the packs checked here or from those the
        # trainer would load anyway (shipped, the user's, --packs).
        checked = {p.id for p in library.packs}
        usual = load_library(rubric, pack_dirs(args.packs))
        known = Library(packs=library.packs + tuple(p for p in usual.packs if p.id not in checked))
        for deck, doc, name in decks:
            for problem in check_deck(deck, doc, name, rubric, known):
                print(problem)
                problems.append(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {files} file(s)")
        return 1
    scenarios = sum(len(p.scenarios) for p in library.packs)
    print(
        f"ok: {files} file(s), {len(library.packs)} pack(s), {scenarios} scenario(s), "
        f"{len(decks)} deck(s), {len(rubric.rules)} rule(s), {examples} rule example(s)"
    )
    return 0


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
        print(problem)
    problems += outcome.problems
    return outcome.examples
