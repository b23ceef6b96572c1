"""The findings' fast reading of a reply says what spaCy's slower one says.

- `findings._Sentences` reads sentence bounds from the tokens' sentence starts instead of
  `doc.sents`: on replies with odd punctuation, line breaks, a single token or nothing at
  all it must find the same sentences, and which of them ask.
- `matches_of` reads the rubric's matches from where spaCy keeps `doc._.matches`: the
  same value, whether the pipeline set it or not.
"""

from __future__ import annotations

import pytest

from listen_trainer.scoring import Scorer
from listen_trainer.scoring.doc_matches import matches_of
from listen_trainer.scoring.findings import _Sentences

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
    tokens = list(doc)
    lowers = [t.lower_ for t in tokens]
    sents = _Sentences(tokens, lowers)
    expected = [(s.start, s.end) for s in doc.sents]
    assert sents.bounds == expected
    assert sents.of == [i for i, (start, end) in enumerate(expected) for _ in range(start, end)]
    assert sents.question == ["?" in lowers[start:end] for start, end in expected]


def test_matches_are_the_extensions_value(scorer: Scorer) -> None:
    doc = scorer.nlp("I understand, but you should calm down.")
    assert doc._.matches.rules, "the pipeline found the roadblock"
    assert matches_of(doc) is doc._.matches
    bare = scorer.nlp.make_doc("nothing ran on this")
    assert matches_of(bare) == bare._.matches == ()
