"""The scoring engine, as a learner would meet it: (statement, reply) -> what it says.

Every reply here was written for these tests; none comes from the outside data.
"""

from __future__ import annotations

import pytest

from listen_trainer.content.models import Category, Scenario, Verdict
from listen_trainer.scoring import Feedback, Scorer, ScoreRequest

SAD = "I felt so sad all day."
ANGRY = "You never take out the trash. I'm so angry I could scream."
WORRIED = "I have my driving test tomorrow and I'm really nervous."


def cats(feedback: Feedback) -> set[Category]:
    return {f.category for f in feedback.flags}


# --------------------------------------------------------------------------- roadblocks


@pytest.mark.parametrize(
    ("statement", "reply", "category"),
    [
        (SAD, "You should get an early night and read a good book.", Category.FIXING),
        (SAD, "Maybe you could go for a run, it might help to clear your head.", Category.FIXING),
        (SAD, "Have you tried writing it all down?", Category.FIXING),
        (SAD, "Why don't you call your sister tonight?", Category.FIXING),
        (SAD, "Take a long bath and go to bed early.", Category.FIXING),
        (SAD, "At least you got to spend the day outside.", Category.MINIMISING),
        (SAD, "It could be worse, you know.", Category.MINIMISING),
        (WORRIED, "It's not a big deal, it's just a test.", Category.MINIMISING),
        (SAD, "Don't be sad, honey.", Category.DISMISSING),
        (WORRIED, "Calm down, you'll be fine.", Category.DISMISSING),
        (WORRIED, "You're overreacting about a silly test.", Category.DISMISSING),
        (SAD, "That reminds me of the time my own dog died.", Category.DEFLECTING),
        (SAD, "I know exactly how you feel, I had an awful week too.", Category.DEFLECTING),
        (SAD, "Anyway, what do you want for dinner?", Category.DEFLECTING),
        (ANGRY, "That's not true, I took it out on Monday.", Category.DEFENDING),
        (ANGRY, "I did the recycling yesterday!", Category.DEFENDING),
        (ANGRY, "I work all day, what else do you want from me?", Category.DEFENDING),
        (ANGRY, "Ok. Sorry you feel that way.", Category.PLACATING),
        (ANGRY, "Fine, whatever you want.", Category.PLACATING),
        (WORRIED, "Why didn't you practise more last week?", Category.INTERROGATING),
        (WORRIED, "I told you so. You should have booked more lessons.", Category.JUDGING),
        (ANGRY, "You're being so dramatic about a bin bag.", Category.JUDGING),
    ],
)
def test_each_roadblock_is_flagged_and_named_as_the_verdict(
    scorer: Scorer, statement: str, reply: str, category: Category
) -> None:
    feedback = scorer.score(reply, statement=statement)
    assert category in cats(feedback)
    assert feedback.verdict.value == category.value
    assert feedback.depth == 1
    assert feedback.skills.avoid_roadblocks < 1


# --------------------------------------------------------------------------- credits


@pytest.mark.parametrize(
    ("statement", "reply", "category"),
    [
        (SAD, "It makes sense that you're sad after a day like that.", Category.VALIDATING),
        (SAD, "Of course you're sad. It's ok to be sad.", Category.VALIDATING),
        (SAD, "I'm here, and I'm not going anywhere.", Category.PRESENCE),
        (SAD, "You're not alone in this.", Category.PRESENCE),
        (SAD, "What was the hardest part of today?", Category.EXPLORING),
        (SAD, "Tell me more about it.", Category.EXPLORING),
        (SAD, "It sounds like today was really sad. Is that right?", Category.CHECKING),
        (SAD, "You sound so sad.", Category.REFLECTING_FEELING),
        (SAD, "Did something happen at work?", Category.CLOSED_QUESTION),
    ],
)
def test_credits_are_found(scorer: Scorer, statement: str, reply: str, category: Category) -> None:
    assert category in cats(scorer.score(reply, statement=statement))


# --------------------------------------------------------------------------- the seeds' example


def test_the_seeds_attuned_reply_is_attuned(scorer: Scorer) -> None:
    reply = (
        "It's ok to be sad, honey. I can see why that would make you sad. "
        "I miss your dad too. You can be sad."
    )
    feedback = scorer.score(reply, statement=SAD)
    assert feedback.verdict is Verdict.ATTUNED
    assert feedback.skills.reflect_feeling == 1
    assert feedback.skills.validate_ == 1
    assert not cats(feedback) & {Category.PLACATING, Category.FIXING}


