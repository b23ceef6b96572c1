"""`listen-trainer check [PATH...]`: validate packs, decks and rubrics, list every problem."""

from __future__ import annotations

import argparse
from pathlib import Path

from listen_trainer import paths


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
    from listen_trainer.cli import speaker_check
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
    if not targets:
        targets = [
            paths.shipped("rubrics"),
            paths.shipped("scenarios"),
            paths.user_packs_dir(),
            user_decks_dir(),
        ]
    optional = {paths.user_packs_dir(), user_decks_dir()}
    pack_targets: list[Path] = []
    speaker_files = speaker_check.Collected()
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
            if speaker_files.take(model, doc, path, found):
                continue
            if isinstance(model, Pack) and not found:
                pack_targets.append(path)
            elif isinstance(model, DeckFile) and doc is not None:
                decks.append((model.deck, doc, str(path)))
    # Packs are checked once more together: lexicon words, ids unique across packs.
    library = load_library(rubric, pack_targets)
    speaker = speaker_check.check(speaker_files.packs, speaker_files.decks, list(args.packs))
    for problem in (*library.problems, *speaker.problems):
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
        f"{len(decks)} deck(s), {len(rubric.rules)} rule(s); speaker: {speaker.packs} "
        f"pack(s), {speaker.scenarios} scenario(s), {speaker.decks} deck(s), "
        f"{speaker.rules} rule(s)"
    )
    return 0
