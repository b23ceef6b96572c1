"""Plain text helpers the rubric compiler and the stages share."""

from __future__ import annotations


def normalise(text: str) -> str:
    """Lower case, one space between words, straight apostrophes: for plain look-ups."""
    return " ".join(text.lower().replace("\u2019", "'").split())


def phrase_variants(text: str) -> set[str]:
    """A phrase as written, lower-cased, and with its hyphens and spaces swapped."""
    lowered = " ".join(text.lower().split())
    return {lowered, lowered.replace("-", " "), lowered.replace(" ", "-")}


def is_phrase(word: str) -> bool:
    """Whether a lexicon entry is several words (matched as a phrase, not a token)."""
    return " " in word.strip() or "-" in word