def test_a_stock_apology_is_placating_not_attuned(scorer: Scorer) -> None:
    feedback = scorer.score("Ok. Sorry you feel that way.", statement=SAD)
    assert feedback.verdict is Verdict.PLACATING
    assert feedback.score < 30


def test_a_silver_lining_is_minimising(scorer: Scorer) -> None:
    feedback = scorer.score("At least you have good memories.", statement=SAD)
    assert feedback.verdict is Verdict.MINIMISING


def test_validation_with_nothing_specific_is_hollow(scorer: Scorer) -> None:
    alone = scorer.score("I understand.", statement=SAD)
    assert alone.verdict is Verdict.PLACATING
    assert any(f.rule.startswith("hollow:") for f in alone.flags)
    specific = scorer.score("I understand, it sounds like a really sad day.", statement=SAD)
    assert specific.verdict is not Verdict.PLACATING
    assert Category.VALIDATING in cats(specific)


@pytest.mark.parametrize(
    ("statement", "reply"),
    [
        # Something of theirs in the listener's own words, sharing no word with them.
        ("My grandad died on Sunday.", "I'm so sorry. I know how close you two were."),
        (
            "I've been so lonely since I moved here.",
            "New city, nobody who knows you yet. No wonder the evenings feel long.",
        ),
        ("I got the promotion!!", "That's brilliant, you worked so hard for it!"),
        (
            "I'm terrified about the surgery tomorrow.",
            "Of course you are, anyone would be. I'll be there when you wake up.",
        ),
    ],
)
def test_validation_beside_their_story_in_own_words_is_not_hollow(
    scorer: Scorer, statement: str, reply: str
) -> None:
    feedback = scorer.score(reply, statement=statement)
    assert feedback.verdict is not Verdict.PLACATING
    assert Category.VALIDATING in cats(feedback)


@pytest.mark.parametrize(
    "reply",
    [
        "Oh. Nice, good for you.",  # a word of praise beside it is no more of theirs
        "I'm sorry you're going through this.",  # stock words only
        "I understand. Anyway, what's for dinner?",  # a question, and not about them
    ],
)
def test_stock_validation_with_filler_stays_hollow(scorer: Scorer, reply: str) -> None:
    feedback = scorer.score(reply, statement="I got the promotion!!")
    assert Category.VALIDATING not in cats(feedback)


# --------------------------------------------------------------------------- structure


def test_negation_flips_a_dismissal_into_validation(scorer: Scorer) -> None:
    feedback = scorer.score(
        "You're not overreacting. Being this nervous makes sense.", statement=WORRIED
    )
    assert Category.DISMISSING not in cats(feedback)
    assert Category.VALIDATING in cats(feedback)


def test_negation_cancels_advice(scorer: Scorer) -> None:
    feedback = scorer.score("I'm not going to tell you what you should do.", statement=SAD)
    assert Category.FIXING not in cats(feedback)


def test_shouldnt_feel_is_dismissing_not_fixing(scorer: Scorer) -> None:
    feedback = scorer.score("You shouldn't feel so nervous.", statement=WORRIED)
    assert cats(feedback) & set(Category) == {Category.DISMISSING}


def test_yes_but_undoes_the_validation_before_it(scorer: Scorer) -> None:
    feedback = scorer.score("I hear you, but you need to stop worrying.", statement=WORRIED)
    undone = [f for f in feedback.flags if f.rule.startswith("yes-but:")]
    assert undone and undone[0].category is Category.PLACATING
    assert undone[0].text == "I hear you"
    assert Category.VALIDATING not in cats(feedback)
    assert feedback.verdict is not Verdict.ATTUNED


def test_advice_inside_a_reflection_is_not_fixing(scorer: Scorer) -> None:
    feedback = scorer.score(
        "It sounds like when you have to ask twice, you feel ignored.",
        statement="I keep asking you for help and nothing happens.",
    )
    assert Category.FIXING not in cats(feedback)


