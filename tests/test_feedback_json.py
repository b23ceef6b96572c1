"""The JSON the engine writes without building a Feedback is the Feedback's JSON, byte for byte.

`score_many_json` (what `score --jsonl` prints and the workers send) lays the Feedback out
as plain values and writes them, without validating a model: its text must be exactly
`json.dumps(feedback.model_dump(mode="json"))` of the Feedback `score_many` gives, and that
text must validate back into that Feedback (the validation the path skips still holds).
The replies cover every category, a safety statement, an over-long reply, an empty one, a
lone surrogate, non-ASCII, scenarios and free statements with the speaker's own picks.
"""

from __future__ import annotations

import json

import pytest

from listen_trainer.content.library import Library, Rubric
from listen_trainer.content.models import Category
from listen_trainer.scoring import Feedback, Scorer, ScoreRequest


def varied(library: Library, rubric: Rubric) -> list[ScoreRequest]:
    scenarios = [s for _, s in library.scenarios()]
    examples = [rubric.categories[c].example for c in Category]
    special = [
        ScoreRequest("It sounds lonely, and you want to matter to him.", statement="He left."),
        ScoreRequest(
            "It sounds lonely, and you want to matter to him.",
            statement="He left.",
            feelings=("lonely", "hurt"),
            needs=("to matter",),
        ),
        ScoreRequest("Are you safe right now?", statement="I want to end my life."),
        ScoreRequest("Cheer up, you'll be fine.", statement="I feel suicidal lately."),
        ScoreRequest("", statement="I failed my exam."),
        ScoreRequest("   \n\t", scenario=scenarios[0]),
        ScoreRequest("You should relax. " * 6000, statement="I'm so stressed."),  # ~100 KB
        ScoreRequest("I hear how \ud800 hurt you are \udfff", statement="He left \ud800."),
        ScoreRequest("Why didn't you\ud800 just tell him?", statement="He lied \udfff."),
        ScoreRequest("Ça doit être dur, naïve café 😢 — you're sad", statement="Je suis triste."),
        ScoreRequest('She said "never" \\ and\x00left\x1f you', statement="My wife\x07 left."),
    ]
    statements = [s.statement for s in scenarios[:3]]
    return [
        *special,
        *(ScoreRequest(e, statement=st) for e in examples for st in statements),
        *(ScoreRequest(e, scenario=s) for s in scenarios[:4] for e in examples),
        *(ScoreRequest(e.reply, scenario=s) for s in scenarios for e in s.exemplars),
        *(ScoreRequest(e.reply, statement=s.statement) for s in scenarios for e in s.exemplars),
    ]


@pytest.fixture(scope="module")
def both(
    scorer: Scorer, library: Library, rubric: Rubric
) -> tuple[list[ScoreRequest], list[Feedback], list[str]]:
    batch = varied(library, rubric)
    models = list(scorer.score_many(batch, workers=1))
    texts = list(scorer.score_many_json(batch, workers=1))
    return batch, models, texts


def test_the_json_path_writes_the_feedbacks_json_byte_for_byte(
    both: tuple[list[ScoreRequest], list[Feedback], list[str]],
) -> None:
    batch, models, texts = both
    assert len(texts) == len(models) == len(batch)
    for request, model, text in zip(batch, models, texts, strict=True):
        assert text == json.dumps(model.model_dump(mode="json")), request.reply[:80]


def test_the_json_path_validates_back_into_the_same_feedback(
    both: tuple[list[ScoreRequest], list[Feedback], list[str]],
) -> None:
    _, models, texts = both
    assert [Feedback.model_validate_json(t) for t in texts] == models
    assert all(t.isascii() for t in texts)


def test_the_batch_covers_what_the_json_must_carry(
    both: tuple[list[ScoreRequest], list[Feedback], list[str]],
) -> None:
    # Without this, a change of rubric could leave the tests above checking plain cases only.
    _, models, _ = both
    assert {f.category for m in models for f in m.flags} == set(Category)
    assert any(m.safety for m in models) and any(m.truncated for m in models)
    assert any(m.model_reply for m in models) and any(m.heard.named_underlying for m in models)
    assert any("\ufffd" in f.text for m in models for f in m.flags)
    assert len({m.verdict for m in models}) >= 8
