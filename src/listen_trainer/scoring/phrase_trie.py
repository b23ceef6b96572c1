"""Phrases found by their words' lower case, as spaCy's PhraseMatcher on LOWER finds them.

A rubric's rules list thousands of phrase variants. spaCy's PhraseMatcher wants a Doc for
each, and making them was a noticeable part of every start; a trie of the words' string
hashes needs none, and finds the same spans (bench/matcher_check.py compares them).
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.strings import get_string_id

# A word's node: the trie under it (the next word's nodes), and the keys of the phrases
# that end with it.
_Node = tuple[dict[int, "_Node"], list[int]]


class PhraseTrie:
    """Phrases under integer keys; `match` gives (key, start, end) for each phrase found
    in a sequence of LOWER hashes."""

    def __init__(self) -> None:
        self._first: dict[int, _Node] = {}
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def add(self, key: int, words: Sequence[str]) -> None:
        """Match `words` (tokens, as the tokenizer split the phrase) by their lower case.
        No words match nothing, as an empty phrase Doc in a PhraseMatcher."""
        if not words:
            return
        level = self._first
        for word in words[:-1]:
            level = level.setdefault(get_string_id(word.lower()), ({}, []))[0]
        ends = level.setdefault(get_string_id(words[-1].lower()), ({}, []))[1]
        if key not in ends:
            ends.append(key)
            self._count += 1

    def match(self, lowers: Sequence[int]) -> list[tuple[int, int, int]]:
        """(key, start, end) of every phrase in `lowers` (a Doc's LOWER hashes), by start,
        then by length; overlapping and nested phrases all count."""
        found: list[tuple[int, int, int]] = []
        length = len(lowers)
        first = self._first.get
        for start, word in enumerate(lowers):
            node = first(word)
            at = start + 1
            while node is not None:
                after, keys = node
                for key in keys:
                    found.append((key, start, at))
                if at == length or not after:
                    break
                node = after.get(lowers[at])
                at += 1
        return found
