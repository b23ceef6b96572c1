"""Rubric token patterns, matched in plain Python with the spaCy Matcher's results.

The spaCy Matcher starts every pattern at every token and runs each `IN`/`NOT_IN` as a
Python predicate on each token, which made it most of the engine's time. Here a pattern
is tried only where one of its opening tokens, the rarest word it must have (an index on
LOWER), is found, and only the tokens it reaches are tested.

`TokenMatcher.supports` says which patterns it takes: a token is a mapping of a few
attributes (below) to a string or a boolean, or to `{"IN": [...]}` / `{"NOT_IN": [...]}`,
with an optional `OP` of "?", "*", "+", "{n}", "{n,m}", "{n,}" or "{,m}". Anything else
(other attributes, "!", REGEX, extensions) stays with the spaCy Matcher. The results are
the same set of (rule, start, end) as spaCy's: every span the pattern matches as a regular
expression over tokens, without empty spans (bench/matcher_check.py compares them).

A rule's phrases are kept by the same matcher (`add_phrase`), in a `PhraseTrie`
(phrase_trie.py), so that a span a phrase and a pattern of one rule both find is reported
once, as spaCy reports it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from spacy.attrs import IDS
from spacy.strings import get_string_id
from spacy.tokens import Doc

from listen_trainer.scoring.phrase_trie import PhraseTrie

# The attributes a pattern may test here, in the order an index prefers them; each is read
# for the whole Doc at once with `Doc.to_array`, as the hashes the Matcher compares.
_ATTRS = ("LOWER", "ORTH", "NORM", "LEMMA", "TAG", "IS_PUNCT", "IS_ALPHA")
_SAME = {"TEXT": "ORTH"}
_LOWER = _ATTRS.index("LOWER")
# A row (`TokenMatcher.rows`) holds those slots, then SENT_START (1 at a sentence start),
# so that the pipeline reads a Doc once for its clause marks, lexicon and patterns.
SLOT = {attr: index for index, attr in enumerate((*_ATTRS, "SENT_START"))}
_BOOLEAN = frozenset({"IS_PUNCT", "IS_ALPHA"})
_COUNT = re.compile(r"\{(\d*)(,?)(\d*)\}")
_UNBOUNDED = 1 << 30

Check = tuple[int, str, object]  # (attribute slot, "eq" | "in" | "out", hash or hashes)
Row = Sequence[int]  # one token's attribute values, by slot


def _quantity(op: object) -> tuple[int, int] | None:
    if op is None or op == "1":
        return 1, 1
    if op == "?":
        return 0, 1
    if op == "*":
        return 0, _UNBOUNDED
    if op == "+":
        return 1, _UNBOUNDED
    if isinstance(op, str) and (found := _COUNT.fullmatch(op)):
        low, comma, high = found.groups()
        if not (low or high):
            return None
        if not comma:
            return int(low), int(low)
        return int(low or 0), int(high) if high else _UNBOUNDED
    return None


def _checks(spec: dict) -> list[Check] | None:
    """The token's tests, or None when it asks for something only spaCy can do."""
    out: list[Check] = []
    for key, value in spec.items():
        if key == "OP":
            continue
        attr = _SAME.get(key, key)
        if attr not in _ATTRS:
            return None
        slot = _ATTRS.index(attr)
        if attr in _BOOLEAN:
            if not isinstance(value, bool):
                return None
            out.append((slot, "eq", int(value)))
        elif isinstance(value, str):
            out.append((slot, "eq", get_string_id(value)))
        elif isinstance(value, dict) and len(value) == 1:
            (how, words), *_ = value.items()
            if how not in ("IN", "NOT_IN") or not isinstance(words, list):
                return None
            if not all(isinstance(w, str) for w in words):
                return None
            hashes = frozenset(get_string_id(w) for w in words)
            out.append((slot, "in" if how == "IN" else "out", hashes))
        else:
            return None
    return out


