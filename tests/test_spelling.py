"""A contraction typed without its apostrophe is read with it, and only when joined."""

from __future__ import annotations

import spacy

from listen_trainer.scoring.reading import Reading

CONTRACTIONS = {"m": "'m", "re": "'re", "s": "'s", "nt": "n't"}


def test_a_joined_bare_contraction_gets_its_apostrophe() -> None:
    doc = spacy.blank("en")("im sure youre right, dont worry")
    words = Reading.of_doc(doc, CONTRACTIONS).lowers
    assert words[:6] == ["i", "'m", "sure", "you", "'re", "right"]
    assert "n't" in words


def test_a_letter_typed_apart_is_left_alone() -> None:
    doc = spacy.blank("en")("plan b s and i m ok")
    assert Reading.of_doc(doc, CONTRACTIONS).lowers == [t.lower_ for t in doc]
