"""The engine's English lemmas come from the project's own tables, as spaCy's gave them.

The tables in scoring/lemma_data are two of `spacy-lookups-data`'s (see SOURCE.md there).
The pipeline lemmatises the lower-cased token with them; where that package happens to be
installed, the shipped tables must be its own, and the lemmas the same as spaCy's lookup
lemmatizer gives on the lower-cased text.
"""

from __future__ import annotations

import gzip
import json
from importlib import metadata, resources

import pytest
import spacy

from listen_trainer.scoring.lemma_tables import base_words, lemma_lookup
from listen_trainer.scoring.pipeline import build_nlp


def lookups_data() -> object:
    try:
        metadata.version("spacy-lookups-data")
    except metadata.PackageNotFoundError:
        pytest.skip("spacy-lookups-data is not installed (it is not needed to run)")
    return resources.files("spacy_lookups_data") / "data"


@pytest.mark.parametrize(
    ("text", "lemmas"),
    [
        ("Worries kept me up", ["worry", "keep", "me", "up"]),
        ("Feeling hurt and missed", ["feel", "hurt", "and", "miss"]),
        ("Blorptastic!", ["blorptastic", "!"]),  # not in the table: itself, in lower case
    ],
)
def test_a_token_s_lemma_is_its_lower_case_form_s(text: str, lemmas: list[str]) -> None:
    assert [t.lemma_ for t in build_nlp()(text)] == lemmas


def test_the_base_words_know_parts_of_speech() -> None:
    words = base_words()
    assert "anxious" in words["adj"] and "anxious" not in words["noun"]
    assert {"grief", "anxiety"} <= words["noun"]
    assert "worry" in words["verb"]


def test_each_pipeline_gets_a_table_of_its_own() -> None:
    first, second = lemma_lookup(), lemma_lookup()
    assert first == second and first is not second


@pytest.mark.parametrize("table", ["lemma_lookup", "lemma_index"])
def test_the_shipped_tables_are_spacy_lookups_data_s(table: str) -> None:
    data = lookups_data()
    with gzip.open(str(data / f"en_{table}.json.gz"), "rt", encoding="utf-8") as raw:
        theirs = json.load(raw)
    ours = lemma_lookup() if table == "lemma_lookup" else base_words()
    if table == "lemma_index":
        theirs = {pos: frozenset(words) for pos, words in theirs.items()}
    assert ours == theirs


def test_the_lemmas_are_spacy_s_lookup_lemmas(library: object) -> None:
    lookups_data()
    reference = spacy.blank("en")
    reference.add_pipe("lemmatizer", config={"mode": "lookup"})
    reference.initialize()
    spacy_table = reference.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
    ours = build_nlp()
    texts = [e.reply for _, s in library.scenarios() for e in s.exemplars]  # type: ignore[attr-defined]
    texts += [s.statement for _, s in library.scenarios()]  # type: ignore[attr-defined]
    assert len(texts) > 200
    for text in texts:
        doc = ours(text)
        # spaCy's lookup lemma of the lower-cased token; a word it lacks is itself.
        assert [t.lemma_ for t in doc] == [spacy_table.get(t.lower_, t.lower_) for t in doc]
