"""The speaker's side on the command line: `score --speaker`, `check` and `eval --exemplars`."""

from __future__ import annotations

import io
import json
import shutil
import sys
from pathlib import Path

import pytest

from listen_trainer.cli import main

REPO = Path(__file__).resolve().parents[1]
SOFT = "I felt lonely last night at eleven. Would you start the dishes with me tonight?"


def test_score_speaker_json_is_the_speakers_feedback(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", "--speaker", "--json", "--no-save", SOFT]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["side"] == "speaker"
    assert data["verdict"] == "soft_startup"
    assert {f["category"] for f in data["flags"]} >= {"vulnerable_feeling", "request"}


def test_score_speaker_text_shows_the_verdict_and_a_softer_version(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(
        ["score", "--speaker", "--no-save", "--scenario", "soft-dishwasher", "You never help."]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "criticising" in out and "Said more softly" in out and "One way to say it" in out


def test_score_speaker_is_kept_in_history_as_a_speakers_attempt(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from listen_trainer.store import History

    assert main(["score", "--speaker", "--json", SOFT]) == 0
    with History.open() as history:
        assert history.attempts() == []  # not a listener's reply
        (attempt,) = history.attempts(side=None)
    assert attempt.feedback.side == "speaker" and attempt.reply == SOFT


def test_score_speaker_jsonl_keeps_order_and_reports_bad_lines(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        {"id": "a", "text": "Never mind, it's fine."},
        {"id": "b", "text": SOFT, "scenario": "soft-dishwasher"},
        {"id": "c", "scenario": "soft-dishwasher"},
        {"id": "d", "text": "x", "scenario": "no-such"},
    ]
    raw = ("\n".join(json.dumps(line) for line in lines) + "\n{broken\n").encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    assert main(["score", "--speaker", "--jsonl"]) == 1
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [o["id"] for o in out] == ["a", "b", "c", "d", None]
    assert out[0]["verdict"] == "hinting" and out[1]["verdict"] == "soft_startup"
    assert "'text'" in out[2]["error"] and "no-such" in out[3]["error"]
    assert "not valid JSON" in out[4]["error"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--statement", "He left."], "no --statement"),
        ([], "give what you would say"),
    ],
)
def test_score_speaker_usage_errors(
    args: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["score", "--speaker", "--no-save", *args]) == 2
    assert expected in capsys.readouterr().err


def test_an_unknown_speaker_scenario_is_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", "--speaker", "--no-save", "--scenario", "nope", "Hi."]) == 1
    assert "no speaker scenario" in capsys.readouterr().err


def test_check_counts_the_speaker_content(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert "speaker: 1 pack(s), 44 scenario(s), 1 deck(s)" in out


def test_check_reports_a_speaker_deck_with_an_unknown_scenario(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = (REPO / "scenarios" / "decks" / "complaints-to-requests.yaml").read_text()
    path = tmp_path / "deck.yaml"
    path.write_text(deck.replace("soft-late-no-text", "soft-late-no-txt"))
    assert main(["check", str(path)]) == 1
    assert "no pack has a scenario 'soft-late-no-txt'" in capsys.readouterr().out


def test_check_runs_each_speaker_rules_examples(tmp_path: Path) -> None:
    from listen_trainer.cli import speaker_check

    rubrics = tmp_path / "rubrics"
    shutil.copytree(REPO / "rubrics", rubrics)
    rules = rubrics / "speaker" / "rules.yaml"
    rules.write_text(
        rules.read_text().replace(
            "        - I never want to lose what we have.",
            "        - I never want to lose what we have.\n        - You never call me.",
        )
    )
    found = speaker_check.check([], [], [], rubrics)
    assert [str(p) for p in found.problems] == [
        p for p in map(str, found.problems) if "crit-always-never" in p
    ]
    assert len(found.problems) == 1
    assert "'You never call me.' is flagged, and must pass" in str(found.problems[0])


def test_eval_exemplars_reports_the_speaker_agreement(capsys: pytest.CaptureFixture[str]) -> None:
    main(["eval", "--exemplars", "--json"])
    data = json.loads(capsys.readouterr().out)
    speaker = data["speaker_exemplars"]
    assert speaker["exemplars"] >= 42 * 6
    assert speaker["passed"] is (speaker["accuracy"] >= 0.95)
    assert set(speaker["per_label"]) == {
        "soft_startup",
        "partly_soft",
        "criticising",
        "blaming",
        "contempt",
        "hinting",
        "demanding",
    }


def test_scenarios_lists_and_shows_speaker_scenarios(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenarios", "list", "--pack", "say-it-softly", "--difficulty", "1"]) == 0
    listed = capsys.readouterr().out
    assert "soft-dishwasher" in listed and "You never start the dishwasher" in listed
    assert main(["scenarios", "show", "soft-dishwasher"]) == 0
    assert "harsh: You never start the dishwasher" in capsys.readouterr().out
