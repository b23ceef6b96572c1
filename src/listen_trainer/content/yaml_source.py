"""Read YAML safely and remember where every value came from.

Packs are shared between strangers, so reading one must be bounded in time and memory:
- a size cap, enforced on the bytes actually read (a file may grow, or lie about its size);
- a first pass over the parser's events that refuses deep nesting and too many values
  before anything builds a tree (libyaml's composer recurses in C: a few thousand `[`
  would overflow the stack and kill the process);
- a node budget on the tree with aliases expanded, which stops alias bombs before
  anything constructs them;
- a length cap on numbers and dates, whose construction is not linear (`1:59:59:...` is
  a YAML 1.1 base-60 integer, built digit by digit into one huge int).
Every value's line is recorded so a validation error can say
`FILE:LINE: field: what was expected`.
"""

from __future__ import annotations

import re
import stat
import unicodedata
from collections import Counter
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
# No pack needs a number or a date longer than this; longer ones are refused unread.
MAX_NUMBER_CHARS = 64
_NUMBER_TAGS = frozenset(
    {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp"}
)

PathKey = tuple[str | int, ...]

# Control characters (Unicode's Cc) other than tab and line feed: an escape sequence in a
# pack's text would reach the learner's terminal and retitle, clear or rewrite it.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """`text` with every control character but tab and line feed written as an escape
    (`\\x1b`), so that printing it cannot drive the terminal."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def control_character(text: str) -> str | None:
    """A description of the first control character in `text` (tab and line feed
    allowed), or None when there is none."""
    found = _CONTROL.search(text)
    if found is None:
        return None
    char = found.group()
    name = unicodedata.name(char, "") or {"\x1b": "ESCAPE", "\x07": "BELL"}.get(char, "")
    label = f"U+{ord(char):04X}" + (f" {name}" if name else "")
    return f"{label} at character {found.start() + 1}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file, said so a person can find and fix it."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        # A file name or a key may hold control characters too: shown, never obeyed.
        return visible(f"{where}: {self.field or '(file)'}: {self.message}")


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


class _Refused(Exception):
    """Internal: the file is refused, at this line (1-based) if known."""

    def __init__(self, line: int | None, message: str, field: str = "") -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.field = field


def _too_many() -> str:
    return (
        f"more than {MAX_NODES:,} values (aliases that expand without end?); "
        "a pack is expected to be plain lists and mappings"
    )


def _too_deep() -> str:
    return f"nested deeper than {MAX_DEPTH} levels"


def _scan_events(text: str) -> None:
    """Refuse deep nesting and too many values from the event stream, before composing.

    Events are flat, so this pass holds one event at a time whatever the file's shape.
    """
    loader = SafeLoader(text)
    depth = 0
    nodes = 0
    try:
        while True:
            event = loader.get_event()
            if event is None or isinstance(event, yaml.StreamEndEvent):
                return
            if isinstance(event, yaml.NodeEvent):
                nodes += 1
                if nodes > MAX_NODES:
                    raise _Refused(event.start_mark.line + 1, _too_many())
                if depth > MAX_DEPTH:
                    raise _Refused(event.start_mark.line + 1, _too_deep())
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    finally:
        loader.dispose()


def _check_scalar(node: yaml.ScalarNode, loader: Any) -> None:
    """Build numbers and dates one at a time, so a bad one is reported at its line."""
    line = node.start_mark.line + 1
    if len(node.value) > MAX_NUMBER_CHARS:
        raise _Refused(
            line,
            f"a value read as a number or date is {len(node.value):,} characters long; "
            f"at most {MAX_NUMBER_CHARS} are read (put text in quotes)",
        )
    try:
        loader.construct_object(node)
    except ValueError as exc:
        raise _Refused(line, f"{node.value!r} is not a valid number or date ({exc})") from None


def _walk(
    node: yaml.Node,
    key: PathKey,
    lines: dict[PathKey, int],
    budget: list[int],
    loader: Any,
    origin: int | None = None,
) -> None:
    """Record each value's line; refuse too many values, too deep, and bad numbers.

    `origin` is the line of the top-level entry being walked: when aliases blow the
    budget, the node reached may be an anchor far away, and the entry that expands it is
    the place to look.
    """
    budget[0] -= 1
    line = node.start_mark.line + 1
    if budget[0] < 0:
        raise _Refused(origin or line, _too_many())
    if len(key) > MAX_DEPTH:
        raise _Refused(line, _too_deep())
    lines[key] = line
    if isinstance(node, yaml.MappingNode):
        names = [k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode)]
        twice = [n for n, count in Counter(names).items() if count > 1 and n != "<<"]
        if twice:
            # YAML keeps the last silently; a pack author would never learn of the first.
            first = twice[0]
            where = [
                k.start_mark.line + 1
                for k, _ in node.value
                if isinstance(k, yaml.ScalarNode) and k.value == first
            ]
            raise _Refused(
                where[1],
                f"key {first!r} appears twice in one mapping (lines "
                f"{', '.join(map(str, where))}); each key may appear once",
            )
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                _refuse_control(key_node, key)
            name = key_node.value if isinstance(key_node, yaml.ScalarNode) else "?"
            entry = origin or key_node.start_mark.line + 1
            _walk(value_node, (*key, name), lines, budget, loader, entry)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            entry = origin or item.start_mark.line + 1
            _walk(item, (*key, index), lines, budget, loader, entry)
    elif isinstance(node, yaml.ScalarNode):
        _refuse_control(node, key)
        if node.tag in _NUMBER_TAGS:
            _check_scalar(node, loader)


