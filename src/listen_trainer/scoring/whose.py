"""Whose words: which sentences ask, which speak of the speaker, and whose a feeling is."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.strings import get_string_id

from listen_trainer.content.models import Category
from listen_trainer.scoring.analysis import Finding
from listen_trainer.scoring.hearing import Target
from listen_trainer.scoring.pipeline import CLAUSE_TAG
from listen_trainer.scoring.reading import Reading
from listen_trainer.scoring.rules import CompiledRubric

ASKING = frozenset(
    {Category.EXPLORING, Category.CLOSED_QUESTION, Category.INTERROGATING, Category.FIXING}
)
# In a sentence that advises, soothes, shrinks or tells the listener's own story, a
# feeling named is the thing to be fixed or the listener's own, not a reflection.
FEELING_REMOVERS = frozenset(
    {Category.FIXING, Category.DISMISSING, Category.MINIMISING, Category.DEFLECTING}
)
# A situation word speaks of what happened when it opens the sentence, after an "omg" or
# "ugh" at most ("ugh, that's so frustrating"); later, "that" is more often a relative
# pronoun ("everything that happens").
SITUATION_OPENS = 3
# "I'd be", "I would honestly feel": the verb of being in their place comes this soon.
THEIR_PLACE_GAP = 2
# The hash spaCy gives CLAUSE_TAG: comparing `token.tag` with it spares making the string.
CLAUSE_TAG_ID = get_string_id(CLAUSE_TAG)


@dataclass(frozen=True)
class Whose:
    """Sentences by what they do, as indexes into the reading's sentences."""

    asking: frozenset[int]  # a question opened by a question rule
    about_speaker: frozenset[int]  # where a feeling or content word is the speaker's
    advising: frozenset[int]  # where a feeling named is the thing to be fixed
    # where a feeling named is a guess at theirs: about them, or of what happened
    feeling_theirs: frozenset[int] = frozenset()


def _asking(findings: list[Finding], reading: Reading) -> frozenset[int]:
    return frozenset(
        f.sent
        for f in findings
        if f.category in ASKING
        and reading.tokens[f.start].tag == CLAUSE_TAG_ID
        # A question word opening a sentence asks even without its "?"; advice asks
        # only as a question ("why don't you...?").
        and (reading.question[f.sent] or f.category is not Category.FIXING)
    )


def _about_speaker(
    findings: list[Finding], reading: Reading, target: Target, compiled: CompiledRubric
) -> frozenset[int]:
    """With a free statement, every content word of it is a target and "hard" fits any
    pain, so a touch counts only in a sentence about the speaker: one that says "you" or
    holds a reflective stem or a validation ("I can see how frustrating this is"). A
    scenario's key content is chosen by its author: every sentence counts."""
    if target.curated:
        return frozenset(range(len(reading.bounds)))
    saying_you = {
        index
        for index, (start, end) in enumerate(reading.bounds)
        if not compiled.second_person.isdisjoint(reading.lowers[start:end])
    }
    perceiving = {
        f.sent for f in findings if f.category in (Category.REFLECTING_CONTENT, Category.VALIDATING)
    }
    return frozenset(saying_you | perceiving | _echoing_opening(reading, target, compiled))


def _echoing_opening(reading: Reading, target: Target, compiled: CompiledRubric) -> set[int]:
    """The reply's first sentence, when it names no one and says words of theirs back
    ("Fifty hours a week and still going backwards"): what happened, in their words."""
    if not reading.bounds:
        return set()
    start, end = reading.bounds[0]
    if not compiled.people.isdisjoint(reading.lowers[start:end]):
        return set()
    theirs = {
        reading.tokens[i].lemma_ for i in range(start, end) if word_of_theirs(i, reading, target)
    }
    return {0} if len(theirs) >= compiled.rubric.settings.free_content_min else set()


def word_of_theirs(i: int, reading: Reading, target: Target) -> bool:
    """Whether word `i` of the reply is, by its lemma, a content word of what they said."""
    token = reading.tokens[i]
    return (
        (token.is_alpha or token.is_digit) and not token.is_stop and token.lemma_ in target.content
    )


