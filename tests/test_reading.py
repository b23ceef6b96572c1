"""A reply read once (`Reading`) has spaCy's sentences, and the rubric's matches are a
value handed to the stages, not state left on the Doc.

`Reading` reads sentence bounds from the tokens' sentence starts instead of `doc.sents`:
on replies with odd punctuation, line breaks, a single token or nothing at all it must
find the same sentences, and which of them ask.
"""

from __future__ import annotations

import pytest

from listen_trainer.scoring import Scorer
from listen_trainer.scoring.reading import Reading

ODD_REPLIES = [
    "",
    " ",
    "\n\n",
    "ok",
    "?",
    "!!!",
    "...",
    " . . ?",
    "Hi. ",
    "Hi.. you? yes!! no",
    "What?!? Really...no way. ok",
    "a\n\nb",
    "I hear you.\nIs that right ?",
    "\u2026?",
    "Hmm? Hmm? Hmm?",
    "That sounds hard. But you should rest",
]


@pytest.mark.parametrize("reply", ODD_REPLIES)
def test_sentences_are_spacys_sentences(scorer: Scorer, reply: str) -> None:
    doc = scorer.nlp(reply)
    sents = Reading.of_doc(doc)
    lowers = sents.lowers
    expected = [(s.start, s.end) for s in doc.sents]
    assert sents.bounds == expected
    assert sents.of == [i for i, (start, end) in enumerate(expected) for _ in range(start, end)]
    assert sents.question == ["?" in lowers[start:end] for start, end in expected]


def test_matches_are_a_value_not_doc_state(scorer: Scorer) -> None:
    doc = scorer.nlp("I understand, but you should calm down.")
    matches = scorer.compiled.match(doc)
    found = {scorer.compiled.rules[m.rule].category.value for m in matches.rules}
    assert "fixing" in found
    assert not doc.has_extension("matches")