def _refuse_control(node: yaml.ScalarNode, key: PathKey) -> None:
    """Refuse a value (or a key) holding a control character, at its line.

    The node's value is the text as parsed: a `"\\e"` escape in quotes is caught too.
    """
    found = control_character(node.value)
    if found:
        raise _Refused(
            node.start_mark.line + 1,
            f"holds a control character ({found}); pack text is expected to be plain, "
            "printable text",
            format_loc(key),
        )


def _read_text(path: Path, name: str) -> str:
    """The file's text, read only up to the cap, whatever its size claims to be."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise YamlError(Problem(name, None, "", f"cannot read: {exc.strerror}")) from None
    if len(data) > MAX_FILE_BYTES:
        try:
            size = f"{path.stat().st_size:,} bytes"
        except OSError:
            size = "too large"
        raise YamlError(
            Problem(name, None, "", f"file is {size}; at most {MAX_FILE_BYTES:,} are read")
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise YamlError(
            Problem(name, line, "", f"not UTF-8 text ({exc.reason} at byte {exc.start})")
        ) from None


def read_yaml(path: Path, display: str | None = None) -> Document:
    """Parse one YAML file with safe loading only; raise YamlError with a located message.

    Work is bounded whatever the file holds: at most MAX_FILE_BYTES are read, MAX_NODES
    values (aliases expanded) and MAX_DEPTH levels are walked, and nothing is built
    before those checks pass.
    """
    name = display or str(path)
    try:
        # Opening a FIFO blocks until a writer comes, and a device may never end: check
        # the kind before opening.
        kind = stat.S_IFMT(path.stat().st_mode)
    except OSError as exc:
        raise YamlError(Problem(name, None, "", f"cannot read: {exc.strerror}")) from None
    if kind != stat.S_IFREG:
        raise YamlError(Problem(name, None, "", "not a regular file (a pipe or a device?)"))
    text = _read_text(path, name)

    loader = None
    try:
        _scan_events(text)
        loader = SafeLoader(text)
        node = loader.get_single_node()
        if node is None:
            raise YamlError(Problem(name, None, "", "the file is empty"))
        lines: dict[PathKey, int] = {}
        _walk(node, (), lines, [MAX_NODES], loader)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise YamlError(Problem(name, line, "", f"not valid YAML: {exc.problem}")) from None
    except yaml.YAMLError as exc:
        raise YamlError(Problem(name, None, "", f"not valid YAML: {exc}")) from None
    except _Refused as exc:
        raise YamlError(Problem(name, exc.line, exc.field, exc.message)) from None
    except RecursionError:
        raise YamlError(Problem(name, None, "", _too_deep())) from None
    except ValueError as exc:
        raise YamlError(Problem(name, None, "", str(exc))) from None
    finally:
        if loader is not None:
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
