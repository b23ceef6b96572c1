"""The spaCy pipeline: a blank English tokenizer, sentences, lemmas and the rubric rules.

No trained model is used or downloaded: `spacy.blank("en")` (its tokenizer wrapped by
tokenizer_cache.py), the rule-based sentencizer, a lookup lemmatizer fed by the project's
own English tables (lemma_tables.py), and one component that runs the compiled rubric
over each Doc and leaves its matches on `doc._.matches`.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from listen_trainer.scoring.lemma_tables import lemma_lookup
from listen_trainer.scoring.matcher import SLOT
from listen_trainer.scoring.tokenizer_cache import ChunkCachingTokenizer

if TYPE_CHECKING:
    from listen_trainer.scoring.rules import CompiledRubric

RULES_COMPONENT = "listen_trainer_rules"
LEMMATIZER_COMPONENT = "listen_trainer_lemmatizer"
SENTENCIZER = "sentencizer"
# A statement is read for its feelings and content only: neither its sentences nor the
# rubric's rules (most of a reply's work) are asked of it.
STATEMENT_SKIPS = (SENTENCIZER, RULES_COMPONENT)

# Rubric patterns may ask for `_.clause_start` and `_.feeling`. Extension predicates run
# as Python in the Matcher, far slower than native attributes, so the rubric compiler turns
# them into native attributes this pipeline sets: TAG (no tagger runs here) for a clause
# start, NORM (no rule reads it otherwise) for a feeling word.
CLAUSE_TAG = "LT_CLAUSE_START"
FEELING_NORM = "lt_feeling"
# Word caches keyed by string hash forget everything past this size, so that a long run
# over ever new words keeps its memory bounded.
WORD_CACHE = 100_000

if not Doc.has_extension("matches"):
    Doc.set_extension("matches", default=())


class LowerCaseLemmatizer:
    """Lemmas from the English lookup table, of the lower-cased token.

    English lookup tables are keyed by lower-case forms, so "Feeling" at the start of a
    sentence would otherwise keep "Feeling" as its lemma and miss every rule. A word the
    table lacks is its own lemma, in lower case. `table` is the table itself (lower-case
    form -> lemma), which the rubric compiler reads too.
    """

    def __init__(self, vocab: Vocab, table: dict[str, str]) -> None:
        self.vocab = vocab
        self.table = table
        # The same look-up by string hashes (lower-case form -> lemma), filled as words
        # come: looking the table up by string was most of the time.
        self._lemma_of_lower: dict[int, int] = {}

    def __call__(self, doc: Doc) -> Doc:
        cache = self._lemma_of_lower
        if len(cache) > WORD_CACHE:
            cache.clear()
        for token in doc:
            token.lemma = cache.get(token.lower) or self._learn(cache, token.lower)
        return doc

    def _learn(self, cache: dict[int, int], lower_hash: int) -> int:
        strings = self.vocab.strings
        lower = strings[lower_hash]
        cache[lower_hash] = strings.add(self.table.get(lower, lower))
        return cache[lower_hash]


@Language.factory(LEMMATIZER_COMPONENT, assigns=["token.lemma"], default_config={})
def make_lower_lemmatizer(nlp: Language, name: str) -> LowerCaseLemmatizer:
    return LowerCaseLemmatizer(nlp.vocab, lemma_lookup())


class RubricComponent:
    """Marks clause starts, then runs the lexicon and every compiled rule."""

    def __init__(self, compiled: CompiledRubric | None) -> None:
        self.compiled = compiled

    def __call__(self, doc: Doc) -> Doc:
        compiled = self.compiled
        if compiled is None:
            return doc
        # The Doc is read once, as rows of hashes, for the clause marks, the lexicon and
        # the patterns: each read through spaCy Tokens cost more than the rules on it.
        rows = compiled.tokens.rows(doc)
        mark_clauses(doc, rows, compiled.discourse_marker_hashes)
        doc._.matches = compiled.match(doc, rows)
        return doc


def mark_clauses(doc: Doc, rows: list[list[int]], marker_hashes: frozenset[int]) -> None:
    """Tag each clause start CLAUSE_TAG, on the Doc and in its `rows` (TokenMatcher.rows).

    A clause starts at the sentence start, or after only fillers and commas: "So, what
    happened?" opens with "what" as far as the rules care."""
    clause = doc.vocab.strings.add(CLAUSE_TAG)
    sent_start, tag, lower, punct = SLOT["SENT_START"], SLOT["TAG"], SLOT["LOWER"], SLOT["IS_PUNCT"]
    opening = True
    for i, row in enumerate(rows):
        if row[sent_start] == 1:
            opening = True
        if opening:
            doc[i].tag = row[tag] = clause
            opening = row[lower] in marker_hashes or bool(row[punct])


def freeze_built_objects() -> None:
    """Leave every object alive now out of the cyclic garbage collector's walks.

    To call once a Scorer is built: its pipeline, rubric and tables are many objects kept
    for the life of the process, and each full collection walked them all again, a pause
    in whatever reply was being scored then. Frozen (`gc.freeze`), they are never walked;
    forked workers share their memory pages instead of touching them. The price: cyclic
    garbage alive now is never freed, so call it once a process's lasting objects are
    built, not after every build of a short-lived one."""
    gc.freeze()


def build_nlp() -> Language:
    """The tokenizer, sentencizer and lemmatizer; the rubric is attached by `attach_rules`."""
    nlp = spacy.blank("en")
    nlp.tokenizer = ChunkCachingTokenizer(nlp.tokenizer)
    nlp.add_pipe(SENTENCIZER)
    nlp.add_pipe(LEMMATIZER_COMPONENT)
    nlp.initialize()
    return nlp


def attach_rules(nlp: Language, compiled: CompiledRubric) -> None:
    """Run `compiled` as the pipeline's last step (it must share `nlp`'s vocab)."""
    if RULES_COMPONENT in nlp.pipe_names:
        nlp.remove_pipe(RULES_COMPONENT)
    component = nlp.add_pipe(RULES_COMPONENT)
    # A factory's config cannot carry a Python object, so the rubric is set afterwards.
    component.compiled = compiled


@Language.factory(RULES_COMPONENT, default_config={})
def _make_rules(nlp: Language, name: str) -> RubricComponent:
    return RubricComponent(compiled=None)  # type: ignore[arg-type]
