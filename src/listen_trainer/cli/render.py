"""Print a Feedback for a person: the reply with flagged spans coloured, then the why.

Everything shown passes through `cli.terminal`: the reply and the packs' words may hold
control characters, and none of them reaches the terminal.
"""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from listen_trainer.cli.terminal import safe_marked, safe_text
from listen_trainer.content.library import Rubric
from listen_trainer.content.models import ROADBLOCKS, Verdict
from listen_trainer.scoring.feedback import Feedback
from listen_trainer.skills import SKILL_LABELS

# A long reply may hold hundreds of flagged phrases: a note quotes its first few.
QUOTED_PER_NOTE = 3


def highlighted(reply: str, feedback: Feedback, rubric: Rubric) -> Text:
    """The reply, its flagged spans styled; at most the part the engine scored, so a
    pasted book costs no more to lay out than a page."""
    text = Text(safe_marked(reply[: rubric.settings.max_reply_chars]))
    for flag in feedback.flags:
        colour = rubric.categories[flag.category].colour
        style = f"bold {colour}" if flag.category in ROADBLOCKS else f"underline {colour}"
        text.stylize(style, flag.start, flag.end)
    return text


def _bar(value: float, width: int = 20) -> str:
    filled = round(value * width)
    return "█" * filled + "░" * (width - filled)


def _flag_notes(feedback: Feedback, rubric: Rubric) -> list[Text]:
    """Each note once, after the words that earned it (each once, and the first few only
    when a long reply holds many), in the order they first appear."""
    found: dict[tuple[str, str], list[str]] = {}
    for flag in feedback.flags:
        texts = found.setdefault((flag.category, flag.message), [])
        if flag.text not in texts:
            texts.append(flag.text)
    notes = []
    for (category, message), texts in found.items():
        info = rubric.categories[category]
        quoted = ", ".join(f'"{safe_text(t)}"' for t in texts[:QUOTED_PER_NOTE])
        if len(texts) > QUOTED_PER_NOTE:
            quoted += f" and {len(texts) - QUOTED_PER_NOTE} more"
        notes.append(
            Text.assemble(
                (safe_text(info.label), f"bold {info.colour}"),
                (f"  {quoted}", "italic"),
                f"\n  {safe_text(message)}",
            )
        )
    return notes


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
        parts += [Text.assemble(("They said: ", "dim"), safe_text(statement)), Text()]
    parts += [Text("Your reply:", style="dim"), highlighted(reply, feedback, rubric), Text()]
    if feedback.truncated:
        parts.append(Text("(only the start of this long reply was scored, and shown)", style="dim"))

    skills = Table.grid(padding=(0, 1))
    for key, value in feedback.skills.as_dict().items():
        skills.add_row(SKILL_LABELS.get(key, key), _bar(value), f"{value:.1f}")
    parts += [skills, Text()]

    parts += _flag_notes(feedback, rubric)
    if feedback.suggestions:
        parts += [Text(), Text("Try next:", style="bold")]
        parts += [Text(f"  • {safe_text(s)}") for s in feedback.suggestions]
    rewrite = Text(f"  {safe_text(feedback.rewrite)}")
    parts += [Text(), Text("Your reply, made better:", style="bold"), rewrite]
    if feedback.safety:
        parts += [Text(), Text(safe_text(feedback.safety), style="bold magenta")]
    console.print(Panel(Group(*parts), title="listen-trainer", expand=False, width=100))