def _test(checks: Sequence[Check]) -> Callable[[Row], bool]:
    """One function testing a token's row, specialised for the common shapes."""
    if not checks:
        return lambda row: True
    if len(checks) == 1:
        slot, how, wanted = checks[0]
        if how == "eq":
            return lambda row: row[slot] == wanted
        if how == "in":
            return lambda row: row[slot] in wanted  # type: ignore[operator]
        return lambda row: row[slot] not in wanted  # type: ignore[operator]
    first, *rest = [_test([check]) for check in checks]
    if len(rest) == 1:
        second = rest[0]
        return lambda row: first(row) and second(row)
    return lambda row: first(row) and all(part(row) for part in rest)


@dataclass(frozen=True, slots=True)
class _Step:
    checks: tuple[Check, ...]
    low: int
    high: int


class _Pattern:
    __slots__ = ("_opening", "_plan", "_width", "key", "requires", "steps")

    def __init__(self, key: int, steps: tuple[_Step, ...]) -> None:
        self.key = key
        self.steps = steps
        # Ids of the word sets (`_required`) a Doc must meet for a match, given by the
        # matcher, which numbers the sets it has seen.
        self.requires: frozenset[int] = frozenset()
        # Most patterns open with tokens that must each be there once: those are tested
        # one by one at their offsets, leaving at the first that fails, before the
        # general walk over the rest.
        fixed = 0
        while fixed < len(steps) and steps[fixed].low == steps[fixed].high == 1:
            fixed += 1
        self._width = fixed
        self._opening = tuple(
            (offset, _test(step.checks)) for offset, step in enumerate(steps[:fixed]) if step.checks
        )
        self._plan = tuple((_test(s.checks), s.low, s.high) for s in steps[fixed:])

    def ends(self, rows: Sequence[Row], start: int) -> Sequence[int]:
        """Every end of a span from `start` that this pattern matches, in order."""
        width = self._width
        if start + width > len(rows):
            return ()
        for offset, test in self._opening:
            if not test(rows[start + offset]):
                return ()
        if self._plan:
            return self._walk(rows, start, start + width)
        return [start + width] if width else ()

    def _walk(self, rows: Sequence[Row], start: int, at: int) -> list[int]:
        """The ends of the pattern's variable part, tried from `at` (its opening ended
        there, from `start`)."""
        length = len(rows)
        positions = [at]
        for test, low, high in self._plan:
            if low == 1 and high == 1:
                positions = [p + 1 for p in positions if p < length and test(rows[p])]
            else:
                reached: set[int] = set()
                for at in positions:
                    if low == 0:
                        reached.add(at)
                    count = 0
                    while count < high and at + count < length and test(rows[at + count]):
                        count += 1
                        if count >= low:
                            reached.add(at + count)
                positions = sorted(reached)
            if not positions:
                return positions
        return [p for p in positions if p != start]


# A token test on a boolean, or a word this common, finds most tokens: an index on it
# saves nothing. These weigh more when choosing the token to index a pattern on.
_COMMON_COST = 25
_BOOLEAN_COST = 1000
# The pipeline's own marks (a clause start in TAG, a feeling in NORM) fall on a few
# tokens of every reply, and are shared by many patterns.
_MARKS = frozenset({"TAG", "NORM"})
Anchor = tuple[int, int, frozenset[int]]  # (token offset in the pattern, slot, values)


def _anchor(steps: tuple[_Step, ...], common: frozenset[int]) -> Anchor | None:
    """Where to look a pattern up: a token at a fixed offset from its start, an attribute
    slot, and the values that token must have there; None when no token must have one.

    Among the opening tokens that must each be there once, the one whose values are
    rarest is chosen: "a great idea" is looked for where "idea" is, not at every word
    that "is not 'that'". An opening of optional tokens is indexed on the values any of
    them, or the first required one, may take."""
    best: tuple[int, Anchor] | None = None
    for offset, step in enumerate(steps):
        if not step.low == step.high == 1:
            break
        for slot, values in _wanted(step):
            cost = _cost(slot, values, common)
            if best is None or cost < best[0]:
                best = (cost, (offset, slot, values))
    if best is not None:
        return best[1]
    first = _first_values(steps)
    return None if first is None else (0, *first)


