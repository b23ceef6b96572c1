"""Compile a rubric into matchers and look-up tables, once, into an immutable object.

Rubric files name rules; this module turns them into a `TokenMatcher` (matcher.py: token
patterns with spaCy's Matcher semantics, and phrases as spaCy's PhraseMatcher on LOWER
finds them), with spaCy's `Matcher` validating every pattern and running any the
TokenMatcher cannot. The feelings lexicon is compiled beside them (lexicon.py). Nothing is
changed after it is built: two scorers never share or change each other's tables.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.strings import get_string_id
from spacy.tokens import Doc

from listen_trainer.content.library import ContentError, Rubric
from listen_trainer.content.models import Rule
from listen_trainer.content.yaml_source import Problem
from listen_trainer.scoring.lexicon import CompiledLexicon
from listen_trainer.scoring.matcher import SLOT, TokenMatcher
from listen_trainer.scoring.matches import LexiconMatch, Matches, RuleMatch
from listen_trainer.scoring.phrase_cache import PhraseDocs
from listen_trainer.scoring.pipeline import CLAUSE_TAG, FEELING_NORM, VERB_NOUN_NORM, VERB_ONLY_NORM
from listen_trainer.scoring.spelling import respelled
from listen_trainer.scoring.words import normalise, phrase_variants

Derived = TypeVar("Derived")

COMMON_MARKS = (".", ",", "?", "!", "'", '"', "-", "...")


def native(pattern: list[dict]) -> list[dict]:
    """The pattern with `_.clause_start` and `_.feeling` turned into the native attributes
    the engine sets (see pipeline.py); every other key stays as written."""
    out = []
    for token in pattern:
        token = dict(token)
        extension = token.pop("_", {})
        if extension.get("clause_start"):
            token["TAG"] = CLAUSE_TAG
        if extension.get("feeling"):
            token["NORM"] = FEELING_NORM
        elif extension.get("feeling") is False:
            token["NORM"] = {"NOT_IN": [FEELING_NORM]}
        if extension.get("bare_verb"):
            token["NORM"] = {"IN": [VERB_ONLY_NORM, VERB_NOUN_NORM]}
        if extension.get("verb_only"):
            token["NORM"] = VERB_ONLY_NORM
        out.append(token)
    return out


def _lowered(words: list[str]) -> frozenset[str]:
    return frozenset(w.lower() for w in words)


class CompiledRubric:
    """A rubric ready to run: its rules' matchers, its lexicon, and its word sets."""

    def __init__(self, rubric: Rubric, nlp: Language) -> None:
        self.rubric = rubric
        self.rules: tuple[Rule, ...] = rubric.rules
        self._word_sets(rubric)
        # The phrases' tokens, from the cache of an earlier run where it has them.
        phrase_docs = PhraseDocs(nlp)
        self.lexicon = CompiledLexicon(rubric, nlp, phrase_docs)
        # The verbs that can give an order after a clause put in front ("if..., try").
        self.main_verb_hashes = self.lexicon.base_verbs - self.auxiliary_hashes
        # spaCy's Matcher validates every pattern (and reports a bad one as spaCy words
        # it), but runs only those the faster TokenMatcher cannot.
        self._validator = Matcher(nlp.vocab, validate=True)
        self.matcher = Matcher(nlp.vocab)
        # Stop words and punctuation are in most replies: a pattern is looked up by a
        # rarer word of its own where it has one.
        self.tokens = TokenMatcher(common=[*nlp.Defaults.stop_words, *COMMON_MARKS])
        self._rule_of_key: dict[int, int] = {}
        problems = [
            problem
            for index, rule in enumerate(self.rules)
            if (problem := self._add_rule(index, rule, nlp, phrase_docs)) is not None
        ]
        if problems:
            raise ContentError(problems)
        phrase_docs.save()
        self._derived: dict[Callable[[CompiledRubric], Any], Any] = {}

    def _word_sets(self, rubric: Rubric) -> None:
        """The settings' word lists, lower-cased, as the stages ask them."""
        settings = rubric.settings
        self.discourse_markers = _lowered(settings.discourse_markers)
        self.discourse_marker_hashes = frozenset(map(get_string_id, self.discourse_markers))
        self.fronted_clause_hashes = frozenset(
            map(get_string_id, _lowered(settings.fronted_clause_words))
        )
        self.auxiliary_hashes = frozenset(map(get_string_id, _lowered(settings.auxiliary_verbs)))
        self.negators = _lowered(settings.negators)
        self.contrast_words = _lowered(settings.contrast_words)
        self.first_person = _lowered(settings.first_person)
        self.situation_words = _lowered(settings.situation_words)
        self.second_person = _lowered(settings.second_person)
        self.self_feeling_verbs = _lowered(settings.self_feeling_verbs)
        self.in_their_place = _lowered(settings.in_their_place)
        self.in_their_place_verbs = _lowered(settings.in_their_place_verbs)
        self.in_their_place_unless = _lowered(settings.in_their_place_unless)
        self.pronouns = self.first_person | self.second_person | _lowered(settings.other_person)
        self.third_person = _lowered(settings.third_person)
        self.people = self.pronouns | self.third_person
        self.content_stopwords = _lowered(settings.content_stopwords)
        self.stock_words = _lowered(settings.stock_words)
        self.contractions = {k.lower(): v.lower() for k, v in settings.texting_contractions.items()}
        self.number_words = {k.lower(): v for k, v in settings.number_words.items()}
        self.contraction_hashes = {get_string_id(k): v for k, v in self.contractions.items()}
        self.texted_words = {k.lower(): v.lower() for k, v in settings.texted_words.items()}
        self.texted_word_hashes = {get_string_id(k): v for k, v in self.texted_words.items()}
        self.complaint_markers = tuple(normalise(w) for w in settings.complaint_markers)
        self.safety_statement = tuple(normalise(w) for w in settings.safety_statement)
        self.safety_reply = tuple(normalise(w) for w in settings.safety_reply)

    def _add_rule(
        self, index: int, rule: Rule, nlp: Language, phrase_docs: PhraseDocs
    ) -> Problem | None:
        """Add a rule's patterns and phrases to the matchers; a pattern spaCy refuses is
        returned as a Problem at the rule's line."""
        self._rule_of_key[nlp.vocab.strings.add(rule.id)] = index
        try:
            if rule.patterns:
                patterns = [native(p) for p in rule.patterns]
                self._validator.add(rule.id, patterns)
                # A rule stays whole in one matcher, so that a span two of its patterns
                # find is reported once, as spaCy does.
                if all(self.tokens.supports(p) for p in patterns):
                    for pattern in patterns:
                        self.tokens.add(index, pattern)
                else:
                    self.matcher.add(rule.id, patterns)
            # Phrases match on LOWER as a PhraseMatcher would, without a Doc each.
            for phrase in rule.phrases:
                for variant in phrase_variants(phrase):
                    self.tokens.add_phrase(index, phrase_docs.words(variant))
        except (ValueError, KeyError) as exc:
            where = self.rubric.rule_lines.get(rule.id, "rubrics")
            file, _, line = where.rpartition(":")
            return Problem(
                file or where,
                int(line) if line.isdigit() else None,
                f"rules[{rule.id}]",
                f"spaCy refused the pattern: {exc}",
            )
        return None

    def derived(self, make: Callable[[CompiledRubric], Derived]) -> Derived:
        """What `make` works out from this rubric, made on first use and kept with it, as
        long as it lives: tables other modules read on every reply (a rubric does not
        change once compiled)."""
        if make not in self._derived:
            self._derived[make] = make(self)
        return self._derived[make]  # type: ignore[no-any-return]

    # ------------------------------------------------------------------ matching

    def lexicon_matches(self, doc: Doc) -> tuple[LexiconMatch, ...]:
        """Feeling words and needs in `doc` (a statement: no rules are run on it)."""
        return self.lexicon.matches(doc, self.rows(doc))

    def rows(self, doc: Doc) -> list[list[int]]:
        """The Doc's rows for matching (TokenMatcher.rows), a contraction typed without its
        apostrophe ("dont") read with it, and a texted word ("u") as the word it stands
        for (spelling.py)."""
        rows = self.tokens.rows(doc)
        lower_at = SLOT["LOWER"]
        hashes = [row[lower_at] for row in rows]

        def joined(i: int) -> bool:
            return not doc[i - 1].whitespace_

        for i, lower in respelled(
            hashes, joined, self.contraction_hashes, self.texted_word_hashes
        ).items():
            rows[i][lower_at] = doc.vocab.strings.add(lower)
        return rows

    def _mark_bare_verbs(self, doc: Doc, rows: list[list[int]]) -> None:
        """Mark a clause's first word when it is a verb's base form as it stands ("play",
        "look"; not "played") and no feeling word, for rules that find orders
        (`_.bare_verb`, `_.verb_only`), on the Doc and in its rows. A discourse marker or
        a number is no order ("mate, that's grim", "love, I'm here", "zero out of three")."""
        clause = get_string_id(CLAUSE_TAG)
        feeling = get_string_id(FEELING_NORM)
        tag_at, lower_at, lemma_at, norm_at = (
            SLOT["TAG"],
            SLOT["LOWER"],
            SLOT["LEMMA"],
            SLOT["NORM"],
        )
        verbs, nouns = self.lexicon.base_verbs, self.lexicon.nouns
        for i, row in enumerate(rows):
            lower = row[lower_at]
            if (
                row[tag_at] == clause
                and lower == row[lemma_at]
                and lower in verbs
                and row[norm_at] != feeling
                and lower not in self.discourse_marker_hashes
                and not doc[i].like_num
            ):
                mark = VERB_NOUN_NORM if lower in nouns else VERB_ONLY_NORM
                doc[i].norm_ = mark
                row[norm_at] = doc.vocab.strings.add(mark)

    def match(self, doc: Doc) -> Matches:
        """The lexicon's and the rules' matches in a reply.

        Clause starts are marked first (rules may ask for them), then the lexicon's
        feeling words (rules may ask for `_.feeling`), then the rules run."""
        rows = self.rows(doc)
        mark_clauses(
            doc,
            rows,
            self.discourse_marker_hashes,
            (self.fronted_clause_hashes, self.main_verb_hashes),
        )
        lexicon = self.lexicon.matches(doc, rows)
        norm_at = SLOT["NORM"]
        feeling = doc.vocab.strings.add(FEELING_NORM)
        for item in lexicon:
            if item.kind == "feeling":
                for i in range(item.start, item.end):
                    doc[i].norm_ = FEELING_NORM
                    rows[i][norm_at] = feeling
        self._mark_bare_verbs(doc, rows)
        rule_of = self._rule_of_key
        raw = self.matcher(doc) if len(self.matcher) else ()
        rules = (
            *(RuleMatch(index, start, end) for index, start, end in self.tokens.match_rows(rows)),
            *(RuleMatch(rule_of[key], start, end) for key, start, end in raw),
        )
        return Matches(rules=rules, lexicon=lexicon)


