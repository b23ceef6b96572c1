"""From the rules' raw matches to findings: sentence kind, negation, overlaps, yielding
and framing. Each step a function over plain values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from listen_trainer.content.models import ROADBLOCKS, Category
from listen_trainer.scoring.analysis import Finding
from listen_trainer.scoring.contest import longest_first
from listen_trainer.scoring.matches import RuleMatch
from listen_trainer.scoring.reading import Reading
from listen_trainer.scoring.rules import CompiledRubric

CANCELLED = "cancelled"


class RuleView(NamedTuple):
    """A rubric rule's fields that every match of it reads."""

    sentence: str
    unless_after: frozenset[str]
    negation: str
    category: Category
    id: str
    flip_to: Category | None
    answering: frozenset[str]


@dataclass(frozen=True, slots=True)
class RuleFacts:
    """What the stages ask of the rubric's rules, by rule index, worked out once per
    rubric: each rule's fields, the roadblocks it yields to, all it yields to, and the
    roadblocks it frames."""

    rules: tuple[RuleView, ...]
    yields_roadblocks: tuple[frozenset[Category], ...]
    yields: tuple[frozenset[Category], ...]
    frames: tuple[frozenset[Category], ...]


def rule_facts(compiled: CompiledRubric) -> RuleFacts:
    return RuleFacts(
        rules=tuple(
            RuleView(
                r.sentence,
                frozenset(r.unless_after),
                r.negation,
                r.category,
                r.id,
                r.flip_to,
                r.answering,
            )
            for r in compiled.rules
        ),
        yields_roadblocks=tuple(ROADBLOCKS.intersection(r.yields_to) for r in compiled.rules),
        yields=tuple(frozenset(r.yields_to) for r in compiled.rules),
        frames=tuple(frozenset(r.frames) for r in compiled.rules),
    )


def negated(reading: Reading, start: int, end: int, negators: frozenset[str], window: int) -> bool:
    """Whether a negator stands within `window` words before a span (in its sentence) or
    inside it, or right after it ("you should" + "n't")."""
    lowers = reading.lowers
    sent_start = reading.sentence_start(start)
    if not negators.isdisjoint(lowers[max(sent_start, start - window) : end]):
        return True
    return end < len(lowers) and lowers[end] in ("n't", "not")


def _candidate(
    match: RuleMatch, reading: Reading, compiled: CompiledRubric, facts: RuleFacts, kind: str
) -> Finding | None:
    """A match as a finding, if its sentence kind, the statement's kind and the word before
    it allow; negation cancels it (kept, marked, for the contest) or flips it to another
    category."""
    index, start, end = match.rule, match.start, match.end
    sentence, unless_after, negation, category, rule_id, flip_to, answering = facts.rules[index]
    if answering and kind not in answering:
        return None
    sent = reading.of[start]
    is_question = reading.question[sent]
    if (sentence == "question" and not is_question) or (sentence == "statement" and is_question):
        return None
    if unless_after and not unless_after.isdisjoint(_words_before(reading.lowers, start)):
        return None
    note = None
    window = compiled.rubric.settings.negation_window
    if negation != "ignore" and negated(reading, start, end, compiled.negators, window):
        if negation == "cancel":
            note = CANCELLED
        else:
            assert flip_to is not None
            category, rule_id = flip_to, f"{rule_id}:negated"
    return Finding(category, start, end, rule_id, sent, note, index)


def _words_before(lowers: list[str], start: int) -> tuple[str, ...]:
    """The word before `start`, and with the one before it as typed when the tokenizer
    split a contraction ("wo" + "n't" is "won't")."""
    if start == 0:
        return ()
    if start == 1:
        return (lowers[0],)
    return (lowers[start - 1], lowers[start - 2] + lowers[start - 1])


def _gives_way(candidate: Finding, candidates: list[Finding], facts: RuleFacts) -> bool:
    """A credit that yields to a roadblock gives way to an overlapping match of it,
    whatever their lengths: "you're kidding yourself" is a judgement, not a statement
    about them."""
    assert candidate.source is not None
    yields = facts.yields_roadblocks[candidate.source]
    if not yields or candidate.category in ROADBLOCKS:
        return False
    return any(
        o.category in yields and o.note != CANCELLED and candidate.overlaps(o) for o in candidates
    )


def _yields(finding: Finding, kept: list[Finding], facts: RuleFacts) -> bool:
    """Whether the rule gives way to another category found in the same sentence."""
    assert finding.source is not None
    yields = facts.yields[finding.source]
    return bool(yields) and any(
        o.sent == finding.sent and o.category in yields for o in kept if o is not finding
    )


def _framed(
    finding: Finding,
    framing: list[Finding],
    reading: Reading,
    compiled: CompiledRubric,
    facts: RuleFacts,
) -> bool:
    """Whether a reflective frame earlier in the sentence says the roadblock back ("it
    sounds like you have to...") rather than saying it; a contrast word between them
    turns from them to advice ("I understand your feelings, but try to...")."""
    contrast = compiled.contrast_words
    return any(
        o.sent == finding.sent
        and o.end <= finding.start
        and finding.category in facts.frames[o.source]  # type: ignore[index]
        and contrast.isdisjoint(reading.lowers[o.end : finding.start])
        for o in framing
    )


def rule_findings(
    matches: tuple[RuleMatch, ...], reading: Reading, compiled: CompiledRubric, kind: str
) -> list[Finding]:
    """The rules' findings in a reply to a statement of `kind` (wording.kind_of), in order
    of their start."""
    facts = compiled.derived(rule_facts)
    candidates = [
        finding
        for match in matches
        if (finding := _candidate(match, reading, compiled, facts, kind)) is not None
    ]
    candidates = [c for c in candidates if not _gives_way(c, candidates, facts)]
    kept = [f for f in longest_first(candidates) if f.note != CANCELLED]
    framing = [o for o in kept if facts.frames[o.source]]  # type: ignore[index]
    out = [
        f
        for f in kept
        if not _yields(f, kept, facts)
        and not (framing and _framed(f, framing, reading, compiled, facts))
    ]
    out = [_rising_guess_checks(f, out) for f in out]
    out.sort(key=lambda f: f.start)
    return out


def framed_sentences(
    findings: list[Finding], compiled: CompiledRubric
) -> dict[int, frozenset[Category]]:
    """By sentence, the roadblocks a frame found there says back or sets aside."""
    frames = compiled.derived(rule_facts).frames
    out: dict[int, frozenset[Category]] = {}
    for f in findings:
        if f.source is not None and frames[f.source]:
            out[f.sent] = out.get(f.sent, frozenset()) | frames[f.source]
    return out


def _rising_guess_checks(finding: Finding, findings: list[Finding]) -> Finding:
    """A question mark on a sentence that says back what they said ("you sent out twenty
    applications already?") asks whether the guess is right: a check, not a closed
    question."""
    if finding.category is not Category.CLOSED_QUESTION or finding.end - finding.start != 1:
        return finding
    guessed = any(
        f.sent == finding.sent and f.category is Category.REFLECTING_CONTENT for f in findings
    )
    if not guessed:
        return finding
    return Finding(Category.CHECKING, finding.start, finding.end, "rising-guess", finding.sent)
