"""From a parsed reply and its target to findings: which spans show which category.

The rubric's matches are refined by sentence structure, in this order:
1. a rule's sentence kind (question or statement) and its negation (cancel or flip);
2. overlaps: a credit gives way to an overlapping roadblock it yields to; otherwise the
   longest match wins, then the rule listed first;
3. `yields_to`: a closed question that is really a check gives way; `frames`: a
   roadblock after a reflective stem in its sentence is said back, not said;
4. safety: with a risky statement, pointing to help is not fixing;
5. the reply's feeling words, needs and content words, against the target;
6. yes-but: a contrast word after a credit and before a roadblock undoes the credit;
7. hollow validation: validation with nothing of theirs reflected is placating.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import attrgetter, itemgetter
from typing import NamedTuple

from spacy.strings import get_string_id
from spacy.tokens import Doc, Token

from listen_trainer.content.models import ROADBLOCKS, Category
from listen_trainer.scoring.doc_matches import matches_of
from listen_trainer.scoring.hearing import Target
from listen_trainer.scoring.pipeline import CLAUSE_TAG
from listen_trainer.scoring.rules import CompiledRubric, LexiconMatch, RuleMatch, normalise

ASKING = frozenset(
    {Category.EXPLORING, Category.CLOSED_QUESTION, Category.INTERROGATING, Category.FIXING}
)
CREDITS_UNDONE_BY_BUT = frozenset(
    {
        Category.VALIDATING,
        Category.REFLECTING_FEELING,
        Category.REFLECTING_CONTENT,
        Category.PRESENCE,
    }
)


FEELING_REMOVERS = frozenset({Category.FIXING, Category.DISMISSING, Category.MINIMISING})
# The hash spaCy gives CLAUSE_TAG: comparing `token.tag` with it spares making the string.
CLAUSE_TAG_ID = get_string_id(CLAUSE_TAG)
_BY_START = attrgetter("start")
_CONTEST_ORDER = itemgetter(0, 1, 2)


@dataclass(slots=True)  # slots: made and read faster, several times a reply
class Finding:
    category: Category
    start: int  # token offsets, end exclusive
    end: int
    rule: str
    sent: int
    note: str | None = None  # a message of the engine's own, instead of the category's
    source: int | None = None  # the rubric rule's index, when a rule found it


class Naming(NamedTuple):
    """A feeling or need of the speaker's that the reply named. (A NamedTuple: as
    immutable as a frozen dataclass, and made ~0.7 us faster.)"""

    name: str
    layer: str  # "surface", "underlying", "need" or "other"
    start: int
    end: int


@dataclass
class Analysis:
    findings: list[Finding]
    namings: list[Naming]
    content: list[str]  # content words of the speaker's that the reply touched
    stems: int = 0  # reflective stems ("it sounds like") in statement sentences
    hollow: bool = False
    yes_but: bool = False
    notes: dict[str, str] = field(default_factory=dict)
    # The reply's sentences as token bounds (end exclusive), as `doc.sents` gives them, and
    # its words in lower case: read once here, for what is made of the reply next.
    sentences: list[tuple[int, int]] = field(default_factory=list)
    words: list[str] = field(default_factory=list)

    def categories(self) -> set[Category]:
        return {f.category for f in self.findings}


class _Sentences:
    """Each sentence's token bounds, the sentence of each token, and which ones ask.

    Read from the tokens' sentence starts as `doc.sents` reads them (the first token
    always starts one; an empty Doc has none), from the Tokens `analyse` holds anyway,
    without making a Span per sentence.
    """

    def __init__(self, tokens: list[Token], lowers: list[str]) -> None:
        count = len(tokens)
        starts = [i for i, token in enumerate(tokens) if token.is_sent_start]
        if count and (not starts or starts[0] != 0):
            starts.insert(0, 0)
        # Not strict: an empty Doc has no start, and so no sentence.
        self.bounds = list(zip(starts, [*starts[1:], count], strict=False))
        self.of: list[int] = []
        for index, (start, end) in enumerate(self.bounds):
            self.of += [index] * (end - start)
        has_question = "?" in lowers
        self.question = [has_question and "?" in lowers[s:e] for s, e in self.bounds]


class _Rule(NamedTuple):
    """A rubric rule's fields that every match of it reads, unpacked at once (reading
    them off the rule one by one was ~1 us of a reply)."""

    sentence: str
    unless_after: frozenset[str]
    negation: str
    category: Category
    id: str
    flip_to: Category | None


@dataclass(frozen=True, slots=True)
class _RuleFacts:
    """What `analyse` asks of the rubric for every reply, worked out once per rubric: by
    rule index, its fields, the roadblocks it yields to, all it yields to, what it
    frames; and the feeling families a reply must say of the speaker ("tough", "happy")
    to count."""

    rules: tuple[_Rule, ...]
    yields_roadblocks: tuple[frozenset[Category], ...]
    yields: tuple[frozenset[Category], ...]
    frames: tuple[frozenset[Category], ...]
    loose: frozenset[str]


def _facts(compiled: CompiledRubric) -> _RuleFacts:
    # Kept with the compiled rubric (`CompiledRubric.derived`): the sets made from a
    # rule's lists on every match and finding were ~3 us of a reply.
    return _RuleFacts(
        rules=tuple(
            _Rule(r.sentence, frozenset(r.unless_after), r.negation, r.category, r.id, r.flip_to)
            for r in compiled.rules
        ),
        yields_roadblocks=tuple(ROADBLOCKS.intersection(r.yields_to) for r in compiled.rules),
        yields=tuple(frozenset(r.yields_to) for r in compiled.rules),
        frames=tuple(frozenset(r.frames) for r in compiled.rules),
        loose=compiled.general_families | compiled.pleasant_families,
    )


def _negated(
    lowers: list[str], start: int, end: int, sent_start: int, negators: frozenset[str], window: int
) -> bool:
    if not negators.isdisjoint(lowers[max(sent_start, start - window) : end]):
        return True
    # "you should" + "n't": the negator after an auxiliary belongs to it.
    return end < len(lowers) and lowers[end] in ("n't", "not")


# Findings whose words may also name a feeling.
NAMING_TOO = frozenset({Category.VALIDATING, Category.REFLECTING_CONTENT})


def _overlaps(a: Finding, b: Finding) -> bool:
    return a.start < b.end and b.start < a.end


def _inside(
    start: int, end: int, findings: list[Finding], categories: frozenset[Category] | None
) -> bool:
    return any(
        f.start <= start and end <= f.end and (categories is None or f.category in categories)
        for f in findings
    )


def _rule_findings(
    rule_matches: tuple[RuleMatch, ...],
    lowers: list[str],
    sents: _Sentences,
    compiled: CompiledRubric,
    facts: _RuleFacts,
) -> list[Finding]:
    rules = facts.rules
    negators = compiled.negators
    window = compiled.rubric.settings.negation_window
    # (minus the length, rule index, start, finding): the order of the overlap contest.
    candidates: list[tuple[int, int, int, Finding]] = []
    for match in rule_matches:
        index, start, end = match.rule, match.start, match.end
        sentence, unless_after, negation, category, rule_id, flip_to = rules[index]
        sent = sents.of[start]
        is_question = sents.question[sent]
        if sentence == "question" and not is_question:
            continue
        if sentence == "statement" and is_question:
            continue
        if unless_after and start > 0 and (lowers[start - 1] in unless_after):
            continue
        note = None
        if negation != "ignore" and _negated(
            lowers, start, end, sents.bounds[sent][0], negators, window
        ):
            if negation == "cancel":
                note = "cancelled"
            else:
                assert flip_to is not None
                category, rule_id = flip_to, f"{rule_id}:negated"
        finding = Finding(category, start, end, rule_id, sent, note, index)
        candidates.append((start - end, index, start, finding))
    # A cancelled match still takes part in the overlap contest, so that in "I won't tell
    # you what you should do" the negated whole also silences its part "what you should do".
    # A credit that yields to a roadblock gives way to an overlapping match of it whatever
    # their lengths: "you're kidding yourself" is a judgement, not a statement about them.
    yields_roadblocks = facts.yields_roadblocks
    candidates = [
        c
        for c in candidates
        if not (yields := yields_roadblocks[c[1]])
        or c[3].category in ROADBLOCKS
        or not any(
            o[3].category in yields and o[3].note != "cancelled" and _overlaps(c[3], o[3])
            for o in candidates
        )
    ]
    candidates.sort(key=_CONTEST_ORDER)
    kept: list[Finding] = []
    for *_, finding in candidates:
        for other in kept:
            if finding.start < other.end and other.start < finding.end:
                break  # overlaps one that won before it
        else:
            kept.append(finding)
    kept = [f for f in kept if f.note != "cancelled"]
    # Few rules frame anything: the frame test is skipped when none of them was found.
    framing = [o for o in kept if facts.frames[o.source]]  # type: ignore[index]
    contrast = compiled.contrast_words
    out = []
    for finding in kept:
        assert finding.source is not None
        yields = facts.yields[finding.source]
        if yields and any(
            o.sent == finding.sent and o.category in yields for o in kept if o is not finding
        ):
            continue
        if (
            framing
            and any(
                o.sent == finding.sent
                and o.end <= finding.start
                and finding.category in facts.frames[o.source]  # type: ignore[index]
                # "I understand your feelings, but try to..." turns from them to advice.
                and contrast.isdisjoint(lowers[o.end : finding.start])
                for o in framing
            )
        ):
            continue  # said back under a reflective frame: theirs, not the listener's
        out.append(finding)
    out.sort(key=_BY_START)
    return out


def _asking(findings: list[Finding], sents: _Sentences, tokens: list[Token]) -> set[int]:
    """Sentences that ask rather than say: a question opened by a question rule."""
    return {
        f.sent
        for f in findings
        if f.category in ASKING
        and tokens[f.start].tag == CLAUSE_TAG_ID
        # A question word opening a sentence asks even without its "?"; advice asks
        # only as a question ("why don't you...?").
        and (sents.question[f.sent] or f.category is not Category.FIXING)
    }


def _listeners_own(
    lowers: list[str], index: int, sent_start: int, compiled: CompiledRubric
) -> bool:
    """Whether the nearest pronoun before a feeling word is the listener's own "I".

    "I feel sad too" names the listener's feeling, not the speaker's; in "I understand,
    it sounds so sad" the feeling belongs to "it", and in "I see you're sad" to "you";
    in "I can hear how thrilled you are" the "you" right after it claims it.
    """
    if index + 1 < len(lowers) and lowers[index + 1] in compiled.second_person:
        return False
    for i in range(index - 1, sent_start - 1, -1):
        word = lowers[i]
        if word in compiled.pronouns:
            if word not in compiled.first_person:
                return False
            # "I feel sad too", "I was so worried" are the listener's own; in "I understand
            # how stressful" or "I can tell it hurts" the "I" only perceives.
            after = lowers[i + 1] if i + 1 < index else ""
            return word != "i" or after in compiled.self_feeling_verbs
    return False


def _feeling_thing(tokens: list[Token], start: int, end: int, compiled: CompiledRubric) -> bool:
    """Whether a lexicon match is one word the dictionary knows only as a noun or verb."""
    if end - start != 1:
        return False
    token = tokens[start]
    return token.lower_ in compiled.feeling_things or token.lemma_ in compiled.feeling_things


def analyse(doc: Doc, target: Target, compiled: CompiledRubric) -> Analysis:
    # Each Token is a new Python object on every access: read the tokens, words and
    # matches once, here.
    tokens = list(doc)
    lowers = [t.lower_ for t in tokens]
    matches = matches_of(doc)
    lexicon: tuple[LexiconMatch, ...] = matches.lexicon
    facts = compiled.derived(_facts)
    sents = _Sentences(tokens, lowers)
    findings = _rule_findings(matches.rules, lowers, sents, compiled, facts)

    if target.risky:
        help_words = compiled.safety_reply
        keep = []
        for f in findings:
            s0, s1 = sents.bounds[f.sent]
            text = f" {normalise(doc[s0:s1].text)} "
            if f.category is Category.FIXING and any(f" {w}" in text for w in help_words):
                continue
            keep.append(f)
        findings = keep

    asking = _asking(findings, sents, tokens)
    # With a free statement, every content word of it is a target and "hard" fits any
    # pain, so a touch counts only in a sentence about the speaker: one that says "you" or
    # opens with a reflective stem. Elsewhere it is more likely information or the
    # listener's own story. A scenario's key content is chosen by its author: no guard.
    if target.curated:
        about_speaker = set(range(len(sents.bounds)))
    else:
        second = compiled.second_person
        about_speaker = {
            index
            for index, (start, end) in enumerate(sents.bounds)
            if not second.isdisjoint(lowers[start:end])
        }
        # "I can see how frustrating this is": a listener perceiving, or a stem, speaks
        # of the speaker's experience even without a "you".
        about_speaker |= {
            f.sent
            for f in findings
            if f.category in (Category.REFLECTING_CONTENT, Category.VALIDATING)
        }
    # With a free statement, a feeling named in a sentence that advises, soothes or
    # shrinks ("this can reduce your stress") is the thing to be fixed, not a reflection.
    advising = (
        set() if target.curated else {f.sent for f in findings if f.category in FEELING_REMOVERS}
    )
    namings: list[Naming] = []
    for match in lexicon:
        sent = sents.of[match.start]
        s0 = sents.bounds[sent][0]
        if sent in asking or _listeners_own(lowers, match.start, s0, compiled):
            continue
        if _inside(match.start, match.end, findings, ROADBLOCKS):
            continue
        if not compiled.negators.isdisjoint(lowers[max(s0, match.start - 2) : match.start]):
            continue  # "you're not alone" says presence, not loneliness
        if match.kind == "need":
            # "It's important to rest" is advice; a need is heard only when said of them.
            if match.name in target.needs and sent in about_speaker:
                namings.append(Naming(match.name, "need", match.start, match.end))
            continue
        if match.name in target.surface:
            layer = "surface"
        elif match.name in target.underlying:
            layer = "underlying"
        elif not target.knows_feelings:
            if match.name in compiled.pleasant_families:
                continue  # "glad to help" reflects no one's feeling
            layer = "surface"  # nothing to compare with: any named feeling is a reflection
        elif match.name in compiled.general_families and (
            (target.surface | target.underlying) - compiled.pleasant_families
        ):
            layer = "surface"  # "that sounds hard" fits any pain the speaker showed
        else:
            layer = "other"
        # Words of hardship ("tough") and pleasant ones ("happy holidays") are the
        # speaker's only in a sentence about them; so is a feeling named as a thing or an
        # act ("anxiety is a powerful thing", "grieving takes time"), which otherwise
        # speaks of it in general.
        if sent not in about_speaker and (
            match.name in facts.loose or _feeling_thing(tokens, match.start, match.end, compiled)
        ):
            continue
        if sent in advising:
            continue
        namings.append(Naming(match.name, layer, match.start, match.end))

    for naming in namings:
        sent = sents.of[naming.start]
        # A feeling of another family, said to the speaker ("you sound anxious"), is still
        # a reflection, a guess that missed: flagged as one, though it counts less.
        if naming.layer == "other" and (
            sent not in about_speaker or naming.name in compiled.pleasant_families
        ):
            continue  # "glad you're safe" is the listener's relief, not their feeling
        finding = Finding(
            Category.REFLECTING_FEELING,
            naming.start,
            naming.end,
            f"feeling:{naming.name}" if naming.layer != "need" else f"need:{naming.name}",
            sent,
            note=naming.layer,
        )
        # "How scary" or "I can imagine how lonely" validates and names the feeling at
        # once, and "you're scared" is a stem that names it: both are found, on the same
        # words.
        if all(f.category in NAMING_TOO for f in findings if _overlaps(finding, f)):
            findings.append(finding)

    content: list[str] = []
    # A sentence that blocks ("I did the laundry yesterday") is no paraphrase, even when
    # it names what happened.
    blocking = {f.sent for f in findings if f.category in ROADBLOCKS}
    # Only a sentence about the speaker that neither asks nor blocks can touch their
    # content: the words of the others are not read at all (~5 us of a reply).
    listened = [s for s in sorted(about_speaker) if s not in asking and s not in blocking]
    lexicon_tokens = {i for m in lexicon for i in range(m.start, m.end)}
    run: Finding | None = None  # the words touched last, when they are next to this one
    for sent in listened:
        s0, s1 = sents.bounds[sent]
        for i in range(s0, s1):
            token = tokens[i]
            if not (
                token.is_alpha
                and not token.is_stop
                and i not in lexicon_tokens
                and token.lemma_ in target.content
            ):
                continue
            content.append(lowers[i])
            if run is not None and run.end == i and run.sent == sent:
                run.end = i + 1
                continue
            run = Finding(
                Category.REFLECTING_CONTENT, i, i + 1, "content:touched", sent, note="content"
            )
            if any(_overlaps(run, f) for f in findings):
                run = None
                continue
            findings.append(run)

    if not target.curated and len(set(content)) < compiled.rubric.settings.free_content_min:
        # One shared word with a free statement is as likely chance as a paraphrase.
        findings = [f for f in findings if f.note != "content"]
        content = []
    findings.sort(key=_BY_START)
    analysis = Analysis(
        findings=findings,
        namings=namings,
        content=content,
        sentences=sents.bounds,
        words=lowers,
    )
    analysis.stems = sum(
        1
        for f in findings
        if f.category is Category.REFLECTING_CONTENT and f.note is None and f.sent not in asking
    )
    _undo_yes_but(tokens, lowers, sents, analysis, compiled)
    _mark_hollow(analysis, compiled)
    return analysis


def _undo_yes_but(
    tokens: list[Token],
    lowers: list[str],
    sents: _Sentences,
    analysis: Analysis,
    compiled: CompiledRubric,
) -> None:
    findings = analysis.findings
    contrast = compiled.contrast_words
    if contrast.isdisjoint(lowers):
        return  # most replies: no "but" to undo anything
    for index, word in enumerate(lowers):
        if word not in contrast:
            continue
        sent = sents.of[index]
        after = [
            f
            for f in findings
            if f.start > index and f.sent in (sent, sent + 1) and f.category in ROADBLOCKS
        ]
        if not after:
            continue
        # "I understand. But you should..." undoes the sentence before, too.
        reach = {sent, sent - 1} if tokens[index].tag == CLAUSE_TAG_ID else {sent}
        for f in findings:
            if f.end <= index and f.sent in reach and f.category in CREDITS_UNDONE_BY_BUT:
                f.category, f.rule, f.note = Category.PLACATING, f"yes-but:{f.rule}", "yes_but"
                analysis.yes_but = True
    if analysis.yes_but:
        undone = [f for f in findings if f.note == "yes_but"]
        analysis.namings = [
            n
            for n in analysis.namings
            if not any(f.start <= n.start and n.end <= f.end for f in undone)
        ]
        analysis.content = (
            []
            if not any(f.category is Category.REFLECTING_CONTENT for f in findings)
            else analysis.content
        )


def _specific(finding: Finding, compiled: CompiledRubric) -> bool:
    """A negated judgement ("you're not overreacting") or a rule marked specific."""
    if finding.rule.endswith(":negated"):
        return True
    return finding.source is not None and compiled.rules[finding.source].specific


def _mark_hollow(analysis: Analysis, compiled: CompiledRubric) -> None:
    validations = [f for f in analysis.findings if f.category is Category.VALIDATING]
    if not validations:
        return  # most replies: nothing to call hollow
    cats = analysis.categories()
    reflected = any(n.layer != "other" for n in analysis.namings) or analysis.content
    if reflected or cats & {Category.EXPLORING, Category.CHECKING}:
        return
    if any(_specific(f, compiled) for f in validations):
        return
    for f in validations:
        f.category, f.rule, f.note = Category.PLACATING, f"hollow:{f.rule}", "hollow"
    analysis.hollow = True
