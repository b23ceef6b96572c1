"""The chunk-caching tokenizer (the work-around for spaCy#13950) gives spaCy's own Docs.

Replies with contractions, repeats, punctuation, emoji, URLs and odd spacing are split by
a plain `spacy.blank("en")` tokenizer and by the wrapped one, in several orders (a chunk
first seen alone, then in a text; a cache that has just started again), and the tokens
must be the same, text, spaces and all.
"""

from __future__ import annotations

import itertools

import pytest
import spacy
from spacy.tokens import Doc

from listen_trainer.scoring.tokenizer_cache import ChunkCachingTokenizer

TEXTS = [
    "I'm so sorry, I don't know what you're going through.",
    "You're not overreacting. Of course you're hurt. Is that right?",
    "don't don't DON'T Don't don't.",
    "It's ok... it's OK!!! (it's fine) \"it's\" it's",
    "I'd've thought you'd be fine -- wouldn't you?",
    "Ugh :( that's rough 😢 see https://example.com/a?b=c&d=e, or mail me@x.org",
    "  two  spaces,\ttab and\nnew line   ",
    "gonna wanna gotta y'all ain't can't won't shan't",
    "U.S.A. vs. U.K.: 3.5km, $20, 10:30pm, 50%, #tag @you",
    "",
    "e-mail self-care re-do \u2014 em dash \u2013 en dash \u2026 ellipsis",
]


def tokens(doc: Doc) -> list[tuple[str, str, int]]:
    return [(t.text, t.whitespace_, t.idx) for t in doc]


@pytest.fixture()
def plain() -> spacy.language.Language:
    return spacy.blank("en")


@pytest.mark.parametrize("order", [0, 1, 2])
def test_the_docs_are_spacy_s_own(plain: spacy.language.Language, order: int) -> None:
    wrapped = ChunkCachingTokenizer(spacy.blank("en").tokenizer)
    texts = [TEXTS, list(reversed(TEXTS)), [" ".join(TEXTS), *TEXTS]][order]
    for text in itertools.chain(texts, texts):  # the second time from a warm cache
        assert tokens(wrapped(text)) == tokens(plain.tokenizer(text)), text


def test_a_cache_that_starts_again_still_gives_spacy_s_docs(
    plain: spacy.language.Language,
) -> None:
    wrapped = ChunkCachingTokenizer(spacy.blank("en").tokenizer, kept=3)
    for text in TEXTS * 3:
        assert tokens(wrapped(text)) == tokens(plain.tokenizer(text)), text


def test_it_is_the_tokenizer_for_everything_else(plain: spacy.language.Language) -> None:
    wrapped = ChunkCachingTokenizer(plain.tokenizer)
    assert wrapped.vocab is plain.vocab
    assert wrapped.explain("don't") == plain.tokenizer.explain("don't")
    with pytest.raises(AttributeError):
        _ = wrapped.no_such_attribute