def _words_with_mark(step: _Step, slot: int, values: frozenset[int]) -> frozenset[int] | None:
    """The LOWER values the anchor token must also have, when the anchor is one pipeline
    mark (`slot` TAG or NORM) and the token also says its word."""
    if _ATTRS[slot] not in _MARKS or len(values) != 1:
        return None
    words = [v for s, v in _wanted(step) if _ATTRS[s] == "LOWER"]
    return words[0] if words else None


def _wanted(step: _Step) -> list[tuple[int, frozenset[int]]]:
    """(slot, values) for each of the step's tests that says what a token must be."""
    return [
        (slot, frozenset([wanted]) if how == "eq" else wanted)  # type: ignore[misc]
        for slot, how, wanted in step.checks
        if how != "out"
    ]


def _cost(slot: int, values: frozenset[int], common: frozenset[int]) -> int:
    """How often a token is expected to pass a test: more values, commoner values."""
    if _ATTRS[slot] in _BOOLEAN:
        return _BOOLEAN_COST
    if _ATTRS[slot] in _MARKS:
        return _COMMON_COST * len(values)
    return sum(_COMMON_COST if v in common else 1 for v in values)


def _required(steps: tuple[_Step, ...]) -> list[frozenset[int]]:
    """Sets of lower-case words, one word of each of which a Doc must hold for the pattern
    to match anywhere in it: one set per token that must be there and says its LOWER."""
    return [
        values
        for step in steps
        if step.low >= 1
        for slot, values in _wanted(step)
        if _ATTRS[slot] == "LOWER"
    ]


def _first_values(steps: tuple[_Step, ...]) -> tuple[int, frozenset[int]] | None:
    """An attribute slot and the values a match's first token must have there, if any."""
    prefix = []
    for step in steps:
        prefix.append(step)
        if step.low > 0:
            break
    else:
        return None  # every step optional: nothing to index on
    for slot in range(len(_ATTRS)):
        values: set[int] = set()
        for step in prefix:
            tests = [c for c in step.checks if c[0] == slot and c[1] in ("eq", "in")]
            if not tests:
                break
            sets = [frozenset([c[2]]) if c[1] == "eq" else c[2] for c in tests]
            values |= frozenset.intersection(*sets)  # type: ignore[arg-type]
        else:
            return slot, frozenset(values)
    return None


def _steps(pattern: list[dict]) -> tuple[_Step, ...] | None:
    """The pattern's tokens as steps, or None when it asks for something only spaCy does."""
    if not pattern:
        return None
    steps = []
    for spec in pattern:
        if not isinstance(spec, dict):
            return None
        quantity = _quantity(spec.get("OP"))
        checks = _checks(spec)
        if quantity is None or checks is None:
            return None
        steps.append(_Step(tuple(checks), *quantity))
    return tuple(steps)


