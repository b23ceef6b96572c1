"""The speaker's scorer: what a learner sees when they say a hard thing softly or harshly."""

from __future__ import annotations

import json

import pytest

from listen_trainer.content.speaker_models import Side, SpeakerCategory, SpeakerVerdict
from listen_trainer.scoring import Feedback
from speaker_fixtures import speaker_library, speaker_rubric, speaker_scorer  # noqa: F401

SOFT = (
    "I feel lonely at eleven doing the last job alone; I want us to be a team. "
    "Would you start it with me tonight?"
)


def test_verdict_labels_are_the_speakers() -> None:
    assert [v.value for v in SpeakerVerdict] == [
        "soft_startup",
        "partly_soft",
        "criticising",
        "blaming",
        "contempt",
        "hinting",
        "demanding",
    ]


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        (SOFT, SpeakerVerdict.SOFT_STARTUP),
        ("You never take out the trash.", SpeakerVerdict.CRITICISING),
        ("You're so selfish.", SpeakerVerdict.CRITICISING),
        ("Why can't you ever clear the table?", SpeakerVerdict.CRITICISING),
        ("Oh great, thanks a lot.", SpeakerVerdict.CONTEMPT),
        ("You make me feel invisible.", SpeakerVerdict.BLAMING),
        ("I feel ignored.", SpeakerVerdict.BLAMING),
        ("I feel that you don't care.", SpeakerVerdict.BLAMING),
        ("Never mind, it's fine.", SpeakerVerdict.HINTING),
        ("Take out the trash right this minute.", SpeakerVerdict.DEMANDING),
        ("I felt lonely last night.", SpeakerVerdict.PARTLY_SOFT),
        ("Could you start the dishwasher tonight?", SpeakerVerdict.PARTLY_SOFT),
        (
            "I'm worn out and a bit overwhelmed. I need an hour to myself, and then I want "
            "to hear about your day.",
            SpeakerVerdict.SOFT_STARTUP,
        ),
        ("I'm scared about tomorrow. Would you hold me for a minute?", SpeakerVerdict.SOFT_STARTUP),
    ],
)
def test_verdicts(speaker_scorer, text: str, verdict: SpeakerVerdict) -> None:  # noqa: F811
    feedback = speaker_scorer.score(text)
    assert feedback.verdict is verdict, [(f.rule, f.text) for f in feedback.flags]
    assert feedback.side is Side.SPEAKER


def test_soft_startup_scores_above_any_harsh_one(speaker_scorer) -> None:  # noqa: F811
    soft = speaker_scorer.score(SOFT)
    for harsh in ("You never help.", "Oh great, thanks a lot.", "Do it now. Or else."):
        assert speaker_scorer.score(harsh).score < soft.score
    assert soft.depth == 5


def test_flags_point_at_the_words_typed(speaker_scorer) -> None:  # noqa: F811
    text = "Honestly? You\u2019re always on your phone, and I feel so lonley at dinner."
    feedback = speaker_scorer.score(text)
    for flag in feedback.flags:
        assert text[flag.start : flag.end] == flag.text
    found = {f.category for f in feedback.flags}
    assert SpeakerCategory.CRITICISM in found  # a curly apostrophe is read as a straight one
    assert SpeakerCategory.VULNERABLE_FEELING in found  # "lonley" is lonely, misspelt


@pytest.mark.parametrize(
    "text",
    ["You're not selfish, I just need a hand tonight.", "It's not your fault; I'm tired."],
)
def test_a_negated_charge_is_no_charge(speaker_scorer, text: str) -> None:  # noqa: F811
    feedback = speaker_scorer.score(text)
    assert not {f.category for f in feedback.flags} & {
        SpeakerCategory.CRITICISM,
        SpeakerCategory.BLAME,
    }


def test_a_charge_in_quotation_marks_is_reported_speech(speaker_scorer) -> None:  # noqa: F811
    text = "When you said 'whatever' last night, I felt lonely. Could we choose together tonight?"
    feedback = speaker_scorer.score(text)
    assert SpeakerCategory.HINTING not in {f.category for f in feedback.flags}
    assert feedback.verdict is SpeakerVerdict.SOFT_STARTUP


def test_a_feeling_charged_to_them_is_not_owned(speaker_scorer) -> None:  # noqa: F811
    feedback = speaker_scorer.score("You make me feel so lonely.")
    assert feedback.skills.feel == 0
    assert feedback.verdict is SpeakerVerdict.BLAMING


def test_a_vague_request_is_less_than_a_specific_one(speaker_scorer) -> None:  # noqa: F811
    vague = speaker_scorer.score("I feel lonely. Could you help me more?")
    specific = speaker_scorer.score("I feel lonely. Could you help me with the dishes tonight?")
    negative = speaker_scorer.score("I feel lonely. Could you stop going out?")
    assert specific.skills.request > vague.skills.request > negative.skills.request > 0


def test_against_a_scenario_the_rewrite_and_model_use_its_feelings(
    speaker_scorer,  # noqa: F811
    speaker_library,  # noqa: F811
) -> None:
    scenario = speaker_library.find("soft-dishwasher")
    feedback = speaker_scorer.score(scenario.harsh, scenario)
    assert feedback.verdict is SpeakerVerdict.CRITICISING
    assert "You never" not in feedback.rewrite
    assert "lonely" in feedback.rewrite
    assert feedback.model_reply == scenario.best_exemplar().reply
    assert feedback.heard.underlying == sorted({"lonely", "support", "closeness"})
    softer = speaker_scorer.score(scenario.best_exemplar().reply, scenario)
    assert "lonely" in softer.heard.named_underlying


@pytest.mark.parametrize("text", ["", "   \n", "\x00\x07", "?!", "a" * 20_000])
def test_any_text_gives_a_valid_feedback(speaker_scorer, text: str) -> None:  # noqa: F811
    feedback = speaker_scorer.score(text)
    assert 0 <= feedback.score <= 100
    assert feedback.truncated is (len(text) > speaker_scorer.rubric.settings.max_chars)
    # The JSON round-trips into the same Feedback, speaker skills and verdict included.
    again = Feedback.model_validate(json.loads(feedback.model_dump_json()))
    assert again == feedback


def test_speaker_json_says_its_side_and_skills(speaker_scorer) -> None:  # noqa: F811
    data = json.loads(speaker_scorer.score(SOFT).model_dump_json())
    assert data["side"] == "speaker"
    assert data["verdict"] == "soft_startup"
    assert set(data["skills"]) == {
        "observe",
        "feel",
        "need",
        "request",
        "reassure",
        "avoid_harshness",
    }


def test_listener_json_gains_only_its_side(scorer) -> None:
    data = json.loads(scorer.score("It sounds lonely.", statement="He left.").model_dump_json())
    assert data["side"] == "listener"
    text = next(scorer.score_many_json([_request("It sounds lonely.", "He left.")]))
    assert json.loads(text) == data


def _request(reply: str, statement: str):
    from listen_trainer.scoring import ScoreRequest

    return ScoreRequest(reply, statement=statement)


def test_sharing_the_listeners_pipeline_scores_the_same(scorer, speaker_scorer) -> None:  # noqa: F811
    from listen_trainer.scoring.speaker import SpeakerScorer

    shared = SpeakerScorer(speaker_scorer.rubric, nlp=scorer.nlp)
    for text in (SOFT, "You never help.", "Never mind."):
        assert shared.score(text) == speaker_scorer.score(text)
