"""Read YAML safely and remember where every value came from.

Packs are shared between strangers, so reading one must be bounded: a size cap before
reading, a node budget that stops alias bombs before anything walks the expanded tree,
and a depth cap. Every value's line is recorded so a validation error can say
`FILE:LINE: field: what was expected`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

try:  # libyaml is several times faster; the pure-Python loader is the fallback.
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader  # type: ignore[assignment]

MAX_FILE_BYTES = 2_000_000
MAX_NODES = 200_000
MAX_DEPTH = 64

PathKey = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file, said so a person can find and fix it."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field or '(file)'}: {self.message}"


@dataclass
class Document:
    path: Path
    data: Any
    lines: dict[PathKey, int] = field(default_factory=dict)

    def line_of(self, key: PathKey) -> int | None:
        """The line of the deepest recorded node on `key`'s path (1-based)."""
        for end in range(len(key), -1, -1):
            line = self.lines.get(tuple(key[:end]))
            if line is not None:
                return line
        return None


class YamlError(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def _walk(node: yaml.Node, key: PathKey, lines: dict[PathKey, int], budget: list[int]) -> None:
    budget[0] -= 1
    if budget[0] < 0:
        raise ValueError(
            f"more than {MAX_NODES} values (aliases that expand without end?); "
            "a pack is expected to be plain lists and mappings"
        )
    if len(key) > MAX_DEPTH:
        raise ValueError(f"nested deeper than {MAX_DEPTH} levels")
    lines[key] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            name = key_node.value if isinstance(key_node, yaml.ScalarNode) else "?"
            _walk(value_node, (*key, name), lines, budget)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*key, index), lines, budget)


def read_yaml(path: Path, display: str | None = None) -> Document:
    """Parse one YAML file with safe loading only; raise YamlError with a located message."""
    name = display or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise YamlError(
                Problem(name, None, "", f"file is {size:,} bytes; at most {MAX_FILE_BYTES:,} "
                        "are read")
            )
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise YamlError(Problem(name, None, "", f"not UTF-8 text ({exc.reason})")) from None
    except OSError as exc:
        raise YamlError(Problem(name, None, "", f"cannot read: {exc.strerror}")) from None

    loader = SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise YamlError(Problem(name, None, "", "the file is empty"))
        lines: dict[PathKey, int] = {}
        _walk(node, (), lines, [MAX_NODES])
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise YamlError(Problem(name, line, "", f"not valid YAML: {exc.problem}")) from None
    except yaml.YAMLError as exc:
        raise YamlError(Problem(name, None, "", f"not valid YAML: {exc}")) from None
    except RecursionError:
        raise YamlError(Problem(name, None, "", f"nested deeper than {MAX_DEPTH} levels")) from None
    except ValueError as exc:
        raise YamlError(Problem(name, None, "", str(exc))) from None
    finally:
        loader.dispose()
    return Document(path=path, data=data, lines=lines)


def format_loc(loc: tuple[Any, ...]) -> str:
    """`('scenarios', 3, 'feelings', 'surface')` -> `scenarios[3].feelings.surface`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
