"""Hollow validation: stock sympathy with nothing of theirs is placating.

"I understand." alone tells the speaker nothing was taken in; beside a reflection, a
question about them, or a sentence that speaks to them in the listener's own words ("I
know how close you two were"), the same words are real validation.
"""

from __future__ import annotations

from listen_trainer.content.models import ROADBLOCKS, Category
from listen_trainer.scoring.analysis import LEARNED, Analysis, Finding
from listen_trainer.scoring.learned import SAID_BACK
from listen_trainer.scoring.reading import Reading
from listen_trainer.scoring.rules import CompiledRubric


def _specific(finding: Finding, compiled: CompiledRubric) -> bool:
    """A negated judgement ("you're not overreacting") or a rule marked specific."""
    if finding.rule.endswith(":negated"):
        return True
    return finding.source is not None and compiled.rules[finding.source].specific


def _own_word(i: int, reading: Reading, covered: set[int], compiled: CompiledRubric) -> bool:
    token = reading.tokens[i]
    lower = reading.lowers[i]
    return (
        token.is_alpha
        and not token.is_stop
        and i not in covered
        and lower not in compiled.content_stopwords
        and lower not in compiled.stock_words
        and lower not in compiled.second_person
    )


def in_own_words(findings: list[Finding], reading: Reading, compiled: CompiledRubric) -> int:
    """How many sentences speak to them ("you") in the listener's own words: no question,
    no roadblock, and enough content words that no rule read ("I know how close you two
    were"), more of them beside a finding than in a sentence of its own. Such a sentence
    is something of theirs beside a stock validation, even when it shares no word with
    what they said."""
    covered = {i for f in findings for i in range(f.start, f.end)}
    blocking = {f.sent for f in findings if f.category in ROADBLOCKS}
    found = {f.sent for f in findings}
    settings = compiled.rubric.settings
    count = 0
    for index, (start, end) in enumerate(reading.bounds):
        if index in blocking or reading.question[index]:
            continue
        if compiled.second_person.isdisjoint(reading.lowers[start:end]):
            continue
        least = settings.own_words_beside if index in found else settings.own_words_alone
        if sum(_own_word(i, reading, covered, compiled) for i in range(start, end)) >= least:
            count += 1
    return count


def mark_hollow(analysis: Analysis, compiled: CompiledRubric) -> None:
    """Validation with nothing of theirs reflected, asked or made specific is placating.
    The acts model's guess of validation is not enough to call a reply placating: with
    nothing of theirs, it is dropped, and the rules' validation judged alone."""
    validations = [f for f in analysis.findings if f.category is Category.VALIDATING]
    if not validations:
        return
    reflected = (
        any(n.layer != "other" for n in analysis.namings)
        or analysis.content
        or any(f.note == LEARNED for f in analysis.findings if f.category in SAID_BACK)
    )
    asked = analysis.categories() & {Category.EXPLORING, Category.CHECKING}
    if reflected or asked or analysis.own_words:
        return
    guessed = [f for f in validations if f.note == LEARNED]
    if guessed:
        analysis.findings = [f for f in analysis.findings if f not in guessed]
        validations = [f for f in validations if f.note != LEARNED]
    if not validations or any(_specific(f, compiled) for f in validations):
        return
    for f in validations:
        f.category, f.rule, f.note = Category.PLACATING, f"hollow:{f.rule}", "hollow"
    analysis.hollow = True