@pytest.mark.parametrize(
    ("reply", "category"),
    [
        ("How did the lesson go today?", Category.EXPLORING),
        ("Are you ready for it?", Category.CLOSED_QUESTION),
        ("Why did you leave it so late?", Category.INTERROGATING),
        ("Why don't you do one more lesson?", Category.FIXING),
    ],
)
def test_questions_are_told_apart(scorer: Scorer, reply: str, category: Category) -> None:
    assert category in cats(scorer.score(reply, statement=WORRIED))


@pytest.mark.parametrize("reply", ["You sound so frustated.", "You must be so frusterated."])
def test_typos_in_feeling_words_still_reflect(scorer: Scorer, reply: str) -> None:
    statement = "My boss moved the deadline again and I'm so frustrated."
    feedback = scorer.score(reply, statement=statement)
    assert feedback.skills.reflect_feeling == 1
    assert "frustrated" in feedback.heard.named_surface


def test_stretched_words_are_read(scorer: Scorer) -> None:
    feedback = scorer.score("Oh love, that sounds sooo saaad.", statement=SAD)
    assert feedback.skills.reflect_feeling == 1


def test_a_real_word_is_not_corrected_into_a_feeling(scorer: Scorer) -> None:
    feedback = scorer.score("I heard you.", statement=SAD)
    assert feedback.skills.reflect_feeling == 0


# --------------------------------------------------------------------------- attunement depth


def test_naming_the_hurt_under_anger_goes_deeper_than_naming_the_anger(scorer: Scorer) -> None:
    surface = scorer.score("You're really angry about the trash.", statement=ANGRY)
    deeper = scorer.score(
        "You're angry, and underneath I think you feel hurt and alone with the chores.",
        statement=ANGRY,
    )
    fullest = scorer.score(
        "It makes sense you're angry. Underneath I think you feel hurt, "
        "like you're alone with it all. I'm here.",
        statement=ANGRY,
    )
    assert "hurt" in deeper.heard.underlying
    assert surface.depth == 3
    assert deeper.depth == 4
    assert fullest.depth == 5
    assert surface.score < deeper.score < fullest.score


def test_a_wrong_feeling_counts_less_and_says_so(scorer: Scorer) -> None:
    right = scorer.score("You sound nervous about tomorrow.", statement=WORRIED)
    wrong = scorer.score("You sound angry about tomorrow.", statement=WORRIED)
    assert wrong.skills.reflect_feeling < right.skills.reflect_feeling
    assert wrong.depth == 2
    assert any("not quite the one" in s for s in wrong.suggestions)


def test_a_scenario_gives_the_target(scorer: Scorer) -> None:
    scenario = Scenario.model_validate(
        {
            "id": "test-trash",
            "statement": "You never take out the trash!",
            "speaker": "partner",
            "situation": "After a long week.",
            "feelings": {"surface": ["angry"], "underlying": ["hurt", "lonely"]},
            "needs": ["support"],
            "key_content": ["trash", "chores"],
            "gist": "feeling like the chores are all on you",
            "difficulty": 3,
            "teaching_note": "The complaint carries a wish to be a team.",
            "exemplars": [
                {"reply": "You feel alone with the chores, and that hurts.", "label": "attuned"}
            ],
        }
    )
    feedback = scorer.score(
        "It sounds like you feel alone with the chores, and that hurts.", scenario=scenario
    )
    assert feedback.verdict is Verdict.ATTUNED
    assert set(feedback.heard.named_underlying) >= {"hurt", "lonely"}
    assert "chores" in feedback.heard.content_touched
    fixing = scorer.score("You should make a chore chart.", scenario=scenario)
    assert "chores are all on you" in fixing.rewrite
    assert fixing.model_reply == "You feel alone with the chores, and that hurts."


# --------------------------------------------------------------------------- free statements


def test_a_free_statement_is_read_for_feelings_and_content(scorer: Scorer) -> None:
    feedback = scorer.score(
        "Losing your job has been really hard.", statement="I'm scared about losing my job."
    )
    assert feedback.heard.surface == ["scared"]
    assert "job" in feedback.heard.content_touched
    # "Hard" acknowledges the hardship: a validation, not the feeling they named.
    assert feedback.skills.validate_ == 1
    assert feedback.skills.reflect_feeling == 0
    named = scorer.score(
        "Losing your job sounds really scary.", statement="I'm scared about losing my job."
    )
    assert named.skills.reflect_feeling == 1
    assert named.heard.named_surface == ["scared"]


