"""What to tell the speaker: each flag's message, what to try next, and the statement made
softer. All wording comes from the rubric's categories and settings."""

from __future__ import annotations

from listen_trainer.content.speaker_library import SpeakerRubric
from listen_trainer.content.speaker_models import SPEAKER_COSTS, SpeakerScenario
from listen_trainer.scoring.speaker.findings import SpeakerAnalysis, SpeakerFinding
from listen_trainer.scoring.speaker.verdict import SpeakerJudgement

# The skills a statement is advised on, most telling first.
_ORDER = ("feel", "request", "need", "observe", "avoid_harshness")
MAX_SUGGESTIONS = 4


def message_for(finding: SpeakerFinding, rubric: SpeakerRubric) -> str:
    """The rule's message, and for a cost what it does and what to try instead."""
    if finding.category not in SPEAKER_COSTS:
        return finding.message
    info = rubric.categories[finding.category]
    return f"{finding.message} {info.why} Try instead: {info.instead}"


def suggestions(
    analysis: SpeakerAnalysis,
    judgement: SpeakerJudgement,
    scenario: SpeakerScenario | None,
    rubric: SpeakerRubric,
) -> list[str]:
    """What to try next: the heaviest cost's remedy, then the missing skills."""
    out = [f"{rubric.categories[c].label}: {rubric.categories[c].instead}" for c in judgement.costs]
    tips = rubric.settings.skill_tips
    wanted = list(_ORDER)
    if scenario is not None and scenario.drill == "space":
        wanted.insert(2, "reassure")
    for skill in wanted:
        if judgement.skills[skill] < 1.0 and skill in tips and skill != "avoid_harshness":
            out.append(tips[skill])
    return out[:MAX_SUGGESTIONS]


def rewrite(
    text: str,
    analysis: SpeakerAnalysis,
    judgement: SpeakerJudgement,
    scenario: SpeakerScenario | None,
    rubric: SpeakerRubric,
    sentences: list[tuple[str, bool]],
) -> str:
    """The statement made softer: its sentences without a cost, then what it lacks
    (a feeling, a need, a request; reassurance when asking for space), from the
    rubric's templates and the scenario's feelings and needs."""
    settings = rubric.settings
    templates = settings.templates
    parts = [sentence for sentence, harsh in sentences if not harsh and sentence.strip()]
    skills = judgement.skills
    if skills["observe"] == 0 and scenario is not None:
        parts.insert(0, templates.observation)
    # What is added goes before the statement's own question, which stays its last word.
    asked = next((i for i, p in enumerate(parts) if p.rstrip().endswith("?")), len(parts))
    added: list[str] = []
    if skills["feel"] < 1.0:
        feeling = (
            scenario.feelings.underlying[0] if scenario and scenario.feelings.underlying else "hurt"
        )
        added.append(templates.feeling.format(feeling=feeling))
    if skills["need"] == 0:
        need = scenario.needs[0] if scenario and scenario.needs else "closeness"
        added.append(templates.need.format(need=settings.need_phrases.get(need, need)))
    parts[asked:asked] = added
    if skills["request"] < 0.7 and not (scenario is not None and scenario.drill == "space"):
        parts.append(templates.request)
    if scenario is not None and scenario.drill == "space" and skills["reassure"] == 0:
        parts.append(templates.reassurance)
    return " ".join(p.strip() for p in parts)
