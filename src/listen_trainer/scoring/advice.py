"""What the learner reads: a message per flag, and suggestions. (Their reply made better
is rewrite.py's; a free statement's model reply model_reply.py's.)

All wording comes from the rubric (category texts, settings messages); this module
decides which text goes where.
"""

from __future__ import annotations

from listen_trainer.content.library import Rubric
from listen_trainer.content.models import ROADBLOCKS, CategoryInfo, Verdict
from listen_trainer.scoring.analysis import LEARNED, QUESTION_RUN, Analysis, Finding
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
    if finding.note == QUESTION_RUN:
        return _with_instead(messages.question_run, info)
    if finding.note in engine_notes:
        return engine_notes[finding.note]
    if finding.note == LEARNED:
        rule_message = messages.learned.format(label=info.label.lower())
    head = rule_message or info.what
    if finding.category in ROADBLOCKS:
        return _with_instead(f"{head} {info.why}", info)
    return f"{head} {info.why}"


def _with_instead(text: str, info: CategoryInfo) -> str:
    """A roadblock's message, and what to try in its place."""
    return f"{text} Try instead: {info.instead}"


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
