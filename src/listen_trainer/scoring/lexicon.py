"""The feelings lexicon, compiled: which words name which feeling family or need.

A token names a family by its own lower-case form, by its lemma where the form is no
dictionary word of its own ("hurting" -> "hurt", but "number" is not "numb"), or by a
near spelling ("saaad", "frustated"). Entries of several words are matched as phrases,
and the lexicon's not-feeling phrases ("work hard") silence the words they hold.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import product

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.strings import StringStore, get_string_id
from spacy.tokens import Doc

from listen_trainer.content.library import Rubric
from listen_trainer.scoring.lemma_tables import base_words
from listen_trainer.scoring.matcher import SLOT
from listen_trainer.scoring.matches import LexiconMatch
from listen_trainer.scoring.phrase_cache import PhraseDocs
from listen_trainer.scoring.pipeline import LEMMATIZER_COMPONENT, WORD_CACHE
from listen_trainer.scoring.words import is_phrase, phrase_variants

_RUNS = re.compile(r"(\w)\1{2,}")
# Endings of participles: "worrying" and "missed" are words in a dictionary of their own,
# and still forms of "worry" and "miss".
_PARTICIPLE = ("ing", "ed")


@lru_cache(maxsize=1)
def _dictionary() -> dict[str, frozenset[str]]:
    """The base words of English by part of speech (lemma_tables.py)."""
    return base_words()


def dictionary_words() -> frozenset[str]:
    """Every base word of English the dictionary lists (nouns, verbs, adjectives,
    adverbs): the words that are words in their own right, not only forms."""
    return frozenset().union(*_dictionary().values())


def never_adjectives(words: frozenset[str]) -> frozenset[str]:
    """The words the dictionary knows as nouns or verbs but never as adjectives:
    "anxiety", "grief", "worry", unlike "anxious" or "hard"."""
    dictionary = _dictionary()
    named = dictionary.get("noun", frozenset()) | dictionary.get("verb", frozenset())
    return frozenset(w for w in words if w in named and w not in dictionary.get("adj", ()))


def causing_form(word: str) -> str | None:
    """The -ing adjective for what causes a feeling named by an -ed participle:
    "humiliated" -> "humiliating", "terrified" -> "terrifying"."""
    if word.endswith("ied") and len(word) > 4:
        return word[:-3] + "ying"
    if word.endswith("ed") and len(word) > 4:
        return word[:-2] + "ing"
    return None


def _with_causing_forms(single: dict[str, str]) -> dict[str, str]:
    """`single` with each -ed word's -ing form in the same family, where that form is not
    an entry of its own."""
    out = dict(single)
    for word, group in single.items():
        form = causing_form(word)
        if form is not None:
            out.setdefault(form, group)
    return out


def _entries(groups: list, phrase_docs: PhraseDocs, phrases: PhraseMatcher) -> dict[str, str]:
    """Single words of each group (family or need) by word; the group's entries of
    several words go to `phrases`, under the group's name."""
    single: dict[str, str] = {}
    for group in groups:
        multi = []
        for word in [group.name, *group.words]:
            if is_phrase(word):
                multi += [phrase_docs(v) for v in phrase_variants(word)]
            else:
                # Only the words as written: a token matches by its own form or by its
                # lemma ("hurting" -> "hurt"), but a listed "forgotten" must not make
                # every "forgot" a feeling.
                single.setdefault(word.lower(), group.name)
        if multi:
            phrases.add(group.name, multi)
    return single


def _not_feelings_matcher(rubric: Rubric, nlp: Language, phrase_docs: PhraseDocs) -> PhraseMatcher:
    """The lexicon's not-feeling phrases, on lemmas, each also with one `between` word in
    any of its gaps."""
    matcher = PhraseMatcher(nlp.vocab, attr="LEMMA")
    spec = rubric.lexicon.not_feelings
    if spec is None:
        return matcher
    lemmatise = nlp.get_pipe(LEMMATIZER_COMPONENT)
    fillers = [None, *(w.lower() for w in spec.between)]
    docs = []
    for phrase in spec.phrases:
        words = phrase.lower().split()
        for gaps in product(fillers, repeat=len(words) - 1):
            text = [words[0]]
            for filler, word in zip(gaps, words[1:], strict=True):
                text += [filler, word] if filler else [word]
            docs.append(lemmatise(phrase_docs(" ".join(text))))
    matcher.add("not_feeling", docs)
    return matcher