def test_information_that_shares_a_word_is_not_a_reflection(scorer: Scorer) -> None:
    feedback = scorer.score(
        "Jobs are hard to find these days.", statement="I'm scared about losing my job."
    )
    assert feedback.heard.content_touched == []
    assert feedback.skills.reflect_feeling == 0


def test_a_complaint_is_heard_as_a_longing(scorer: Scorer) -> None:
    feedback = scorer.score(
        "You want to know you matter to me.", statement="You always fall asleep in front of the TV."
    )
    assert "matter" in feedback.heard.underlying
    assert feedback.depth >= 4


def test_what_the_speaker_picked_is_what_a_reply_is_measured_against(scorer: Scorer) -> None:
    # Partner practice: the statement names no feeling, the speaker picked theirs.
    statement = "You checked your phone all through dinner again."
    unpicked = scorer.score(
        "You feel hurt, and you want to know you matter to me.", statement=statement
    )
    picked = scorer.score(
        "You feel hurt, and you want to know you matter to me.",
        statement=statement,
        feelings=["annoyed", "hurt"],
        needs=["matter"],
    )
    assert picked.heard.surface == ["frustrated"]  # the unsaid annoyance shows on the surface
    assert {"hurt", "matter"} <= set(picked.heard.underlying)
    assert {"hurt", "matter"} <= set(picked.heard.named_underlying)
    assert picked.depth >= 4
    assert picked.score > unpicked.score
    # A pick outside the lexicon is ignored, not an error.
    odd = scorer.score("That sounds hard.", statement=statement, feelings=["blorp"])
    assert odd.heard.surface == []


# --------------------------------------------------------------------------- safety


def test_risk_in_the_statement_is_marked_and_help_is_not_fixing(scorer: Scorer) -> None:
    statement = "Some days I don't want to be here anymore."
    feedback = scorer.score(
        "Are you safe right now? You should call a crisis line with me.", statement=statement
    )
    assert feedback.safety and "safety" in feedback.safety
    assert Category.FIXING not in cats(feedback)
    ordinary = scorer.score("You should call a crisis line with me.", statement=SAD)
    assert ordinary.safety is None
    assert Category.FIXING in cats(ordinary)


# --------------------------------------------------------------------------- the Feedback value


def test_spans_cover_the_text_they_claim(scorer: Scorer) -> None:
    reply = "I hear you,\tbut\x00 you should rest. Don't be sad! 😢 What happened?"
    feedback = scorer.score(reply, statement=SAD)
    assert feedback.flags
    for flag in feedback.flags:
        assert reply[flag.start : flag.end] == flag.text


def test_the_rewrite_keeps_the_good_and_drops_the_roadblock(scorer: Scorer) -> None:
    feedback = scorer.score("You should get some sleep. I love you.", statement=SAD)
    assert "should" not in feedback.rewrite
    assert "I love you." in feedback.rewrite
    assert "sad" in feedback.rewrite


def test_an_empty_reply_gets_a_prompt_not_a_verdict_of_skill(scorer: Scorer) -> None:
    feedback = scorer.score("   ", statement=SAD)
    assert feedback.flags == []
    assert feedback.depth == 1
    assert "Nothing in this reply" in feedback.suggestions[0]


def test_a_very_long_reply_is_cut_and_says_so(scorer: Scorer) -> None:
    feedback = scorer.score("You sound sad. " * 2000, statement=SAD)
    assert feedback.truncated
    assert "first" in feedback.suggestions[0]


def test_batches_come_back_in_order(scorer: Scorer) -> None:
    replies = ["Don't be sad.", "It sounds so sad.", "You should rest."]
    results = list(scorer.score_many(ScoreRequest(r, statement=SAD) for r in replies))
    assert [f.verdict for f in results] == [scorer.score(r, statement=SAD).verdict for r in replies]
    assert results[0].verdict is Verdict.DISMISSING


def test_json_uses_the_public_names(scorer: Scorer) -> None:
    data = scorer.score("You sound sad.", statement=SAD).model_dump(mode="json")
    assert {"score", "verdict", "depth", "skills", "flags", "suggestions", "rewrite"} <= set(data)
    assert set(data["skills"]) == {
        "reflect_feeling",
        "reflect_content",
        "validate",
        "explore",
        "presence",
        "avoid_roadblocks",
    }
    assert set(data["flags"][0]) == {"category", "start", "end", "text", "rule", "message"}
