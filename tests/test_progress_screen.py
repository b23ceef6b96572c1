"""The progress screen, driven with Pilot over a seeded history in a tiny App."""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from rich.console import Console
from rich.text import Text
from textual.app import App
from textual.screen import Screen
from textual.widgets import Button, Label, Sparkline, Static

from history_fixtures import flag, make_feedback
from listen_trainer.content.library import Library
from listen_trainer.content.models import Category, Pack, Scenario, Verdict
from listen_trainer.store import History
from listen_trainer.tui.screens.progress import ProgressScreen

SIZE = (100, 34)


def scenario(sid: str, labels: tuple[Verdict, ...], difficulty: int = 1) -> Scenario:
    return Scenario(
        id=sid,
        statement="My sister didn't come to my graduation.",
        speaker="sibling",
        situation="on the phone",
        feelings={"surface": ["angry"], "underlying": ["hurt"]},
        key_content=["graduation"],
        difficulty=difficulty,
        teaching_note="Hear the hurt under the anger.",
        exemplars=[{"reply": f"reply {i}", "label": label} for i, label in enumerate(labels)],
    )


LIBRARY = Library(
    packs=(
        Pack(
            id="test",
            title="Test",
            description="For tests.",
            scenarios=[
                scenario("plain", (Verdict.ATTUNED,)),
                scenario("trap", (Verdict.ATTUNED, Verdict.MINIMISING, Verdict.DISMISSING)),
                scenario("hard", (Verdict.ATTUNED,), difficulty=3),
            ],
        ),
    )
)


class ProgressApp(App[None]):
    """Just enough App to show the screen and catch what it asks for."""

    def __init__(self, history: History, profile: str) -> None:
        super().__init__()
        self.history = history
        self.profile = profile
        self.drills: list[ProgressScreen.DrillRequested] = []

    def on_mount(self) -> None:
        self.push_screen(ProgressScreen(self.history, self.profile, LIBRARY))

    def on_progress_screen_drill_requested(self, message: ProgressScreen.DrillRequested) -> None:
        self.drills.append(message)


@pytest.fixture()
def history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> History:
    monkeypatch.setenv("LISTEN_TRAINER_DATA_DIR", str(tmp_path / "data"))
    opened = History.open()
    now = datetime.now(UTC)
    # Alice: scores rising, explore rising, validation weak throughout.
    plan = [
        # days ago, score, verdict, explore, roadblock
        (12, 30, Verdict.FIXING, 0.1, Category.FIXING),
        (11, 40, Verdict.FIXING, 0.1, Category.FIXING),
        (9, 50, Verdict.PARTLY_ATTUNED, 0.2, None),
        (2, 70, Verdict.ATTUNED, 0.8, None),
        (1, 80, Verdict.MINIMISING, 0.9, Category.MINIMISING),
        (0, 90, Verdict.ATTUNED, 0.9, None),
    ]
    for days, score, verdict, explore, roadblock in plan:
        reply = "You sound hurt that she missed it. What was that like? It's no big deal."
        flags = [
            flag(Category.REFLECTING_FEELING, reply, "hurt"),
            flag(Category.EXPLORING, reply, "What was that like"),
        ]
        if roadblock is not None:
            flags.append(flag(roadblock, reply, "no big deal"))
        opened.record(
            profile="alice",
            reply=reply,
            feedback=make_feedback(
                score=score,
                verdict=verdict,
                skills={"explore": explore, "validate": 0.1},
                flags=flags,
                named_underlying=["hurt"] if score >= 70 else [],
            ),
            scenario_id="plain",
            statement="s",
            rubric_version="r",
            at=now - timedelta(days=days, minutes=5),
        )
    # Bob's attempts must not leak into Alice's progress.
    for _ in range(3):
        opened.record(
            profile="bob",
            reply="b",
            feedback=make_feedback(score=5),
            scenario_id=None,
            statement="s",
            rubric_version="r",
        )
    yield opened
    opened.close()


def text_of(screen: Screen[None], selector: str) -> str:
    """What the user reads in a Static, tables included."""
    content = screen.query_one(selector, Static).content
    if isinstance(content, str | Text):
        return str(content)
    console = Console(width=SIZE[0], file=io.StringIO(), record=True)
    console.print(content)
    return console.export_text()


async def settle(app: App[None]) -> None:
    await app.workers.wait_for_complete()
    await asyncio.sleep(0)
    await app.workers.wait_for_complete()


