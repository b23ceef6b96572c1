"""Print a Feedback for a person: the reply with flagged spans coloured, then the why."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from listen_trainer.content.library import Rubric
from listen_trainer.content.models import ROADBLOCKS, Verdict
from listen_trainer.scoring.feedback import Feedback
from listen_trainer.skills import SKILL_LABELS


def highlighted(reply: str, feedback: Feedback, rubric: Rubric) -> Text:
    text = Text(reply)
    for flag in feedback.flags:
        colour = rubric.categories[flag.category].colour
        style = f"bold {colour}" if flag.category in ROADBLOCKS else f"underline {colour}"
        text.stylize(style, flag.start, flag.end)
    return text


def _bar(value: float, width: int = 20) -> str:
    filled = round(value * width)
    return "█" * filled + "░" * (width - filled)


def render_feedback(
    reply: str,
    statement: str | None,
    feedback: Feedback,
    rubric: Rubric,
    console: Console | None = None,
) -> None:
    console = console or Console(highlight=False)
    verdict_colour = (
        "green"
        if feedback.verdict is Verdict.ATTUNED
        else ("yellow" if feedback.verdict is Verdict.PARTLY_ATTUNED else "red")
    )
    head = Text.assemble(
        (f" {feedback.verdict.value.replace('_', ' ')} ", f"bold reverse {verdict_colour}"),
        f"  score {feedback.score}/100   depth {feedback.depth}/5",
    )
    parts: list = [head, Text()]
    if statement:
        parts += [Text.assemble(("They said: ", "dim"), statement), Text()]
    parts += [Text("Your reply:", style="dim"), highlighted(reply, feedback, rubric), Text()]
    if feedback.truncated:
        parts.append(Text("(only the start of this long reply was scored)", style="dim"))

    skills = Table.grid(padding=(0, 1))
    for key, value in feedback.skills.as_dict().items():
        skills.add_row(SKILL_LABELS.get(key, key), _bar(value), f"{value:.1f}")
    parts += [skills, Text()]

    for flag in feedback.flags:
        info = rubric.categories[flag.category]
        parts.append(
            Text.assemble(
                (f"{info.label}", f"bold {info.colour}"),
                (f'  "{flag.text}"', "italic"),
                f"\n  {flag.message}",
            )
        )
    if feedback.suggestions:
        parts += [Text(), Text("Try next:", style="bold")]
        parts += [Text(f"  • {s}") for s in feedback.suggestions]
    parts += [Text(), Text("Your reply, made better:", style="bold"), Text(f"  {feedback.rewrite}")]
    if feedback.safety:
        parts += [Text(), Text(feedback.safety, style="bold magenta")]
    console.print(Panel(Group(*parts), title="listen-trainer", expand=False, width=100))
