"""Mapping files: how a data set's labels are read as our measures, and the bars they meet.

A mapping is data (`eval/*.yaml`), so a reader can see exactly what was measured and a
new data set needs no code. It says:

- `labels`: every label the data set uses (so a typo in a measure is caught, and a row
  with a label nobody expected is reported rather than silently counted);
- `measures`: yes/no questions asked of every row. Gold when the row's label is one of
  `labels`; predicted when the engine raised any flag of the `flags` categories;
- `verdict_checks`: the share of rows with one of `labels` whose verdict is in `verdicts`;
- `classification`: one class per row. Gold from the label (rows whose label is in no
  class are `rest`); predicted by trying the classes in the order written, the first
  whose flags fired winning (`rest` when none fired);
- `depth_orders`: rows with the `higher` labels must get a greater mean depth than rows
  with the `lower` labels;
- `ranking`: for data with several graded replies to one prompt: a rank per label
  (higher is better) and the share of same-prompt pairs the scores put in that order;
- `acts`: for multi-label data whose rows list every act a reply performs (`acts`, or
  `acts_a` and `acts_b` from two annotators) instead of one `label`. Each act is
  predicted when any flag of its `flags` categories fired; the `none` act when no other
  act was predicted. Such a mapping measures acts only.

Each figure may carry a `bar`, one of at_least / above / at_most / below.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from listen_trainer.content.models import ID_PATTERN, Category, Verdict
from listen_trainer.content.yaml_source import Document, Problem, YamlError, format_loc, read_yaml

Name = Annotated[str, Field(pattern=ID_PATTERN, max_length=80)]
Label = Annotated[str, Field(min_length=1, max_length=200)]
Text = Annotated[str, Field(min_length=1, max_length=2000)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Bar(_Strict):
    """A floor or a ceiling for one figure; exactly one bound is given."""

    at_least: float | None = None
    above: float | None = None
    at_most: float | None = None
    below: float | None = None

    @model_validator(mode="after")
    def _one_bound(self) -> Bar:
        given = [k for k, v in self.model_dump().items() if v is not None]
        if len(given) != 1:
            raise ValueError(
                "give exactly one of at_least, above, at_most, below "
                f"(got {', '.join(given) or 'none'})"
            )
        return self

    def met(self, value: float | None) -> bool:
        if value is None:
            return False
        if self.at_least is not None:
            return value >= self.at_least
        if self.above is not None:
            return value > self.above
        if self.at_most is not None:
            return value <= self.at_most
        assert self.below is not None
        return value < self.below

    def __str__(self) -> str:
        for key, sign in (("at_least", "≥"), ("above", ">"), ("at_most", "≤"), ("below", "<")):
            value = getattr(self, key)
            if value is not None:
                return f"{sign} {value:g}"
        return ""  # pragma: no cover - the validator makes this unreachable


class Measure(_Strict):
    name: Name
    what: Text | None = None
    labels: list[Label] = Field(min_length=1)
    flags: list[Category] = Field(min_length=1)
    bar: Bar | None = Field(default=None, description="on the measure's F1")


class VerdictCheck(_Strict):
    name: Name
    what: Text | None = None
    labels: list[Label] = Field(min_length=1)
    verdicts: list[Verdict] = Field(min_length=1)
    bar: Bar | None = Field(default=None, description="on the share of those rows")


class ClassSpec(_Strict):
    name: Name
    labels: list[Label] = Field(min_length=1)
    flags: list[Category] = Field(min_length=1)


class Classification(_Strict):
    name: Name
    what: Text | None = None
    classes: list[ClassSpec] = Field(
        min_length=2, description="in order of precedence: the first whose flags fired wins"
    )
    rest: Name = "other"
    bar: Bar | None = Field(default=None, description="on the macro-F1 over `classes`")

    @property
    def class_names(self) -> list[str]:
        return [c.name for c in self.classes]


class DepthOrder(_Strict):
    name: Name
    what: Text | None = None
    higher: list[Label] = Field(min_length=1)
    lower: list[Label] = Field(min_length=1)
    bar: Bar | None = Field(default=None, description="on mean(higher) - mean(lower)")


class Ranking(_Strict):
    name: Name = "ranking"
    what: Text | None = None
    group_by: Literal["prompt"] = "prompt"
    ranks: dict[Label, int] = Field(min_length=2)
    bar: Bar | None = Field(default=None, description="on the pairwise ranking accuracy")


class ActSpec(_Strict):
    name: Name
    what: Text | None = None
    flags: list[Category] = Field(min_length=1)


class Acts(_Strict):
    what: Text | None = None
    items: list[ActSpec] = Field(min_length=1, description="the acts, in the order shown")
    none: Name | None = Field(
        default="none",
        description="the act a row has when it has no other; predicted when no other was",
    )
    bar: Bar | None = Field(default=None, description="on each act's F1, against each annotator")
    mean_bar: Bar | None = Field(
        default=None, description="on the mean F1 over the acts, against each annotator"
    )

    @property
    def names(self) -> list[str]:
        named = [a.name for a in self.items]
        return named if self.none is None else [*named, self.none]


class EvalMapping(_Strict):
    dataset: Annotated[str, Field(min_length=1, max_length=80)]
    description: Text | None = None
    files: list[Annotated[str, Field(min_length=1)]] = Field(
        default_factory=list,
        description="file-name patterns this mapping is for, so `eval` can pick it alone",
    )
    labels: list[Label] = Field(
        default_factory=list, description="every label the data set uses; not for `acts`"
    )
    measures: list[Measure] = Field(default_factory=list)
    verdict_checks: list[VerdictCheck] = Field(default_factory=list)
    classification: Classification | None = None
    depth_orders: list[DepthOrder] = Field(default_factory=list)
    ranking: Ranking | None = None
    acts: Acts | None = None

    def fits(self, path: Path) -> bool:
        return any(fnmatch.fnmatch(path.name, pattern) for pattern in self.files)


class MappingError(Exception):
    """A mapping file that cannot be used, with every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


