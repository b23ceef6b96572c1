"""The feedback on one reply: verdict, the reply coloured by category, skills, what next.

The text is built as Rich `Text` by small pure functions, so tests can check what a
learner sees (which words are coloured, what the change since the last try says)
without reading pixels.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from listen_trainer.content.library import Rubric
from listen_trainer.content.models import ROADBLOCKS, Category, Scenario, Verdict
from listen_trainer.scoring import Feedback, Flag
from listen_trainer.skills import skill_label
from listen_trainer.tui.state import DEPTH_LABELS, verdict_label

GOOD = "#2e9e5b"
MIDDLING = "#c98f00"
POOR = "#d9363e"
BAR_WIDTH = 20


def _ink_on(colour: str) -> str:
    """Black or white, whichever reads better on `colour` (a #rrggbb string)."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#000000" if (0.299 * r + 0.587 * g + 0.114 * b) > 150 else "#ffffff"


def category_style(category: Category, rubric: Rubric) -> Style:
    colour = rubric.categories[category].colour
    return Style(bgcolor=colour, color=_ink_on(colour))


def verdict_colour(verdict: Verdict, rubric: Rubric) -> str:
    if verdict is Verdict.ATTUNED:
        return GOOD
    if verdict in (Verdict.PARTLY_ATTUNED, Verdict.MISSED):
        return MIDDLING
    return rubric.categories[Category(verdict.value)].colour


def _ordered(flags: list[Flag]) -> list[Flag]:
    """Roadblocks first (they are what to fix), then credits, each in reply order."""
    return sorted(flags, key=lambda f: (f.category not in ROADBLOCKS, f.start))


def highlight(reply: str, flags: list[Flag], rubric: Rubric) -> Text:
    """The reply with every flagged span on its category's colour."""
    text = Text(reply)
    # Longest first, so that a short span inside a long one keeps its own colour.
    for flag in sorted(flags, key=lambda f: f.end - f.start, reverse=True):
        end = min(flag.end, len(reply))
        if flag.start < end:
            text.stylize(category_style(flag.category, rubric), flag.start, end)
    return text


def legend(flags: list[Flag], rubric: Rubric) -> Text:
    """One swatch per category present, in the order they are explained below."""
    text = Text()
    seen: list[Category] = []
    for flag in _ordered(flags):
        if flag.category not in seen:
            seen.append(flag.category)
    for index, category in enumerate(seen):
        if index:
            text.append("  ")
        text.append("  ", category_style(category, rubric))
        text.append(f" {rubric.categories[category].label}")
    return text


def verdict_line(feedback: Feedback, rubric: Rubric) -> Text:
    colour = verdict_colour(feedback.verdict, rubric)
    text = Text()
    text.append(
        f" {verdict_label(feedback.verdict, rubric).upper()} ",
        Style(bgcolor=colour, color=_ink_on(colour), bold=True),
    )
    text.append("  ")
    text.append(f"{feedback.score}", Style(bold=True))
    text.append("/100", "dim")
    text.append("   Depth ")
    text.append(f"{feedback.depth}/5", Style(bold=True))
    text.append(f" · {DEPTH_LABELS.get(feedback.depth, '')}", "dim")
    return text


def flag_notes(flags: list[Flag], rubric: Rubric) -> Text:
    """What each finding is and what to make of it; one note per distinct message."""
    text = Text()
    seen: set[tuple[Category, str]] = set()
    for flag in _ordered(flags):
        key = (flag.category, flag.message)
        if key in seen:
            continue
        seen.add(key)
        if text:
            text.append("\n")
        quoted = [f"“{f.text}”" for f in flags if (f.category, f.message) == key]
        text.append("  ", category_style(flag.category, rubric))
        text.append(f" {rubric.categories[flag.category].label}", Style(bold=True))
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
        text.append(f"{skill_label(key):<17}")
        text.append("█" * filled, colour)
        text.append("░" * (BAR_WIDTH - filled), "dim")
        text.append(f" {round(value * 100):>3}%")
    return text


def _flag_keys(feedback: Feedback) -> dict[tuple[Category, str], Flag]:
    return {(f.category, f.text.lower()): f for f in feedback.flags}


def change_summary(previous: Feedback, current: Feedback, rubric: Rubric) -> Text:
    """What changed since the last attempt: score delta, verdict, flags gone and new."""
    delta = current.score - previous.score
    text = Text()
    text.append("Since your last try: ", Style(bold=True))
    text.append(f"{previous.score} → {current.score} ")
    colour = GOOD if delta > 0 else POOR if delta < 0 else "default"
    text.append(f"({delta:+d})", Style(color=colour, bold=True))
    if previous.verdict is not current.verdict:
        text.append(
            f" · {verdict_label(previous.verdict, rubric)} → "
            f"{verdict_label(current.verdict, rubric)}"
        )
    before, after = _flag_keys(previous), _flag_keys(current)
    for title, keys, source in (
        ("Gone", before.keys() - after.keys(), before),
        ("New", after.keys() - before.keys(), after),
    ):
        if not keys:
            continue
        text.append(f"\n{title}: ", Style(bold=True))
        by_category: dict[Category, list[Flag]] = {}
        for flag in _ordered([source[k] for k in keys]):
            by_category.setdefault(flag.category, []).append(flag)
        for index, (category, flags) in enumerate(by_category.items()):
            if index:
                text.append(" · ")
            text.append(" ", category_style(category, rubric))
            text.append(f" {rubric.categories[category].label} ")
            text.append(", ".join(f"“{f.text}”" for f in flags), "italic")
    return text


def lesson_text(scenario: Scenario) -> Text:
    """The scenario's hidden layer (the feeling beneath, the need) and its teaching note."""
    text = Text()
    feelings = scenario.feelings
    text.append("Said: ", "bold")
    text.append(", ".join(feelings.surface))
    if feelings.underlying:
        text.append("\nBeneath: ", "bold")
        text.append(", ".join(feelings.underlying))
    if scenario.needs:
        text.append("\nNeeding: ", "bold")
        text.append(", ".join(scenario.needs))
    text.append("\n\n")
    text.append(scenario.teaching_note.strip())
    return text


class FeedbackPanel(VerticalScroll, can_focus=True):
    """Shows the latest feedback; `feedback` and `reply` hold what is on screen."""

    def __init__(self, rubric: Rubric, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rubric = rubric
        self.feedback: Feedback | None = None
        self.previous: Feedback | None = None
        self.reply = ""
        self.highlighted = Text()
        self.border_title = "Feedback"

    def compose(self) -> ComposeResult:
        yield Static("Your feedback will appear here once you send a reply.", id="fb-empty")
        yield Static(id="fb-safety", classes="fb-part")
        yield Static(id="fb-verdict", classes="fb-part")
        yield Static(id="fb-change", classes="fb-part")
        yield Static(id="fb-reply", classes="fb-part")
        yield Static(id="fb-legend", classes="fb-part")
        yield Static(id="fb-flags", classes="fb-part")
        yield Static(id="fb-skills", classes="fb-part")
        yield Static(id="fb-suggestions", classes="fb-part")
        yield Static(id="fb-rewrite", classes="fb-part")
        yield Static(id="fb-lesson", classes="fb-part")
        yield Static(id="fb-model", classes="fb-part")

    def _set(self, part: str, content: Text | str | None, title: str | None = None) -> None:
        widget = self.query_one(f"#{part}", Static)
        widget.display = bool(content)
        if content:
            widget.update(content)
        widget.border_title = title

    def show(self, feedback: Feedback, reply: str, previous: Feedback | None = None) -> None:
        """Show `feedback` on `reply`; with `previous`, also what changed since then."""
        rubric = self.rubric
        self.feedback, self.previous, self.reply = feedback, previous, reply
        self.highlighted = highlight(reply, feedback.flags, rubric)
        self.query_one("#fb-empty").display = False
        self._set("fb-safety", feedback.safety, "Take care")
        self._set("fb-verdict", verdict_line(feedback, rubric))
        self._set("fb-change", change_summary(previous, feedback, rubric) if previous else None)
        self._set("fb-reply", self.highlighted, "Your reply")
        self._set("fb-legend", legend(feedback.flags, rubric))
        self._set("fb-flags", flag_notes(feedback.flags, rubric), "What the trainer heard")
        self._set("fb-skills", skill_bars(feedback), "Skills")
        tips = "\n".join(f"• {s}" for s in feedback.suggestions)
        self._set("fb-suggestions", Text(tips), "Try next")
        self._set("fb-rewrite", Text(feedback.rewrite), "Your reply, reworked")
        self._set("fb-model", None)
        self._set("fb-lesson", None)
        self.scroll_home(animate=False)

    def show_lesson(self, scenario: Scenario) -> None:
        """What lay beneath the statement and why it matters: shown once a reply is in,
        so the learner listens for it first rather than reads it."""
        self._set("fb-lesson", lesson_text(scenario), "What lay beneath")

    def show_model(self, model_reply: str | None, *, scroll: bool = True) -> None:
        """Show the model reply; with `scroll`, bring it into view (the learner asked for
        it), without, leave the panel where it is (shown beside the verdict)."""
        text = Text(model_reply) if model_reply else Text("This scenario has no model reply.")
        self._set("fb-model", text, "A model reply")
        if scroll:
            self.call_after_refresh(self.query_one("#fb-model").scroll_visible, animate=False)

    @property
    def model_shown(self) -> bool:
        return bool(self.query_one("#fb-model").display)

    def clear(self) -> None:
        self.feedback = self.previous = None
        self.reply = ""
        self.highlighted = Text()
        for part in self.query(".fb-part"):
            part.display = False
        self.query_one("#fb-empty").display = True
