"""Words as the rubric spells them: a contraction typed without its apostrophe.

People texting write "im", "youre", "dont", "thats". spaCy's English tokenizer splits
these as it splits "I'm", but the part it splits off keeps its bare spelling ("m", "re",
"nt", "s"), which no rule written with "'m" or "n't" would match. Each such part, joined
to the word before it (no space between), is read with its apostrophe; "plan b s" and
"i m ok", typed apart, are left alone.
"""

from __future__ import annotations

from collections.abc import Mapping

from spacy.tokens import Doc


def respellings(doc: Doc, contractions: Mapping[str, str]) -> dict[int, str]:
    """By token position, the contraction a bare part stands for ("nt" of "dont": "n't");
    empty for most replies."""
    out = {}
    previous = None
    for i, token in enumerate(doc):
        lower = token.lower_
        if previous is not None and lower in contractions and not previous.whitespace_:
            out[i] = contractions[lower]
        previous = token
    return out
