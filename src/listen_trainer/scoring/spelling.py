"""Words as the rubric spells them: a contraction typed without its apostrophe, or a
texted word ("u", "pls").

People texting write "im", "youre", "dont", "thats". spaCy's English tokenizer splits
these as it splits "I'm", but the part it splits off keeps its bare spelling ("m", "re",
"nt", "s"), which no rule written with "'m" or "n't" would match. Each such part, joined
to the word before it (no space between), is read with its apostrophe; "plan b s" and
"i m ok", typed apart, are left alone.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import TypeVar

Word = TypeVar("Word", bound=Hashable)


def respelled(
    words: Sequence[Word],
    joined: Callable[[int], bool],
    contractions: Mapping[Word, str],
    whole: Mapping[Word, str] | None = None,
) -> dict[int, str]:
    """By position, the contraction a bare part stands for ("nt" of "dont": "n't"), and
    the word a texted one stands for wherever it stands (`whole`: "u" for "you").

    `words` are the tokens' lower-case forms (or their hashes, with `contractions` and
    `whole` keyed the same way); `joined(i)` says whether token `i` follows the one
    before it with no space. Empty for most replies: only a bare part is asked about its
    neighbour."""
    whole = whole or {}
    return {
        i: whole[word] if word in whole else contractions[word]
        for i, word in enumerate(words)
        if word in whole or (i and word in contractions and joined(i))
    }
