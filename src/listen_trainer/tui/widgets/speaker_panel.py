"""The feedback on one statement, from the speaker's side: verdict, the statement coloured
by category, the speaking skills, what to try next, a softer version and a model.

As in the listener's panel, the text is built by small pure functions so tests can read
what a learner sees."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from listen_trainer.content.speaker_library import SpeakerRubric
from listen_trainer.content.speaker_models import SPEAKER_COSTS, SpeakerCategory, SpeakerVerdict
from listen_trainer.scoring import Feedback
from listen_trainer.tui.speaker_state import SKILL_LABELS, VERDICT_LABELS

GOOD = "#2e9e5b"
MIDDLING = "#c98f00"
POOR = "#d9363e"
BAR_WIDTH = 20
SOFTNESS = {1: "contempt", 2: "harsh", 3: "on the way", 4: "soft", 5: "soft and open"}


def _ink_on(colour: str) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#000000" if (0.299 * r + 0.587 * g + 0.114 * b) > 150 else "#ffffff"


def _style(category: SpeakerCategory, rubric: SpeakerRubric) -> Style:
    colour = rubric.categories[category].colour
    return Style(bgcolor=colour, color=_ink_on(colour))


def verdict_colour(verdict: SpeakerVerdict) -> str:
    if verdict is SpeakerVerdict.SOFT_STARTUP:
        return GOOD
    return MIDDLING if verdict in (SpeakerVerdict.PARTLY_SOFT, SpeakerVerdict.HINTING) else POOR


def verdict_line(feedback: Feedback) -> Text:
    verdict = SpeakerVerdict(feedback.verdict)
    colour = verdict_colour(verdict)
    text = Text()
    text.append(
        f" {VERDICT_LABELS[verdict].upper()} ",
        Style(bgcolor=colour, color=_ink_on(colour), bold=True),
    )
    text.append("  ")
    text.append(f"{feedback.score}", Style(bold=True))
    text.append("/100", "dim")
    text.append("   Softness ")
    text.append(f"{feedback.depth}/5", Style(bold=True))
    text.append(f" · {SOFTNESS.get(feedback.depth, '')}", "dim")
    return text


def highlight(statement: str, feedback: Feedback, rubric: SpeakerRubric) -> Text:
    """The statement with every flagged span on its category's colour."""
    text = Text(statement)
    for flag in sorted(feedback.flags, key=lambda f: f.end - f.start, reverse=True):
        end = min(flag.end, len(statement))
        if flag.start < end:
            text.stylize(_style(SpeakerCategory(flag.category), rubric), flag.start, end)
    return text


def flag_notes(feedback: Feedback, rubric: SpeakerRubric) -> Text:
    """Costs first (they are what to change), then credits; one note per message."""
    text = Text()
    seen: set[tuple[str, str]] = set()
    flags = sorted(feedback.flags, key=lambda f: (f.category not in SPEAKER_COSTS, f.start))
    for flag in flags:
        key = (flag.category.value, flag.message)
        if key in seen:
            continue
        seen.add(key)
        if text:
            text.append("\n")
        category = SpeakerCategory(flag.category)
        quoted = [f"“{f.text}”" for f in flags if (f.category.value, f.message) == key]
        text.append("  ", _style(category, rubric))
        text.append(f" {rubric.categories[category].label}", Style(bold=True))
        text.append(f"  {', '.join(quoted)}\n", "italic")
        text.append(flag.message)
    return text


def skill_bars(feedback: Feedback) -> Text:
    text = Text()
    for index, (key, value) in enumerate(feedback.skills.as_dict().items()):
        if index:
            text.append("\n")
        filled = round(value * BAR_WIDTH)
        colour = GOOD if value >= 0.67 else MIDDLING if value >= 0.34 else POOR
        text.append(f"{SKILL_LABELS.get(key, key):<17}")
        text.append("█" * filled, colour)
        text.append("░" * (BAR_WIDTH - filled), "dim")
        text.append(f" {round(value * 100):>3}%")
    return text


def sounds_line(feedback: Feedback) -> Text:
    """One look at how a statement may land: the verdict, and the first thing to try."""
    text = verdict_line(feedback)
    if feedback.suggestions:
        text.append(f"\n{feedback.suggestions[0]}", "italic")
    return text


class SpeakerFeedbackPanel(VerticalScroll, can_focus=True):
    """Shows the latest feedback on a statement; `feedback` and `text` hold what is shown."""

    def __init__(self, rubric: SpeakerRubric, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rubric = rubric
        self.feedback: Feedback | None = None
        self.text = ""
        self.border_title = "How it may land"

    def compose(self) -> ComposeResult:
        yield Static("Your feedback will appear here once you say it.", id="sfb-empty")
        for part in ("verdict", "change", "said", "flags", "skills", "tips", "rewrite", "model"):
            yield Static(id=f"sfb-{part}", classes="sfb-part")

    def _set(self, part: str, content: Text | str | None, title: str | None = None) -> None:
        widget = self.query_one(f"#sfb-{part}", Static)
        widget.display = bool(content)
        if content:
            widget.update(content)
        widget.border_title = title

    def show(self, feedback: Feedback, text: str, previous: Feedback | None = None) -> None:
        self.feedback, self.text = feedback, text
        self.query_one("#sfb-empty").display = False
        self._set("verdict", verdict_line(feedback))
        change = None
        if previous is not None:
            delta = feedback.score - previous.score
            change = Text.assemble(
                ("Since your last try: ", "bold"),
                f"{previous.score} → {feedback.score} ",
                (f"({delta:+d})", GOOD if delta > 0 else POOR if delta < 0 else ""),
            )
        self._set("change", change)
        self._set("said", highlight(text, feedback, self.rubric), "What you said")
        self._set("flags", flag_notes(feedback, self.rubric), "What the trainer heard")
        self._set("skills", skill_bars(feedback), "Speaking skills")
        self._set("tips", Text("\n".join(f"• {s}" for s in feedback.suggestions)), "Try next")
        self._set("rewrite", Text(feedback.rewrite), "Said more softly")
        self._set("model", None)
        self.scroll_home(animate=False)

    def show_model(self, model: str | None) -> None:
        self._set(
            "model", Text(model or "This scenario has no model statement."), "One way to say it"
        )
        self.call_after_refresh(self.query_one("#sfb-model").scroll_visible, animate=False)

    def clear(self) -> None:
        self.feedback = None
        self.text = ""
        for part in self.query(".sfb-part"):
            part.display = False
        self.query_one("#sfb-empty").display = True
