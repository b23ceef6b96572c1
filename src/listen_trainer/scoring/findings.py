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

from spacy.tokens import Doc

from listen_trainer.content.models import ROADBLOCKS, Category
from listen_trainer.scoring.hearing import Target
from listen_trainer.scoring.pipeline import CLAUSE_TAG
from listen_trainer.scoring.rules import CompiledRubric, normalise

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


@dataclass
class Finding:
    category: Category
    start: int  # token offsets, end exclusive
    end: int
    rule: str
    sent: int
    note: str | None = None  # a message of the engine's own, instead of the category's
    source: int | None = None  # the rubric rule's index, when a rule found it


@dataclass(frozen=True)
class Naming:
    """A feeling or need of the speaker's that the reply named."""

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

    def categories(self) -> set[Category]:
        return {f.category for f in self.findings}


class _Sentences:
    def __init__(self, doc: Doc, lowers: list[str]) -> None:
        self.bounds: list[tuple[int, int]] = []
        self.of: list[int] = [0] * len(doc)
        self.question: list[bool] = []
        for index, sent in enumerate(doc.sents):
            start, end = sent.start, sent.end
            self.bounds.append((start, end))
            self.of[start:end] = [index] * (end - start)
            self.question.append("?" in lowers[start:end])


def _negated(
    lowers: list[str], start: int, end: int, sent_start: int, compiled: CompiledRubric
) -> bool:
    window = compiled.rubric.settings.negation_window
    negators = compiled.negators
    span = range(max(sent_start, start - window), end)
    if any(lowers[i] in negators for i in span):
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
    doc: Doc, lowers: list[str], sents: _Sentences, compiled: CompiledRubric
) -> list[Finding]:
    candidates: list[tuple[int, int, Finding]] = []
    for match in doc._.matches.rules:
        rule = compiled.rules[match.rule]
        sent = sents.of[match.start]
        is_question = sents.question[sent]
        if rule.sentence == "question" and not is_question:
            continue
        if rule.sentence == "statement" and is_question:
            continue
        if rule.unless_after and match.start > 0 and (lowers[match.start - 1] in rule.unless_after):
            continue
        category = rule.category
        rule_id = rule.id
        cancelled = False
        if rule.negation != "ignore" and _negated(
            lowers, match.start, match.end, sents.bounds[sent][0], compiled
        ):
            if rule.negation == "cancel":
                cancelled = True
            else:
                assert rule.flip_to is not None
                category, rule_id = rule.flip_to, f"{rule.id}:negated"
        finding = Finding(
            category,
            match.start,
            match.end,
            rule_id,
            sent,
            source=match.rule,
            note="cancelled" if cancelled else None,
        )
        candidates.append((-(match.end - match.start), match.rule, finding))
    # A cancelled match still takes part in the overlap contest, so that in "I won't tell
    # you what you should do" the negated whole also silences its part "what you should do".
    # A credit that yields to a roadblock gives way to an overlapping match of it whatever
    # their lengths: "you're kidding yourself" is a judgement, not a statement about them.
    candidates = [
        c
        for c in candidates
        if not (yields := ROADBLOCKS.intersection(compiled.rules[c[1]].yields_to))
        or c[2].category in ROADBLOCKS
        or not any(
            o[2].category in yields and o[2].note != "cancelled" and _overlaps(c[2], o[2])
            for o in candidates
        )
    ]
    kept: list[Finding] = []
    for _, _, finding in sorted(candidates, key=lambda c: (c[0], c[1], c[2].start)):
        if not any(_overlaps(finding, other) for other in kept):
            kept.append(finding)
    kept = [f for f in kept if f.note != "cancelled"]
    out = []
    for finding in kept:
        assert finding.source is not None
        yields = set(compiled.rules[finding.source].yields_to)
        if yields and any(
            o.sent == finding.sent and o.category in yields for o in kept if o is not finding
        ):
            continue
        if any(
            o.sent == finding.sent
            and o.end <= finding.start
            and finding.category in compiled.rules[o.source].frames
            # "I understand your feelings, but try to..." turns from them to advice.
            and not compiled.contrast_words.intersection(lowers[o.end : finding.start])
            for o in kept
            if o.source is not None
        ):
            continue  # said back under a reflective frame: theirs, not the listener's
        out.append(finding)
    return sorted(out, key=lambda f: f.start)


