"""What the learner reads: a message per flag, suggestions, and their reply made better.

All wording comes from the rubric (category texts, settings messages, templates); this
module decides which text goes where.
"""

from __future__ import annotations

from spacy.tokens import Doc

from listen_trainer.content.library import Rubric
from listen_trainer.content.models import ROADBLOCKS, Verdict
from listen_trainer.scoring.findings import Analysis, Finding
from listen_trainer.scoring.hearing import Target
from listen_trainer.scoring.verdict import Judgement


def message_for(finding: Finding, rubric: Rubric, rule_message: str | None) -> str:
    messages = rubric.settings.messages
    info = rubric.categories[finding.category]
    engine_notes = {
        "yes_but": messages.yes_but,
        "hollow": messages.hollow_validation,
        "surface": messages.feeling_named,
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
    doc: Doc, analysis: Analysis, judgement: Judgement, target: Target, rubric: Rubric
) -> str:
    """The learner's reply with roadblock sentences out and what was missing put in."""
    templates = rubric.settings.templates
    if judgement.verdict is Verdict.ATTUNED and judgement.depth >= 4:
        return doc.text.strip()
    spoiled = {f.sent for f in analysis.findings if f.category in ROADBLOCKS}
    fillers = rubric.settings.discourse_markers
    kept = [
        s.text.strip()
        for i, s in enumerate(doc.sents)
        if i not in spoiled and any(t.is_alpha and t.lower_ not in fillers for t in s)
    ]
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


def _sentence(text: str) -> str:
    text = text.strip()
    if text and text[-1] not in ".!?\"'":
        text += "."
    return text[:1].upper() + text[1:]