_FRIENDLY = {
    "extra_forbidden": "unknown field (check its spelling)",
    "missing": "required field is missing",
}


def _validation_problems(exc: ValidationError, doc: Document, name: str) -> list[Problem]:
    problems = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        message = _FRIENDLY.get(error["type"], error["msg"]).removeprefix("Value error, ")
        shown = error.get("input")
        if error["type"] not in _FRIENDLY and isinstance(shown, str | int | float):
            message += f" (got {shown!r})"
        problems.append(Problem(name, doc.line_of(loc), format_loc(loc), message))
    return problems


@dataclass
class _Checks:
    """The problems found so far in one mapping, and the names already given."""

    mapping: EvalMapping
    doc: Document
    name: str
    problems: list[Problem] = field(default_factory=list)
    seen: dict[str, str] = field(default_factory=dict)

    def problem(self, loc: tuple[str | int, ...], message: str) -> None:
        self.problems.append(Problem(self.name, self.doc.line_of(loc), format_loc(loc), message))

    def labels(self, labels: list[str], loc: tuple[str | int, ...]) -> None:
        declared = set(self.mapping.labels)
        for index, label in enumerate(labels):
            if label not in declared:
                self.problem(
                    (*loc, index),
                    f"{label!r} is not one of the data set's labels (the top-level 'labels' list)",
                )

    def unique(self, value: str, loc: tuple[str | int, ...]) -> None:
        if value in self.seen:
            self.problem(loc, f"{value!r} is already the name of {self.seen[value]}")
        self.seen[value] = format_loc(loc)


def _check_items(checks: _Checks) -> None:
    mapping = checks.mapping
    for kind in ("measures", "verdict_checks", "depth_orders"):
        for index, item in enumerate(getattr(mapping, kind)):
            checks.unique(item.name, (kind, index, "name"))
            if kind == "depth_orders":
                checks.labels(item.higher, (kind, index, "higher"))
                checks.labels(item.lower, (kind, index, "lower"))
                both = set(item.higher) & set(item.lower)
                if both:
                    checks.problem(
                        (kind, index, "lower"),
                        f"{', '.join(sorted(both))} cannot be both higher and lower",
                    )
            else:
                checks.labels(item.labels, (kind, index, "labels"))


