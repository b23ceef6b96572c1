"""The first run: who is practising and why, and the packs and order that follow from it.

The answer is kept in the user's config folder (readable by them alone), so the next run
opens as the same learner with the same packs. Nothing here imports Textual.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal, get_args

from listen_trainer import paths
from listen_trainer.content.library import Library
from listen_trainer.tui.state import Settings

Purpose = Literal["own", "training", "workshop"]
PURPOSES: dict[Purpose, tuple[str, str]] = {
    "own": ("On my own", "everyday talk: family, friends, partners, work"),
    "training": ("Therapist or counsellor training", "everyday first, then clinical (MI)"),
    "workshop": ("A workshop or class", "timed rounds for a room, or partner practice"),
}
# Packs a clinician trains on: not a newcomer's first drill, and off for "on my own".
CLINICAL_PACKS = frozenset({"clinical"})
CHOICE_FILE = "first-run.json"


@dataclass(frozen=True)
class Choice:
    """What the first run was told: the learner's name and why they are here."""

    name: str
    purpose: Purpose


def settings_for(purpose: Purpose, library: Library, base: Settings | None = None) -> Settings:
    """The drill settings that suit `purpose`: which packs, and in what order.

    On one's own and in a workshop, the clinical packs are off; in training they are on.
    The order is the practice scheduler's (easiest first for a newcomer, then the weakest
    skill); risk scenarios stay out until the learner includes them in Settings.
    """
    base = base or Settings()
    present = {pack.id for pack in library.packs}
    disabled = frozenset() if purpose == "training" else frozenset(CLINICAL_PACKS & present)
    return replace(base, order="weakest", disabled_packs=disabled, include_sensitive=False)


def choice_path() -> Path:
    return paths.config_dir() / CHOICE_FILE


def load_choice(path: Path | None = None) -> Choice | None:
    """The saved choice; None on a first run or when the file is unreadable or odd (then
    the first run asks again, which loses nothing)."""
    path = path or choice_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    name, purpose = data.get("name"), data.get("purpose")
    if not isinstance(name, str) or not name.strip() or purpose not in get_args(Purpose):
        return None
    return Choice(name.strip(), purpose)


def save_choice(choice: Choice, path: Path | None = None) -> str | None:
    """Keep `choice` for the next run (a file only the user can read); the problem, if any."""
    path = path or choice_path()
    try:
        paths.private_folder(path.parent, tighten=False)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump({"name": choice.name, "purpose": choice.purpose}, out)
    except OSError as exc:
        return f"Your choice will be asked again next time: {exc}"
    return None
