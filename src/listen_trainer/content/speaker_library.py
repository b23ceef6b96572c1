"""Load the speaker's rubric (rubrics/speaker/) and the speaker packs (`side: speaker`).

As with the listener's content: a broken rubric stops start-up with every problem listed
(it is the engine's own data), while a broken pack is reported and skipped.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from listen_trainer import paths
from listen_trainer.content.library import (
    SPEAKER_RUBRIC_DIR,
    ContentError,
    is_speaker_pack,
    load_file,
    pack_dirs,
    yaml_files,
)
from listen_trainer.content.models import Lexicon
from listen_trainer.content.speaker_models import (
    SpeakerCategory,
    SpeakerCategoryFile,
    SpeakerCategoryInfo,
    SpeakerPack,
    SpeakerRule,
    SpeakerRuleFile,
    SpeakerScenario,
    SpeakerSettings,
    SpeakerSettingsFile,
)
from listen_trainer.content.yaml_source import Problem, format_loc

LEXICON_FILE = "feelings.yaml"


@dataclass(frozen=True)
class SpeakerRubric:
    categories: dict[SpeakerCategory, SpeakerCategoryInfo]
    rules: tuple[SpeakerRule, ...]
    settings: SpeakerSettings
    lexicon: Lexicon
    version: str
    rule_lines: dict[str, str] = field(default_factory=dict)

    def feeling_words(self) -> dict[str, str]:
        """Every lexicon word (lower-case) with the family it belongs to."""
        return {w.lower(): f.name for f in self.lexicon.families for w in [f.name, *f.words]}

    def need_words(self) -> dict[str, str]:
        return {w.lower(): n.name for n in self.lexicon.needs for w in [n.name, *n.words]}

    def vulnerable_families(self) -> frozenset[str]:
        return frozenset(f.name for f in self.lexicon.families if f.vulnerable and not f.general)


def speaker_rubric_dir(rubrics: Path | None = None) -> Path:
    return (rubrics or paths.shipped("rubrics")) / SPEAKER_RUBRIC_DIR


def load_speaker_rubric(rubrics: Path | None = None) -> SpeakerRubric:
    """The speaker's rubric from `rubrics`/speaker/, with the feelings lexicon beside it
    in `rubrics`; raise ContentError listing every problem."""
    rubrics = rubrics or paths.shipped("rubrics")
    directory = speaker_rubric_dir(rubrics)
    problems: list[Problem] = []
    categories: SpeakerCategoryFile | None = None
    settings: SpeakerSettings | None = None
    rules: list[SpeakerRule] = []
    rule_lines: dict[str, str] = {}
    digest = hashlib.sha256()
    lexicon_path = rubrics / LEXICON_FILE
    files = [*yaml_files(directory), lexicon_path] if directory.is_dir() else []
    if not files:
        raise ContentError([Problem(str(directory), None, "", "no speaker rubric files found")])
    lexicon: Lexicon | None = None
    for path in files:
        name = (
            str(path.relative_to(rubrics.parent)) if rubrics.parent in path.parents else str(path)
        )
        if not path.is_file():
            problems.append(Problem(name, None, "", "no such file"))
            continue
        digest.update(path.read_bytes())
        model, doc, found = load_file(path, name)
        problems += found
        if isinstance(model, SpeakerCategoryFile):
            categories = model
        elif isinstance(model, SpeakerSettingsFile):
            settings = model.speaker_settings
        elif isinstance(model, Lexicon):
            lexicon = model
        elif isinstance(model, SpeakerRuleFile) and doc is not None:
            for index, rule in enumerate(model.speaker_rules):
                line = doc.line_of(("speaker_rules", index))
                if rule.id in rule_lines:
                    problems.append(
                        Problem(
                            name,
                            line,
                            "id",
                            f"rule id {rule.id!r} is already used at {rule_lines[rule.id]}",
                        )
                    )
                    continue
                rule_lines[rule.id] = f"{name}:{line}"
                rules.append(rule)
        elif model is not None:
            problems.append(Problem(name, 1, "", "expected a speaker rubric file"))
    for what, value in (("categories", categories), ("settings", settings), ("lexicon", lexicon)):
        if value is None and not problems:
            problems.append(Problem(str(directory), None, "", f"no speaker {what} file found"))
    if not rules and not problems:
        problems.append(Problem(str(directory), None, "", "no speaker rules file found"))
    if problems:
        raise ContentError(problems)
    assert categories is not None and settings is not None and lexicon is not None
    return SpeakerRubric(
        categories={c.name: c for c in categories.speaker_categories},
        rules=tuple(rules),
        settings=settings,
        lexicon=lexicon,
        version=digest.hexdigest()[:12],
        rule_lines=rule_lines,
    )


# --------------------------------------------------------------------------- packs


@dataclass(frozen=True)
class SpeakerLibrary:
    """The speaker packs that loaded, and what was wrong with those that did not."""

    packs: tuple[SpeakerPack, ...]
    problems: tuple[Problem, ...] = ()
    sources: dict[str, str] = field(default_factory=dict)

    def scenarios(self) -> Iterator[tuple[SpeakerPack, SpeakerScenario]]:
        for pack in self.packs:
            for scenario in pack.scenarios:
                yield pack, scenario

    def find(self, scenario_id: str) -> SpeakerScenario | None:
        for _, scenario in self.scenarios():
            if scenario.id == scenario_id:
                return scenario
        return None


def check_words(pack: SpeakerPack, line_of: object, name: str, lexicon: Lexicon) -> list[Problem]:
    """Feelings must be family names and needs lexicon needs, so the engine can compare."""
    families = {f.name for f in lexicon.families}
    words = {w.lower() for f in lexicon.families for w in [f.name, *f.words]}
    needs = {w.lower() for n in lexicon.needs for w in [n.name, *n.words]}
    problems = []
    for s_index, scenario in enumerate(pack.scenarios):
        for layer in ("surface", "underlying"):
            for w_index, word in enumerate(getattr(scenario.feelings, layer)):
                if word.lower() not in families | words:
                    loc = ("scenarios", s_index, "feelings", layer, w_index)
                    problems.append(
                        Problem(
                            name,
                            line_of(loc),  # type: ignore[operator]
                            format_loc(loc),
                            f"{word!r} is not in the feelings lexicon (rubrics/feelings.yaml)",
                        )
                    )
        for n_index, word in enumerate(scenario.needs):
            if word.lower() not in needs:
                loc = ("scenarios", s_index, "needs", n_index)
                problems.append(
                    Problem(
                        name,
                        line_of(loc),  # type: ignore[operator]
                        format_loc(loc),
                        f"{word!r} is not a need in the lexicon",
                    )
                )
    return problems


def load_speaker_library(lexicon: Lexicon, dirs: Iterable[Path] | None = None) -> SpeakerLibrary:
    """Every speaker pack under `dirs` (default: where packs live); broken packs are
    reported in `problems`, never raised."""
    packs: list[SpeakerPack] = []
    problems: list[Problem] = []
    seen_ids: dict[str, str] = {}
    sources: dict[str, str] = {}
    for directory in pack_dirs() if dirs is None else list(dirs):
        if not directory.exists():
            problems.append(Problem(str(directory), None, "", "no such file or folder"))
            continue
        for path in yaml_files(directory):
            name = str(path)
            model, doc, found = load_file(path, name)
            if doc is None or not is_speaker_pack(doc.data):
                continue
            if found or not isinstance(model, SpeakerPack):
                problems += found
                continue
            more = check_words(model, doc.line_of, name, lexicon)
            if model.id in sources:
                more.append(
                    Problem(
                        name,
                        doc.line_of(("id",)),
                        "id",
                        f"pack id {model.id!r} is already used by {sources[model.id]}",
                    )
                )
            for index, scenario in enumerate(model.scenarios):
                if scenario.id in seen_ids:
                    loc = ("scenarios", index, "id")
                    more.append(
                        Problem(
                            name,
                            doc.line_of(loc),
                            format_loc(loc),
                            f"scenario id {scenario.id!r} is already used in "
                            f"{seen_ids[scenario.id]}",
                        )
                    )
            if more:
                problems += more
                continue
            for scenario in model.scenarios:
                seen_ids[scenario.id] = name
            sources[model.id] = name
            packs.append(model)
    return SpeakerLibrary(packs=tuple(packs), problems=tuple(problems), sources=sources)
