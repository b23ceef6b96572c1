"""Load and validate rubrics and scenario packs, collecting every problem with its place.

A rubric is the engine's own data and must be whole: a broken rubric stops start-up with
a clear list of problems. Packs are content, some of it from users: a broken pack is
reported and skipped, and every good pack still loads.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel, ValidationError

from listen_trainer import paths
from listen_trainer.content.errors import ContentError
from listen_trainer.content.models import (
    Category,
    CategoryFile,
    CategoryInfo,
    DeckFile,
    Lexicon,
    Pack,
    Rule,
    RuleFile,
    Scenario,
    Settings,
    SettingsFile,
)
from listen_trainer.content.yaml_source import Document, Problem, YamlError, format_loc, read_yaml

# A file's kind is told by its one top-level key, so `check` can take any YAML file.
KINDS: dict[str, type[BaseModel]] = {
    "scenarios": Pack,
    "categories": CategoryFile,
    "families": Lexicon,
    "settings": SettingsFile,
    "rules": RuleFile,
    "deck": DeckFile,
}
# The speaker rubric's files, by their key; their models (speaker_models.py) are imported
# only when such a file is read.
SPEAKER_RUBRIC_KEYS = ("speaker_categories", "speaker_settings", "speaker_rules")
# The speaker's rubric lives in this folder of the rubrics; the listener's rubric skips it.
SPEAKER_RUBRIC_DIR = "speaker"

_FRIENDLY = {
    "extra_forbidden": "unknown field (check its spelling)",
    "missing": "required field is missing",
}


def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model whose mapping sits at `loc` inside `model` (list indexes skipped)."""
    for part in loc:
        if isinstance(part, int):
            continue
        info = model.model_fields.get(part)
        if info is None:
            info = next((f for f in model.model_fields.values() if f.alias == part), None)
        inner = _models_in(info.annotation) if info is not None else []
        if not inner:
            return None
        model = inner[0]
    return model


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The pydantic models inside a type such as `list[Rule]` or `RuleOptions | None`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in get_args(annotation) for m in _models_in(arg)]


