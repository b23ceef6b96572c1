"""The scoring core's stages, each called alone on plain values."""

from __future__ import annotations

import pytest

from listen_trainer.content.models import Category
from listen_trainer.scoring import Scorer
from listen_trainer.scoring.analysis import Finding
from listen_trainer.scoring.contest import longest_first
from listen_trainer.scoring.reading import Reading
from listen_trainer.scoring.whose import listeners_own, someone_elses


def finding(start: int, end: int, source: int, category: Category = Category.FIXING) -> Finding:
    return Finding(category, start, end, f"rule-{source}", 0, source=source)


def test_the_contest_keeps_the_longest_then_the_rule_listed_first() -> None:
    long = finding(0, 4, source=5)
    short = finding(1, 2, source=0)
    tie_later_rule = finding(4, 6, source=9)
    tie_first_rule = finding(5, 7, source=1)
    apart = finding(8, 9, source=3)
    kept = longest_first([short, long, tie_later_rule, tie_first_rule, apart])
    # The long match beats the short one inside it; of two of the same length that
    # overlap, the rule listed first wins; one that overlaps nothing stays.
    assert long in kept and short not in kept
    assert tie_first_rule in kept and tie_later_rule not in kept
    assert apart in kept


@pytest.mark.parametrize(
    ("reply", "word", "listener", "other"),
    [
        ("I feel sad too.", "sad", True, False),
        ("I can see you're sad.", "sad", False, False),
        ("It sounds so sad.", "sad", False, False),
        ("He is often frustrated.", "frustrated", False, True),
        ("They hurt you.", "hurt", False, False),
        # In their place, unless a condition makes it the listener's own.
        ("I'd be hurt too.", "hurt", False, False),
        ("I'd be hurt if he did that to me.", "hurt", True, False),
        ("My brother lost his house.", "lost", True, False),
        ("I may be overwhelmed at times, but I keep on.", "overwhelmed", True, False),
    ],
)
def test_whose_feeling_a_feeling_word_is(
    scorer: Scorer, reply: str, word: str, listener: bool, other: bool
) -> None:
    reading = Reading.of_doc(scorer.nlp(reply))
    index = reading.lowers.index(word)
    start = reading.sentence_start(index)
    end = len(reading.lowers)
    assert listeners_own(reading.lowers, index, start, end, scorer.compiled) is listener
    assert someone_elses(reading.lowers, index, start, scorer.compiled) is other
