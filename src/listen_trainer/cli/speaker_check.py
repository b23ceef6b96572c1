"""The speaker's part of `listen-trainer check`: its rubric (loaded, compiled, and every
rule run on its own examples), speaker packs and speaker decks."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from listen_trainer.content.yaml_source import Document, Problem


@dataclass
class Collected:
    """The speaker's packs and decks among the files `check` reads."""

    packs: list[Path] = field(default_factory=list)
    decks: list[tuple[Any, Document, str]] = field(default_factory=list)

    def take(self, model: Any, doc: Document | None, path: Path, found: list[Problem]) -> bool:
        """Keep `model` if it is a speaker's pack (valid) or deck; whether it was one."""
        from listen_trainer.content.models import DeckFile
        from listen_trainer.content.speaker_models import SpeakerPack

        if isinstance(model, SpeakerPack):
            if not found:
                self.packs.append(path)
            return True
        if isinstance(model, DeckFile) and doc is not None and model.deck.side == "speaker":
            self.decks.append((model.deck, doc, str(path)))
            return True
        return False


@dataclass
class SpeakerCheck:
    """What `check` found of the speaker's content."""

    problems: list[Problem] = field(default_factory=list)
    packs: int = 0
    scenarios: int = 0
    decks: int = 0
    rules: int = 0


def example_problems(scorer: Any) -> list[Problem]:
    """Each rule's examples that it does not flag, and near-misses that it does."""
    problems = []
    for rule in scorer.rubric.rules:
        where = scorer.rubric.rule_lines.get(rule.id, "rubrics/speaker")
        file, _, line = where.rpartition(":")
        for kind, texts, wanted in (
            ("flag", rule.examples.flag, True),
            ("pass", rule.examples.pass_, False),
        ):
            for index, text in enumerate(texts):
                found = {f.rule for f in scorer.analyse(text).findings}
                if (rule.id in found) != wanted:
                    what = "is not flagged" if wanted else "is flagged, and must pass"
                    problems.append(
                        Problem(
                            file,
                            int(line) if line.isdigit() else None,
                            f"speaker_rules[{rule.id}].examples.{kind}[{index}]",
                            f"{text!r} {what}",
                        )
                    )
    return problems


def check(
    pack_paths: list[Path],
    decks: list[tuple[Any, Document, str]],
    extra_packs: list[Path],
    rubric_dir: Path | None = None,
) -> SpeakerCheck:
    """The speaker rubric under `rubric_dir` (default: the shipped one), the speaker packs
    at `pack_paths` together, and the speaker `decks` against those packs and the usual."""
    from listen_trainer.content.decks import check_deck
    from listen_trainer.content.library import ContentError, pack_dirs
    from listen_trainer.content.speaker_library import (
        SpeakerLibrary,
        load_speaker_library,
        load_speaker_rubric,
    )

    result = SpeakerCheck()
    try:
        rubric = load_speaker_rubric(rubric_dir)
        from listen_trainer.scoring.speaker import SpeakerScorer

        scorer = SpeakerScorer(rubric)
    except ContentError as exc:
        result.problems += exc.problems
        return result
    result.rules = len(rubric.rules)
    result.problems += example_problems(scorer)
    library = load_speaker_library(rubric.lexicon, pack_paths)
    result.problems += library.problems
    result.packs = len(library.packs)
    result.scenarios = sum(len(p.scenarios) for p in library.packs)
    if decks:
        checked = {p.id for p in library.packs}
        usual = load_speaker_library(rubric.lexicon, pack_dirs(extra_packs))
        known = SpeakerLibrary(
            packs=library.packs + tuple(p for p in usual.packs if p.id not in checked)
        )
        for deck, doc, name in decks:
            result.problems += check_deck(deck, doc, name, rubric, known)  # type: ignore[arg-type]
        result.decks = len(decks)
    return result