def _keys_of(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


def _unknown_key(root: type[BaseModel], loc: tuple[Any, ...]) -> str:
    """Say which keys the mapping takes, and where a misplaced key belongs."""
    model = _model_at(root, loc[:-1])
    if model is None:
        return _FRIENDLY["extra_forbidden"]
    key = loc[-1]
    for name, info in model.model_fields.items():
        for inner in _models_in(info.annotation):
            if key in _keys_of(inner):
                return f"unknown field; {key!r} belongs under '{info.alias or name}:'"
    return f"unknown field (check its spelling); expected one of: {', '.join(_keys_of(model))}"


def _problems_from(
    exc: ValidationError, doc: Document, name: str, root: type[BaseModel]
) -> list[Problem]:
    out = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        message = _FRIENDLY.get(error["type"], error["msg"])
        if error["type"] == "extra_forbidden":
            message = _unknown_key(root, loc)
        message = message.removeprefix("Value error, ")
        if error["type"] not in ("missing", "extra_forbidden") and "input" in error:
            shown = repr(error["input"])
            if len(shown) < 60 and not isinstance(error["input"], dict | list):
                message += f" (got {shown})"
        out.append(Problem(name, doc.line_of(loc), format_loc(loc), message))
    return out


def _kind_of(data: Any) -> str | None:
    if isinstance(data, dict):
        for key in (*KINDS, *SPEAKER_RUBRIC_KEYS):
            if key in data:
                return key
    return None


def is_speaker_pack(data: Any) -> bool:
    """Whether parsed YAML is a speaker pack (`side: speaker`), not a listener's pack."""
    return _kind_of(data) == "scenarios" and data.get("side") == "speaker"


def validate_document(doc: Document, name: str) -> tuple[BaseModel | None, list[Problem]]:
    """Validate a parsed file against the model its top-level key names."""
    kind = _kind_of(doc.data)
    if kind is None:
        expected = ", ".join(KINDS)
        return None, [Problem(name, 1, "", f"expected a mapping with one of: {expected}")]
    if kind in SPEAKER_RUBRIC_KEYS or is_speaker_pack(doc.data):
        from listen_trainer.content.speaker_models import SPEAKER_RUBRIC_KINDS, SpeakerPack

        model_type: type[BaseModel] = SPEAKER_RUBRIC_KINDS.get(kind, SpeakerPack)
    else:
        model_type = KINDS[kind]
    try:
        return model_type.model_validate(doc.data), []
    except ValidationError as exc:
        return None, _problems_from(exc, doc, name, model_type)


def load_file(
    path: Path, name: str | None = None
) -> tuple[BaseModel | None, Document | None, list[Problem]]:
    name = name or str(path)
    try:
        doc = read_yaml(path, name)
    except YamlError as exc:
        return None, None, [exc.problem]
    model, problems = validate_document(doc, name)
    return model, doc, problems


def yaml_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    return sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


# --------------------------------------------------------------------------- rubric


@dataclass(frozen=True)
class Rubric:
    categories: dict[Category, CategoryInfo]
    rules: tuple[Rule, ...]
    lexicon: Lexicon
    settings: Settings
    version: str
    rule_lines: dict[str, str] = field(default_factory=dict)

    def feeling_words(self) -> dict[str, str]:
        """Every lexicon word (lower-case) with the family it belongs to."""
        return {w.lower(): f.name for f in self.lexicon.families for w in [f.name, *f.words]}

    def need_words(self) -> dict[str, str]:
        return {w.lower(): n.name for n in self.lexicon.needs for w in [n.name, *n.words]}


def _display_name(path: Path, directory: Path) -> str:
    """`rubrics/credits.yaml` for a file of the rubric folder, as problems name it."""
    return (
        str(path.relative_to(directory.parent)) if directory.parent in path.parents else str(path)
    )


def rule_files(directory: Path | None = None) -> list[tuple[str, RuleFile, Document]]:
    """The rubric's rule files that validate, each with its name and where its values are."""
    directory = directory or paths.shipped("rubrics")
    out = []
    for path in yaml_files(directory):
        name = _display_name(path, directory)
        model, doc, _ = load_file(path, name)
        if isinstance(model, RuleFile) and doc is not None:
            out.append((name, model, doc))
    return out


def _settings_words(settings: Settings, lexicon: Lexicon) -> list[Problem]:
    """The settings' feeling families and needs must be the lexicon's."""
    families = {f.name for f in lexicon.families}
    needs = {n.name for n in lexicon.needs}
    return [
        Problem("settings", None, "complaint_underlying", f"{name!r} is not a feeling family")
        for name in settings.complaint_underlying
        if name not in families
    ] + [
        Problem("settings", None, "complaint_needs", f"{name!r} is not a need in the lexicon")
        for name in settings.complaint_needs
        if name not in needs
    ]


def load_rubric(directory: Path | None = None) -> Rubric:
    """Load every rubric file in `directory`; raise ContentError listing all problems."""
    directory = directory or paths.shipped("rubrics")
    problems: list[Problem] = []
    categories: CategoryFile | None = None
    lexicon: Lexicon | None = None
    settings: Settings | None = None
    rules: list[Rule] = []
    rule_lines: dict[str, str] = {}
    digest = hashlib.sha256()
    files = [p for p in yaml_files(directory) if p.parent.name != SPEAKER_RUBRIC_DIR]
    if not files:
        raise ContentError([Problem(str(directory), None, "", "no rubric files found")])
    for path in files:
        name = _display_name(path, directory)
        digest.update(path.read_bytes())
        model, doc, found = load_file(path, name)
        problems += found
        if isinstance(model, CategoryFile):
            categories = model
        elif isinstance(model, Lexicon):
            lexicon = model
        elif isinstance(model, SettingsFile):
            settings = model.settings
        elif isinstance(model, RuleFile) and doc is not None:
            for index, rule in enumerate(model.rules):
                if rule.id in rule_lines:
                    problems.append(
                        Problem(
                            name,
                            doc.line_of(("rules", index)),
                            "id",
                            f"rule id {rule.id!r} is already used at {rule_lines[rule.id]}",
                        )
                    )
                    continue
                rule_lines[rule.id] = f"{name}:{doc.line_of(('rules', index))}"
                rules.append(rule)
        elif model is not None:
            problems.append(Problem(name, 1, "", "a scenario pack does not belong in rubrics"))
    for what, value in (
        ("categories", categories),
        ("feelings lexicon", lexicon),
        ("settings", settings),
    ):
        if value is None and not any(p for p in problems):
            problems.append(Problem(str(directory), None, "", f"no {what} file found"))
    if problems:
        raise ContentError(problems)
    assert categories is not None and lexicon is not None and settings is not None
    problems = _settings_words(settings, lexicon)
    if problems:
        raise ContentError(problems)
    return Rubric(
        categories={c.name: c for c in categories.categories},
        rules=tuple(rules),
        lexicon=lexicon,
        settings=settings,
        version=digest.hexdigest()[:12],
        rule_lines=rule_lines,
    )


# --------------------------------------------------------------------------- packs


@dataclass(frozen=True)
class Library:
    """The packs that loaded, and what was wrong with those that did not."""

    packs: tuple[Pack, ...]
    problems: tuple[Problem, ...] = ()
    sources: dict[str, str] = field(default_factory=dict)

    def scenarios(self) -> Iterator[tuple[Pack, Scenario]]:
        for pack in self.packs:
            for scenario in pack.scenarios:
                yield pack, scenario

    def find(self, scenario_id: str) -> Scenario | None:
        for _, scenario in self.scenarios():
            if scenario.id == scenario_id:
                return scenario
        return None


def _check_words(pack: Pack, doc: Document, name: str, rubric: Rubric) -> list[Problem]:
    """Feelings and needs must be lexicon words, so the engine can compare families."""
    feelings = rubric.feeling_words()
    needs = rubric.need_words()
    problems = []
    for s_index, scenario in enumerate(pack.scenarios):
        for layer in ("surface", "underlying"):
            for w_index, word in enumerate(getattr(scenario.feelings, layer)):
                if word.lower() not in feelings:
                    loc = ("scenarios", s_index, "feelings", layer, w_index)
                    problems.append(
                        Problem(
                            name,
                            doc.line_of(loc),
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
                        doc.line_of(loc),
                        format_loc(loc),
                        f"{word!r} is not a need in the lexicon",
                    )
                )
    return problems


def pack_dirs(extra: Iterable[Path] = ()) -> list[Path]:
    """The shipped packs, the user's config packs folder, then any given on the command line."""
    dirs = [paths.shipped("scenarios"), paths.user_packs_dir(), *extra]
    return [d for d in dirs if d.exists()]


def load_library(rubric: Rubric, dirs: Iterable[Path] | None = None) -> Library:
    """Load every pack under `dirs`; broken packs are reported in `problems`, never raised."""
    packs: list[Pack] = []
    problems: list[Problem] = []
    seen_ids: dict[str, str] = {}
    seen_packs: dict[str, str] = {}
    sources: dict[str, str] = {}
    for directory in pack_dirs() if dirs is None else list(dirs):
        if not directory.exists():
            problems.append(Problem(str(directory), None, "", "no such file or folder"))
            continue
        for path in yaml_files(directory):
            name = str(path)
            model, doc, found = load_file(path, name)
            if doc is not None and (_kind_of(doc.data) == "deck" or is_speaker_pack(doc.data)):
                # Workshop decks live beside packs; `content.decks` loads and reports them,
                # and `content.speaker_library` the speaker's packs.
                continue
            if found or doc is None:
                problems += found
                continue
            if not isinstance(model, Pack):
                problems.append(
                    Problem(
                        name,
                        1,
                        "",
                        "expected a scenario pack "
                        "(a mapping with id, title, description, scenarios)",
                    )
                )
                continue
            word_problems = _check_words(model, doc, name, rubric)
            if model.id in seen_packs:
                word_problems.append(
                    Problem(
                        name,
                        doc.line_of(("id",)),
                        "id",
                        f"pack id {model.id!r} is already used by {seen_packs[model.id]}",
                    )
                )
            for index, scenario in enumerate(model.scenarios):
                if scenario.id in seen_ids:
                    loc = ("scenarios", index, "id")
                    word_problems.append(
                        Problem(
                            name,
                            doc.line_of(loc),
                            format_loc(loc),
                            f"scenario id {scenario.id!r} is already "
                            f"used in {seen_ids[scenario.id]}",
                        )
                    )
            if word_problems:
                problems += word_problems
                continue
            seen_packs[model.id] = name
            for scenario in model.scenarios:
                seen_ids[scenario.id] = name
            sources[model.id] = name
            packs.append(model)
    return Library(packs=tuple(packs), problems=tuple(problems), sources=sources)
