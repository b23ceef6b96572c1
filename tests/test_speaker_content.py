"""Speaker packs, decks and the speaker's rubric are validated with located messages, and
live beside the listener's content without disturbing it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from listen_trainer.content.library import ContentError, load_library, load_rubric
from listen_trainer.content.speaker_library import load_speaker_library, load_speaker_rubric

REPO = Path(__file__).resolve().parents[1]

PACK = """\
id: mine
title: Mine
side: speaker
description: A small pack.
scenarios:
  - id: mine-bins
    situation: The bins were left out on Thursday night.
    to: partner
    harsh: You never take the bins out.
    feelings: {surface: [angry], underlying: [lonely]}
    needs: [support]
    drill: soften
    difficulty: 1
    teaching_note: Say the feeling under the anger and ask for one thing.
    exemplars:
      - reply: I felt lonely on Thursday with the bins. Would you do them with me tonight?
        label: soft_startup
"""


def test_a_speaker_pack_loads_beside_the_listeners(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(PACK)
    shutil.copy(REPO / "scenarios" / "workshop.yaml", tmp_path / "workshop.yaml")
    rubric = load_rubric()
    listener = load_library(rubric, [tmp_path])
    speaker = load_speaker_library(rubric.lexicon, [tmp_path])
    assert [p.id for p in listener.packs] == ["workshop"] and not listener.problems
    assert [p.id for p in speaker.packs] == ["mine"] and not speaker.problems


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("drill: soften", "drill: whisper", "mine.yaml:12: scenarios[0].drill: Input should be"),
        ("label: soft_startup", "label: attuned", "mine.yaml:17: scenarios[0].exemplars[0].label"),
        ("to: partner", "to: client", "mine.yaml:8: scenarios[0].to"),
        ("underlying: [lonely]", "underlying: [lonley]", "'lonley' is not in the feelings lexicon"),
        ("needs: [support]", "needs: [cake]", "mine.yaml:11: scenarios[0].needs[0]: 'cake'"),
    ],
)
def test_a_broken_speaker_pack_is_reported_where_it_breaks(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    (tmp_path / "mine.yaml").write_text(PACK.replace(old, new))
    speaker = load_speaker_library(load_rubric().lexicon, [tmp_path])
    assert not speaker.packs
    assert expected in "\n".join(str(p) for p in speaker.problems)


def test_a_bad_speaker_rule_stops_with_its_place(tmp_path: Path) -> None:
    rubrics = tmp_path / "rubrics"
    shutil.copytree(REPO / "rubrics", rubrics)
    rules = rubrics / "speaker" / "rules.yaml"
    rules.write_text(rules.read_text().replace("category: hinting", "category: sulking", 1))
    with pytest.raises(ContentError) as caught:
        load_speaker_rubric(rubrics)
    assert "rules.yaml" in str(caught.value) and "category" in str(caught.value)
    # The listener's rubric in the same folder still loads: it skips rubrics/speaker/.
    assert load_rubric(rubrics).rules


def test_a_speaker_rule_without_a_near_miss_is_refused(tmp_path: Path) -> None:
    rubrics = tmp_path / "rubrics"
    shutil.copytree(REPO / "rubrics", rubrics)
    rules = rubrics / "speaker" / "rules.yaml"
    text = rules.read_text()
    start = text.index("      pass:\n        - I always look forward")
    end = text.index("\n\n", start)
    rules.write_text(text[:start] + text[end:])
    with pytest.raises(ContentError) as caught:
        load_speaker_rubric(rubrics)
    assert "examples.pass" in str(caught.value)