def test_progress_shows_alices_figures(history: History) -> None:
    async def scenario_run() -> None:
        app = ProgressApp(history, "alice")
        async with app.run_test(size=SIZE) as pilot:
            await settle(app)
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ProgressScreen)

            summary = text_of(screen, "#progress-summary")
            assert "alice: 6 attempts" in summary
            assert "average score 60" in summary  # Bob's scores of 5 are not in it
            assert "attuned 33%" in summary  # 2 of 6

            chart = screen.query_one("#score-chart", Sparkline)
            assert list(chart.data or []) == [30, 40, 50, 70, 80, 90]

            explore = str(screen.query_one("#trend-explore", Label).content)
            assert "↑" in explore
            validate = str(screen.query_one("#trend-validate", Label).content)
            assert "weakest" in validate and "10%" in validate
            assert screen.query_one("#skill-validate").has_class("-weakest")
            assert not screen.query_one("#skill-explore").has_class("-weakest")

            roadblocks = [line.strip() for line in text_of(screen, "#roadblocks").splitlines()]
            fixing = next(line for line in roadblocks if line.startswith("fixing"))
            assert fixing.split() == ["fixing", "0", "2"]  # 11-12 days ago
            minimising = next(line for line in roadblocks if line.startswith("minimising"))
            assert minimising.split() == ["minimising", "1", "1"]
            assert not any(line.startswith("judging") for line in roadblocks)

            miti = text_of(screen, "#miti")
            # Each reply: one reflecting sentence and one asking sentence.
            assert "1.0 : 1 fair" in miti
            # The last session is the latest reply alone: complex. All time: 3 of 6.
            complex_line = next(line for line in miti.splitlines() if "Complex" in line)
            assert "100% good" in complex_line and "50% good" in complex_line

            button = screen.query_one("#drill", Button)
            assert not button.disabled
            assert "Validate" in str(button.label)

    asyncio.run(scenario_run())


def test_drill_button_asks_the_app_for_scenarios_aimed_at_the_weakest_skill(
    history: History,
) -> None:
    async def scenario_run() -> None:
        app = ProgressApp(history, "alice")
        async with app.run_test(size=SIZE) as pilot:
            await settle(app)
            await pilot.pause()
            button = app.screen.query_one("#drill", Button)
            button.focus()
            await pilot.press("enter")
            await pilot.pause()
            assert len(app.drills) == 1
            asked = app.drills[0]
            assert asked.skill == "validate"
            # Validation is most tested where the pack's author foresaw minimising and
            # dismissing; "plain" was just practised and is not due yet.
            assert [s.id for s in asked.scenarios] == ["trap", "hard"]

            await pilot.press("d")  # the key does the same
            await pilot.pause()
            assert len(app.drills) == 2

            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, ProgressScreen)

    asyncio.run(scenario_run())


def test_coming_back_shows_new_attempts(history: History) -> None:
    async def scenario_run() -> None:
        app = ProgressApp(history, "alice")
        async with app.run_test(size=SIZE) as pilot:
            await settle(app)
            screen = app.screen
            app.push_screen(Screen())  # a drill, say
            await pilot.pause()
            history.record(
                profile="alice",
                reply="new",
                feedback=make_feedback(score=100),
                scenario_id=None,
                statement="s",
                rubric_version="r",
            )
            app.pop_screen()
            await pilot.pause()
            await settle(app)
            await pilot.pause()
            assert "alice: 7 attempts" in text_of(screen, "#progress-summary")

    asyncio.run(scenario_run())


def test_a_new_learner_sees_an_invitation_and_can_still_drill(history: History) -> None:
    async def scenario_run() -> None:
        app = ProgressApp(history, "carol")
        async with app.run_test(size=SIZE) as pilot:
            await settle(app)
            await pilot.pause()
            screen = app.screen
            assert "No attempts yet for carol" in text_of(screen, "#progress-summary")
            assert not screen.query_one("#progress-details").display
            assert "easy" in str(screen.query_one("#drill", Button).label)
            await pilot.press("d")
            await pilot.pause()
            assert [s.id for s in app.drills[0].scenarios][:2] == ["plain", "trap"]
            assert app.drills[0].skill is None

    asyncio.run(scenario_run())


def test_an_unreadable_history_is_said_plainly(history: History) -> None:
    history.close()

    async def scenario_run() -> None:
        app = ProgressApp(history, "alice")
        async with app.run_test(size=SIZE) as pilot:
            await settle(app)
            await pilot.pause()
            summary = text_of(app.screen, "#progress-summary")
            assert "could not be read" in summary
            assert app.screen.query_one("#drill", Button).disabled

    asyncio.run(scenario_run())


def test_a_damaged_reply_leaves_the_others_shown_and_is_never_quoted(history: History) -> None:
    import sqlite3

    secret = "my-damaged-private-reply"
    newest = history.record(
        profile="alice",
        reply=secret,
        feedback=make_feedback(score=60),
        scenario_id=None,
        statement="I lost my keys again.",
        rubric_version="r1",
    )
    with sqlite3.connect(history.path) as conn:
        conn.execute(
            "UPDATE attempts SET reply = CAST(CAST(reply AS BLOB) || X'FF' AS TEXT) WHERE id = ?",
            (newest,),
        )
    conn.close()

    async def scenario_run() -> None:
        app = ProgressApp(history, "alice")
        async with app.run_test(size=SIZE) as pilot:
            await settle(app)
            await pilot.pause()
            summary = text_of(app.screen, "#progress-summary")
            assert secret not in summary
            assert "could not be read" not in summary
            assert not app.screen.query_one("#drill", Button).disabled

    asyncio.run(scenario_run())
