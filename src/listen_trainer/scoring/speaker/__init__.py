"""The speaker's side: how softly a statement starts (criticism, contempt, blame, hinting
and demands against an observation, a feeling, a need, a request and reassurance).

Its own rubric (rubrics/speaker/), run on the listener's pipeline and matcher, giving the
same `Feedback` with `side: speaker`. Knows nothing of the UI.
"""

from __future__ import annotations

from listen_trainer.scoring.speaker.scorer import SpeakerScorer

__all__ = ["SpeakerScorer"]