def mark_clauses(
    doc: Doc,
    rows: list[list[int]],
    marker_hashes: frozenset[int],
    orders_after: tuple[frozenset[int], frozenset[int]] = (frozenset(), frozenset()),
) -> None:
    """Tag each clause start CLAUSE_TAG, on the Doc and in its `rows` (TokenMatcher.rows).

    A clause starts at the sentence start, or after only fillers and commas: "So, what
    happened?" opens with "what" as far as the rules care. `orders_after` is the words
    that open a clause put before the main one ("if", "when") and the verbs' base forms:
    after such a clause's comma, a base form starts an order of its own ("If he calls
    again, block him"), while a subject goes on with the sentence ("when you reached
    out, I moved away")."""
    fronted_hashes, verb_hashes = orders_after
    clause = doc.vocab.strings.add(CLAUSE_TAG)
    comma = doc.vocab.strings.add(",")
    sent_start, tag, lower, punct = SLOT["SENT_START"], SLOT["TAG"], SLOT["LOWER"], SLOT["IS_PUNCT"]
    opening, fronted, after_comma = True, False, False
    for i, row in enumerate(rows):
        if row[sent_start] == 1:
            opening, after_comma = True, False
        if opening:
            doc[i].tag = row[tag] = clause
            fronted = row[lower] in fronted_hashes
            opening = row[lower] in marker_hashes or bool(row[punct])
        elif after_comma:
            if row[lower] in verb_hashes:
                doc[i].tag = row[tag] = clause
            after_comma = row[lower] in marker_hashes
        elif fronted and row[lower] == comma:
            fronted, after_comma = False, True
