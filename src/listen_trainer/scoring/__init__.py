"""The scoring engine: (scenario or statement, reply) -> Feedback. Knows nothing of the UI."""

from listen_trainer.scoring.engine import Scorer, ScoreRequest
from listen_trainer.scoring.feedback import Feedback, Flag, Heard, Skills

__all__ = ["Feedback", "Flag", "Heard", "ScoreRequest", "Scorer", "Skills"]
