"""Shared fixtures. Every test runs with the user's data and config folders pointed at a
temporary folder, so no test can read or write a real learner's history or packs."""

from __future__ import annotations

from pathlib import Path

import pytest

from listen_trainer.content.library import Library, Rubric, load_library, load_rubric

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _private_folders(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("LISTEN_TRAINER_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("LISTEN_TRAINER_CONFIG_DIR", str(home / "config"))


@pytest.fixture(scope="session")
def rubric() -> Rubric:
    return load_rubric()


@pytest.fixture(scope="session")
def library(rubric: Rubric) -> Library:
    return load_library(rubric, [REPO / "scenarios"])


@pytest.fixture(scope="session")
def scorer(rubric: Rubric):
    from listen_trainer.scoring import Scorer

    return Scorer(rubric)


@pytest.fixture(scope="session")
def rules_scorer(rubric: Rubric):
    """The rules alone, without the acts model: for tests that pin what a rule finds."""
    from listen_trainer.scoring import Scorer

    return Scorer(rubric, learned=False)