class TokenMatcher:
    """Token patterns under integer keys; call it on a Doc for (key, start, end) triples.

    `common` are words found in most replies (stop words): a pattern is indexed on one of
    its other words where it has one."""

    def __init__(self, common: Iterable[str] = ()) -> None:
        self._patterns: list[_Pattern] = []
        # slot -> value -> (offset, pattern): the pattern's token at that offset from its
        # start has that value. By slot alone, so that a Doc is read once per attribute.
        self._index: dict[int, dict[int, list[tuple[int, _Pattern]]]] = {}
        self._anywhere: list[_Pattern] = []
        # (mark slot, mark) -> LOWER value -> (offset, pattern): patterns anchored on a
        # token with a pipeline mark and one of some words (`_words_with_mark`).
        self._marked: dict[tuple[int, int], dict[int, list[tuple[int, _Pattern]]]] = {}
        self._attr_ids = [IDS[attr] for attr in SLOT]
        self._common = frozenset(get_string_id(w) for w in common)
        # Every word set some pattern requires (`_required`), numbered, and the numbers
        # of the sets each word is in: a Doc's words tell at once which sets it meets.
        self._set_ids: dict[frozenset[int], int] = {}
        self._sets_of_word: dict[int, list[int]] = {}
        self._phrases = PhraseTrie()

    def __len__(self) -> int:
        return len(self._patterns) + len(self._phrases)

    def add_phrase(self, key: int, words: Sequence[str]) -> None:
        """Match `words` (tokens, as the tokenizer split the phrase) by their lower case,
        as a PhraseMatcher on LOWER would (`PhraseTrie.add`)."""
        self._phrases.add(key, words)

    @staticmethod
    def supports(pattern: list[dict]) -> bool:
        return _steps(pattern) is not None

    def add(self, key: int, pattern: list[dict]) -> None:
        """Add a pattern `supports` accepted."""
        steps = _steps(pattern)
        if steps is None:
            raise ValueError(f"pattern not supported here: {pattern!r}")
        compiled = _Pattern(key, steps)
        self._patterns.append(compiled)
        compiled.requires = frozenset(self._set_id(values) for values in _required(steps))
        anchor = _anchor(compiled.steps, self._common)
        if anchor is None:
            self._anywhere.append(compiled)
            return
        offset, slot, values = anchor
        words = _words_with_mark(steps[offset], slot, values)
        if words is not None:
            # A clause start that must also be one of some words ("you", "it"): looked up
            # by the word at each clause start, not tried at every clause start (most
            # patterns open at a clause start).
            (mark,) = values
            by_word = self._marked.setdefault((slot, mark), {})
            for word in words:
                by_word.setdefault(word, []).append((offset, compiled))
            return
        by_value = self._index.setdefault(slot, {})
        for value in values:
            by_value.setdefault(value, []).append((offset, compiled))

    def _set_id(self, values: frozenset[int]) -> int:
        known = self._set_ids.get(values)
        if known is None:
            known = self._set_ids[values] = len(self._set_ids)
            for value in values:
                self._sets_of_word.setdefault(value, []).append(known)
        return known

    def rows(self, doc: Doc) -> list[list[int]]:
        """The Doc's tokens as rows of attribute values by `SLOT` (hashes, as the Matcher
        compares them): one `Doc.to_array` for everything the patterns test."""
        return doc.to_array(self._attr_ids).tolist() if len(doc) else []

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        return self.match_rows(self.rows(doc))

    def match_rows(self, rows: Sequence[Row]) -> list[tuple[int, int, int]]:
        """(key, start, end) of every match in the tokens `rows` (from `rows`, or the same
        values with the pipeline's own marks written in since)."""
        if not len(self) or not rows:
            return []
        found: list[tuple[int, int, int]] = []
        if self._phrases:
            found += self._phrases.match([row[_LOWER] for row in rows])
        met = self._sets_met(rows)
        for slot, by_value in self._index.items():
            for at, row in enumerate(rows):
                found += _walk(by_value.get(row[slot]), rows, at, met)
        for (slot, mark), by_word in self._marked.items():
            for at, row in enumerate(rows):
                if row[slot] == mark:
                    found += _walk(by_word.get(row[_LOWER]), rows, at, met)
        for pattern in self._anywhere:
            if pattern.requires <= met:
                found += [
                    (pattern.key, start, end)
                    for start in range(len(rows))
                    for end in pattern.ends(rows, start)
                ]
        # Two patterns of one rule may find the same span: spaCy reports it once. In the
        # order of their starts, as spaCy gives them.
        return sorted(dict.fromkeys(found), key=_start)

    def _sets_met(self, rows: Sequence[Row]) -> set[int]:
        """The word sets the Doc meets. A pattern is tried only where the Doc holds a word
        of each set it requires: "I did the dishes" is not walked from every "I" of a
        reply with no "did"."""
        met: set[int] = set()
        for word in {row[_LOWER] for row in rows}:
            if (ids := self._sets_of_word.get(word)) is not None:
                met.update(ids)
        return met


def _walk(
    anchored: list[tuple[int, _Pattern]] | None, rows: Sequence[Row], at: int, met: set[int]
) -> list[tuple[int, int, int]]:
    """The matches of the patterns anchored at token `at` (each `offset` tokens into its
    pattern) whose required word sets the Doc meets."""
    if anchored is None:
        return []
    return [
        (pattern.key, at - offset, end)
        for offset, pattern in anchored
        if offset <= at and pattern.requires <= met
        for end in pattern.ends(rows, at - offset)
    ]


def _start(match: tuple[int, int, int]) -> int:
    return match[1]
