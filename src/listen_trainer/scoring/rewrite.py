"""The learner's reply, made better: what heard something kept in their own words, what
blocked taken out, and what was missing put in, in words made from the statement.

Kept: every sentence that carries a credit and no roadblock, word for word; of a sentence
whose credit a "but" took back, the part before the "but"; when the reply had no
roadblock and heard something, its other sentences too ("Congratulations!"), unless they
speak of the listener or turn away ("...still a lot though"). Added, as far as the kept
sentences lack them: the feeling and what happened, the feeling beneath, presence and an open
question, in the wording of the statement's kind (templates in the rubric's settings:
good news is celebrated, a worry ahead met in the future, a complaint at the listener
owned). A reply the engine calls attuned comes back as it was.
"""

from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple

from spacy.tokens import Doc

from listen_trainer.content.library import Rubric
from listen_trainer.content.models import ROADBLOCKS, Category, KindTemplates, Settings, Verdict
from listen_trainer.scoring.analysis import A_WORD_OF_THEIRS, Analysis, Finding
from listen_trainer.scoring.hearing import Target
from listen_trainer.scoring.verdict import Judgement
from listen_trainer.scoring.wording import pick

_CREDITS = frozenset(
    {
        Category.REFLECTING_FEELING,
        Category.REFLECTING_CONTENT,
        Category.VALIDATING,
        Category.EXPLORING,
        Category.PRESENCE,
        Category.CHECKING,
    }
)
_QUESTIONS = frozenset({Category.EXPLORING, Category.CHECKING, Category.CLOSED_QUESTION})


class _Kept(NamedTuple):
    text: str
    findings: list[Finding]

    @property
    def question(self) -> bool:
        return self.text.endswith("?") or any(f.category in _QUESTIONS for f in self.findings)


def rewrite(
    doc: Doc,
    analysis: Analysis,
    judgement: Judgement,
    target: Target,
    rubric: Rubric,
    text: str | None = None,
) -> str:
    """The rewrite of the reply in `doc`. `text` is the text `doc` was made from, where the
    caller has it: spaCy makes `doc.text` again from every token."""
    text = doc.text if text is None else text
    if judgement.verdict is Verdict.ATTUNED:
        return text.strip()
    kept = _kept(doc, analysis, judgement, rubric, text)
    skills, deeper = _shown([f for k in kept for f in k.findings])
    asked = any(k.question for k in kept)
    added = additions(skills, deeper, target, rubric, key=text)
    statements = [k.text for k in kept if not k.question]
    questions = [_asked(k.text) for k in kept if k.question]
    first = statements[0].split(maxsplit=1)[0].lower().strip(",") if statements else ""
    if first in rubric.settings.templates.reading.connectives:
        # "So I didn't reply until six" follows what it sums up: the feeling goes first.
        parts = added["content"] + added["feeling"] + statements + added["underlying"]
    else:
        parts = added["content"] + statements + added["feeling"] + added["underlying"]
    parts += added["presence"] + questions + ([] if asked else added["explore"])
    return joined(parts, rubric)


def _asked(text: str) -> str:
    # "ok, how was your day" gets its question mark; "Tell me about it." keeps its own.
    return text if text[-1:] in (".", "!", "?") else text + "?"


def _shown(findings: list[Finding]) -> tuple[dict[str, float], bool]:
    """What the kept sentences show, as the skills that decide what to add."""
    cats = {f.category for f in findings}
    layers = {f.note for f in findings if f.category is Category.REFLECTING_FEELING}
    heard = bool(layers & {"surface", "underlying", "need"})
    return {
        "reflect_feeling": 1.0 if heard else 0.0,
        # Their own words said back; a stem alone ("it sounds like") says none of it.
        "reflect_content": 1.0
        if any(
            f.category is Category.REFLECTING_CONTENT and f.note == A_WORD_OF_THEIRS
            for f in findings
        )
        else 0.0,
        "validate": 1.0 if Category.VALIDATING in cats else 0.0,
        "explore": 1.0 if cats & {Category.EXPLORING, Category.CHECKING} else 0.0,
        "presence": 1.0 if Category.PRESENCE in cats else 0.0,
    }, bool(layers & {"underlying", "need"})


def additions(
    skills: dict[str, float], deeper: bool, target: Target, rubric: Rubric, key: str
) -> dict[str, list[str]]:
    """The sentences a reply with these `skills` lacks, by slot ("content", "feeling",
    "underlying", "presence", "explore"), in the wording of the statement's kind; `key`
    picks among each slot's wordings."""
    wording = rubric.settings.templates.kind(target.kind)
    feeling, underlying = target.feeling_form, target.underlying_form
    if feeling is None and underlying is not None:
        feeling, underlying = underlying, None  # "you never...": the hurt is the feeling
    content, said_feeling = _reflection(wording, target, feeling, skills, key)
    out: dict[str, list[str]] = {
        "content": content,
        "feeling": said_feeling,
        "underlying": [],
        "presence": [],
        "explore": [],
    }
    if underlying and underlying != feeling and not deeper:
        out["underlying"].append(pick(wording.underlying, key + "u").format(underlying=underlying))
    if not skills["presence"]:
        out["presence"].append(pick(wording.presence, key + "p"))
    if not skills["explore"]:
        out["explore"].append(pick(wording.explore, key + "e"))
    return out


