"""Progress: how a learner's listening has grown, and a drill aimed at the weakest skill.

The figures come from `practice.progress` (the same numbers `history stats` prints); this
screen only lays them out. The history is read in a worker thread, on every visit, so
that coming back from a drill shows the attempts just made.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from statistics import fmean

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Label, Sparkline, Static

from listen_trainer.content.library import Library
from listen_trainer.content.models import Scenario
from listen_trainer.content.speaker_models import Side
from listen_trainer.practice import progress, schedule
from listen_trainer.skills import SKILL_LABELS, SKILLS
from listen_trainer.store import Attempt, History, HistoryError

_LEVEL_STYLE = {"good": "bold green", "fair": "yellow", "below fair": "red"}


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.0f}%"


class ProgressScreen(Screen[None]):
    """Score over time, skill trends, roadblocks, MITI metrics, and "drill my weakest"."""

    # Layout only; colours come from the theme. The app's stylesheet may override it.
    DEFAULT_CSS = """
    ProgressScreen #progress { padding: 0 2; }
    ProgressScreen #progress-details { height: auto; }
    ProgressScreen .progress-heading { margin-top: 1; text-style: bold; color: $accent; }
    ProgressScreen #score-chart { height: 3; }
    ProgressScreen .skill-row { height: 1; }
    ProgressScreen .skill-name { width: 18; }
    ProgressScreen .skill-row Sparkline { width: 1fr; }
    ProgressScreen .skill-trend { width: 34; padding-left: 2; }
    ProgressScreen .skill-row.-weakest .skill-name { text-style: bold reverse; }
    ProgressScreen #drill { margin: 1 0; }
    """

    SUB_TITLE = "Progress"
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("d", "drill", "Drill my weakest skill"),
    ]

    @dataclass
    class DrillRequested(Message):
        """Drill these scenarios, in this order; `skill` is the one they aim at."""

        scenarios: list[Scenario]
        skill: str | None = None

    def __init__(self, history: History, profile: str, library: Library) -> None:
        super().__init__()
        self.history = history
        self.profile = profile
        self.library = library
        self.attempts: list[Attempt] | None = None  # None until the history is read
        self.weakest: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="progress"):
            yield Static("Reading your history…", id="progress-summary")
            with Vertical(id="progress-details"):
                yield Label("Score over time", classes="progress-heading")
                yield Sparkline([], summary_function=fmean, id="score-chart")
                yield Label(
                    "Skills: average, recent, trend (recent against earlier attempts)",
                    classes="progress-heading",
                )
                for skill in SKILLS:
                    with Horizontal(classes="skill-row", id=f"skill-{skill}"):
                        yield Label(SKILL_LABELS[skill], classes="skill-name")
                        yield Sparkline([], summary_function=fmean, id=f"spark-{skill}")
                        yield Label("", classes="skill-trend", id=f"trend-{skill}")
                yield Label("Roadblocks: replies that used each", classes="progress-heading")
                yield Static(id="roadblocks")
                yield Label(
                    "Session metrics, MITI style (fair: R:Q 1:1 and 40% complex; "
                    "good: 2:1 and 50%)",
                    classes="progress-heading",
                )
                yield Static(id="miti")
            yield Label(
                "Speaking: Say it softly, Reach out, Five steps", classes="progress-heading"
            )
            yield Static(id="speaking")
            yield Button("Drill my weakest skill", id="drill", variant="primary", disabled=True)
        yield Footer()

    def on_screen_resume(self) -> None:
        # On the first visit and on every return (from a drill, say): new attempts count.
        self._load()

    @work(thread=True, exclusive=True, group="progress-load")
    def _load(self) -> None:
        try:
            attempts = self.history.attempts(profile=self.profile)
            spoken = self.history.attempts(profile=self.profile, side=Side.SPEAKER)
        except HistoryError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        except sqlite3.Error:
            # SQLite's own message may quote what a row holds (a reply): never shown.
            self.app.call_from_thread(self._failed, "SQLite could not read the file")
            return
        self.app.call_from_thread(self._show, attempts)
        self.app.call_from_thread(self._show_speaking, spoken)

    def _show_speaking(self, spoken: list[Attempt]) -> None:
        """The speaker's skills beside the listener's: averages over their statements."""
        if not spoken:
            text = Text("No statements yet: try Say it softly from Home (k).", "dim")
        else:
            text = Text(
                f"{len(spoken)} statement(s) · soft start-ups {_pct(progress.share_soft(spoken))}"
            )
            for skill, value in progress.speaker_skill_averages(spoken).items():
                text.append(f"\n{progress.SPEAKER_SKILL_LABELS[skill]:<17} {_pct(value):>4}")
        self.query_one("#speaking", Static).update(text)

    def _failed(self, problem: str) -> None:
        self.query_one("#progress-summary", Static).update(
            Text(f"Your history could not be read: {problem}", "bold red")
        )
        self.query_one("#progress-details").display = False

    # ------------------------------------------------------------------ showing

    def _show(self, attempts: list[Attempt]) -> None:
        self.attempts = attempts
        self.weakest = schedule.weakest_skill(attempts)
        now = datetime.now(UTC)
        button = self.query_one("#drill", Button)
        button.disabled = False
        button.label = (
            f"Drill my weakest skill: {SKILL_LABELS[self.weakest]}"
            if self.weakest
            else "Start with easy scenarios"
        )
        self.query_one("#progress-summary", Static).update(self._summary(attempts))
        self.query_one("#progress-details").display = bool(attempts)
        if not attempts:
            return
        self.query_one("#score-chart", Sparkline).data = progress.score_series(attempts)
        trends = progress.skill_trends(attempts)
        for skill in SKILLS:
            trend = trends[skill]
            self.query_one(f"#spark-{skill}", Sparkline).data = progress.skill_series(
                attempts, skill
            )
            line = Text(f"{_pct(trend.average):>4}  now {_pct(trend.recent):>4}  {trend.arrow}")
            if skill == self.weakest:
                line.append("  weakest", "bold")
            self.query_one(f"#trend-{skill}", Label).update(line)
            self.query_one(f"#skill-{skill}").set_class(skill == self.weakest, "-weakest")
        self.query_one("#roadblocks", Static).update(self._roadblocks(attempts, now))
        self.query_one("#miti", Static).update(self._miti(attempts))

    def _summary(self, attempts: list[Attempt]) -> Text:
        if not attempts:
            return Text(
                f"No attempts yet for {self.profile}. Practise a few scenarios and your "
                "progress will show here; the drill below starts with easy ones."
            )
        score = progress.score_trend(attempts)
        text = Text()
        text.append(f"{self.profile}", "bold")
        text.append(f": {len(attempts)} attempt{'s' if len(attempts) != 1 else ''}")
        text.append(f" · average score {score.average:.0f} {score.arrow}")
        text.append(f" · attuned {_pct(progress.share_attuned(attempts))}")
        return text

    def _roadblocks(self, attempts: list[Attempt], now: datetime) -> Table | Text:
        week = progress.roadblock_counts(attempts, now=now, days=7)
        month = progress.roadblock_counts(attempts, now=now, days=30)
        used = [c for c in progress.ROADBLOCK_ORDER if month[c]]
        if not used:
            return Text("None in the last 30 days.", "green")
        table = Table(box=None, padding=(0, 2, 0, 0), show_edge=False, header_style="dim")
        table.add_column("roadblock", min_width=16)
        table.add_column("7 days", justify="right")
        table.add_column("30 days", justify="right")
        for category in used:
            table.add_row(category.value, str(week[category]), str(month[category]))
        return table

    def _miti(self, attempts: list[Attempt]) -> Table:
        session = progress.miti(progress.last_session(attempts))
        overall = progress.miti(attempts)
        table = Table(box=None, padding=(0, 3, 0, 0), show_edge=False, header_style="dim")
        table.add_column("", min_width=24)
        table.add_column("this session", min_width=16)
        table.add_column("all time", min_width=16)

        def cell(value: str, level: str | None) -> Text:
            text = Text(value)
            if level:
                # The space is a span of its own: a styled leading space is dropped.
                text.append(" ")
                text.append(level, _LEVEL_STYLE[level])
            return text

        table.add_row(
            "Reflections : questions",
            *(cell(progress.format_ratio(m.ratio), m.ratio_level) for m in (session, overall)),
        )
        table.add_row(
            "Complex reflections",
            *(cell(_pct(m.complex_share), m.complex_level) for m in (session, overall)),
        )
        return table

    # ------------------------------------------------------------------ actions

    @on(Button.Pressed, "#drill")
    def _drill_pressed(self) -> None:
        self.action_drill()

    def action_drill(self) -> None:
        if self.attempts is None:
            return  # still reading: the button is disabled until then
        scenarios = schedule.next_scenarios(
            self.library, self.attempts, now=datetime.now(UTC), weakest_first=True
        )
        if not scenarios:
            self.notify(
                "No scenarios are loaded, so there is nothing to drill.",
                title="Drill",
                severity="warning",
            )
            return
        self.post_message(self.DrillRequested(scenarios, self.weakest))

    def action_back(self) -> None:
        self.dismiss()
