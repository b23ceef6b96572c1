"""The engine's fast paths say what the plain ones say.

- `score_many_json` gives, for each request, the Feedback `score_many` gives, as JSON text
  a reader can parse back into the same Feedback (and ASCII only, so a lone surrogate in a
  reply stays valid JSON).
- The TokenMatcher looks a pattern up by its rarest opening word, which may come after
  the match's start, and skips a pattern whose rare word the Doc lacks: it finds what
  spaCy's Matcher finds, at a Doc's edges too.
"""

from __future__ import annotations

import json

import pytest
import spacy
from spacy.matcher import Matcher

from listen_trainer.scoring import Feedback, Scorer, ScoreRequest
from listen_trainer.scoring.matcher import TokenMatcher


def test_json_batch_parses_back_to_the_feedback_of_score_many(scorer: Scorer) -> None:
    batch = [
        ScoreRequest("It sounds lonely. Is that right?", statement="Nobody called me."),
        ScoreRequest("You should just relax, it's not a big deal.", statement="I'm stressed."),
        ScoreRequest("", statement="I failed my exam."),
        ScoreRequest("I hear how \ud800 hurt you are, caf\u00e9", statement="He left \ud800."),
    ]
    plain = list(scorer.score_many(batch, workers=1))
    texts = list(scorer.score_many_json(batch, workers=1))
    assert len(texts) == len(batch)
    assert all(text.isascii() for text in texts)
    assert [Feedback.model_validate(json.loads(t)) for t in texts] == plain
    assert plain[1].flags, "a roadblock reply comes back with its flags"


# Patterns whose first token is loose (any word but a few), so that the index is on a
# later, rarer word: "a good idea", "can you try"; and one that is tried only in a Doc
# with "overreacting" or "overthinking" in it, after optional words.
PATTERNS = [
    [
        {"IS_ALPHA": True, "LOWER": {"NOT_IN": ["that", "this"]}},
        {"LOWER": "is"},
        {"LOWER": "a"},
        {"LOWER": {"IN": ["good", "great"]}},
        {"LOWER": "idea"},
    ],
    [
        {"LOWER": {"NOT_IN": ["if", "what"]}},
        {"LOWER": "you"},
        {"LOWER": {"IN": ["can", "could"]}},
        {"LOWER": "try", "OP": "+"},
        {"IS_PUNCT": True, "OP": "?"},
    ],
    [
        {"LOWER": "you"},
        {"LOWER": {"IN": ["are", "'re"]}, "OP": "?"},
        {"LOWER": "so", "OP": "{0,2}"},
        {"LOWER": {"IN": ["overreacting", "overthinking"]}},
    ],
]


@pytest.mark.parametrize(
    "text",
    [
        "Walking is a good idea",  # the match starts at the Doc's first token
        "Maybe walking is a great idea, or running is a good idea",  # two, the last at the end
        "That is a good idea",  # the loose first token refuses it
        "is a good idea",  # the rare word is there but the match would start before the Doc
        "Maybe you could try try! If you can try",
        "idea idea is a idea good",
        "You're so so overreacting, you overthinking",
        "You are so so so overreacting",  # one "so" too many
        "You are so dramatic",  # no rare word: the pattern is not tried
    ],
)
def test_token_matcher_finds_what_spacy_finds(text: str) -> None:
    nlp = spacy.blank("en")
    theirs = Matcher(nlp.vocab)
    ours = TokenMatcher(common=nlp.Defaults.stop_words)
    for key, pattern in enumerate(PATTERNS):
        theirs.add(str(key), [pattern])
        ours.add(key, pattern)
    doc = nlp(text)
    expected = {(int(nlp.vocab.strings[k]), s, e) for k, s, e in theirs(doc)}
    found = ours(doc)
    assert set(found) == expected
    assert len(found) == len(expected)
    assert [start for _, start, _ in found] == sorted(start for _, start, _ in found)