def _of_what_happened(reading: Reading, compiled: CompiledRubric) -> frozenset[int]:
    """Sentences that open on what happened, not on a person, and say nothing of the
    listener ("that must've hurt", "that stings, especially from her"): a feeling named
    there is a guess at the speaker's, though a need or a word of theirs is not."""
    out = set()
    for index, (start, end) in enumerate(reading.bounds):
        words = reading.lowers[start:end]
        opening = words[:SITUATION_OPENS]
        if (
            not compiled.situation_words.isdisjoint(opening)
            and compiled.third_person.isdisjoint(opening)
            and compiled.first_person.isdisjoint(words)
        ):
            out.add(index)
    return frozenset(out)


def in_their_place(words: list[str], compiled: CompiledRubric) -> bool:
    """Whether the listener speaks as if in the speaker's place: "I'd be hurt too", "I
    would feel so let down", with no condition of their own ("I'd hate it if...")."""
    for k, word in enumerate(words[:-1]):
        if word == "i" and words[k + 1] in compiled.in_their_place:
            verbs = words[k + 2 : k + 2 + THEIR_PLACE_GAP]
            if not compiled.in_their_place_verbs.isdisjoint(verbs):
                return compiled.in_their_place_unless.isdisjoint(words)
    return False


def _in_their_place(reading: Reading, compiled: CompiledRubric) -> frozenset[int]:
    return frozenset(
        index
        for index, (start, end) in enumerate(reading.bounds)
        if in_their_place(reading.lowers[start:end], compiled)
    )


def whose_sentences(
    findings: list[Finding], reading: Reading, target: Target, compiled: CompiledRubric
) -> Whose:
    # With a free statement, a feeling named in a sentence that advises, soothes or
    # shrinks ("this can reduce your stress") is the thing to be fixed, not a reflection.
    advising = (
        frozenset()
        if target.curated
        else frozenset(f.sent for f in findings if f.category in FEELING_REMOVERS)
    )
    about = _about_speaker(findings, reading, target, compiled)
    return Whose(
        asking=_asking(findings, reading),
        about_speaker=about,
        advising=advising,
        feeling_theirs=about
        | _of_what_happened(reading, compiled)
        | _in_their_place(reading, compiled),
    )


def nearest_person(
    lowers: list[str], index: int, sent_start: int, people: frozenset[str]
) -> int | None:
    """The position of the nearest of `people` before word `index` in its sentence."""
    for i in range(index - 1, sent_start - 1, -1):
        if lowers[i] in people:
            return i
    return None


def _claimed_by_you(lowers: list[str], index: int, compiled: CompiledRubric) -> bool:
    """A "you" right after a feeling word claims it: "I can hear how thrilled you are"."""
    return index + 1 < len(lowers) and lowers[index + 1] in compiled.second_person


def listeners_own(
    lowers: list[str], index: int, sent_start: int, sent_end: int, compiled: CompiledRubric
) -> bool:
    """Whether the nearest pronoun before a feeling word is the listener's own "I".

    "I feel sad too" names the listener's feeling, not the speaker's; in "I understand,
    it sounds so sad" the feeling belongs to "it", and in "I see you're sad" to "you";
    in "I can hear how thrilled you are" the "you" right after it claims it.
    """
    if _claimed_by_you(lowers, index, compiled):
        return False
    at = nearest_person(lowers, index, sent_start, compiled.pronouns)
    if at is None or lowers[at] not in compiled.first_person:
        return False
    # "I feel sad too", "I was so worried" are the listener's own; in "I understand how
    # stressful" or "I can tell it hurts" the "I" only perceives, and in "I'd be hurt
    # too" it stands in their place.
    after = lowers[at + 1] if at + 1 < index else ""
    if lowers[at] != "i":
        return True
    return after in compiled.self_feeling_verbs and not in_their_place(
        lowers[at:sent_end], compiled
    )


def someone_elses(lowers: list[str], index: int, sent_start: int, compiled: CompiledRubric) -> bool:
    """Whether a feeling word belongs to a third person: the nearest person before it is
    "he", "she", "they"... ("as my father gets older he is often frustrated"), and no
    "you" right after it claims it ("they hurt you")."""
    if _claimed_by_you(lowers, index, compiled):
        return False
    at = nearest_person(lowers, index, sent_start, compiled.people)
    return at is not None and lowers[at] in compiled.third_person


def said_of_them(lowers: list[str], index: int, sent_start: int, compiled: CompiledRubric) -> bool:
    """Whether the nearest person before a feeling word is "you" ("you must be so
    relieved"), unlike "glad you're safe" or "I'm glad", the listener's own."""
    at = nearest_person(lowers, index, sent_start, compiled.pronouns)
    return at is not None and lowers[at] in compiled.second_person
