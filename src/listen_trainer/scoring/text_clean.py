"""Make a learner's text safe for the tokenizer without moving a single character."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Characters the tokenizer must not see, each replaced one for one so that offsets into
# the cleaned text are offsets into the reply: control characters (all below U+00A0)
# become spaces, and lone surrogates (from broken UTF-8 or a JSON escape) U+FFFD.
# Lone surrogates cannot be written as UTF-8 or JSON: a flag quoting one shows U+FFFD.
SURROGATES = {code: "\ufffd" for code in range(0xD800, 0xE000)}
# Phones type curly apostrophes (U+2019 and its kin): each becomes the straight one the
# rubric's contractions are written with.
APOSTROPHES = {ord(c): "'" for c in "\u2018\u2019\u02bc"}
_UNSAFE = (
    {
        code: " "
        for code in range(0xA0)
        if unicodedata.category(chr(code)) == "Cc" and chr(code) not in "\n\t"
    }
    | SURROGATES
    | APOSTROPHES
)


def _any_of(codes: Iterable[int]) -> re.Pattern[str]:
    """A pattern finding any of `codes`, written as ranges (quick to compile)."""
    runs: list[list[int]] = []
    for code in sorted(codes):
        if runs and runs[-1][1] == code - 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    ranges = (f"{re.escape(chr(first))}-{re.escape(chr(last))}" for first, last in runs)
    return re.compile(f"[{''.join(ranges)}]")


# Most texts hold none of _UNSAFE, and looking costs a fraction of translating.
_ANY_UNSAFE = _any_of(_UNSAFE)
# spaCy's tokenizer is quadratic on a long run without spaces made of prefix or suffix
# characters; a space every so often in such a run keeps it linear.
_LONG_RUN_CHARS = 48
_LONG_RUN = re.compile(rf"\S{{{_LONG_RUN_CHARS}}}")


def clean(text: str, limit: int) -> tuple[str, bool]:
    """Cut `text` to `limit` characters and make it safe for the tokenizer; also say
    whether it was cut.

    Every change replaces one character with one character, so the result is a prefix of
    `text` of the same length as what it kept: every span the engine reports still
    indexes the text the learner typed.
    """
    truncated = len(text) > limit
    if truncated:
        cut = text.rfind(" ", 0, limit)
        text = text[: cut if cut > limit // 2 else limit]
    if _ANY_UNSAFE.search(text):
        text = text.translate(_UNSAFE)
    if len(text) >= _LONG_RUN_CHARS and _LONG_RUN.search(text):
        text = _LONG_RUN.sub(lambda m: m.group()[:-1] + " ", text)
    return text, truncated


def without_surrogates(text: str) -> str:
    """`text` with lone surrogates shown as U+FFFD (they cannot be written as UTF-8)."""
    return text if text.isascii() else text.translate(SURROGATES)
