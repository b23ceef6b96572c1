"""Compile the speaker's rubric once into matchers and look-up tables, never changed after.

The rules run on the listener's machinery: the TokenMatcher (matcher.py) for phrases and
the patterns it supports, spaCy's Matcher (which also validates every pattern) for the
rest, and the clause marks of pipeline.py. The feelings lexicon is read here for the
speaker's own use: which family a word belongs to (with typos forgiven, "lonley") and
which words are needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.strings import get_string_id
from spacy.tokens import Doc

from listen_trainer.content.library import ContentError
from listen_trainer.content.speaker_library import SpeakerRubric
from listen_trainer.content.speaker_models import SpeakerRule
from listen_trainer.content.yaml_source import Problem
from listen_trainer.scoring.matcher import SLOT, TokenMatcher
from listen_trainer.scoring.pipeline import CLAUSE_TAG, FEELING_NORM
from listen_trainer.scoring.rules import mark_clauses

NEED_NORM = "lt_need"
# Fillers after which the next word still opens a clause ("So, take it out.").
CLAUSE_MARKERS = (
    "so",
    "well",
    "and",
    "but",
    "oh",
    "ok",
    "okay",
    "look",
    "now",
    "honestly",
    "listen",
    "seriously",
    "then",
    "please",
    "just",
)
_RUNS = re.compile(r"(\w)\1{2,}")
# Endings after which a word may be read as its lemma ("hurting" -> "hurt"); other
# words keep their own meaning ("number" is not "numb").
_INFLECTED = ("s", "ed", "ing")
# A need's verb forms other than "-s" say something else: "closing" the account is not
# closeness.
_NEED_INFLECTED = ("s",)
FUZZY_MIN = 5
COMMON_MARKS = (".", ",", "?", "!", "'", '"', "-", "...")


@dataclass(frozen=True, slots=True)
class Hit:
    """A rule's match: the rule's index and its tokens (end exclusive)."""

    rule: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Word:
    """A lexicon word in a statement: a feeling (its family) or a need."""

    kind: str  # "feeling" | "need"
    name: str
    start: int
    end: int


def native(pattern: list[dict]) -> list[dict]:
    """The pattern with its extensions turned into the attributes set on each Doc."""
    out = []
    for token in pattern:
        token = dict(token)
        extension = token.pop("_", {})
        if extension.get("clause_start"):
            token["TAG"] = CLAUSE_TAG
        if extension.get("feeling"):
            token["NORM"] = FEELING_NORM
        elif extension.get("feeling") is False:
            # "no feeling word here": a label, not their feeling ("you're so tired").
            token["NORM"] = {"NOT_IN": [FEELING_NORM]}
        if extension.get("need"):
            token["NORM"] = NEED_NORM
        out.append(token)
    return out


def _variants(text: str) -> set[str]:
    lowered = " ".join(text.lower().split())
    return {lowered, lowered.replace("-", " "), lowered.replace(" ", "-")}


class CompiledSpeakerRubric:
    """The speaker's rubric ready to run on Docs of `nlp` (its vocab is shared)."""

    def __init__(self, rubric: SpeakerRubric, nlp: Language) -> None:
        self.rubric = rubric
        self.rules: tuple[SpeakerRule, ...] = rubric.rules
        settings = rubric.settings
        self.negators = frozenset(w.lower() for w in settings.negators)
        self.negation_window = settings.negation_window
        self.vulnerable = rubric.vulnerable_families()
        self.marker_hashes = frozenset(map(get_string_id, CLAUSE_MARKERS))
        self.unless_after = tuple(frozenset(w.lower() for w in r.unless_after) for r in self.rules)
        table: dict[str, str] = nlp.get_pipe("listen_trainer_lemmatizer").table
        self._lemma = table
        self._known = (
            frozenset(table) | frozenset(table.values()) | frozenset(nlp.Defaults.stop_words)
        )
        self._feeling_of: dict[str, str] = {}
        self._need_of: dict[str, str] = {}
        self._phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        for family in rubric.lexicon.families:
            self._add_words(nlp, "feeling", family.name, [family.name, *family.words])
        for need in rubric.lexicon.needs:
            self._add_words(nlp, "need", need.name, [need.name, *need.words])
        self._fuzzy_choices = sorted(w for w in self._feeling_of if len(w) >= FUZZY_MIN - 1)
        self.fuzzy_family = lru_cache(maxsize=4096)(self._fuzzy_family)
        self._build_rules(nlp)

    # ------------------------------------------------------------------ building

    def _add_words(self, nlp: Language, kind: str, name: str, words: list[str]) -> None:
        table = self._feeling_of if kind == "feeling" else self._need_of
        docs = []
        for word in words:
            if " " in word.strip() or "-" in word:
                docs += [nlp.make_doc(v) for v in _variants(word)]
            else:
                table.setdefault(word.lower(), name)
        if docs:
            self._phrases.add(f"{kind}:{name}", docs)

    def _build_rules(self, nlp: Language) -> None:
        self._validator = Matcher(nlp.vocab, validate=True)
        self.matcher = Matcher(nlp.vocab)
        self.tokens = TokenMatcher(common=[*nlp.Defaults.stop_words, *COMMON_MARKS])
        self._rule_of_key: dict[int, int] = {}
        problems: list[Problem] = []
        for index, rule in enumerate(self.rules):
            self._rule_of_key[nlp.vocab.strings.add(rule.id)] = index
            try:
                if rule.patterns:
                    patterns = [native(p) for p in rule.patterns]
                    self._validator.add(rule.id, patterns)
                    if all(self.tokens.supports(p) for p in patterns):
                        for pattern in patterns:
                            self.tokens.add(index, pattern)
                    else:
                        self.matcher.add(rule.id, patterns)
                for phrase in rule.phrases:
                    for variant in _variants(phrase):
                        self.tokens.add_phrase(index, [t.text for t in nlp.make_doc(variant)])
            except (ValueError, KeyError) as exc:
                where = self.rubric.rule_lines.get(rule.id, "rubrics/speaker")
                file, _, line = where.rpartition(":")
                problems.append(
                    Problem(
                        file or where,
                        int(line) if line.isdigit() else None,
                        f"speaker_rules[{rule.id}]",
                        f"spaCy refused the pattern: {exc}",
                    )
                )
        if problems:
            raise ContentError(problems)

    # ------------------------------------------------------------------ lexicon

    def _fuzzy_family(self, word: str) -> str | None:
        """The family of a misspelt feeling word ("saaad", "lonley"), if one is near: a
        swap of two letters counts as one edit (optimal string alignment)."""
        for candidate in {_RUNS.sub(r"\1", word), _RUNS.sub(r"\1\1", word)} - {word}:
            if candidate in self._feeling_of:
                return self._feeling_of[candidate]
        if len(word) < FUZZY_MIN or not word.isalpha() or word in self._known:
            return None
        edits = 1 if len(word) < 8 else 2
        best = process.extractOne(
            word, self._fuzzy_choices, scorer=OSA.distance, score_cutoff=edits
        )
        return self._feeling_of[best[0]] if best else None

    @staticmethod
    def _read(
        lower: str, lemma: str, table: dict[str, str], endings: tuple[str, ...]
    ) -> str | None:
        if lower in table:
            return table[lower]
        return table.get(lemma) if lower.endswith(endings) else None

    def words(self, doc: Doc) -> list[Word]:
        """The feeling words and needs in `doc`, phrases first."""
        found: list[Word] = []
        covered: set[int] = set()
        strings = doc.vocab.strings
        for key, start, end in self._phrases(doc):
            kind, _, name = strings[key].partition(":")
            found.append(Word(kind, name, start, end))
            covered.update(range(start, end))
        for token in doc:
            if token.i in covered or not token.is_alpha:
                continue
            lower, lemma = token.lower_, token.lemma_
            family = self._read(lower, lemma, self._feeling_of, _INFLECTED) or self.fuzzy_family(
                lower
            )
            if family:
                found.append(Word("feeling", family, token.i, token.i + 1))
            need = self._read(lower, lemma, self._need_of, _NEED_INFLECTED)
            if need:
                found.append(Word("need", need, token.i, token.i + 1))
        return found

    # ------------------------------------------------------------------ rules

    def match(self, doc: Doc) -> tuple[list[Hit], list[Word]]:
        """Every rule's matches in `doc`, and its lexicon words. Marks clause starts,
        feeling words and needs on the Doc (for patterns) on the way."""
        rows = self.tokens.rows(doc)
        mark_clauses(doc, rows, self.marker_hashes)
        words = self.words(doc)
        norm_at = SLOT["NORM"]
        for kind, norm in (("need", NEED_NORM), ("feeling", FEELING_NORM)):
            norm_hash = doc.vocab.strings.add(norm)
            for word in words:
                if word.kind == kind:
                    for i in range(word.start, word.end):
                        doc[i].norm_ = norm
                        rows[i][norm_at] = norm_hash
        hits = [Hit(key, start, end) for key, start, end in self.tokens.match_rows(rows)]
        if len(self.matcher):
            rule_of = self._rule_of_key
            hits += [Hit(rule_of[key], start, end) for key, start, end in self.matcher(doc)]
        return hits, words
