"""The English lemma tables the engine reads, from the project's own copy (lemma_data/).

They are two tables of spaCy's `spacy-lookups-data` (see lemma_data/SOURCE.md): that
package holds every language's tables and is most of an install's size, while the engine
needs these two. `bench/rebuild_lemma_tables.py` makes them from the package and checks
them against it. Nothing is downloaded: the files are inside the installed package.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

_FOLDER = resources.files(__package__) / "lemma_data"
PARTS_OF_SPEECH = ("adj", "adv", "noun", "verb")


def _read(name: str) -> object:
    return json.loads((_FOLDER / name).read_text(encoding="utf-8"))


def lemma_lookup() -> dict[str, str]:
    """Word form -> lemma (`lemma_lookup`), keyed by lower-case forms: "worries" -> "worry".
    A new dict each call, so that no two pipelines share a table either can change."""
    table = _read("en_lemma_lookup.json")
    assert isinstance(table, dict)
    return table


@cache
def base_words() -> dict[str, frozenset[str]]:
    """The base words of English by part of speech (`lemma_index`): "adj", "adv", "noun",
    "verb" -> the words that are words of that part in their own right."""
    index = _read("en_lemma_index.json")
    assert isinstance(index, dict)
    return {pos: frozenset(index.get(pos, ())) for pos in PARTS_OF_SPEECH}
