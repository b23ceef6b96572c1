"""The spaCy pipeline: a blank English tokenizer, sentences, lemmas and the rubric rules.

No trained model is used or downloaded: `spacy.blank("en")`, the rule-based sentencizer,
the lookup lemmatizer fed by `spacy-lookups-data`. The compiled rubric runs over each Doc
after the pipeline (`CompiledRubric.match`), and its matches are a value handed on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import spacy
from spacy.language import Language
from spacy.lookups import Lookups
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc, Token
from spacy.training import Example
from spacy.util import load_language_data, registry

LEMMATIZER_COMPONENT = "listen_trainer_lemmatizer"
SENTENCIZER = "sentencizer"
# A statement is read for its feelings and content only: its sentences are not asked.
STATEMENT_SKIPS = (SENTENCIZER,)

# Rubric patterns may ask for `_.clause_start` and `_.feeling`. Extension predicates run
# as Python in the Matcher and made it three times slower, so the rubric compiler turns
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


class LowerCaseLemmatizer(Lemmatizer):
    """The lookup lemmatizer, on the lower-cased token.

    English lookup tables are keyed by lower-case forms, so "Feeling" at the start of a
    sentence would otherwise keep "Feeling" as its lemma and miss every rule.

    Only the lookup mode is used here, and its table is kept as a plain dict of strings
    (`table`): spaCy's `Table` hashes each of the 41,582 keys in Python as it is built,
    about 0.08 s of every start.
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._lemma_of_lower: dict[int, int] = {}  # hashes: lower-case form -> lemma
        self.table: dict[str, str] = {}  # lower-case form -> lemma

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]] | None = None,
        *,
        nlp: Language | None = None,
        lookups: Lookups | None = None,
    ) -> None:
        if self.mode != "lookup" or lookups is not None:
            super().initialize(get_examples, nlp=nlp, lookups=lookups)
            return
        data = registry.lookups.get(self.vocab.lang) if self.vocab.lang in registry.lookups else {}
        if "lemma_lookup" not in data:
            # spaCy's own error: spacy-lookups-data is missing or has no English table.
            super().initialize(get_examples, nlp=nlp, lookups=lookups)
            return
        self.table = load_language_data(data["lemma_lookup"])
        self._validated = True

    def lookup_lemmatize(self, token: Token) -> list[str]:
        lower = token.lower_
        return [self.table.get(lower, lower)]

    def __call__(self, doc: Doc) -> Doc:
        """The lemmas `lookup_lemmatize` gives, from a cache keyed by string hashes: the
        table's look-up by string was most of the time."""
        if self.mode != "lookup" or not self.overwrite or not self.table:
            return super().__call__(doc)
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


@Language.factory(
    LEMMATIZER_COMPONENT,
    assigns=["token.lemma"],
    default_config={"model": None, "mode": "lookup", "overwrite": True},
)
def make_lower_lemmatizer(
    nlp: Language, model: None, name: str, mode: str, overwrite: bool
) -> LowerCaseLemmatizer:
    return LowerCaseLemmatizer(nlp.vocab, model, name, mode=mode, overwrite=overwrite)


class ChunkCachingTokenizer:
    """spaCy's tokenizer, its word cache filled for every chunk between spaces.

    spaCy caches how it split each chunk of text, but in a Doc where a special case has
    been met ("I'm", "don't"), none of the chunks after it is cached (its `has_special`
    flag is never reset: explosion/spaCy#13950). Replies are full of contractions, so the
    same words were split by the affix rules again and again: ~40 of the ~51 us of
    tokenizing a bench reply. Each chunk is tokenized once on its own the first time it is
    seen, which caches it as spaCy would; the Doc is spaCy's, token for token (the cache
    is spaCy's own, and a chunk is split the same alone or in a text)."""

    def __init__(self, tokenizer: Callable[[str], Doc]) -> None:
        self.tokenizer = tokenizer
        self._seen: set[str] = set()

    def __call__(self, text: str) -> Doc:
        seen = self._seen
        for chunk in text.split():
            if chunk not in seen:
                if len(seen) >= WORD_CACHE:
                    seen.clear()
                seen.add(chunk)
                self.tokenizer(chunk)
        return self.tokenizer(text)

    def __getattr__(self, name: str) -> object:
        # Everything else (rules, explain, vocab) is the wrapped tokenizer's.
        return getattr(self.tokenizer, name)


def build_nlp() -> Language:
    """The tokenizer, sentencizer and lemmatizer."""
    nlp = spacy.blank("en")
    nlp.tokenizer = ChunkCachingTokenizer(nlp.tokenizer)
    nlp.add_pipe(SENTENCIZER)
    nlp.add_pipe(LEMMATIZER_COMPONENT)
    nlp.initialize()
    return nlp
