"""`listen-trainer history ...` as a user runs it: output, files, confirmations, errors."""

from __future__ import annotations

import csv
import io
import json
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from history_fixtures import flag, make_feedback
from listen_trainer import cli
from listen_trainer.cli import history as history_cli
from listen_trainer.content.models import Category, Verdict
from listen_trainer.scoring.feedback import Feedback
from listen_trainer.store import History

SECRET = "my-private-words"


@pytest.fixture(autouse=True)
def _registered(monkeypatch: pytest.MonkeyPatch) -> None:
    # `history` is registered in cli.COMMANDS by the CLI's owner; until then, add it here
    # so these tests run the real `main` either way.
    if history_cli not in cli.COMMANDS:
        monkeypatch.setattr(cli, "COMMANDS", (*cli.COMMANDS, history_cli))


@pytest.fixture()
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "data"
    monkeypatch.setenv("LISTEN_TRAINER_DATA_DIR", str(data))
    monkeypatch.chdir(tmp_path)
    return data


def seed(profile: str = "default", n: int = 3, *, days_ago: float = 1) -> None:
    now = datetime.now(UTC)
    with History.open() as history:
        for i in range(n):
            reply = f"{SECRET} {profile} {i}. You should call her."
            history.record(
                profile=profile,
                reply=reply,
                feedback=make_feedback(
                    score=40 + 10 * i,
                    verdict=Verdict.FIXING if i == 0 else Verdict.ATTUNED,
                    flags=[flag(Category.FIXING, reply, "You should")],
                ),
                scenario_id="partner-late" if i % 2 == 0 else None,
                statement="You were late again.",
                rubric_version="r1",
                at=now - timedelta(days=days_ago) + timedelta(minutes=i),
            )


def run(*argv: str) -> int:
    return cli.main(["history", *argv])


class Terminal(io.StringIO):
    """Stdin as a person at a terminal would give it."""

    def isatty(self) -> bool:
        return True


# --------------------------------------------------------------------------- list


