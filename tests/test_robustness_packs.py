"""Packs and rubric files from strangers: each bad one is refused with a message naming the
file (and the line, where there is one), in bounded time, and the good packs beside it
still load. Every file here is written into tmp_path by the test itself.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from listen_trainer.content.library import (
    ContentError,
    Library,
    Rubric,
    load_library,
    load_rubric,
)
from listen_trainer.content.yaml_source import YamlError, read_yaml

REPO = Path(__file__).resolve().parents[1]
# Generous guards against a regression to unbounded work; bench/robustness.py measures.
GUARD_SECONDS = 5.0
GUARD_BYTES = 150_000_000


def good_pack(pack_id: str, scenario_id: str) -> str:
    return f"""\
id: {pack_id}
title: A pack a friend shared
description: Two small moments between flatmates, written for these tests.
scenarios:
  - id: {scenario_id}
    statement: "The washing machine ate my favourite jumper and I have an interview tomorrow."
    speaker: friend
    situation: Your flatmate holds up a shrunken jumper in the hallway.
    feelings: {{surface: [frustrated], underlying: [scared]}}
    needs: [support]
    key_content: [jumper, interview, tomorrow]
    gist: the jumper shrinking the night before your interview
    difficulty: 1
    teaching_note: >-
      Small disasters before a big day carry the nerves about the day itself; hear both.
    exemplars:
      - reply: "Oh no, the night before your interview too. That's so frustrating."
        label: attuned
      - reply: "Just wear a shirt."
        label: fixing
"""


def deep_block(levels: int) -> str:
    return (
        "scenarios:\n"
        + "".join("  " * i + f"level{i}:\n" for i in range(levels))
        + ("  " * levels + "end: 1\n")
    )


def alias_bomb() -> str:
    # Ten levels of nine aliases each: 9**10 values once expanded, in a 500-byte file.
    lines = ['l0: &l0 ["ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha"]']
    for level in range(1, 10):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 9) + "]")
    lines.append("scenarios: *l9")
    return "\n".join(lines) + "\n"


def merge_bomb() -> str:
    # The same with merge keys (<<), which PyYAML flattens into ever longer lists.
    lines = ["m0: &m0 {a: 1, b: 2, c: 3}"]
    for level in range(1, 12):
        lines.append(f"m{level}: &m{level} {{<<: [" + ", ".join([f"*m{level - 1}"] * 9) + "]}")
    lines.append("scenarios: *m11")
    return "\n".join(lines) + "\n"


def fifty_mb(path: Path) -> None:
    line = b"# a comment line, repeated until the file is far too big to read\n"
    with path.open("wb") as handle:
        handle.write((line * (50_000_000 // len(line) + 1))[:50_000_000])


UNKNOWN_KEY = good_pack("with-typo", "typo-one").replace(
    "    difficulty: 1\n", "    difficulty: 1\n    dificulty: 2\n"
)
WRONG_TYPES = """\
id: wrong-types
title: [a, list, not, a, title]
description: 42
scenarios:
  - id: wrong-one
    statement: 12
    speaker: a stranger
    difficulty: hard
