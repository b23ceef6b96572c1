"""Compile a rubric into spaCy matchers and look-up tables, once, into an immutable object.

Rubric files name rules; this module turns them into a `TokenMatcher` (matcher.py: token
patterns with spaCy's Matcher semantics, and phrases as spaCy's PhraseMatcher on LOWER
finds them), with spaCy's `Matcher` validating every pattern and running any the
TokenMatcher cannot; and the feelings lexicon into lemma look-ups plus spaCy
PhraseMatchers for entries of several words. Nothing is changed after it is built: two
scorers never share or change each other's tables.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import product
from typing import Any, Literal, TypeVar

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from spacy.language import Language
from spacy.lookups import load_lookups
from spacy.matcher import Matcher, PhraseMatcher
from spacy.strings import StringStore, get_string_id
from spacy.tokens import Doc

from listen_trainer.content.library import ContentError, Rubric
from listen_trainer.content.models import Rule
from listen_trainer.content.yaml_source import Problem
from listen_trainer.scoring.matcher import SLOT, TokenMatcher
from listen_trainer.scoring.phrase_cache import PhraseDocs
from listen_trainer.scoring.pipeline import CLAUSE_TAG, FEELING_NORM, WORD_CACHE

Derived = TypeVar("Derived")

_RUNS = re.compile(r"(\w)\1{2,}")
# Endings of participles: "worrying" and "missed" are words in a dictionary of their own,
# and still forms of "worry" and "miss".
_PARTICIPLE = ("ing", "ed")
COMMON_MARKS = (".", ",", "?", "!", "'", '"', "-", "...")


@lru_cache(maxsize=1)
def _dictionary() -> dict[str, frozenset[str]]:
    """spaCy's lookups data: the base words of English by part of speech."""
    table = load_lookups("en", ["lemma_index"]).get_table("lemma_index")
    # The table is keyed by string hashes: parts of speech are asked of it by name.
    return {pos: frozenset(table.get(pos, ())) for pos in ("adj", "adv", "noun", "verb")}


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


@dataclass(frozen=True, slots=True)
class RuleMatch:
    rule: int  # index into CompiledRubric.rules
    start: int  # token offsets, end exclusive
    end: int


@dataclass(frozen=True, slots=True)
class LexiconMatch:
    kind: Literal["feeling", "need"]
    name: str  # the feeling family or the need
    start: int
    end: int


@dataclass(frozen=True)
class Matches:
    rules: tuple[RuleMatch, ...]
    lexicon: tuple[LexiconMatch, ...]


def normalise(text: str) -> str:
    """Lower case, one space between words, straight apostrophes: for plain look-ups."""
    return " ".join(text.lower().replace("\u2019", "'").split())


def _phrase_variants(text: str) -> set[str]:
    lowered = " ".join(text.lower().split())
    return {lowered, lowered.replace("-", " "), lowered.replace(" ", "-")}


def native(pattern: list[dict]) -> list[dict]:
    """The pattern with `_.clause_start` and `_.feeling` turned into the native attributes
    the pipeline sets (see pipeline.py); every other key stays as written."""
    out = []
    for token in pattern:
        token = dict(token)
        extension = token.pop("_", {})
        if extension.get("clause_start"):
            token["TAG"] = CLAUSE_TAG
        if extension.get("feeling"):
            token["NORM"] = FEELING_NORM
        out.append(token)
    return out


