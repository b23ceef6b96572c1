"""Where listen-trainer finds its shipped data and the user's own folders."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "listen-trainer"
_PACKAGE = Path(__file__).resolve().parent


def shipped(kind: str) -> Path:
    """The shipped `scenarios` or `rubrics` folder: inside the wheel, or the source tree."""
    inside_wheel = _PACKAGE / "_data" / kind
    if inside_wheel.is_dir():
        return inside_wheel
    return _PACKAGE.parents[1] / kind


def config_dir() -> Path:
    """The user's config folder (`LISTEN_TRAINER_CONFIG_DIR` overrides it, for tests)."""
    override = os.environ.get("LISTEN_TRAINER_CONFIG_DIR")
    if override:
        return Path(override)
    from platformdirs import user_config_path

    return user_config_path(APP_NAME)


def data_dir() -> Path:
    """The user's data folder (`LISTEN_TRAINER_DATA_DIR` overrides it, for tests)."""
    override = os.environ.get("LISTEN_TRAINER_DATA_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_path

    return user_data_path(APP_NAME)


def user_packs_dir() -> Path:
    return config_dir() / "packs"
