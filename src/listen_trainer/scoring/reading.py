"""A reply read once: its tokens, its words in lower case, and its sentences."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from listen_trainer.scoring.spelling import respelled


@dataclass(frozen=True)
class Reading:
    """Each sentence's token bounds (end exclusive), the sentence of each token, and
    which sentences hold a "?".

    Sentences are read from the tokens' sentence starts as `doc.sents` reads them (the
    first token always starts one; an empty Doc has none), without a Span per sentence.
    """

    tokens: list[Token]
    lowers: list[str]
    bounds: list[tuple[int, int]]
    of: list[int]
    question: list[bool]

    @classmethod
    def of_doc(
        cls,
        doc: Doc,
        contractions: Mapping[str, str] | None = None,
        texted: Mapping[str, str] | None = None,
    ) -> Reading:
        """`contractions`: bare parts read with their apostrophe; `texted`: words read as
        the word they stand for (spelling.py)."""
        # Each Token is a new Python object on every access: read them once, here.
        tokens = list(doc)
        lowers = [t.lower_ for t in tokens]

        def joined(i: int) -> bool:
            return not tokens[i - 1].whitespace_

        for i, lower in respelled(lowers, joined, contractions or {}, texted).items():
            lowers[i] = lower
        count = len(tokens)
        starts = [i for i, token in enumerate(tokens) if token.is_sent_start]
        if count and (not starts or starts[0] != 0):
            starts.insert(0, 0)
        # Not strict: an empty Doc has no start, and so no sentence.
        bounds = list(zip(starts, [*starts[1:], count], strict=False))
        of = [index for index, (start, end) in enumerate(bounds) for _ in range(start, end)]
        has_question = "?" in lowers
        question = [has_question and "?" in lowers[s:e] for s, e in bounds]
        return cls(tokens, lowers, bounds, of, question)

    def sentence_start(self, token: int) -> int:
        return self.bounds[self.of[token]][0]
