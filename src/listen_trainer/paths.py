"""Where listen-trainer finds its shipped data and the user's own folders."""

from __future__ import annotations

import os
import stat
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


def cache_dir() -> Path | None:
    """The user's cache folder (`LISTEN_TRAINER_CACHE_DIR` overrides it), or None where
    nothing is to be cached: with only the data folder overridden, as tests do, a run
    must never write to the user's own folders."""
    override = os.environ.get("LISTEN_TRAINER_CACHE_DIR")
    if override:
        return Path(override)
    if os.environ.get("LISTEN_TRAINER_DATA_DIR"):
        return None
    from platformdirs import user_cache_path

    return user_cache_path(APP_NAME)


def private_folder(folder: Path, *, tighten: bool = True) -> None:
    """Make `folder` (and any missing folder above it) readable by the user alone.

    mkdir's mode is cut by the umask, never widened, and `parents=True` would leave the
    folders above at the umask's mode: each missing level is made and pinned to 0700 in
    turn. With `tighten`, a folder that existed before loses group and other access (the
    history's own folder); without, it is left as it is (a cache folder the user named
    may be a shared one). Raises OSError.
    """
    for level in reversed([folder, *folder.parents]):
        if not level.is_dir():
            level.mkdir(mode=0o700)
            level.chmod(0o700)
    if tighten:
        mode = stat.S_IMODE(folder.stat().st_mode)
        if mode & 0o077:
            folder.chmod(mode & 0o700)


def user_packs_dir() -> Path:
    return config_dir() / "packs"
