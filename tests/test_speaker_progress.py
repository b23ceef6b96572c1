"""The speaker's statements live in the same history as the listener's replies: every
listener figure still counts replies alone, and the speaking skills are shown beside."""

from __future__ import annotations

from datetime import timedelta

import pytest

from history_fixtures import NOW, make_feedback
from listen_trainer.cli import main
from listen_trainer.content.speaker_models import Side
from listen_trainer.practice import progress
from listen_trainer.store import History
from speaker_fixtures import speaker_rubric, speaker_scorer  # noqa: F401

SOFT = "I felt lonely last night at eleven. Would you start the dishes with me tonight?"


@pytest.fixture
def mixed(speaker_scorer):  # noqa: F811
    """Two listener replies and three speaker statements (two soft), in one history."""
    with History.open() as history:
        for i, text in enumerate([SOFT, "You never help.", SOFT]):
            history.record(
                profile="ann",
                reply=text,
                feedback=speaker_scorer.score(text),
                scenario_id=None,
                statement="",
                rubric_version="r",
                at=NOW + timedelta(minutes=i),
            )
        for i in range(2):
            history.record(
                profile="ann",
                reply="It sounds lonely.",
                feedback=make_feedback(score=60),
                scenario_id=None,
                statement="He left.",
                rubric_version="r",
                at=NOW + timedelta(minutes=10 + i),
            )


def test_history_keeps_the_two_sides_apart(mixed) -> None:
    with History.open() as history:
        assert len(history.attempts(profile="ann")) == 2  # a listener's, by default
        spoken = history.attempts(profile="ann", side=Side.SPEAKER)
        assert len(history.attempts(profile="ann", side=None)) == 5
    assert progress.share_soft(spoken) == pytest.approx(2 / 3)
    averages = progress.speaker_skill_averages(spoken)
    assert list(averages) == list(progress.SPEAKER_SKILLS)
    assert averages["feel"] == pytest.approx(2 / 3)


def test_history_stats_shows_speaking_beside_listening(
    mixed, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["history", "stats", "--profile", "ann"]) == 0
    out = capsys.readouterr().out
    assert "2 attempt(s)" in out and "average score 60" in out
    assert "speaking: 3 statement(s), soft start-ups 67%" in out
    assert "Observation" in out and "Avoid harshness" in out


def test_history_list_shows_both(mixed, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history", "list", "--profile", "ann"]) == 0
    out = capsys.readouterr().out
    assert "5 attempt(s)" in out and "soft startup" in out and "criticising" in out


def test_history_export_keeps_the_statements_too(
    mixed, tmp_path, capsys: pytest.CaptureFixture[str]
) -> None:
    import csv
    import json

    out = tmp_path / "all.json"
    args = ["history", "export", "--profile", "ann", "--format", "json", "--output", str(out)]
    assert main(args) == 0
    sides = [a["feedback"]["side"] for a in json.loads(out.read_text())["attempts"]]
    assert sides.count("speaker") == 3 and sides.count("listener") == 2
    table = tmp_path / "all.csv"
    args = ["history", "export", "--profile", "ann", "--format", "csv", "--output", str(table)]
    assert main(args) == 0
    rows = list(csv.DictReader(table.open()))
    assert len(rows) == 5 and rows[0]["verdict"] == "soft_startup" and rows[0]["validate"] == ""