def test_list_shows_attempts_without_reply_text(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed()
    seed("alice", 2)
    assert run("list") == 0
    out = capsys.readouterr().out
    assert "partner-late" in out and "(own statement)" in out
    assert "3 attempt(s), profile 'default'" in out
    assert SECRET not in out
    assert run("list", "--profile", "alice") == 0
    assert "2 attempt(s), profile 'alice'" in capsys.readouterr().out
    assert run("list", "--all") == 0
    out = capsys.readouterr().out
    assert "5 attempt(s), every profile" in out and "alice" in out


def test_list_since(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed(n=1, days_ago=10)
    seed(n=2, days_ago=1)
    assert run("list", "--since", "3d") == 0
    assert "2 attempt(s)" in capsys.readouterr().out
    day = (datetime.now() - timedelta(days=5)).strftime("%Y-%m-%d")
    assert run("list", "--since", day) == 0
    assert "2 attempt(s)" in capsys.readouterr().out


def test_a_bad_since_date_says_what_was_expected(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run("list", "--since", "last tuesday")
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "YYYY-MM-DD" in err and "'last tuesday'" in err
    assert "Traceback" not in err


def test_an_unknown_profile_names_the_ones_there_are(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed("alice", 1)
    assert run("list", "--profile", "bob") == 1
    err = capsys.readouterr().err
    assert "no attempts for profile 'bob'" in err
    assert "alice" in err


def test_profile_and_all_together_is_a_usage_error(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run("delete", "--profile", "alice", "--all", "--yes")
    assert exit_info.value.code == 2
    assert "not allowed with" in capsys.readouterr().err


def test_a_corrupt_history_is_reported_with_where_it_went(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir.mkdir()
    (data_dir / "history.sqlite3").write_bytes(b"garbage" * 500)
    assert run("list") == 1  # fresh and empty
    err = capsys.readouterr().err
    assert "moved aside to" in err
    (aside,) = data_dir.glob("history.sqlite3.unreadable-*")
    assert str(aside) in err
    assert aside.read_bytes() == b"garbage" * 500


# --------------------------------------------------------------------------- export


def test_export_json_parses_back_whole(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed()
    out_file = data_dir.parent / "out.json"
    assert run("export", "--format", "json", "--output", str(out_file)) == 0
    printed = capsys.readouterr().out
    assert "exported 3 attempt(s)" in printed and SECRET not in printed
    assert stat.S_IMODE(out_file.stat().st_mode) == 0o600
    document = json.loads(out_file.read_text(encoding="utf-8"))
    assert document["listen_trainer_history"] == 1
    assert document["profile"] == "default"
    with History.open() as history:
        stored = history.attempts(profile="default")
    exported = document["attempts"]
    assert [a["id"] for a in exported] == [a.id for a in stored]
    for row, attempt in zip(exported, stored, strict=True):
        assert row["reply"] == attempt.reply
        assert Feedback.model_validate(row["feedback"]) == attempt.feedback
        assert datetime.fromisoformat(row["time"]) == attempt.time
        assert row["scenario_id"] == attempt.scenario_id


def test_export_csv_parses_back(data_dir: Path) -> None:
    seed()
    out_file = data_dir.parent / "out.csv"
    assert run("export", "--format", "csv", "--output", str(out_file)) == 0
    assert stat.S_IMODE(out_file.stat().st_mode) == 0o600
    with out_file.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["score"] for r in rows] == ["40", "50", "60"]
    assert rows[0]["verdict"] == "fixing" and rows[1]["verdict"] == "attuned"
    assert rows[0]["reply"] == f"{SECRET} default 0. You should call her."
    assert rows[0]["flags"] == "fixing"
    assert rows[1]["scenario_id"] == ""
    assert float(rows[0]["validate"]) == 0.5


@pytest.mark.parametrize("form", ["json", "csv"])
def test_export_to_dash_writes_to_standard_output_and_no_file(
    data_dir: Path, capsys: pytest.CaptureFixture[str], form: str
) -> None:
    seed()
    assert run("export", "--format", form, "--output", "-") == 0
    out, err = capsys.readouterr()
    if form == "json":
        replies = [a["reply"] for a in json.loads(out)["attempts"]]
    else:
        replies = [row["reply"] for row in csv.DictReader(io.StringIO(out, newline=""))]
    assert replies == [f"{SECRET} default {i}. You should call her." for i in range(3)]
    assert "exported 3 attempt(s)" in err
    assert sorted(p.name for p in data_dir.parent.iterdir()) == ["data"]


def test_export_never_overwrites_unless_forced(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed()
    out_file = data_dir.parent / "supervisor.csv"
    out_file.write_text("keep me")
    out_file.chmod(0o644)
    assert run("export", "--format", "csv", "--output", str(out_file)) == 1
    assert "--force" in capsys.readouterr().err
    assert out_file.read_text() == "keep me"
    assert run("export", "--format", "csv", "--output", str(out_file), "--force") == 0
    assert out_file.read_text().startswith("id,time,profile")
    assert stat.S_IMODE(out_file.stat().st_mode) == 0o600


def test_export_without_output_writes_a_private_file_here(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed("alice", 1)
    assert run("export", "--format", "json", "--profile", "alice") == 0
    (written,) = data_dir.parent.glob("listen-trainer-history-alice-*.json")
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert str(written.name) in capsys.readouterr().out


# --------------------------------------------------------------------------- delete


def test_delete_asks_and_honours_no(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seed()
    monkeypatch.setattr("sys.stdin", Terminal("n\n"))
    assert run("delete") == 1
    out = capsys.readouterr().out
    assert "Delete 3 attempt(s) of profile 'default'?" in out
    assert "nothing deleted" in out
    with History.open() as history:
        assert history.count() == 3


def test_delete_after_yes_removes_the_replies_from_the_file(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seed()
    seed("alice", 2)
    monkeypatch.setattr("sys.stdin", Terminal("y\n"))
    assert run("delete", "--profile", "alice") == 0
    assert "deleted 2 attempt(s) of profile 'alice'" in capsys.readouterr().out
    files = b"".join(p.read_bytes() for p in data_dir.iterdir())
    assert f"{SECRET} alice".encode() not in files
    assert f"{SECRET} default".encode() in files
    with History.open() as history:
        assert history.profiles() == ["default"]


def test_delete_without_a_terminal_refuses_unless_yes(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seed()
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))  # piped, not a person
    assert run("delete", "--all") == 2
    assert "--yes" in capsys.readouterr().err
    with History.open() as history:
        assert history.count() == 3
    assert run("delete", "--all", "--yes") == 0
    with History.open() as history:
        assert history.count() == 0


def test_delete_nothing(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("delete", "--yes") == 0
    assert "nothing to delete" in capsys.readouterr().out


# --------------------------------------------------------------------------- stats


def test_stats(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed(n=4)
    assert run("stats") == 0
    out = capsys.readouterr().out
    assert "4 attempt(s)" in out
    assert "average score 55" in out  # 40, 50, 60, 70
    assert "attuned 75% of replies" in out
    assert "Reflect feeling" in out and "Avoid roadblocks" in out
    assert "fixing" in out
    # Every seeded reply used "You should": four replies fixed in the last 7 days.
    roadblocks = out.split("roadblocks (replies)")[1].split("MITI")[0]
    fixing_line = next(line for line in roadblocks.splitlines() if "fixing" in line)
    assert fixing_line.split() == ["fixing", "4", "4"]
    assert "MITI" in out
    assert "week of" in out
    assert SECRET not in out