def _asking(findings: list[Finding], sents: _Sentences, doc: Doc) -> set[int]:
    """Sentences that ask rather than say: a question opened by a question rule."""
    return {
        f.sent
        for f in findings
        if f.category in ASKING
        and doc[f.start].tag_ == CLAUSE_TAG
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


def _feeling_thing(doc: Doc, start: int, end: int, compiled: CompiledRubric) -> bool:
    """Whether a lexicon match is one word the dictionary knows only as a noun or verb."""
    if end - start != 1:
        return False
    token = doc[start]
    return token.lower_ in compiled.feeling_things or token.lemma_ in compiled.feeling_things


def analyse(doc: Doc, target: Target, compiled: CompiledRubric) -> Analysis:
    # Each Token is a new Python object on every access: read the words once, here.
    tokens = list(doc)
    lowers = [t.lower_ for t in tokens]
    sents = _Sentences(doc, lowers)
    findings = _rule_findings(doc, lowers, sents, compiled)

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

    asking = _asking(findings, sents, doc)
    # With a free statement, every content word of it is a target and "hard" fits any
    # pain, so a touch counts only in a sentence about the speaker: one that says "you" or
    # opens with a reflective stem. Elsewhere it is more likely information or the
    # listener's own story. A scenario's key content is chosen by its author: no guard.
    if target.curated:
        about_speaker = set(range(len(sents.bounds)))
    else:
        second = compiled.second_person
        about_speaker = {sents.of[i] for i, word in enumerate(lowers) if word in second}
        # "I can see how frustrating this is": a listener perceiving, or a stem, speaks
        # of the speaker's experience even without a "you".
        about_speaker |= {
            f.sent
            for f in findings
            if f.category in (Category.REFLECTING_CONTENT, Category.VALIDATING)
        }
    blocked = frozenset(ROADBLOCKS)
    # With a free statement, a feeling named in a sentence that advises, soothes or
    # shrinks ("this can reduce your stress") is the thing to be fixed, not a reflection.
    advising = (
        set() if target.curated else {f.sent for f in findings if f.category in FEELING_REMOVERS}
    )
    namings: list[Naming] = []
    for match in doc._.matches.lexicon:
        sent = sents.of[match.start]
        s0 = sents.bounds[sent][0]
        if sent in asking or _listeners_own(lowers, match.start, s0, compiled):
            continue
        if _inside(match.start, match.end, findings, blocked):
            continue
        before = lowers[max(s0, match.start - 2) : match.start]
        if any(word in compiled.negators for word in before):
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
        loose = compiled.general_families | compiled.pleasant_families
        if sent not in about_speaker and (
            match.name in loose or _feeling_thing(doc, match.start, match.end, compiled)
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
    lexicon_tokens = {i for m in doc._.matches.lexicon for i in range(m.start, m.end)}
    # A sentence that blocks ("I did the laundry yesterday") is no paraphrase, even when
    # it names what happened.
    blocking = {f.sent for f in findings if f.category in ROADBLOCKS}
    run: Finding | None = None
    for token in tokens:
        sent = sents.of[token.i]
        touched = (
            token.is_alpha
            and not token.is_stop
            and token.i not in lexicon_tokens
            and token.lemma_ in target.content
            and sent not in asking
            and sent not in blocking
            and sent in about_speaker
        )
        if not touched:
            run = None
            continue
        content.append(token.lower_)
        if run is not None and run.end == token.i and run.sent == sent:
            run.end = token.i + 1
            continue
        run = Finding(
            Category.REFLECTING_CONTENT,
            token.i,
            token.i + 1,
            "content:touched",
            sent,
            note="content",
        )
        if any(_overlaps(run, f) for f in findings):
            run = None
            continue
        findings.append(run)

    if not target.curated and len(set(content)) < compiled.rubric.settings.free_content_min:
        # One shared word with a free statement is as likely chance as a paraphrase.
        findings = [f for f in findings if f.note != "content"]
        content = []
    findings.sort(key=lambda f: f.start)
    analysis = Analysis(findings=findings, namings=namings, content=content)
    analysis.stems = sum(
        1
        for f in findings
        if f.category is Category.REFLECTING_CONTENT and f.note is None and f.sent not in asking
    )
    _undo_yes_but(doc, lowers, sents, analysis, compiled)
    _mark_hollow(analysis, compiled)
    return analysis


def _undo_yes_but(
    doc: Doc, lowers: list[str], sents: _Sentences, analysis: Analysis, compiled: CompiledRubric
) -> None:
    findings = analysis.findings
    contrast = compiled.contrast_words
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
        reach = {sent, sent - 1} if doc[index].tag_ == CLAUSE_TAG else {sent}
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
    cats = analysis.categories()
    reflected = any(n.layer != "other" for n in analysis.namings) or analysis.content
    validations = [f for f in analysis.findings if f.category is Category.VALIDATING]
    if not validations or reflected or cats & {Category.EXPLORING, Category.CHECKING}:
        return
    if any(_specific(f, compiled) for f in validations):
        return
    for f in validations:
        f.category, f.rule, f.note = Category.PLACATING, f"hollow:{f.rule}", "hollow"
    analysis.hollow = True
