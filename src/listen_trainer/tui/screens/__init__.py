"""The trainer's screens; each takes the Session it shows.

Each screen is imported when first asked for (`from listen_trainer.tui.screens import
DrillScreen`), not with this package: Home is drawn before the drill, the workshop and
their widgets are loaded.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_WHERE = {
    "BrowseScreen": "browse",
    "DrillScreen": "drill",
    "HelpScreen": "help",
    "HomeScreen": "home",
    "PartnerScreen": "partner",
    "ProgressScreen": "progress",
    "RoundScreen": "round",
    "WorkshopScreen": "workshop",
    "WorkshopSummaryScreen": "workshop_summary",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_WHERE[name]}"), name)
