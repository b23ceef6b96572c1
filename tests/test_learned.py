"""What the acts model adds to the rules (issue 13), as a learner sees it.

Every statement and reply here was written for these tests; none comes from the acts
data the model was trained on or measured against.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import get_args

import pytest

from listen_trainer.content.library import ContentError, load_rubric
from listen_trainer.content.models import Act, Category, Verdict
from listen_trainer.scoring import Scorer
from listen_trainer.scoring.learned import MODEL_DIR, ActsModel, ActsModelError

REPO = Path(__file__).resolve().parents[1]
RENT = "The rent went up again and I'm scared we'll have to move."
EXAM = "I can't stop worrying about my exam on Friday."
DAD = "I felt so sad all day. I keep thinking about Dad."

# The listener's own story, told in words no rule lists.
OWN_STORIES = [
    (RENT, "Back in 2019 our landlord doubled it and we ended up in a tiny flat for years."),
    (EXAM, "My finals were a nightmare, I barely slept that whole month and I failed two of them."),
    (DAD, "Honestly my grandmother's death hit me the same way, I cried for months."),
]


def learned(feedback, category: Category) -> list[str]:
    return [
        f.text for f in feedback.flags if f.category is category and f.rule.startswith("learned:")
    ]


@pytest.mark.parametrize(("statement", "reply"), OWN_STORIES)
def test_an_own_story_no_rule_lists_is_flagged_as_a_whole_sentence(
    scorer: Scorer, rules_scorer: Scorer, statement: str, reply: str
) -> None:
    feedback = scorer.score(reply, statement=statement)
    assert learned(feedback, Category.DEFLECTING) == [reply]
    assert feedback.verdict is Verdict.DEFLECTING
    flag = next(f for f in feedback.flags if f.rule.startswith("learned:"))
    assert "model" in flag.message
    # The rules alone would have let it pass: this is what the model adds.
    assert Category.DEFLECTING not in {
        f.category for f in rules_scorer.score(reply, statement=statement).flags
    }


@pytest.mark.parametrize(
    ("statement", "reply", "category"),
    [
        (EXAM, "Try not to dwell on it so much.", Category.DISMISSING),
        (RENT, "Plenty of people would love to have your problems.", Category.MINIMISING),
    ],
)
def test_a_roadblock_in_new_words_is_heard(
    scorer: Scorer, statement: str, reply: str, category: Category
) -> None:
    feedback = scorer.score(reply, statement=statement)
    assert category in {f.category for f in feedback.flags}, feedback.flags


@pytest.mark.parametrize(
    ("statement", "reply", "not_flagged"),
    [
        # A roadblock set aside out loud, or reported, is not the listener's.
        (
            EXAM,
            "I won't tell you to stop worrying. It makes sense that it's getting to you.",
            Category.DISMISSING,
        ),
        (
            "My boss says I'm too slow.",
            "So your boss keeps telling you to just get over it?",
            Category.DISMISSING,
        ),
        # Their own words said back are theirs, not advice or a brush-off.
        (
            "I don't need pills. I'm not crazy.",
            "You don't need pills, and you're not crazy.",
            Category.DISMISSING,
        ),
        # A brief "me too" that turns back to them is not turning to oneself.
        (DAD, "I miss your dad too.", Category.DEFLECTING),
    ],
)
def test_the_model_does_not_overrule_what_the_rules_read(
    scorer: Scorer, statement: str, reply: str, not_flagged: Category
) -> None:
    feedback = scorer.score(reply, statement=statement)
    assert not_flagged not in {f.category for f in feedback.flags}, feedback.flags


def test_a_guess_of_validation_alone_is_neither_credit_nor_placating(scorer: Scorer) -> None:
    feedback = scorer.score("Right, okay. Makes sense.", statement=EXAM)
    assert feedback.verdict is Verdict.MISSED
    assert not feedback.flags


def test_the_verdict_names_the_rules_roadblock_before_the_models(scorer: Scorer) -> None:
    feedback = scorer.score("Mine was worse, trust me.", statement="I had the worst day at work.")
    assert feedback.verdict is Verdict.DEFLECTING


def test_the_rules_alone_can_be_asked_for(rules_scorer: Scorer) -> None:
    feedback = rules_scorer.score(OWN_STORIES[0][1], statement=RENT)
    assert not [f for f in feedback.flags if f.rule.startswith("learned:")]


def test_the_shipped_model_knows_every_act_the_settings_may_name(scorer: Scorer) -> None:
    # Settings may name any Act: a model rebuilt without one would break a rubric edit.
    cfg = json.loads((MODEL_DIR / "textcat_multilabel" / "cfg").read_text())
    assert set(get_args(Act)) == set(cfg["labels"])
    named = {a.act for a in scorer.rubric.settings.learned}
    assert named and named <= set(cfg["labels"])


def test_settings_naming_an_unknown_act_is_a_clear_error(tmp_path: Path) -> None:
    rubrics = tmp_path / "rubrics"
    rubrics.mkdir()
    for path in (REPO / "rubrics").glob("*.yaml"):
        (rubrics / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    settings = rubrics / "settings.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("{act: dismiss,", "{act: brushing_off,"), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_rubric(rubrics)
    message = str(caught.value)
    assert "settings.yaml:" in message and "learned" in message and "'dismiss'" in message


def test_a_missing_model_is_a_clear_error(scorer: Scorer, tmp_path: Path) -> None:
    with pytest.raises(ActsModelError, match="acts model cannot be read") as caught:
        ActsModel(scorer.nlp, scorer.rubric.settings.learned, folder=tmp_path)
    assert str(tmp_path) in str(caught.value)


def test_one_word_of_theirs_does_not_make_ones_own_story_theirs(scorer: Scorer, library) -> None:
    # The scenario says "three years"; the story shares "years" and is still one's own.
    scenario = library.find("family-friends-break-up")
    assert scenario is not None
    reply = (
        "Honestly my ex did the exact same thing to me two years ago, took me ages to get over it."
    )
    feedback = scorer.score(reply, scenario=scenario)
    assert learned(feedback, Category.DEFLECTING) == [reply]
    assert feedback.verdict is Verdict.DEFLECTING
    # Nor is a word of one's own story credited as said back to them.
    assert {f.category for f in feedback.flags} == {Category.DEFLECTING}
    assert feedback.skills.reflect_content == 0


def test_a_hardship_word_in_ones_own_story_is_not_validation(scorer: Scorer, library) -> None:
    scenario = library.find("family-friends-break-up")
    assert scenario is not None
    reply = "When my parents split up I went quiet for a whole year, it was awful."
    feedback = scorer.score(reply, scenario=scenario)
    assert {f.category for f in feedback.flags} == {Category.DEFLECTING}
    assert feedback.skills.validate_ == 0
