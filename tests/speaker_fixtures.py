"""Fixtures for the speaker's side: its rubric, scorer and library, built once a session."""

from __future__ import annotations

from pathlib import Path

import pytest

from listen_trainer.content.speaker_library import (
    SpeakerLibrary,
    SpeakerRubric,
    load_speaker_library,
    load_speaker_rubric,
)

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def speaker_rubric() -> SpeakerRubric:
    return load_speaker_rubric()


@pytest.fixture(scope="session")
def speaker_scorer(speaker_rubric: SpeakerRubric):
    from listen_trainer.scoring.speaker import SpeakerScorer

    return SpeakerScorer(speaker_rubric)


@pytest.fixture(scope="session")
def speaker_library(speaker_rubric: SpeakerRubric) -> SpeakerLibrary:
    return load_speaker_library(speaker_rubric.lexicon, [REPO / "scenarios"])
