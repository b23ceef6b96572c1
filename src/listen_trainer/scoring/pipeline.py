"""The spaCy pipeline: a blank English tokenizer, sentences, lemmas and the rubric rules.

No trained model is used or downloaded: `spacy.blank("en")` (its tokenizer wrapped by
tokenizer_cache.py), the rule-based sentencizer, and a lookup lemmatizer fed by the
project's own English tables (lemma_tables.py). The compiled rubric runs over each Doc
after the pipeline (`CompiledRubric.match`), and its matches are a value handed on.
"""

from __future__ import annotations

import gc

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from listen_trainer.scoring.lemma_tables import lemma_lookup
from listen_trainer.scoring.tokenizer_cache import ChunkCachingTokenizer

LEMMATIZER_COMPONENT = "listen_trainer_lemmatizer"
SENTENCIZER = "sentencizer"
# A statement is read for its feelings and content only: its sentences are not asked.
STATEMENT_SKIPS = (SENTENCIZER,)

# Rubric patterns may ask for `_.clause_start` and `_.feeling`. Extension predicates run
# as Python in the Matcher, far slower than native attributes, so the rubric compiler turns
# them into native attributes this pipeline sets: TAG (no tagger runs here) for a clause
# start, NORM (no rule reads it otherwise) for a feeling word.
CLAUSE_TAG = "LT_CLAUSE_START"
FEELING_NORM = "lt_feeling"
# A clause opening with a verb's base form (not a feeling word) is a NORM mark too: one
# for a word that is only a verb ("confess"), one for a word that is a noun as well
# ("play", "winter"). `_.bare_verb` asks for either, `_.verb_only` for the first.
VERB_ONLY_NORM = "lt_verb_only"
VERB_NOUN_NORM = "lt_verb_noun"
# Word caches keyed by string hash forget everything past this size, so that a long run
# over ever new words keeps its memory bounded.
WORD_CACHE = 100_000


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
    """The tokenizer, sentencizer and lemmatizer; the rubric runs after them."""
    nlp = spacy.blank("en")
    nlp.tokenizer = ChunkCachingTokenizer(nlp.tokenizer)
    nlp.add_pipe(SENTENCIZER)
    nlp.add_pipe(LEMMATIZER_COMPONENT)
    nlp.initialize()
    return nlp
