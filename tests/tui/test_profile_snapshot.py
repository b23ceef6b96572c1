"""The profile chooser at a roomy 120x40 and a classic 80x24, with learners in the history.

Update with `pytest tests/tui/test_profile_snapshot.py --snapshot-update` after a
deliberate change, and look at the pictures.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from history_fixtures import seed_profiles

from .conftest import AppFactory

SIZES = [pytest.param((120, 40), id="120x40"), pytest.param((80, 24), id="80x24")]


@pytest.mark.parametrize("size", SIZES)
def test_profile_chooser(snap_compare: Any, make: AppFactory, size: tuple[int, int]) -> None:
    seed_profiles("Ann", "Bo")

    async def chooser_open(pilot: Pilot[Any]) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.press("u")
        await pilot.app.workers.wait_for_complete()
        pilot.app.screen.query_one("#new-profile", Input).cursor_blink = False
        await pilot.pause()

    assert snap_compare(make(), terminal_size=size, run_before=chooser_open)
