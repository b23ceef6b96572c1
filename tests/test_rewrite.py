"""The rewrite ("your reply, made better") and a free statement's model reply: what the
learner reads after the verdict, and copies into the next try."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from listen_trainer.content.library import ContentError, load_rubric
from listen_trainer.content.models import Verdict
from listen_trainer.scoring.wording import in_other_voice, kind_of
from rewrite_props import DATA

FRESH = [json.loads(line) for line in (DATA / "rewrite_cases.jsonl").read_text().splitlines()]


def _fresh(kind: str) -> list[dict]:
    return [row for row in FRESH if row["kind"] == kind]


def _scenario(library, scenario_id: str):
    return next(s for _, s in library.scenarios() if s.id == scenario_id)


def test_a_scenario_feeling_is_said_once_and_in_the_listener_voice(library, scorer) -> None:
    down = scorer.score(
        "Cheer up! It's sunny out.", scenario=_scenario(library, "workshop-bit-down")
    )
    assert "feeling feeling" not in down.rewrite and "feel down" in down.rewrite
    trip = scorer.score(
        "You should start packing early this time.",
        scenario=_scenario(library, "workshop-trip-excited"),
    )
    assert "your trip next month" in trip.rewrite and " our trip" not in f" {trip.rewrite.lower()}"
    assert "excited" in trip.rewrite and "hard" not in trip.rewrite


def test_feeling_words_that_are_verbs_are_not_put_after_feeling(scorer) -> None:
    exam = scorer.score(
        "You'll be fine, just revise tonight.", statement="I'm dreading the exam tomorrow."
    )
    assert "you're dreading the exam tomorrow" in exam.rewrite.lower()
    assert "feeling dreading" not in exam.rewrite and "What was that like" not in exam.rewrite
    missed = scorer.score("Ok.", statement="I miss him so much.", feelings=["miss"])
    assert "feeling miss" not in missed.rewrite and "feel miss" not in missed.rewrite
    assert "You miss him so much." in missed.rewrite


def test_a_label_the_speaker_gave_themselves_is_not_their_feeling(scorer) -> None:
    stupid = scorer.score(
        "Don't be so hard on yourself.", statement="I'm so stupid, I failed my driving test again."
    )
    assert "stupid" not in stupid.rewrite.lower()
    assert "You failed your driving test again." in stupid.rewrite
    failure = scorer.score(
        "You've got so much going for you though!", statement="I feel like such a failure."
    )
    assert "failure" not in failure.rewrite.lower() and "going for you" not in failure.rewrite


def test_what_blocked_goes_and_what_heard_stays(scorer) -> None:
    club = scorer.score(
        "That sounds lonely. Maybe join a book club? That's how I met my people.",
        statement="Since the divorce the evenings are so long. I end up talking to the telly.",
    )
    assert "That sounds lonely." in club.rewrite
    assert "book club" not in club.rewrite and "my people" not in club.rewrite
    rude = scorer.score(
        "Nice of you to finally say something. Poor you.",
        statement="I've been feeling really low and nobody asked.",
    )
    assert "Poor you" not in rude.rewrite and "underneath" not in rude.rewrite
    assert "You've been feeling really low and nobody asked." in rude.rewrite


def test_a_but_cuts_the_sentence_and_keeps_what_came_before(scorer) -> None:
    feedback = scorer.score(
        "It sounds like you're exhausted, but you should just quit.",
        statement="I'm exhausted from the night shifts.",
    )
    assert "It sounds like you're exhausted." in feedback.rewrite
    assert "quit" not in feedback.rewrite and "but" not in feedback.rewrite


def test_good_news_is_celebrated_not_consoled(scorer) -> None:
    for row in _fresh("good_news"):
        feedback = scorer.score(row["reply"], statement=row["statement"])
        rewrite = feedback.rewrite
        assert not any(w in rewrite.lower() for w in ("hard", "tough", "sorry", "here with you"))
        if feedback.verdict.value == "attuned":
            assert rewrite == row["reply"].strip()  # a good reply comes back as it was
        else:
            assert "!" in rewrite, rewrite


def test_a_worry_ahead_is_met_in_the_future(scorer) -> None:
    for row in _fresh("worry_ahead"):
        feedback = scorer.score(row["reply"], statement=row["statement"])
        if feedback.verdict is not Verdict.ATTUNED:
            assert "What was that like" not in feedback.rewrite
            assert feedback.rewrite.endswith("?"), feedback.rewrite


def test_a_complaint_at_the_listener_is_owned(scorer) -> None:
    for row in _fresh("complaint_at_listener"):
        feedback = scorer.score(row["reply"], statement=row["statement"])
        assert "I'm sorry" in feedback.rewrite, feedback.rewrite
        assert "It sounds like this has been" not in feedback.rewrite


def test_the_kind_of_statement_is_read_as_its_writer_meant_it(rubric) -> None:
    reading = rubric.settings.templates.reading
    kinds = {"good_news": "news", "worry_ahead": "ahead", "complaint_at_listener": "complaint"}
    for row in FRESH:
        # No feelings given: the kind is read from the words alone.
        read = kind_of(row["statement"], (), ("glad",), reading)
        assert read == kinds.get(row["kind"], read), row
        if row["kind"] not in kinds:
            assert read in ("hurt", "ahead"), row


def test_a_good_reply_comes_back_as_it_was(library, scorer) -> None:
    scenario = _scenario(library, "workshop-worst-day")
    reply = (
        "Sounds like a rough one, and you look completely drained. "
        "Want to tell me about it? I'm all ears."
    )
    feedback = scorer.score(reply, scenario=scenario)
    assert feedback.verdict is Verdict.ATTUNED and feedback.rewrite == reply


@pytest.mark.parametrize(
    ("said", "heard"),
    [
        ("Today's my dad's birthday", "Today's your dad's birthday"),
        ("I'm dreading it and I was up all night", "you're dreading it and you were up all night"),
        ("We got the keys to our first house", "you got the keys to your first house"),
        ("You never ask me how my day was", "I never ask you how your day was"),
        (
            "When I told you about it you changed the subject",
            "When you told me about it I changed the subject",
        ),
        ("I won't try to touch you anymore", "you won't try to touch me anymore"),
    ],
)
def test_what_the_speaker_said_is_said_back_in_the_other_voice(rubric, said, heard) -> None:
    assert in_other_voice(said, rubric.settings.templates.reading) == heard


def test_a_free_statement_has_a_model_reply(scorer) -> None:
    feedback = scorer.score("Ok.", statement="My horse had to be put down yesterday.")
    assert feedback.model_reply and feedback.model_reply.startswith(
        "Your horse had to be put down yesterday."
    )
    assert scorer.score(
        feedback.model_reply, statement="My horse had to be put down yesterday."
    ).verdict is (Verdict.ATTUNED)


def test_a_wording_with_a_wrong_blank_is_refused_with_its_place(tmp_path: Path) -> None:
    rubrics = Path(__file__).resolve().parents[1] / "rubrics"
    shutil.copytree(rubrics, tmp_path / "rubrics")
    settings = tmp_path / "rubrics" / "settings.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(
        text.replace('"You feel {feeling}."', '"You feel {feelings}."', 1), encoding="utf-8"
    )
    with pytest.raises(ContentError) as caught:
        load_rubric(tmp_path / "rubrics")
    message = str(caught.value)
    assert "settings.yaml" in message and "reflect_feeling[0]" in message and "{feeling}" in message


def test_score_with_a_free_statement_shows_an_attuned_reply() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "listen_trainer",
            "score",
            "--no-save",
            "--statement",
            "I'm dreading the exam tomorrow.",
            "You'll be fine.",
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert done.returncode == 0, done.stderr
    assert "One attuned reply: You're dreading the exam tomorrow." in done.stdout


def test_we_in_a_complaint_takes_the_listener_in(scorer) -> None:
    fun = scorer.score("Ok.", statement="We never do anything fun anymore.").rewrite
    assert "We never do anything fun anymore." in fun and "You never" not in fun
    keys = scorer.score(
        "Ok.", statement="We finally got the keys to our first house today!"
    ).rewrite
    assert "You finally got the keys to your first house today!" in keys
