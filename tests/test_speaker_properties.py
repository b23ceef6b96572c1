"""Any text at all gives the speaker a valid, bounded, deterministic Feedback whose flags
point into the text as typed."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from listen_trainer.content.speaker_models import Side, SpeakerVerdict
from speaker_fixtures import speaker_rubric, speaker_scorer  # noqa: F401

WORDS = st.sampled_from(
    [
        "you",
        "never",
        "always",
        "I",
        "feel",
        "felt",
        "lonely",
        "ignored",
        "would",
        "could",
        "tonight",
        "at",
        "11",
        "not",
        "selfish",
        "make",
        "me",
        "'",
        '"',
        "?",
        ".",
        ",",
        "it's",
        "fine",
        "never mind",
        "take",
        "out",
        "the",
        "trash",
        "need",
        "space",
        "and",
        "then",
        "I'll",
        "be",
        "back",
        "oh",
        "great",
        "whatever",
        "lonley",
        "\u2019",
        "\x00",
        "😢",
    ]
)
TEXTS = st.one_of(st.text(max_size=300), st.lists(WORDS, max_size=40).map(" ".join))


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=TEXTS)
def test_any_text_gives_a_valid_feedback(speaker_scorer, text: str) -> None:  # noqa: F811
    feedback = speaker_scorer.score(text)
    assert feedback.side is Side.SPEAKER
    assert isinstance(feedback.verdict, SpeakerVerdict)
    assert 0 <= feedback.score <= 100 and 1 <= feedback.depth <= 5
    assert all(0 <= v <= 1 for v in feedback.skills.as_dict().values())
    for flag in feedback.flags:
        assert 0 <= flag.start <= flag.end <= len(text)
        assert text[flag.start : flag.end] == flag.text
    assert speaker_scorer.score(text) == feedback
