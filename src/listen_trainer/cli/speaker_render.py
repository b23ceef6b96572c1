"""Print a speaker's Feedback for a person: the statement with flagged spans coloured,
the speaking skills, then the why and a softer version."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from listen_trainer.content.speaker_library import SpeakerRubric
from listen_trainer.content.speaker_models import SPEAKER_COSTS, SpeakerCategory, SpeakerVerdict
from listen_trainer.scoring.feedback import Feedback

SKILL_LABELS = {
    "observe": "Observation",
    "feel": "Feeling",
    "need": "Need",
    "request": "Request",
    "reassure": "Reassurance",
    "avoid_harshness": "Avoid harshness",
}


def highlighted(text: str, feedback: Feedback, rubric: SpeakerRubric) -> Text:
    out = Text(text)
    for flag in feedback.flags:
        category = SpeakerCategory(flag.category)
        colour = rubric.categories[category].colour
        style = f"bold {colour}" if category in SPEAKER_COSTS else f"underline {colour}"
        out.stylize(style, flag.start, flag.end)
    return out


def _bar(value: float, width: int = 20) -> str:
    filled = round(value * width)
    return "█" * filled + "░" * (width - filled)


def render_speaker_feedback(
    text: str,
    situation: str | None,
    feedback: Feedback,
    rubric: SpeakerRubric,
    console: Console | None = None,
) -> None:
    console = console or Console(highlight=False)
    if feedback.verdict is SpeakerVerdict.SOFT_STARTUP:
        colour = "green"
    elif feedback.verdict is SpeakerVerdict.PARTLY_SOFT:
        colour = "yellow"
    else:
        colour = "red"
    head = Text.assemble(
        (f" {feedback.verdict.value.replace('_', ' ')} ", f"bold reverse {colour}"),
        f"  score {feedback.score}/100   softness {feedback.depth}/5",
    )
    parts: list = [head, Text()]
    if situation:
        parts += [Text.assemble(("The moment: ", "dim"), situation), Text()]
    parts += [Text("You said:", style="dim"), highlighted(text, feedback, rubric), Text()]
    if feedback.truncated:
        parts.append(Text("(only the start of this long statement was scored)", style="dim"))
    skills = Table.grid(padding=(0, 1))
    for key, value in feedback.skills.as_dict().items():
        skills.add_row(SKILL_LABELS.get(key, key), _bar(value), f"{value:.1f}")
    parts += [skills, Text()]
    for flag in feedback.flags:
        info = rubric.categories[SpeakerCategory(flag.category)]
        parts.append(
            Text.assemble(
                (info.label, f"bold {info.colour}"),
                (f'  "{flag.text}"', "italic"),
                f"\n  {flag.message}",
            )
        )
    if feedback.suggestions:
        parts += [Text(), Text("Try next:", style="bold")]
        parts += [Text(f"  • {s}") for s in feedback.suggestions]
    parts += [Text(), Text("Said more softly:", style="bold"), Text(f"  {feedback.rewrite}")]
    if feedback.model_reply:
        parts += [
            Text(),
            Text("One way to say it:", style="bold"),
            Text(f"  {feedback.model_reply}"),
        ]
    console.print(
        Panel(Group(*parts), title="listen-trainer: say it softly", expand=False, width=100)
    )
