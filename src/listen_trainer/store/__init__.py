"""The learner's history on this machine (SQLite), used by the faces (TUI and CLI) only."""

from listen_trainer.store.history import (
    DEFAULT_PROFILE,
    Attempt,
    History,
    HistoryError,
    check_profile,
)

__all__ = ["DEFAULT_PROFILE", "Attempt", "History", "HistoryError", "check_profile"]
