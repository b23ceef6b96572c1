"""Fixtures for the TUI tests: content from a small test pack, one Scorer per run, and
the user's folders pointed at tmp_path so no test touches real config or history."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from listen_trainer.content.library import Library, Rubric, load_library, load_rubric
from listen_trainer.scoring import Scorer
from listen_trainer.tui import make_app
from listen_trainer.tui.app import TrainerApp
from listen_trainer.tui.state import Settings
from listen_trainer.tui.widgets import ReplyBox

HERE = Path(__file__).parent
TEST_PACK = HERE / "data"
BROKEN_PACK = HERE / "broken"

PLACATING = "Ok. Sorry you feel that way."
ATTUNED = (
    "That sounds like a really sad day, and lonely too, being quiet all day and nobody "
    "at work noticing. I'm here now."
)


@pytest.fixture(autouse=True)
def private_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Config and history go to tmp_path, never the learner's real folders."""
    monkeypatch.setenv("LISTEN_TRAINER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LISTEN_TRAINER_CONFIG_DIR", str(tmp_path / "config"))
    return tmp_path


@pytest.fixture(scope="session")
def rubric() -> Rubric:
    return load_rubric()


@pytest.fixture(scope="session")
def scorer(rubric: Rubric) -> Scorer:
    # Building the spaCy pipeline is the slow part: once per test run.
    return Scorer(rubric)


@pytest.fixture(scope="session")
def library(rubric: Rubric) -> Library:
    library = load_library(rubric, [TEST_PACK])
    assert not library.problems, library.problems
    return library


AppFactory = Callable[..., TrainerApp]


@pytest.fixture
def make(rubric: Rubric, library: Library, scorer: Scorer) -> AppFactory:
    """make(settings=None, library=None) -> a TrainerApp on the test pack."""

    def factory(settings: Settings | None = None, library_: Library | None = None) -> TrainerApp:
        return make_app(rubric, library_ or library, scorer, settings)

    return factory


Scenario = Callable[[TrainerApp, Pilot[Any]], Coroutine[Any, Any, None]]


def drive(
    app: TrainerApp,
    script: Scenario,
    size: tuple[int, int] = (100, 34),
    notifications: bool = False,
) -> None:
    """Run `script(app, pilot)` against the app in a headless terminal of `size`."""

    async def main() -> None:
        async with app.run_test(size=size, notifications=notifications) as pilot:
            await pilot.pause()
            await script(app, pilot)
            await app.workers.wait_for_complete()

    asyncio.run(main())


async def send(app: TrainerApp, pilot: Pilot[Any], reply: str) -> None:
    """Type `reply` into the drill's reply box (all at once) and press Enter."""
    box = app.screen.query_one(ReplyBox)
    box.focus()
    box.text = reply
    await pilot.pause()
    await pilot.press("enter")
    await app.workers.wait_for_complete()
    await pilot.pause()