"""

Contents = str | bytes | Callable[[Path], None]
# Too deep, as our check says it ("nested deeper than 64 levels") or as PyYAML's does
# when it refuses first ("exceeded maximum nesting depth").
NESTING = "nest"
# name -> (contents, or a function writing the file; expected line or None; words expected)
HOSTILE: dict[str, tuple[Contents, int | None, str]] = {
    "invalid YAML": ("id: broken\ntitle: [never closed\n", 3, "not valid YAML"),
    "tab indentation": ("id: x\n\ttitle: tabbed\n", 2, "not valid YAML"),
    "alias bomb": (alias_bomb(), 6, "values (aliases that expand"),
    "merge-key bomb": (merge_bomb(), 6, "values (aliases that expand"),
    # Once a segmentation fault: libyaml's composer recursed in C for each level.
    "deep flow nesting": (
        "scenarios: " + "[" * 50_000 + "]" * 50_000 + "\n",
        1,
        NESTING,
    ),
    "deep block nesting": (deep_block(100), 66, NESTING),
    "50 MB file": (fifty_mb, None, "at most 2,000,000 are read"),
    "half a million values": ("scenarios:\n" + "- 1\n" * 490_000, 199_999, "more than 200,000"),
    "a 100,000-digit number": ("scenarios: " + "7" * 100_000 + "\n", 1, "at most 64"),
    # A YAML 1.1 base-60 integer: built digit by digit, quadratic in its length.
    "a base-60 number": ("scenarios: 1" + ":59" * 100_000 + "\n", 1, "at most 64"),
    "an impossible date": ("id: dated\nscenarios: 2025-13-45\n", 2, "not a valid number or date"),
    "not UTF-8": (b"id: ok\ntitle: caf\xe9\n", 2, "not UTF-8"),
    "a Python tag": ("!!python/object/apply:os.system ['true']\n", 1, "constructor"),
    "empty": ("", None, "the file is empty"),
    "a list, not a pack": ("- one\n- two\n", 1, "expected a mapping"),
    "two documents": (
        good_pack("twice-a", "twice-one") + "---\n" + "id: again\n",
        21,
        "but found another document",
    ),
    "a key given twice": ("id: twice\ntitle: One\ntitle: Two\n", 3, "appears twice"),
    "wrong types": (WRONG_TYPES, 2, "title: Input should be a valid string"),
    "unknown key": (UNKNOWN_KEY, 14, "scenarios[0].dificulty: unknown field (check its spelling)"),
    "a word not in the lexicon": (
        good_pack("odd-feeling", "odd-one").replace("[frustrated]", "[flummoxed]"),
        9,
        "scenarios[0].feelings.surface[0]: 'flummoxed' is not in the feelings lexicon",
    ),
    "a terminal title escape": (
        good_pack("retitled", "retitled-one").replace(
            'statement: "The', 'statement: "\\e]0;owned\\a The'
        ),
        6,
        "scenarios[0].statement: holds a control character (U+001B ESCAPE at character 1)",
    ),
    "a screen-clearing escape": (
        good_pack("cleared", "cleared-one").replace("[jumper,", '["\\x1b[2Jjumper",'),
        11,
        "scenarios[0].key_content[0]: holds a control character (U+001B",
    ),
    "a C1 control character": (
        'id: c-one\ntitle: "Flatmates \\x9b2J"\n',
        2,
        "title: holds a control character (U+009B at character 11)",
    ),
    "a rule file among packs": (
        "rules:\n  - id: my-rule\n    category: fixing\n    phrases: [just do]\n",
        1,
        "expected a scenario pack",
    ),
}


def write(path: Path, contents: Contents) -> None:
    if isinstance(contents, bytes):
        path.write_bytes(contents)
    elif isinstance(contents, str):
        path.write_text(contents, encoding="utf-8")
    else:
        contents(path)


@pytest.fixture(scope="module")
def shipped_rubric() -> Rubric:
    return load_rubric()


def located(library: Library, path: Path) -> list[str]:
    return [str(p) for p in library.problems if p.file == str(path)]


def test_deep_nesting_does_not_kill_the_process(tmp_path: Path) -> None:
    # In a child process, since the failure this guards against was a segmentation fault
    # (libyaml's composer recursing in C), which would end the whole test run.
    path = tmp_path / "deep.yaml"
    write(path, HOSTILE["deep flow nesting"][0])
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from listen_trainer.content.yaml_source import YamlError, read_yaml\n"
        "try:\n"
        "    read_yaml(Path(sys.argv[1]))\n"
        "except YamlError as exc:\n"
        "    print(exc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done
    # Our own located problem, on one line; the words saying "too deep" are ours or, where
    # the libyaml PyYAML was built with refuses deep nesting first, PyYAML's.
    assert done.stdout.startswith(f"{path}:1: (file): "), done.stdout
    assert NESTING in done.stdout.splitlines()[0], done.stdout
    assert len(done.stdout.splitlines()) == 1, done.stdout


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_pack_is_refused_and_the_good_ones_still_load(
    tmp_path: Path, shipped_rubric: Rubric, name: str
) -> None:
    contents, line, words = HOSTILE[name]
    folder = tmp_path / "packs"
    folder.mkdir()
    (folder / "a-good.yaml").write_text(good_pack("good-first", "good-first-one"))
    hostile = folder / "hostile.yaml"
    write(hostile, contents)
    (folder / "z-good.yaml").write_text(good_pack("good-last", "good-last-one"))

    started = time.perf_counter()
    library = load_library(shipped_rubric, [folder])
    elapsed = time.perf_counter() - started

    assert sorted(p.id for p in library.packs) == ["good-first", "good-last"]
    problems = located(library, hostile)
    assert problems, library.problems
    assert all(p.file == str(hostile) for p in library.problems)
    where = f"{hostile}:{line}: " if line else f"{hostile}: "
    assert any(p.startswith(where) and words in p for p in problems), problems
    assert "Traceback" not in "\n".join(problems)
    assert elapsed < GUARD_SECONDS, f"{name}: {elapsed:.2f} s"


def test_a_wrong_types_pack_reports_each_field_at_its_line(
    tmp_path: Path, shipped_rubric: Rubric
) -> None:
    path = tmp_path / "wrong.yaml"
    path.write_text(WRONG_TYPES)
    problems = located(load_library(shipped_rubric, [path]), path)
    for expected in (
        f"{path}:2: title: Input should be a valid string",
        f"{path}:3: description: Input should be a valid string (got 42)",
        f"{path}:6: scenarios[0].statement: Input should be a valid string (got 12)",
        f"{path}:7: scenarios[0].speaker: Input should be 'partner'",
        f"{path}:8: scenarios[0].difficulty: Input should be 1, 2 or 3 (got 'hard')",
        f"{path}:5: scenarios[0].teaching_note: required field is missing",
    ):
        assert any(p.startswith(expected) for p in problems), (expected, problems)


@pytest.mark.parametrize("name", ["alias bomb", "merge-key bomb", "half a million values"])
def test_a_bomb_is_refused_in_bounded_memory(tmp_path: Path, name: str) -> None:
    path = tmp_path / "bomb.yaml"
    write(path, HOSTILE[name][0])
    tracemalloc.start()
    try:
        with pytest.raises(YamlError):
            read_yaml(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < GUARD_BYTES, f"{name}: {peak / 1e6:.0f} MB"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    outcome: list[BaseException | None] = []

    def read() -> None:
        try:
            read_yaml(fifo)
        except YamlError as exc:
            outcome.append(exc)
        else:
            outcome.append(None)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(5)
    if reader.is_alive():  # unblock the reader so the test run can end
        with open(fifo, "w"):
            pass
        pytest.fail("read_yaml blocked on a named pipe")
    assert isinstance(outcome[0], YamlError)
    assert str(outcome[0]) == f"{fifo}: (file): not a regular file (a pipe or a device?)"


# --------------------------------------------------------------------------- ids


def test_ids_already_used_by_another_pack_are_refused_naming_the_first(
    tmp_path: Path, shipped_rubric: Rubric
) -> None:
    folder = tmp_path / "packs"
    folder.mkdir()
    first = folder / "a.yaml"
    first.write_text(good_pack("shared", "shared-one"))
    same_pack_id = folder / "b.yaml"
    same_pack_id.write_text(good_pack("shared", "other-one"))
    same_scenario_id = folder / "c.yaml"
    same_scenario_id.write_text(good_pack("another", "shared-one"))
    # A shipped scenario id, reused by a stranger's pack.
    shipped_id = folder / "d.yaml"
    shipped_id.write_text(good_pack("copycat", "workshop-worst-day"))

    library = load_library(shipped_rubric, [REPO / "scenarios", folder])

    assert library.sources["shared"] == str(first)
    assert "copycat" not in library.sources and "another" not in library.sources
    assert located(library, same_pack_id) == [
        f"{same_pack_id}:1: id: pack id 'shared' is already used by {first}"
    ]
    assert located(library, same_scenario_id) == [
        f"{same_scenario_id}:5: scenarios[0].id: scenario id 'shared-one' is already used "
        f"in {first}"
    ]
    assert located(library, shipped_id)[0].startswith(
        f"{shipped_id}:5: scenarios[0].id: scenario id 'workshop-worst-day' is already used in"
    )
    # The shipped packs are all still there.
    assert {"workshop", "partners"} <= set(library.sources)


# --------------------------------------------------------------------------- rubric files

EVIL_RULES = {
    "REGEX in a pattern": (
        "  - id: backtracks\n    category: fixing\n    patterns:\n"
        '      - [{LOWER: {REGEX: "^(a+)+$"}}]\n',
        "patterns[0][0]: LOWER takes a value or IN/NOT_IN, got {'REGEX': '^(a+)+$'}",
    ),
    "FUZZY in a pattern": (
        "  - id: fuzzy\n    category: fixing\n    patterns:\n      - [{LOWER: {FUZZY: calm}}]\n",
        "patterns[0][0]: LOWER takes a value or IN/NOT_IN, got {'FUZZY': 'calm'}",
    ),
    "REGEX as an attribute": (
        '  - id: regex-key\n    category: fixing\n    patterns:\n      - [{REGEX: "x*"}]\n',
        "patterns[0][0]: unknown token attribute 'REGEX'",
    ),
    "bare no": (
        "  - id: bare-no\n    category: dismissing\n    patterns:\n"
        "      - [{LOWER: no}, {LOWER: way}]\n",
        "patterns[0][0]: LOWER takes text, got False (YAML reads bare yes/no/on/off as "
        "true/false: put them in quotes)",
    ),
    "bare yes in a list": (
        "  - id: bare-yes\n    category: placating\n    patterns:\n"
        "      - [{LOWER: {IN: [sure, yes]}}]\n",
        "patterns[0][0]: LOWER takes text, got True",
    ),
}


@pytest.fixture()
def rubric_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "rubrics"
    shutil.copytree(REPO / "rubrics", folder)
    return folder


@pytest.mark.parametrize("name", list(EVIL_RULES))
def test_a_forbidden_rule_pattern_stops_the_rubric_with_its_place(
    rubric_copy: Path, name: str
) -> None:
    rules, message = EVIL_RULES[name]
    (rubric_copy / "strangers.yaml").write_text("# Rules from a stranger.\nrules:\n" + rules)
    with pytest.raises(ContentError) as caught:
        load_rubric(rubric_copy)
    problems = [str(p) for p in caught.value.problems]
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"rubrics/strangers.yaml:3: rules[0]: {message}")


def test_the_shipped_rubric_and_packs_pass_the_hardened_reader() -> None:
    rubric = load_rubric()
    library = load_library(rubric, [REPO / "scenarios"])
    assert library.problems == ()
    assert len(library.packs) >= 2


# --------------------------------------------------------------------------- check


PROBLEM_LINE = re.compile(r"^(?P<file>\S+?):(?:(?P<line>\d+):)? (?P<field>[^:]+): (?P<msg>.+)$")


def test_check_lists_every_problem_by_file_and_line_without_a_traceback(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "shared-packs"
    folder.mkdir()
    (folder / "good.yaml").write_text(good_pack("good", "good-one"))
    chosen = [
        "invalid YAML",
        "alias bomb",
        "deep flow nesting",
        "50 MB file",
        "wrong types",
        "unknown key",
        "a base-60 number",
        "a key given twice",
    ]
    for index, name in enumerate(chosen):
        write(folder / f"bad-{index}.yaml", HOSTILE[name][0])
    (folder / "regex-rules.yaml").write_text("rules:\n" + EVIL_RULES["REGEX in a pattern"][0])
    env = {
        **os.environ,
        "LISTEN_TRAINER_CONFIG_DIR": str(tmp_path / "config"),
        "LISTEN_TRAINER_DATA_DIR": str(tmp_path / "data"),
    }

    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "listen_trainer", "check", str(folder)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    elapsed = time.perf_counter() - started

    assert done.returncode == 1, done
    assert "Traceback" not in done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert re.fullmatch(r"\d+ problem\(s\) in 10 file\(s\)", lines[-1]), lines[-1]
    for text in lines[:-1]:
        assert PROBLEM_LINE.match(text), text
        assert text.startswith(str(folder)), text
    files = {PROBLEM_LINE.match(t)["file"] for t in lines[:-1]}  # type: ignore[index]
    assert files == {str(folder / f"bad-{i}.yaml") for i in range(len(chosen))} | {
        str(folder / "regex-rules.yaml")
    }
    # Every problem has its line, but the 50 MB file's: it is refused unread.
    unlocated = [t for t in lines[:-1] if not PROBLEM_LINE.match(t)["line"]]  # type: ignore[index]
    assert unlocated == [
        f"{folder / 'bad-3.yaml'}: (file): file is 50,000,000 bytes; at most 2,000,000 are read"
    ]
    assert f"{folder / 'regex-rules.yaml'}:2: rules[0]: patterns[0][0]: LOWER takes" in done.stdout
    assert elapsed < 30, f"{elapsed:.1f} s"
