"""Packs and rubrics are data: validated with clear, located messages, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from listen_trainer.content.library import ContentError, Rubric, load_library, load_rubric

REPO = Path(__file__).resolve().parents[1]

GOOD_PACK = """\
id: mine
title: My pack
description: A pack a facilitator wrote.
scenarios:
  - id: mine-late
    statement: "You were late again and I waited alone."
    speaker: partner
    situation: At the restaurant door.
    feelings:
      surface: [frustrated]
      underlying: [lonely]
    needs: [matter]
    key_content: [late, waited]
    difficulty: 2
    teaching_note: Waiting alone can feel like not mattering.
    exemplars:
      - reply: "You waited alone and felt like you didn't matter."
        label: attuned
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_library_is_whole(library) -> None:
    assert library.problems == ()
    ids = [s.id for _, s in library.scenarios()]
    assert len(ids) == len(set(ids)) >= 90
    assert {p.id for p in library.packs} >= {
        "partners",
        "family-friends",
        "work",
        "clinical",
        "workshop",
    }


def test_a_broken_pack_is_reported_with_file_line_and_field_and_the_rest_loads(
    tmp_path: Path, rubric: Rubric
) -> None:
    write(tmp_path, "good.yaml", GOOD_PACK)
    broken = GOOD_PACK.replace("id: mine\n", "id: other\n").replace("mine-late", "other-late")
    broken = broken.replace("difficulty: 2", "difficulty: 7")
    write(tmp_path, "broken.yaml", broken)
    library = load_library(rubric, [tmp_path])
    assert [p.id for p in library.packs] == ["mine"]
    (problem,) = library.problems
    assert problem.file.endswith("broken.yaml")
    assert problem.line == 14
    assert problem.field == "scenarios[0].difficulty"
    assert "1, 2 or 3" in problem.message or "Input should be 1" in problem.message
    assert str(problem).startswith(f"{problem.file}:14: scenarios[0].difficulty: ")


@pytest.mark.parametrize(
    ("edit", "field", "words"),
    [
        (
            ("surface: [frustrated]", "surface: [grumpyish]"),
            "scenarios[0].feelings.surface[0]",
            "not in the feelings lexicon",
        ),
        (("needs: [matter]", "needs: [cake]"), "scenarios[0].needs[0]", "not a need"),
        (("speaker: partner", "speaker: robot"), "scenarios[0].speaker", "partner"),
        (
            ("    difficulty: 2\n", "    difficulty: 2\n    mood: odd\n"),
            "scenarios[0].mood",
            "unknown field",
        ),
        (
            ("        label: attuned", "        label: lovely"),
            "scenarios[0].exemplars[0].label",
            "attuned",
        ),
    ],
)
def test_each_mistake_names_its_field(
    tmp_path: Path, rubric: Rubric, edit: tuple[str, str], field: str, words: str
) -> None:
    write(tmp_path, "pack.yaml", GOOD_PACK.replace(*edit))
    library = load_library(rubric, [tmp_path])
    assert library.packs == ()
    assert any(p.field == field and words in p.message for p in library.problems), library.problems


def test_duplicate_ids_across_packs_keep_the_first(tmp_path: Path, rubric: Rubric) -> None:
    write(tmp_path, "a.yaml", GOOD_PACK)
    write(tmp_path, "b.yaml", GOOD_PACK.replace("id: mine\n", "id: copy\n"))
    library = load_library(rubric, [tmp_path])
    assert [p.id for p in library.packs] == ["mine"]
    assert "already used" in library.problems[0].message


def test_invalid_yaml_is_located(tmp_path: Path, rubric: Rubric) -> None:
    write(tmp_path, "bad.yaml", "id: x\nscenarios: [\n  - oops: : :\n")
    (problem,) = load_library(rubric, [tmp_path]).problems
    assert problem.line is not None
    assert "not valid YAML" in problem.message


def test_a_user_packs_folder_is_read(
    tmp_path: Path, rubric: Rubric, monkeypatch: pytest.MonkeyPatch
) -> None:
    from listen_trainer.content.library import pack_dirs

    monkeypatch.setenv("LISTEN_TRAINER_CONFIG_DIR", str(tmp_path))
    write(tmp_path / "packs", "mine.yaml", GOOD_PACK)
    library = load_library(rubric, pack_dirs())
    assert library.find("mine-late") is not None


def copy_rubrics(tmp_path: Path) -> Path:
    folder = tmp_path / "rubrics"
    folder.mkdir()
    for path in (REPO / "rubrics").glob("*.yaml"):
        (folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return folder


def test_a_bare_yes_in_a_pattern_is_explained(tmp_path: Path) -> None:
    folder = copy_rubrics(tmp_path)
    path = folder / "credits.yaml"
    path.write_text(path.read_text().replace('"yes", yeah, "no"', "yes, yeah, no"))
    with pytest.raises(ContentError) as caught:
        load_rubric(folder)
    message = str(caught.value)
    assert "credits.yaml:" in message
    assert "put them in quotes" in message


def test_a_regex_pattern_is_refused(tmp_path: Path) -> None:
    folder = copy_rubrics(tmp_path)
    write(
        folder,
        "extra.yaml",
        "rules:\n  - id: slow\n    category: fixing\n"
        "    patterns:\n      - [{TEXT: {REGEX: '(a+)+$'}}]\n",
    )
    with pytest.raises(ContentError, match="IN/NOT_IN"):
        load_rubric(folder)


def test_a_rule_for_an_unknown_category_is_refused(tmp_path: Path) -> None:
    folder = copy_rubrics(tmp_path)
    write(
        folder, "extra.yaml", "rules:\n  - id: odd\n    category: grumbling\n    phrases: [meh]\n"
    )
    with pytest.raises(ContentError, match=r"extra.yaml:3: rules\[0\].category"):
        load_rubric(folder)


def test_the_library_is_worth_practising_on(library, rubric: Rubric) -> None:
    from collections import Counter

    from listen_trainer.content.models import Verdict

    families = rubric.feeling_words()
    difficulty = Counter(s.difficulty for _, s in library.scenarios())
    labels = Counter(e.label for _, s in library.scenarios() for e in s.exemplars)
    surface = {families[w.lower()] for _, s in library.scenarios() for w in s.feelings.surface}
    assert all(difficulty[level] >= 20 for level in (1, 2, 3)), difficulty
    assert all(labels[v] >= 25 for v in Verdict), labels
    assert len(surface) >= 10
    for pack, scenario in library.scenarios():
        kinds = Counter(e.label for e in scenario.exemplars)
        roadblocks = {
            v
            for v in kinds
            if v not in (Verdict.ATTUNED, Verdict.PARTLY_ATTUNED, Verdict.PLACATING, Verdict.MISSED)
        }
        # Every scenario shows a reply that does not hear: hollow (placating) or empty.
        hears_nothing = kinds[Verdict.PLACATING] + kinds[Verdict.MISSED]
        assert len(scenario.exemplars) >= 6, scenario.id
        assert kinds[Verdict.ATTUNED] >= 2 and hears_nothing >= 1, scenario.id
        assert len(roadblocks) >= 3, scenario.id
        if scenario.difficulty == 3:
            assert scenario.feelings.underlying, scenario.id
        if pack.id == "workshop":
            assert not scenario.sensitive, scenario.id