class CompiledLexicon:
    """Feeling families and needs, ready to find in a Doc."""

    def __init__(self, rubric: Rubric, nlp: Language, phrase_docs: PhraseDocs) -> None:
        settings = rubric.settings
        self.lemma_table: dict[str, str] = nlp.get_pipe(LEMMATIZER_COMPONENT).table
        # Every word form spaCy knows, so that typo-forgiveness never "corrects" a real
        # word ("heard" is not a typo of "hard").
        self.own_words = dictionary_words()
        self.known_words = (
            frozenset(self.lemma_table.values())
            | frozenset(nlp.Defaults.stop_words)
            | self.own_words
        )
        # Every lexicon entry, phrases included, for reading what an author wrote.
        self.entry_family = rubric.feeling_words()
        self.entry_need = rubric.need_words()
        self._feeling_phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._need_phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        families = rubric.lexicon.families
        self.feeling_family = _with_causing_forms(
            _entries(families, phrase_docs, self._feeling_phrases)
        )
        self.need_of = _entries(rubric.lexicon.needs, phrase_docs, self._need_phrases)
        self._not_feelings = _not_feelings_matcher(rubric, nlp, phrase_docs)
        # "Anxiety is a powerful thing": a feeling named as a thing or an act speaks of
        # it in general unless the sentence is about the speaker.
        self.feeling_things = never_adjectives(frozenset(self.feeling_family))
        # Base forms of verbs, by hash: a sentence opening with one may be an order.
        self.base_verbs = frozenset(get_string_id(v) for v in _dictionary().get("verb", ()))
        self.nouns = frozenset(get_string_id(v) for v in _dictionary().get("noun", ()))
        self.general_families = frozenset(f.name for f in families if f.general)
        self.pleasant_families = frozenset(f.name for f in families if f.pleasant)
        self.vulnerable_families = frozenset(f.name for f in families if f.vulnerable)
        self.beneath = {f.name: tuple(f.beneath) for f in families}
        self._fuzzy_choices = sorted(w for w in self.feeling_family if len(w) >= 4)
        self._fuzzy_min = settings.fuzzy_min_length
        self._fuzzy_edits = settings.fuzzy_max_edits
        self.fuzzy_family = lru_cache(maxsize=4096)(self._fuzzy_family)
        # (lower, lemma) hashes -> (family, need): a cache, as `family_of` is pure.
        self._words: dict[tuple[int, int], tuple[str | None, str | None]] = {}

    def lemma_of(self, word: str) -> str:
        return self.lemma_table.get(word, word)

    def lemmas(self, words: list[str]) -> frozenset[str]:
        """Lower-cased lemmas of free words, as the pipeline would lemmatise them."""
        return frozenset(
            self.lemma_of(part) for word in words for part in re.findall(r"[a-z']+", word.lower())
        )

    def _fuzzy_family(self, word: str) -> str | None:
        """The family of a misspelt feeling word ("saaad", "frustated"), if one is near."""
        squeezed = {_RUNS.sub(r"\1", word), _RUNS.sub(r"\1\1", word)} - {word}
        for candidate in squeezed:
            family = self.feeling_family.get(candidate)
            if family:
                return family
        if (
            len(word) < self._fuzzy_min
            or not word.isalpha()
            or word in self.known_words
            or word in self.lemma_table
        ):
            return None
        edits = min(self._fuzzy_edits, 1 if len(word) < 8 else 2)
        best = process.extractOne(
            word, self._fuzzy_choices, scorer=Levenshtein.distance, score_cutoff=edits
        )
        return self.feeling_family[best[0]] if best else None

    def is_form_of(self, lower: str, lemma: str) -> bool:
        """Whether a word may be read as its lemma in the lexicon: "worries" is "worry", but
        "number" is a word of its own, not "numb" made comparative, as the lookup table
        has it. A dictionary word other than its lemma keeps its own meaning, unless it is
        a participle ("worrying", "missed")."""
        return lower == lemma or lower not in self.own_words or lower.endswith(_PARTICIPLE)

    def family_of(self, lower: str, lemma: str) -> str | None:
        return (
            self.feeling_family.get(lower)
            or (self.feeling_family.get(lemma) if self.is_form_of(lower, lemma) else None)
            or self.fuzzy_family(lower)
        )

    def matches(self, doc: Doc, rows: list[list[int]]) -> tuple[LexiconMatch, ...]:
        """Feeling words and needs in `doc`, whose TokenMatcher `rows` are given."""
        excluded = {i for _, start, end in self._not_feelings(doc) for i in range(start, end)}
        found, covered = self._phrase_matches(doc, excluded)
        if len(self._words) > WORD_CACHE:
            self._words.clear()
        lower_at, lemma_at, alpha_at = SLOT["LOWER"], SLOT["LEMMA"], SLOT["IS_ALPHA"]
        for i, row in enumerate(rows):
            if i in covered or not row[alpha_at]:
                continue
            lower, lemma = row[lower_at], row[lemma_at]
            family, need = self._words.get((lower, lemma)) or self._read_word(
                lower, lemma, doc.vocab.strings
            )
            if family:
                found.append(LexiconMatch("feeling", family, i, i + 1))
            if need:
                found.append(LexiconMatch("need", need, i, i + 1))
        return tuple(found)

    def _phrase_matches(self, doc: Doc, excluded: set[int]) -> tuple[list[LexiconMatch], set[int]]:
        """The lexicon's phrases in `doc` outside `excluded`, and the tokens they cover
        (with `excluded`: no single word is read there)."""
        found: list[LexiconMatch] = []
        covered = set(excluded)
        strings = doc.vocab.strings
        for key, start, end in self._feeling_phrases(doc):
            if not excluded.intersection(range(start, end)):
                found.append(LexiconMatch("feeling", strings[key], start, end))
                covered.update(range(start, end))
        for key, start, end in self._need_phrases(doc):
            if not excluded.intersection(range(start, end)):
                found.append(LexiconMatch("need", strings[key], start, end))
        return found, covered

    def _read_word(
        self, lower_hash: int, lemma_hash: int, strings: StringStore
    ) -> tuple[str | None, str | None]:
        """A word's feeling family and need, by its lower-case form and lemma."""
        lower, lemma = strings[lower_hash], strings[lemma_hash]
        read = (
            self.family_of(lower, lemma),
            (self.need_of.get(lemma) if self.is_form_of(lower, lemma) else None)
            or self.need_of.get(lower),
        )
        self._words[(lower_hash, lemma_hash)] = read
        return read
