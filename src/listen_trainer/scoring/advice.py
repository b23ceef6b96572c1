"""What the learner reads: a message per flag, suggestions, and their reply made better.

All wording comes from the rubric (category texts, settings messages, templates); this
module decides which text goes where.
"""

from __future__ import annotations

from spacy.tokens import Doc

from listen_trainer.content.library import Rubric
from listen_trainer.content.models import ROADBLOCKS, Verdict
from listen_trainer.scoring.analysis import Analysis, Finding
from listen_trainer.scoring.hearing import Target
from listen_trainer.scoring.verdict import Judgement


def message_for(finding: Finding, rubric: Rubric, rule_message: str | None) -> str:
    messages = rubric.settings.messages
    info = rubric.categories[finding.category]
    engine_notes = {
        "yes_but": messages.yes_but,
        "hollow": messages.hollow_validation,
        "surface": messages.feeling_named,
        "general": messages.hardship_named,
        "underlying": messages.deeper_named,
        "need": messages.need_named,
        "content": messages.content_touched,
    }
    if finding.note in engine_notes:
        return engine_notes[finding.note]
    head = rule_message or info.what
    if finding.category in ROADBLOCKS:
        return f"{head} {info.why} Try instead: {info.instead}"
    return f"{head} {info.why}"


def suggestions(
    analysis: Analysis, judgement: Judgement, target: Target, rubric: Rubric, limit: int = 4
) -> list[str]:
    out: list[str] = []
    for category in judgement.roadblocks:
        info = rubric.categories[category]
        out.append(f"{info.label}: {info.instead}")
    tips = rubric.settings.skill_tips
    skills = judgement.skills
    messages = rubric.settings.messages
    if any(n.layer == "other" for n in analysis.namings) and skills["reflect_feeling"] < 1:
        heard = ", ".join(sorted(target.surface | target.underlying)) or "their feeling"
        out.append(messages.wrong_feeling.format(heard=heard))
    elif skills["reflect_feeling"] < 1:
        out.append(tips["reflect_feeling"])
    if target.underlying and not judgement.deeper and skills["reflect_feeling"] >= 1:
        out.append(tips["deeper_feeling"])
    for skill in ("reflect_content", "validate", "presence", "explore"):
        if skills[skill] < 1 and skill in tips:
            out.append(tips[skill])
    out = out[:limit]
    if target.model_reply and judgement.verdict is not Verdict.ATTUNED:
        out.append(messages.model_reply.format(reply=target.model_reply))
    return out


def rewrite(
    doc: Doc,
    analysis: Analysis,
    judgement: Judgement,
    target: Target,
    rubric: Rubric,
    text: str | None = None,
) -> str:
    """The learner's reply with roadblock sentences out and what was missing put in.

    `text` is the text `doc` was made from, where the caller has it: spaCy makes `doc.text`
    again from every token (~7 us a reply)."""
    templates = rubric.settings.templates
    if judgement.verdict is Verdict.ATTUNED and judgement.depth >= 4:
        return (doc.text if text is None else text).strip()
    spoiled = {f.sent for f in analysis.findings if f.category in ROADBLOCKS}
    fillers = rubric.settings.discourse_markers
    words = analysis.words
    kept = []
    for index, (start, end) in enumerate(analysis.sentences):
        if index in spoiled or not _says_something(doc, words, start, end, fillers):
            continue
        if text is None:
            text = doc.text
        # The sentence's characters, as its Span's `text` gives them: from its first
        # token's start to its last token's end (a Span joins every token's text: ~4 us).
        last = doc[end - 1]
        kept.append(text[doc[start].idx : last.idx + len(last)].strip())
    skills = judgement.skills
    parts: list[str] = []
    if skills["reflect_feeling"] < 1:
        if target.feeling_word and target.gist and skills["reflect_content"] < 1:
            parts.append(
                templates.reflect_feeling_and_content.format(
                    feeling=target.feeling_word, gist=target.gist
                )
            )
        elif target.feeling_word:
            parts.append(templates.reflect_feeling.format(feeling=target.feeling_word))
        else:
            parts.append(templates.reflect_unknown)
    parts += kept
    if target.underlying_word and not judgement.deeper:
        parts.append(templates.reflect_underlying.format(underlying=target.underlying_word))
    if not skills["presence"]:
        parts.append(templates.presence)
    if not skills["explore"]:
        parts.append(templates.explore)
    return " ".join(_sentence(p) for p in parts)


def _says_something(doc: Doc, words: list[str], start: int, end: int, fillers: list[str]) -> bool:
    """Whether tokens `start` to `end` hold a word that is not a filler ("Hmm. Okay." do
    not). Its first word or two tell, so only those are read as Tokens (a loop, not
    `any()` over a generator: ~1 us less a sentence)."""
    for i in range(start, end):  # noqa: SIM110 (the loop is the faster)
        if words[i] not in fillers and doc[i].is_alpha:
            return True
    return False


def _sentence(text: str) -> str:
    text = text.strip()
    if text and text[-1] not in ".!?\"'":
        text += "."
    return text[:1].upper() + text[1:]
