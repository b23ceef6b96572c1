"""A work-around for a spaCy tokenizer bug: its word cache stops filling after a special case.

spaCy's tokenizer caches how it split each chunk of text between spaces. But once a Doc
has met a special case ("I'm", "don't"), none of the chunks after it in that Doc is
cached: the flag that says "this chunk held a special case" is never reset
(explosion/spaCy#13950, open in spaCy 3.8). Replies are full of contractions, so the same
words went through the prefix, suffix and infix rules again and again, most of the time
spent tokenizing.

`ChunkCachingTokenizer` tokenizes each chunk once on its own the first time it is seen,
which caches it as spaCy would (a Doc holding one chunk meets the special case, if any,
only at its end). The Doc of the whole text is then spaCy's own, token for token: the
cache is spaCy's, and a chunk is split the same alone or in a text (tests/
test_tokenizer_cache.py holds the two equal). When spaCy fixes the bug this module can go:
`build_nlp` (pipeline.py) is its one user.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc

# How many chunks are remembered as seen before the memory starts again, so that a long
# run over ever new words stays bounded.
CHUNKS_KEPT = 100_000


class ChunkCachingTokenizer:
    """spaCy's tokenizer, its word cache filled for every chunk between spaces."""

    def __init__(self, tokenizer: Callable[[str], Doc], kept: int = CHUNKS_KEPT) -> None:
        self.tokenizer = tokenizer
        self._kept = kept
        self._seen: set[str] = set()

    def __call__(self, text: str) -> Doc:
        seen = self._seen
        for chunk in text.split():
            if chunk not in seen:
                if len(seen) >= self._kept:
                    seen.clear()
                seen.add(chunk)
                self.tokenizer(chunk)
        return self.tokenizer(text)

    def __getattr__(self, name: str) -> object:
        # Everything else (rules, explain, vocab) is the wrapped tokenizer's. (Asked for
        # `tokenizer` itself, as a copy being built does, there is none yet.)
        if name == "tokenizer":
            raise AttributeError(name)
        return getattr(self.tokenizer, name)