def _check_ranking(checks: _Checks, ranking: Ranking) -> None:
    checks.unique(ranking.name, ("ranking", "name"))
    for label in ranking.ranks:
        if label not in checks.mapping.labels:
            checks.problem(
                ("ranking", "ranks", label), f"{label!r} is not one of the data set's labels"
            )


def _check_classification(checks: _Checks, classification: Classification) -> None:
    checks.unique(classification.name, ("classification", "name"))
    owner: dict[str, str] = {}
    names = {classification.rest}
    for index, spec in enumerate(classification.classes):
        loc: tuple[str | int, ...] = ("classification", "classes", index)
        if spec.name in names:
            checks.problem(
                (*loc, "name"), f"class {spec.name!r} is named twice (or is the 'rest' class)"
            )
        names.add(spec.name)
        checks.labels(spec.labels, (*loc, "labels"))
        for l_index, label in enumerate(spec.labels):
            if label in owner and owner[label] != spec.name:
                checks.problem(
                    (*loc, "labels", l_index),
                    f"{label!r} already belongs to class {owner[label]!r}",
                )
            owner[label] = spec.name


def _check_what_is_measured(checks: _Checks) -> None:
    """Acts alone, or labels with something measured of them."""
    mapping = checks.mapping
    by_label = (
        mapping.measures
        or mapping.verdict_checks
        or mapping.classification
        or mapping.depth_orders
        or mapping.ranking
    )
    if mapping.acts is not None:
        if by_label or mapping.labels:
            checks.problem(
                ("acts",),
                "an acts mapping measures acts only: its rows list acts, not one label "
                "(leave out labels, measures, verdict_checks, classification, "
                "depth_orders and ranking)",
            )
        for index, act in enumerate(mapping.acts.items):
            checks.unique(act.name, ("acts", "items", index, "name"))
        if mapping.acts.none is not None:
            checks.unique(mapping.acts.none, ("acts", "none"))
    elif not by_label:
        checks.problem(
            (),
            "nothing to measure: give measures, verdict_checks, classification, "
            "depth_orders, ranking or acts",
        )
    elif not mapping.labels:
        checks.problem(("labels",), "required field is missing (every label the data set uses)")


def _cross_checks(mapping: EvalMapping, doc: Document, name: str) -> list[Problem]:
    """What one field cannot know alone: labels declared, names unique, classes disjoint."""
    checks = _Checks(mapping, doc, name)
    _check_items(checks)
    if mapping.classification is not None:
        _check_classification(checks, mapping.classification)
    if mapping.ranking is not None:
        _check_ranking(checks, mapping.ranking)
    _check_what_is_measured(checks)
    return checks.problems


def parse_mapping(doc: Document, name: str) -> EvalMapping:
    """Validate a parsed mapping file; raise MappingError naming file, line and field."""
    if not isinstance(doc.data, dict):
        raise MappingError(
            [
                Problem(
                    name, 1, "", "expected a mapping with 'dataset', 'labels' and what to measure"
                )
            ]
        )
    try:
        mapping = EvalMapping.model_validate(doc.data)
    except ValidationError as exc:
        raise MappingError(_validation_problems(exc, doc, name)) from None
    problems = _cross_checks(mapping, doc, name)
    if problems:
        raise MappingError(problems)
    return mapping


def load_mapping(path: Path) -> EvalMapping:
    """Read and validate one mapping file; raise MappingError with every problem found."""
    try:
        doc = read_yaml(path, str(path))
    except YamlError as exc:
        raise MappingError([exc.problem]) from None
    return parse_mapping(doc, str(path))


def shipped_mappings(directory: Path) -> list[tuple[Path, EvalMapping | MappingError]]:
    """Every mapping in `directory`, each loaded or with the error that stopped it."""
    found: list[tuple[Path, Any]] = []
    if not directory.is_dir():
        return found
    for path in sorted(directory.glob("*.yaml")):
        try:
            found.append((path, load_mapping(path)))
        except MappingError as exc:
            found.append((path, exc))
    return found
