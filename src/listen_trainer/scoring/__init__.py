"""The scoring engine: (scenario or statement, reply) -> Feedback. Knows nothing of the UI.

`Feedback` and its parts import without spaCy, so that reading history stays quick; the
`Scorer` (and spaCy with it) loads on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from listen_trainer.scoring.feedback import Feedback, Flag, Heard, Skills

if TYPE_CHECKING:
    from listen_trainer.scoring.engine import Scorer, ScoreRequest

__all__ = ["Feedback", "Flag", "Heard", "ScoreRequest", "Scorer", "Skills"]


def __getattr__(name: str) -> Any:
    if name in ("Scorer", "ScoreRequest"):
        from listen_trainer.scoring import engine

        return getattr(engine, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