def _reflection(
    wording: KindTemplates, target: Target, feeling: str | None, skills: dict[str, float], key: str
) -> tuple[list[str], list[str]]:
    """What happened (with the feeling, where one sentence says both) and the feeling, as
    far as the reply lacks them."""
    need_feeling = skills["reflect_feeling"] < 1
    need_content = skills["reflect_content"] < 1
    if target.gist and feeling and need_feeling and need_content:
        return [pick(wording.reflect, key + "r").format(feeling=feeling, about=target.gist)], []
    said = target.said if need_content else None
    content = [pick(wording.content, key + "c").format(said=said)] if said else []
    if not need_feeling or (said and _says_feeling(said, target, feeling)):
        return content, []
    if feeling:
        return content, [pick(wording.reflect_feeling, key + "f").format(feeling=feeling)]
    return content, [pick(wording.reflect_unknown, key + "f")]


def _says_feeling(said: str, target: Target, feeling: str | None) -> bool:
    """Whether the clause said back holds the feeling ("you're dreading the exam")."""
    padded = f" {said.lower()} "
    return any(f" {word.lower()} " in padded for word in (feeling, target.feeling_word) if word)


def _kept(
    doc: Doc, analysis: Analysis, judgement: Judgement, rubric: Rubric, text: str
) -> list[_Kept]:
    """The learner's sentences (or the part of one before a "but") that stay."""
    by_sentence: dict[int, list[Finding]] = {}
    for finding in analysis.findings:
        by_sentence.setdefault(finding.sent, []).append(finding)
    settings = rubric.settings
    # Sentences with no credit stay only where the reply blocked nothing and heard something.
    loose = not judgement.roadblocks and judgement.verdict is not Verdict.PLACATING
    words = analysis.words
    kept = []
    for index, (start, end) in enumerate(analysis.sentences):
        found = by_sentence.get(index, [])
        roadblocks = [f for f in found if f.category in ROADBLOCKS]
        if not roadblocks:
            if any(f.category in _CREDITS for f in found) or (
                loose and _plain(doc, words, start, end, settings)
            ):
                kept.append(_Kept(_chars(doc, text, start, end), found))
            continue
        # A credit a contrast word took back is kept without the contrast and what follows.
        cut = next((i for i in range(start, end) if words[i] in settings.contrast_words), None)
        if cut is None or any(f.start < cut and f.note != "yes_but" for f in roadblocks):
            continue
        if any(f.start < cut for f in found) and _says_something(
            doc, words, start, cut, settings.discourse_markers
        ):
            heard = [_heard_again(f) for f in found if f.start < cut]
            kept.append(_Kept(_chars(doc, text, start, cut).rstrip(" ,;:-\u2013\u2014"), heard))
    return kept


def _heard_again(finding: Finding) -> Finding:
    """A credit a "but" took back, heard again once the "but" is gone: a feeling named is a
    feeling reflected (its rule reads "yes-but:feeling:<family>"); any other counts for
    nothing here, so what it gave is added again."""
    if finding.rule.startswith("yes-but:feeling:"):
        return replace(finding, category=Category.REFLECTING_FEELING, note="surface")
    return finding


def _plain(doc: Doc, words: list[str], start: int, end: int, settings: Settings) -> bool:
    """A sentence with no credit that may stay: it says something, and neither speaks of
    the listener nor turns from what was heard."""
    reading = settings.templates.reading
    span = words[start:end]
    if any(w in settings.first_person for w in span):
        return False
    padded = " " + " ".join(span) + " "
    if any(f" {w} " in padded for w in reading.righting):
        return False
    return _says_something(doc, words, start, end, settings.discourse_markers)


def _chars(doc: Doc, text: str, start: int, end: int) -> str:
    # The characters of tokens `start` to `end`, as their Span's `text` gives them,
    # without making the Span.
    last = doc[end - 1]
    return text[doc[start].idx : last.idx + len(last)].strip()


def _says_something(doc: Doc, words: list[str], start: int, end: int, fillers: list[str]) -> bool:
    """Whether tokens `start` to `end` hold a word that is not a filler ("Hmm. Okay." do
    not)."""
    for i in range(start, end):  # noqa: SIM110 (the loop is the faster)
        if words[i] not in fillers and doc[i].is_alpha:
            return True
    return False


def joined(parts: list[str], rubric: Rubric) -> str:
    """The sentences as one text: each with a capital and an end mark, none opening the
    text with a word that joins it to a sentence before ("But I get that...")."""
    sentences = [_sentence(p) for p in parts if p.strip()]
    if sentences:
        connectives = rubric.settings.templates.reading.connectives
        first, _, rest = sentences[0].partition(" ")
        if first.lower().rstrip(",") in connectives and rest:
            sentences[0] = _sentence(rest.lstrip(", "))
    return " ".join(sentences)


def _sentence(text: str) -> str:
    text = text.strip()
    if text and text[-1] not in ".!?\"'":
        text += "."
    return text[:1].upper() + text[1:]
