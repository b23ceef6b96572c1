"""From a parsed reply, its matches and its target to an Analysis, in named stages.

1. rules (rule_findings.py): each rule's sentence kind and negation, the overlap contest
   (contest.longest_first), `yields_to` and `frames`;
2. safety: with a risky statement, pointing to help is not fixing;
3. whose words (whose.py): which sentences ask, speak of the speaker, or advise;
4. stems: a reflective stem in a sentence that asks or blocks says nothing back;
5. feelings: the reply's feeling words and needs that are the speaker's (not the
   listener's, not someone else's, not advised away), against the target; hardship
   words ("that sounds hard") validate;
6. content: the speaker's content words said back; a short question of their words
   ("By text?!") is a check;
6b. learned (learned.py): a sentence where the acts model reads an act no rule found;
   in one it reads as the listener's own story, the rules' credits are the listener's;
   a brief "me too" that comes back to them is not one's story;
7. yes-but: a contrast word after a credit and before a roadblock undoes the credit;
8. hollow validation (hollow.py): validation with nothing of theirs said back, asked
   or said of them in the listener's own words is placating.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc

from listen_trainer.content.models import ROADBLOCKS, Category
from listen_trainer.scoring.analysis import (
    A_WORD_OF_THEIRS,
    LEARNED,
    QUESTION_RUN,
    Analysis,
    Finding,
    Naming,
)
from listen_trainer.scoring.hearing import Target
from listen_trainer.scoring.hollow import in_own_words, mark_hollow
from listen_trainer.scoring.learned import SAID_BACK, ActsModel, learned_findings
from listen_trainer.scoring.matches import LexiconMatch, Matches
from listen_trainer.scoring.reading import Reading
from listen_trainer.scoring.rule_findings import framed_sentences, rule_findings
from listen_trainer.scoring.rules import CompiledRubric
from listen_trainer.scoring.whose import (
    CLAUSE_TAG_ID,
    Whose,
    listeners_own,
    said_of_them,
    someone_elses,
    whose_sentences,
    word_of_theirs,
)
from listen_trainer.scoring.words import normalise

CREDITS_UNDONE_BY_BUT = frozenset(
    {
        Category.VALIDATING,
        Category.REFLECTING_FEELING,
        Category.REFLECTING_CONTENT,
        Category.PRESENCE,
    }
)
# Findings whose words may also name a feeling.
NAMING_TOO = frozenset({Category.VALIDATING, Category.REFLECTING_CONTENT})


def analyse(
    doc: Doc,
    matches: Matches,
    target: Target,
    compiled: CompiledRubric,
    acts_model: ActsModel | None = None,
) -> Analysis:
    """Every stage in order; each is a function of the values before it. Without an acts
    model, the rules alone judge."""
    reading = Reading.of_doc(doc, compiled.contractions, compiled.texted_words)
    findings = rule_findings(matches.rules, reading, compiled, target.kind)
    if target.risky:
        findings = without_help_offers(findings, doc, reading, compiled)
    whose = whose_sentences(findings, reading, target, compiled)
    findings = without_stems_that_ask_or_block(findings, whose, reading, compiled)
    namings = feelings_named(matches.lexicon, findings, reading, whose, target, compiled)
    findings += feeling_findings(namings, findings, reading, whose, compiled)
    content = content_touched(matches.lexicon, findings, reading, whose, target, compiled)
    findings = echo_checks(findings, reading, target, compiled)
    if acts_model is not None and acts_model.acts:
        disowned = disowned_feelings(matches.lexicon, namings, reading)
        addressed = speaks_to_them(reading, target, compiled)
        findings, namings, content = with_learned(
            findings, namings, content, reading, compiled, acts_model, disowned, addressed
        )
    findings = question_runs(findings, reading, compiled)
    findings.sort(key=lambda f: f.start)
    analysis = Analysis(
        findings=findings,
        namings=namings,
        content=content,
        sentences=reading.bounds,
        words=reading.lowers,
    )
    analysis.stems = sum(
        1
        for f in findings
        if f.category is Category.REFLECTING_CONTENT
        and f.note is None
        and f.sent not in whose.asking
    )
    undo_yes_but(reading, analysis, compiled)
    analysis.own_words = in_own_words(analysis.findings, reading, compiled)
    mark_hollow(analysis, compiled)
    return analysis


# ---------------------------------------------------------------------------- learned


def with_learned(
    findings: list[Finding],
    namings: list[Naming],
    content: list[str],
    reading: Reading,
    compiled: CompiledRubric,
    acts_model: ActsModel,
    disowned: Sequence[int] = (),
    addressed: bool = True,
) -> tuple[list[Finding], list[Naming], list[str]]:
    """The acts model's findings added (learned.py); in a sentence it reads as the
    listener's own story, the words the rules credited as theirs (a word of the
    statement, "awful") are the listener's, and credit nothing. In the `disowned`
    sentences the rules found a feeling that is not theirs, and the model's guess of a
    reflected feeling is not taken. `addressed`: whether the reply speaks to them at all
    (speaks_to_them)."""
    scores = acts_model.sentence_scores(reading.lowers, reading.bounds)
    framed = framed_sentences(findings, compiled)
    for sent in brief_me_toos(reading, compiled):
        framed[sent] = framed.get(sent, frozenset()) | {Category.DEFLECTING}
    for sent in disowned:
        framed[sent] = framed.get(sent, frozenset()) | {Category.REFLECTING_FEELING}
    findings = findings + learned_findings(
        scores, reading.bounds, findings, framed, acts_model.acts, addressed
    )
    own = {f.sent for f in findings if f.note == LEARNED and f.category is Category.DEFLECTING}
    if not own:
        return findings, namings, content
    lent = [f for f in findings if f.sent in own and f.note in (A_WORD_OF_THEIRS, "general")]
    content = list(content)
    for f in lent:
        for word in reading.lowers[f.start : f.end]:
            if word in content:
                content.remove(word)
    namings = [n for n in namings if not (reading.of[n.start] in own and n.layer == "general")]
    return [f for f in findings if f not in lent], namings, content


def speaks_to_them(reading: Reading, target: Target, compiled: CompiledRubric) -> bool:
    """Whether the reply says "you", or any word of what they said ("yeah, I've been
    scrolling a while", to "you're on your phone again"): one that does neither ("nice.
    i did mine in 1h50 lol") turns away from them."""
    if not compiled.second_person.isdisjoint(reading.lowers):
        return True
    return any(word_of_theirs(i, reading, target) for i in range(len(reading.tokens)))


def disowned_feelings(
    lexicon: tuple[LexiconMatch, ...], namings: list[Naming], reading: Reading
) -> list[int]:
    """Sentences where the model's guess of a reflected feeling is not taken: a feeling
    word stands there but none was credited as theirs (the rules read it as someone
    else's, denied, or a thing to be fixed: "she must have been embarrassing to live
    with"), or only a hardship word was ("that sounds tough"), which acknowledges the
    hardship and names no feeling."""
    named = {reading.of[n.start] for n in namings if n.layer != "general"}
    hardship = {reading.of[n.start] for n in namings if n.layer == "general"}
    felt = {reading.of[m.start] for m in lexicon if m.kind == "feeling"}
    return sorted((felt | hardship) - named)


def brief_me_toos(reading: Reading, compiled: CompiledRubric) -> list[int]:
    """Sentences that are a brief "me too" ("I miss her too.") in a reply that speaks to
    them in another sentence: a moment shared on the way back to them, not one's story."""
    settings = compiled.rubric.settings
    ends = frozenset(settings.me_too_words)
    words = [[w for w in reading.lowers[start:end] if w.isalpha()] for start, end in reading.bounds]
    to_them = [not compiled.second_person.isdisjoint(w) for w in words]
    return [
        sent
        for sent, said in enumerate(words)
        if said
        and said[-1] in ends
        and len(said) <= settings.me_too_max_words
        and any(to_them[:sent] + to_them[sent + 1 :])
    ]


# ---------------------------------------------------------------------------- safety


def without_help_offers(
    findings: list[Finding], doc: Doc, reading: Reading, compiled: CompiledRubric
) -> list[Finding]:
    """With a risky statement, "please call a crisis line" is care, not fixing."""
    help_words = compiled.safety_reply
    keep = []
    for f in findings:
        s0, s1 = reading.bounds[f.sent]
        text = f" {normalise(doc[s0:s1].text)} "
        if f.category is Category.FIXING and any(f" {w}" in text for w in help_words):
            continue
        keep.append(f)
    return keep


def _before_a_but(
    sent: int, end: int, findings: list[Finding], reading: Reading, compiled: CompiledRubric
) -> bool:
    """Whether a contrast word stands between the words ending at `end` and the roadblock
    after them in sentence `sent` ("it sounds like you're exhausted, but you should
    quit"): a yes-but, which `undo_yes_but` reads."""
    later = [
        f.start for f in findings if f.sent == sent and f.category in ROADBLOCKS and f.start >= end
    ]
    if not later:
        return False
    between = reading.lowers[end : min(later)]
    return not compiled.contrast_words.isdisjoint(between)


def without_stems_that_ask_or_block(
    findings: list[Finding], whose: Whose, reading: Reading, compiled: CompiledRubric
) -> list[Finding]:
    """A reflective stem in a sentence that asks ("is there anything that has been
    bothering you?") or that blocks ("play it cool, whatever you have been doing") says
    nothing back: the question or the roadblock is what the sentence does. One before a
    "but" is kept for the yes-but to take back."""
    blocking = {f.sent for f in findings if f.category in ROADBLOCKS}
    return [
        f
        for f in findings
        if not (
            f.category is Category.REFLECTING_CONTENT
            and (
                f.sent in whose.asking
                or (
                    f.sent in blocking
                    and not _before_a_but(f.sent, f.end, findings, reading, compiled)
                )
            )
        )
    ]


# ---------------------------------------------------------------------------- feelings


def _feeling_thing(reading: Reading, start: int, end: int, compiled: CompiledRubric) -> bool:
    """Whether a lexicon match is one word the dictionary knows only as a noun or verb."""
    if end - start != 1:
        return False
    token = reading.tokens[start]
    things = compiled.lexicon.feeling_things
    return token.lower_ in things or token.lemma_ in things


def _inside_roadblock(match: LexiconMatch, findings: list[Finding]) -> bool:
    return any(
        f.start <= match.start and match.end <= f.end and f.category in ROADBLOCKS for f in findings
    )


def _not_theirs(
    match: LexiconMatch,
    findings: list[Finding],
    reading: Reading,
    whose: Whose,
    compiled: CompiledRubric,
) -> bool:
    """A feeling word that is not the reply hearing the speaker: in a question, the
    listener's own, inside a roadblock, or negated ("you're not alone" says presence)."""
    sent = reading.of[match.start]
    s0, s1 = reading.bounds[sent]
    lowers = reading.lowers
    return (
        sent in whose.asking
        or listeners_own(lowers, match.start, s0, s1, compiled)
        or someone_elses(lowers, match.start, s0, compiled)
        or _inside_roadblock(match, findings)
        or not compiled.negators.isdisjoint(lowers[max(s0, match.start - 2) : match.start])
    )


def _layer(name: str, target: Target, compiled: CompiledRubric) -> str | None:
    """Which of the speaker's layers a named feeling family reaches (None: not heard)."""
    lexicon = compiled.lexicon
    if name in lexicon.general_families:
        # "That sounds hard" fits any pain: it acknowledges the hardship (a validation),
        # it does not name the feeling.
        pained = not target.knows_feelings or (
            (target.surface | target.underlying) - lexicon.pleasant_families
        )
        return "general" if pained else "other"
    if name in target.surface:
        return "surface"
    if name in target.underlying:
        return "underlying"
    if not (target.surface | target.underlying) - lexicon.general_families:
        # Nothing to compare with (or only hardship, "work was awful"): any named
        # feeling is a reflection, but "glad to help" reflects no one's feeling.
        return None if name in lexicon.pleasant_families else "surface"
    return "other"


def _naming(
    match: LexiconMatch, reading: Reading, whose: Whose, target: Target, compiled: CompiledRubric
) -> Naming | None:
    sent = reading.of[match.start]
    if match.kind == "need":
        # "It's important to rest" is advice; a need is heard only when said of them.
        if match.name in target.needs and sent in whose.about_speaker:
            return Naming(match.name, "need", match.start, match.end)
        return None
    layer = _layer(match.name, target, compiled)
    if layer is None and said_of_them(
        reading.lowers, match.start, reading.sentence_start(match.start), compiled
    ):
        layer = "surface"  # "you must be so proud": their joy, heard
    if layer is None:
        return None
    # A pleasant word ("happy holidays") is the speaker's only in a sentence about them;
    # so is a feeling named as a thing or an act ("anxiety is a powerful thing",
    # "grieving takes time"), which otherwise speaks of it in general. Hardship ("that
    # can be tough") acknowledges their situation wherever it is said.
    loose = match.name in compiled.lexicon.pleasant_families
    if (
        layer != "general"
        and sent not in whose.feeling_theirs
        and (loose or _feeling_thing(reading, match.start, match.end, compiled))
    ):
        return None
    return Naming(match.name, layer, match.start, match.end)


def feelings_named(
    lexicon: tuple[LexiconMatch, ...],
    findings: list[Finding],
    reading: Reading,
    whose: Whose,
    target: Target,
    compiled: CompiledRubric,
) -> list[Naming]:
    """The speaker's feelings and needs the reply names, each with the layer it reaches."""
    return [
        naming
        for match in lexicon
        if not _not_theirs(match, findings, reading, whose, compiled)
        and not _advised_away(match, findings, reading, whose, compiled)
        and (naming := _naming(match, reading, whose, target, compiled)) is not None
    ]


def _advised_away(
    match: LexiconMatch,
    findings: list[Finding],
    reading: Reading,
    whose: Whose,
    compiled: CompiledRubric,
) -> bool:
    """A feeling named in a sentence that advises, soothes or tells the listener's own
    story is the thing to be fixed, or theirs; unless a "but" comes between it and the
    roadblock ("you're exhausted, but you should quit"), for the yes-but to take back."""
    sent = reading.of[match.start]
    if sent not in whose.advising:
        return False
    return not _before_a_but(sent, match.end, findings, reading, compiled)


def feeling_findings(
    namings: list[Naming],
    findings: list[Finding],
    reading: Reading,
    whose: Whose,
    compiled: CompiledRubric,
) -> list[Finding]:
    """A reflecting-feeling finding for each naming the reply says to the speaker."""
    out = []
    for naming in namings:
        sent = reading.of[naming.start]
        # A feeling of another family, said to the speaker ("you sound anxious"), is
        # still a reflection, a guess that missed: flagged as one, though it counts less.
        if naming.layer == "other" and (
            sent not in whose.feeling_theirs or naming.name in compiled.lexicon.pleasant_families
        ):
            continue  # "glad you're safe" is the listener's relief, not their feeling
        finding = Finding(
            Category.VALIDATING if naming.layer == "general" else Category.REFLECTING_FEELING,
            naming.start,
            naming.end,
            f"feeling:{naming.name}" if naming.layer != "need" else f"need:{naming.name}",
            sent,
            note=naming.layer,
        )
        # "How scary" or "I can imagine how lonely" validates and names the feeling at
        # once, and "you're scared" is a stem that names it: both are found, on the
        # same words.
        if all(f.category in NAMING_TOO for f in [*findings, *out] if finding.overlaps(f)):
            out.append(finding)
    return out


# ---------------------------------------------------------------------------- content


def _content_word(i: int, reading: Reading, target: Target, compiled: CompiledRubric) -> bool:
    """A word of theirs said back, or a number of theirs said in words ("twelve" for
    their "12")."""
    number = compiled.number_words.get(reading.lowers[i])
    if number is not None:
        return number in target.content
    return word_of_theirs(i, reading, target)


def content_touched(
    lexicon: tuple[LexiconMatch, ...],
    findings: list[Finding],
    reading: Reading,
    whose: Whose,
    target: Target,
    compiled: CompiledRubric,
) -> list[str]:
    """The speaker's content words the reply says back; each run of them is added to
    `findings` as reflecting content (unless other findings hold those words)."""
    # A sentence that blocks ("I did the laundry yesterday") is no paraphrase, even when
    # it names what happened; a question asks rather than says back.
    blocking = {f.sent for f in findings if f.category in ROADBLOCKS}
    listened = [s for s in sorted(whose.about_speaker) if s not in whose.asking | blocking]
    skip = {i for m in lexicon for i in range(m.start, m.end)}
    content: list[str] = []
    added: list[Finding] = []
    run: Finding | None = None  # the words touched last, when they are next to this one
    for sent in listened:
        s0, s1 = reading.bounds[sent]
        for i in range(s0, s1):
            if i in skip or not _content_word(i, reading, target, compiled):
                continue
            content.append(reading.lowers[i])
            if run is not None and run.end == i and run.sent == sent:
                run.end = i + 1
                continue
            run = Finding(
                Category.REFLECTING_CONTENT, i, i + 1, "content:touched", sent, A_WORD_OF_THEIRS
            )
            if any(run.overlaps(f) for f in findings):
                run = None
                continue
            findings.append(run)
            added.append(run)
    if not target.curated and len(set(content)) < compiled.rubric.settings.free_content_min:
        # One shared word with a free statement is as likely chance as a paraphrase.
        for finding in added:
            findings.remove(finding)
        return []
    return content


def echo_checks(
    findings: list[Finding], reading: Reading, target: Target, compiled: CompiledRubric
) -> list[Finding]:
    """A short question made of their own words ("By text?!", "in front of everyone?")
    says back what they said with a rising voice: a check, not a closed question."""
    most = compiled.rubric.settings.echo_max_words
    out = []
    for f in findings:
        if f.category is Category.CLOSED_QUESTION and f.end - f.start == 1:
            start, end = reading.bounds[f.sent]
            words = [t for t in reading.tokens[start:end] if t.is_alpha]
            theirs = any(not t.is_stop and t.lemma_ in target.content for t in words)
            if theirs and len(words) <= most:
                f = Finding(Category.CHECKING, f.start, f.end, "echo-check", f.sent)
        out.append(f)
    return out


def question_runs(
    findings: list[Finding], reading: Reading, compiled: CompiledRubric
) -> list[Finding]:
    """Question after question with nothing of theirs said back ("what happened? who
    ended it? was it the thing with her brother again?") is probing: the run, from its
    first question to its last, is interrogating."""
    if any(f.category in SAID_BACK for f in findings):
        return findings
    asked = [sent for sent, question in enumerate(reading.question) if question]
    if len(asked) < compiled.rubric.settings.question_run_min:
        return findings
    start, end = reading.bounds[asked[0]][0], reading.bounds[asked[-1]][1]
    run = Finding(Category.INTERROGATING, start, end, "question-run", asked[0], QUESTION_RUN)
    return [*findings, run]


# ---------------------------------------------------------------------------- yes-but


def _undone_by(index: int, reading: Reading, findings: list[Finding]) -> list[Finding]:
    """The credits a contrast word at `index` undoes: those before it in its sentence
    (and the one before, when it opens a sentence: "I understand. But you should..."),
    when a roadblock follows it in this sentence or the next."""
    sent = reading.of[index]
    if not any(
        f.start > index and f.sent in (sent, sent + 1) and f.category in ROADBLOCKS
        for f in findings
    ):
        return []
    reach = {sent, sent - 1} if reading.tokens[index].tag == CLAUSE_TAG_ID else {sent}
    return [
        f
        for f in findings
        if f.end <= index and f.sent in reach and f.category in CREDITS_UNDONE_BY_BUT
    ]


def undo_yes_but(reading: Reading, analysis: Analysis, compiled: CompiledRubric) -> None:
    """A credit before "but" and a roadblock is placating: the "but" takes it back."""
    contrast = compiled.contrast_words
    if contrast.isdisjoint(reading.lowers):
        return
    for index, word in enumerate(reading.lowers):
        if word not in contrast:
            continue
        for f in _undone_by(index, reading, analysis.findings):
            f.category, f.rule, f.note = Category.PLACATING, f"yes-but:{f.rule}", "yes_but"
            analysis.yes_but = True
    if not analysis.yes_but:
        return
    undone = [f for f in analysis.findings if f.note == "yes_but"]
    analysis.namings = [
        n
        for n in analysis.namings
        if not any(f.start <= n.start and n.end <= f.end for f in undone)
    ]
    if not any(f.category is Category.REFLECTING_CONTENT for f in analysis.findings):
        analysis.content = []