class CompiledRubric:
    """A rubric ready to run: matchers, lexicon tables and word sets."""

    def __init__(self, rubric: Rubric, nlp: Language) -> None:
        self.rubric = rubric
        self.rules: tuple[Rule, ...] = rubric.rules
        settings = rubric.settings
        self.discourse_markers = frozenset(w.lower() for w in settings.discourse_markers)
        self.discourse_marker_hashes = frozenset(map(get_string_id, self.discourse_markers))
        self.negators = frozenset(w.lower() for w in settings.negators)
        self.contrast_words = frozenset(w.lower() for w in settings.contrast_words)
        self.first_person = frozenset(w.lower() for w in settings.first_person)
        self.second_person = frozenset(w.lower() for w in settings.second_person)
        self.self_feeling_verbs = frozenset(w.lower() for w in settings.self_feeling_verbs)
        self.pronouns = (
            self.first_person
            | self.second_person
            | frozenset(w.lower() for w in settings.other_person)
        )
        self.content_stopwords = frozenset(w.lower() for w in settings.content_stopwords)
        self.complaint_markers = tuple(normalise(w) for w in settings.complaint_markers)
        self.safety_statement = tuple(normalise(w) for w in settings.safety_statement)
        self.safety_reply = tuple(normalise(w) for w in settings.safety_reply)

        lemma_table = nlp.get_pipe("listen_trainer_lemmatizer").table
        self._lemma = lemma_table

        def lemma(word: str) -> str:
            return lemma_table.get(word, word)

        self.lemma_of = lemma
        # Every word form spaCy knows, so that typo-forgiveness never "corrects" a real
        # word ("heard" is not a typo of "hard").
        # (The table is keyed by string hashes: membership is asked of the table itself.)
        self.own_words = dictionary_words()
        self.known_words = (
            frozenset(lemma_table.values()) | frozenset(nlp.Defaults.stop_words) | self.own_words
        )

        # Every lexicon entry, phrases included, for reading what an author wrote.
        self.entry_family = rubric.feeling_words()
        self.entry_need = rubric.need_words()
        self.feeling_family: dict[str, str] = {}
        self.need_of: dict[str, str] = {}
        # The phrases' tokens, from the cache of an earlier run where it has them.
        phrase_docs = PhraseDocs(nlp)
        feeling_phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        need_phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        for family in rubric.lexicon.families:
            multi = []
            for word in [family.name, *family.words]:
                if " " in word.strip() or "-" in word:
                    multi += [phrase_docs(v) for v in _phrase_variants(word)]
                else:
                    # Only the words as written: a token matches by its own form or by its
                    # lemma ("hurting" -> "hurt"), but a listed "forgotten" must not make
                    # every "forgot" a feeling.
                    self.feeling_family.setdefault(word.lower(), family.name)
            if multi:
                feeling_phrases.add(family.name, multi)
        for need in rubric.lexicon.needs:
            multi = []
            for word in [need.name, *need.words]:
                if " " in word.strip() or "-" in word:
                    multi += [phrase_docs(v) for v in _phrase_variants(word)]
                else:
                    self.need_of.setdefault(word.lower(), need.name)
            if multi:
                need_phrases.add(need.name, multi)
        self._not_feelings = self._not_feelings_matcher(rubric, nlp, phrase_docs)
        # "Anxiety is a powerful thing": a feeling named as a thing or an act speaks of
        # it in general unless the sentence is about the speaker.
        self.feeling_things = never_adjectives(frozenset(self.feeling_family))
        self.general_families = frozenset(f.name for f in rubric.lexicon.families if f.general)
        self.pleasant_families = frozenset(f.name for f in rubric.lexicon.families if f.pleasant)
        self._feeling_phrases = feeling_phrases
        self._need_phrases = need_phrases
        self._fuzzy_choices = sorted(w for w in self.feeling_family if len(w) >= 4)
        self._fuzzy_min = settings.fuzzy_min_length
        self._fuzzy_edits = settings.fuzzy_max_edits

        # spaCy's Matcher validates every pattern (and reports a bad one as spaCy words
        # it), but runs only those the faster TokenMatcher cannot.
        self._validator = Matcher(nlp.vocab, validate=True)
        self.matcher = Matcher(nlp.vocab)
        # Stop words and punctuation are in most replies: a pattern is looked up by a
        # rarer word of its own where it has one.
        self.tokens = TokenMatcher(common=[*nlp.Defaults.stop_words, *COMMON_MARKS])
        self._rule_of_key: dict[int, int] = {}
        problems: list[Problem] = []
        for index, rule in enumerate(self.rules):
            key = nlp.vocab.strings.add(rule.id)
            self._rule_of_key[key] = index
            try:
                if rule.patterns:
                    patterns = [native(p) for p in rule.patterns]
                    self._validator.add(rule.id, patterns)
                    # A rule stays whole in one matcher, so that a span two of its
                    # patterns find is reported once, as spaCy does.
                    if all(self.tokens.supports(p) for p in patterns):
                        for pattern in patterns:
                            self.tokens.add(index, pattern)
                    else:
                        self.matcher.add(rule.id, patterns)
                # Phrases match on LOWER as a PhraseMatcher would, without a Doc each.
                for phrase in rule.phrases:
                    for variant in _phrase_variants(phrase):
                        self.tokens.add_phrase(index, phrase_docs.words(variant))
            except (ValueError, KeyError) as exc:
                where = rubric.rule_lines.get(rule.id, "rubrics")
                file, _, line = where.rpartition(":")
                problems.append(
                    Problem(
                        file or where,
                        int(line) if line.isdigit() else None,
                        f"rules[{rule.id}]",
                        f"spaCy refused the pattern: {exc}",
                    )
                )
        if problems:
            raise ContentError(problems)
        phrase_docs.save()
        self.fuzzy_family = lru_cache(maxsize=4096)(self._fuzzy_family)
        # (lower, lemma) hashes -> (family, need): a cache, as `family_of` is pure.
        self._words: dict[tuple[int, int], tuple[str | None, str | None]] = {}
        self._derived: dict[Callable[[CompiledRubric], Any], Any] = {}

    def derived(self, make: Callable[[CompiledRubric], Derived]) -> Derived:
        """What `make` works out from this rubric, made on first use and kept with it, as
        long as it lives: tables other modules read on every reply (a rubric does not
        change once compiled)."""
        try:
            return self._derived[make]  # type: ignore[no-any-return]
        except KeyError:
            value = self._derived[make] = make(self)
            return value

    @staticmethod
    def _not_feelings_matcher(
        rubric: Rubric, nlp: Language, phrase_docs: PhraseDocs
    ) -> PhraseMatcher:
        """The lexicon's not-feeling phrases, on lemmas, each also with one `between`
        word in any of its gaps."""
        matcher = PhraseMatcher(nlp.vocab, attr="LEMMA")
        spec = rubric.lexicon.not_feelings
        if spec is None:
            return matcher
        lemmatise = nlp.get_pipe("listen_trainer_lemmatizer")
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

    # ------------------------------------------------------------------ lexicon

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
            or word in self._lemma
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

    def lexicon_matches(
        self, doc: Doc, rows: list[list[int]] | None = None
    ) -> tuple[LexiconMatch, ...]:
        """Feeling words and needs in `doc`; `rows` are its TokenMatcher rows, if read."""
        found: list[LexiconMatch] = []
        excluded: set[int] = set()
        for _, start, end in self._not_feelings(doc):
            excluded.update(range(start, end))
        covered = set(excluded)
        strings = doc.vocab.strings
        for key, start, end in self._feeling_phrases(doc):
            if not excluded.intersection(range(start, end)):
                found.append(LexiconMatch("feeling", strings[key], start, end))
                covered.update(range(start, end))
        for key, start, end in self._need_phrases(doc):
            if not excluded.intersection(range(start, end)):
                found.append(LexiconMatch("need", strings[key], start, end))
        if not len(doc):
            return tuple(found)
        words = self._words
        if len(words) > WORD_CACHE:
            words.clear()
        if rows is None:
            rows = self.tokens.rows(doc)
        lower_at, lemma_at, alpha_at = SLOT["LOWER"], SLOT["LEMMA"], SLOT["IS_ALPHA"]
        for i, row in enumerate(rows):
            if i in covered or not row[alpha_at]:
                continue
            lower, lemma = row[lower_at], row[lemma_at]
            family, need = words.get((lower, lemma)) or self._read_word(lower, lemma, strings)
            if family:
                found.append(LexiconMatch("feeling", family, i, i + 1))
            if need:
                found.append(LexiconMatch("need", need, i, i + 1))
        return tuple(found)

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

    # ------------------------------------------------------------------ rules

    def match(self, doc: Doc, rows: list[list[int]]) -> Matches:
        """The lexicon's and the rules' matches in `doc`, whose TokenMatcher `rows` carry
        its clause marks (pipeline.mark_clauses)."""
        lexicon = self.lexicon_matches(doc, rows)
        norm_at = SLOT["NORM"]
        feeling = doc.vocab.strings.add(FEELING_NORM)
        for item in lexicon:
            if item.kind == "feeling":
                for i in range(item.start, item.end):
                    doc[i].norm_ = FEELING_NORM
                    rows[i][norm_at] = feeling
        rule_of = self._rule_of_key
        raw = self.matcher(doc) if len(self.matcher) else ()
        rules = (
            *(RuleMatch(index, start, end) for index, start, end in self.tokens.match_rows(rows)),
            *(RuleMatch(rule_of[key], start, end) for key, start, end in raw),
        )
        return Matches(rules=rules, lexicon=lexicon)

    def lemmas(self, words: list[str]) -> frozenset[str]:
        """Lower-cased lemmas of free words, as the pipeline would lemmatise them."""
        out = set()
        for word in words:
            for part in re.findall(r"[a-z']+", word.lower()):
                out.add(self.lemma_of(part))
        return frozenset(out)
