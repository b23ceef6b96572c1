"""Judgement a learner would notice: the verdict's reason, whose words a feeling is, the
roadblocks people really word, and feelings heard by family, not spelling.

Each family is a table of replies it must catch and near-misses it must let pass.
"""

from __future__ import annotations

import pytest

from listen_trainer.scoring import Scorer

STATEMENT = "I didn't get the job and I feel useless."


def categories(scorer: Scorer, reply: str, statement: str = STATEMENT) -> set[str]:
    return {f.category.value for f in scorer.score(reply, statement=statement).flags}


@pytest.mark.parametrize("reply", ["haha", "ok", "Mm. Right, okay.", "Cool."])
def test_a_reply_that_hears_nothing_and_blocks_nothing_is_missed_and_told_why(
    scorer: Scorer, reply: str
) -> None:
    feedback = scorer.score(reply, statement=STATEMENT)
    assert feedback.verdict.value == "missed"
    assert feedback.depth == 1
    assert not feedback.flags
    assert feedback.suggestions[0] == scorer.rubric.settings.messages.missed


def test_missed_never_outscores_a_thin_try(scorer: Scorer) -> None:
    assert (
        scorer.score("haha", statement=STATEMENT).score
        <= scorer.score("I hear you", statement=STATEMENT).score
    )


def test_placating_needs_the_words_that_made_it(scorer: Scorer) -> None:
    for reply in ("haha", "Ok.", "Sure. Okay.", "Oh, cool."):
        feedback = scorer.score(reply, statement=STATEMENT)
        if feedback.verdict.value == "placating":
            assert any(f.category.value == "placating" for f in feedback.flags)


@pytest.mark.parametrize(
    ("category", "catches", "passes"),
    [
        (
            "minimising",
            [
                "He's at peace now.",
                "Honestly some people never even get interviews.",
                "You've got so much going for you though!",
                "I'm sure you'll find something soon.",
                "Things will get better, I promise.",
                "I believe you will do well.",
            ],
            ["That must be so disappointing after all the work you put in."],
        ),
        (
            "judging",
            [
                "Nice of you to finally say something. Poor you.",
                "Isn't that a bit dramatic?",
                "Bit of an overreaction, no?",
                "Well, you did say you hated that job.",
            ],
            ["That sounds like it really knocked you.", "You did everything you could."],
        ),
        (
            # Excusing whoever did it, before they feel heard.
            "defending",
            [
                "They're probably just swamped with applicants.",
                "Maybe they had to pick someone from inside.",
                "It's not personal, they get hundreds.",
            ],
            [
                "They probably have no idea what they missed.",
                "He's only just started looking himself.",
            ],
        ),
        (
            "deflecting",
            [
                "When my dog died I was heartbroken for months.",
                "I too was made redundant last year.",
                "I am in the same boat, I got rejected twice this week.",
                "I'm looking for work as well.",
            ],
            ["I'm so sorry. You sound gutted."],
        ),
        (
            "fixing",
            [
                "Don't give up, keep going!",
                "Hang in there.",
                "Just write a list and tick things off.",
                "You just need a proper plan.",
                "Have you actually asked them for feedback?",
                "Have you seen a careers adviser?",
            ],
            [
                "It's so hard to keep going after news like that.",
                "Just wanted to say I'm here.",
                "Have you seen the state of the job market?",
            ],
        ),
        (
            # The worry itself ordered away, not a thing to do.
            "dismissing",
            ["Stop overthinking it.", "Stop stressing, you'll get the next one."],
            ["Stop applying to places that treat you like that."],
        ),
    ],
)
def test_the_roadblocks_people_really_word(
    scorer: Scorer, category: str, catches: list[str], passes: list[str]
) -> None:
    for reply in catches:
        assert category in categories(scorer, reply), reply
    for reply in passes:
        assert category not in categories(scorer, reply), reply


@pytest.mark.parametrize(
    ("reply", "family"),
    [
        ("That sounds disappointing.", "hurt"),
        ("How humiliating, in front of all those people.", "ashamed"),
        ("It's scary waiting for results like that, you must be on edge.", "scared"),
        ("Exams are so nerve-wracking for you.", "scared"),
        ("That must be so isolating for you.", "lonely"),
        ("How terrifying for you.", "scared"),
        # What the situation does, said of it, is the feeling it leaves.
        ("Ugh, that's so frustrating.", "frustrated"),
        ("That sounds exhausting.", "overwhelmed"),
        ("Oh, that's heartbreaking.", "sad"),
        ("That sounds confusing.", "helpless"),
        ("It's the not knowing that frightens you.", "scared"),
        ("Being replaced like that, by someone new.", "hurt"),
    ],
)
def test_a_feeling_is_heard_by_its_family_not_its_spelling(
    scorer: Scorer, reply: str, family: str
) -> None:
    feedback = scorer.score(reply, statement="Something happened today.")
    assert any(f.rule == f"feeling:{family}" for f in feedback.flags), feedback.flags


@pytest.mark.parametrize(
    ("statement", "reply"),
    [
        # A feeling of another family than theirs, said of what happened: still a guess
        # at theirs.
        ("My daughter said she hates me and it gutted me.", "That must've hurt."),
        ("I had a panic attack on the bus and everyone stared.", "omg how embarrassing"),
    ],
)
def test_a_feeling_said_of_what_happened_is_a_guess_at_theirs(
    scorer: Scorer, statement: str, reply: str
) -> None:
    assert "reflecting_feeling" in categories(scorer, reply, statement)


@pytest.mark.parametrize(
    "reply",
    [
        # A person in the sentence owns the feeling, and a later "that" relates a clause.
        "She must have been embarrassing to live with.",
        "Focus on the things that are frustrating you least.",
    ],
)
def test_a_feeling_of_someone_else_or_of_a_relative_clause_is_no_guess(
    scorer: Scorer, reply: str
) -> None:
    statement = "I had a panic attack on the bus and everyone stared."
    assert "reflecting_feeling" not in categories(scorer, reply, statement)


def test_a_brief_me_too_that_comes_back_to_them_is_not_deflecting(scorer: Scorer) -> None:
    statement = "I miss my mum so much."
    brief = "I miss her too. She'd have loved to see you now. What do you miss most today?"
    assert "deflecting" not in categories(scorer, brief, statement)
    story = "I miss mine too, she died when I was twenty and I still cry at Christmas."
    assert "deflecting" in categories(scorer, story, statement)


def test_a_form_of_address_is_no_order(scorer: Scorer) -> None:
    statement = "Overdraft maxed and rent due Friday."
    assert "fixing" not in categories(scorer, "Mate, that's grim.", statement)
    assert "fixing" in categories(scorer, "Mate, call the bank tomorrow.", statement)


def test_a_roadblock_said_back_or_refused_is_not_the_listeners(scorer: Scorer) -> None:
    refused = scorer.score(
        "I won't tell you to stop worrying. It makes sense that it's getting to you.",
        statement="I can't stop worrying about my exam.",
    )
    assert refused.verdict.value not in {"dismissing", "fixing"}
    reported = scorer.score(
        "So your boss keeps telling you to just get over it?",
        statement="My boss says I'm too slow.",
    )
    assert "dismissing" not in {f.category.value for f in reported.flags}


def test_good_news_met_with_joy_is_not_placating(scorer: Scorer) -> None:
    feedback = scorer.score("Congrats, that's amazing news!", statement="I got the promotion!!")
    assert feedback.verdict.value == "partly_attuned"
    assert any(f.category.value == "validating" for f in feedback.flags)


def test_the_seed_examples_still_hold(scorer: Scorer) -> None:
    sad = "I felt so sad all day."
    husband = (
        "It's ok to be sad, honey. I can see why that would make you sad. I miss your dad too."
    )
    assert scorer.score(husband, statement=sad).verdict.value == "attuned"
    assert scorer.score("Ok. Sorry you feel that way.", statement=sad).verdict.value == "placating"


def test_hopelessness_about_living_is_marked_as_a_risk(scorer: Scorer) -> None:
    reply = "You've got so much going for you though!"
    risky = scorer.score(reply, statement="I don't see the point in anything anymore.")
    assert risky.safety
    assert risky.verdict.value == "minimising"
    assert not scorer.score(reply, statement="I don't see the point of this meeting.").safety


@pytest.mark.parametrize(
    ("typed", "category"),
    [
        # Texting drops the apostrophe; the reply means the same.
        ("dont worry about it", "dismissing"),
        ("im sorry youre feeling that way", "placating"),
        ("youll be fine, you always are", "minimising"),
    ],
)
def test_a_contraction_typed_without_its_apostrophe_reads_the_same(
    scorer: Scorer, typed: str, category: str
) -> None:
    assert category in categories(scorer, typed)


def test_stock_sympathy_alone_is_placating_and_shows_its_words(scorer: Scorer) -> None:
    for reply in ["so sorry hun x", "ok well sorry that happened. hope tomorrow's better"]:
        feedback = scorer.score(reply, statement=STATEMENT)
        assert feedback.verdict.value == "placating", reply
        assert any("sorry" in f.text for f in feedback.flags), reply
    pity = scorer.score("Ah that's a shame, sorry to hear it.", statement=STATEMENT)
    assert "reflecting_feeling" not in {f.category.value for f in pity.flags}


def test_a_short_question_of_their_own_words_checks_what_was_heard(scorer: Scorer) -> None:
    statement = "I got dumped by text."
    echo = scorer.score("By text?! I'm so sorry.", statement=statement)
    assert "checking" in {f.category.value for f in echo.flags}
    assert echo.verdict.value != "placating"
    # A question of the listener's own, not their words, stays a question.
    assert "checking" not in categories(scorer, "Was it raining?", statement)


def test_a_feeling_named_to_a_statement_of_plain_hardship_is_not_a_near_miss(
    scorer: Scorer,
) -> None:
    # "Awful" says it was hard, not what they felt: "humiliating" is a guess, not a miss.
    feedback = scorer.score(
        "In front of everyone? That's humiliating.",
        statement="Work was awful today, my manager shouted at me in front of everyone.",
    )
    assert feedback.skills.reflect_feeling == 1.0
    assert not any("not quite" in s for s in feedback.suggestions)


@pytest.mark.parametrize(
    ("statement", "reply", "category"),
    [
        (
            "I'm angry you told my brother about the debt.",
            "I only told him because I was worried about you.",
            "defending",
        ),
        (
            "I failed my driving test again.",
            "I passed first time so I can't really relate.",
            "deflecting",
        ),
    ],
)
def test_ones_own_reasons_and_luck_are_roadblocks(
    scorer: Scorer, statement: str, reply: str, category: str
) -> None:
    assert scorer.score(reply, statement=statement).verdict.value == category


def test_a_number_of_theirs_said_back_is_what_happened(scorer: Scorer) -> None:
    statement = "I've sent 60 applications and heard nothing back."
    said = scorer.score("60 applications and you haven't had one reply.", statement=statement)
    assert "reflecting_content" in {f.category.value for f in said.flags}
    other = scorer.score("60 is a lot.", statement="I turned 30 today.")
    assert "reflecting_content" not in {f.category.value for f in other.flags}


BLOCKED = "she blocked me on everything. i cant see if shes ok. 3 years and im just. gone"


def test_question_after_question_with_nothing_said_back_is_interrogating(
    scorer: Scorer,
) -> None:
    feedback = scorer.score(
        "what happened? who ended it? was it the thing with her brother again?",
        statement=BLOCKED,
    )
    assert feedback.verdict.value == "interrogating"
    run = next(f for f in feedback.flags if f.rule == "question-run")
    assert run.text.startswith("what happened?") and run.text.endswith("again?")
    assert "interview" in run.message


@pytest.mark.parametrize(
    "reply",
    [
        # Two questions and an offer to stay is an invitation.
        "How are you holding up? Do you want to talk about it? I'm here.",
        # What they said comes back before the questions.
        "Blocked you everywhere, after three years. What happened? Did she say why? "
        "How are you doing?",
    ],
)
def test_fewer_questions_or_a_reflection_first_is_no_interrogation(
    scorer: Scorer, reply: str
) -> None:
    assert "interrogating" not in categories(scorer, reply, BLOCKED)


def test_a_feeling_heard_in_words_no_rule_lists_is_credited(scorer: Scorer) -> None:
    statement = "I've been covering two jobs since Sam left and nobody's even noticed."
    reply = "That must grind you down, carrying all of it and nobody seeing."
    assert "reflecting_feeling" in categories(scorer, reply, statement)
    # Without the acts model no rule hears it: the credit is the model's.
    rules_only = Scorer(learned=False).score(reply, statement=statement)
    assert "reflecting_feeling" not in {f.category.value for f in rules_only.flags}


ANNIVERSARY = "It's our anniversary today. You didn't even say anything this morning."


@pytest.mark.parametrize(
    ("reply", "heard"),
    [
        ("I'd feel totally let down.", True),
        ("Honestly I would be so hurt too.", True),
        # A condition of the listener's own, or a wish of theirs, is not their place.
        ("I'd feel awful if I forgot your birthday.", False),
        ("ugh id kill to be alone for one evening lol", False),
    ],
)
def test_a_feeling_said_in_their_place_is_a_guess_at_theirs(
    scorer: Scorer, reply: str, heard: bool
) -> None:
    assert ("reflecting_feeling" in categories(scorer, reply, ANNIVERSARY)) is heard


MARATHON = "Finally finished my first half marathon!! 2h14, legs are dead"


@pytest.mark.parametrize(
    ("reply", "deflecting"),
    [
        # One's own news in their place, with no word to them.
        ("nice. i did mine in 1h50 lol", True),
        # Warm words with no "you" are not one's own story.
        ("omg!!! so proud!!", False),
        ("I'm so sorry.", False),
    ],
)
def test_ones_own_news_told_instead_of_a_word_to_them_is_deflecting(
    scorer: Scorer, reply: str, deflecting: bool
) -> None:
    assert ("deflecting" in categories(scorer, reply, MARATHON)) is deflecting


def test_a_number_said_in_words_is_the_same_number(scorer: Scorer) -> None:
    statement = "12 years at that firm, gone in 15 minutes."
    reply = "You gave them twelve, they gave you fifteen minutes."
    assert "reflecting_content" in categories(scorer, reply, statement)
    assert "reflecting_content" not in categories(scorer, "You gave them plenty.", statement)


def test_a_number_opening_a_sentence_is_no_order(scorer: Scorer) -> None:
    statement = "I said I'd go to the gym three times this week and went zero times."
    said = categories(scorer, "Zero out of three, and now you're furious with yourself.", statement)
    assert "fixing" not in said
    # A verb opening a sentence still is.
    assert "fixing" in categories(scorer, "Set an alarm and go in the morning.", statement)


NEW_BABY = "I've been crying every night since the baby came and I don't know why."


@pytest.mark.parametrize(
    "reply",
    [
        "What you're feeling is completely normal.",
        "Those feelings are really common for new mums.",
        "It's natural for new parents to feel like that.",
    ],
)
def test_their_feeling_called_normal_validates_it(scorer: Scorer, reply: str) -> None:
    assert "validating" in categories(scorer, reply, NEW_BABY)


def test_what_happened_called_normal_still_brushes_it_off(scorer: Scorer) -> None:
    said = categories(scorer, "That's normal.", NEW_BABY)
    assert "minimising" in said
    assert "validating" not in said


BOSS = "My manager presented my draft as her own work in front of the whole team."
BINS = "You never take the bins out and I'm sick of it."


@pytest.mark.parametrize(
    ("reply", "statement", "category"),
    [
        # Their side taken about what someone else did to them.
        ("That's so unfair, you'd put weeks into that.", BOSS, "validating"),
        ("that's bang out of order", BOSS, "validating"),
        ("It's not fair on you at all.", BOSS, "validating"),
        # The same words to a complaint about the listener argue back.
        ("That's so unfair.", BINS, "defending"),
        # Said of what they did, they judge.
        ("That was a bit unfair of you.", BOSS, "judging"),
    ],
)
def test_calling_it_unfair_depends_on_whose_doing_it_was(
    scorer: Scorer, reply: str, statement: str, category: str
) -> None:
    said = categories(scorer, reply, statement)
    assert category in said
    assert said & {"validating", "defending", "judging"} == {category}


LOW = "I've been so low since the breakup, I can barely get out of bed."


@pytest.mark.parametrize(
    "reply",
    [
        "But please be careful and have a plan.",
        "If the nights get bad, try a warm bath first.",
        "next time just text her back and see",
        "Oh, I drink camomile tea sometimes, be kind to yourself.",
        "Give yourself a break tonight.",
        "There's a hardship fund, email them today.",
        "maybe text me when you're on your way",
        "What if we aimed for one morning this week?",
    ],
)
def test_an_order_after_please_a_clause_in_front_or_a_comma_is_still_advice(
    scorer: Scorer, reply: str
) -> None:
    assert "fixing" in categories(scorer, reply, LOW)


@pytest.mark.parametrize(
    "reply",
    [
        # A subject after the clause in front goes on with the sentence.
        "When she left, you must have felt so alone.",
        # An auxiliary after it asks.
        "If it matters that much, do you still want her back?",
        "Please tell me more about it.",
        "It's hard to be kind to yourself after a day like that.",
        "And he would text me every night, you said.",
        "What if she doesn't come back, is that the fear?",
    ],
)
def test_a_clause_in_front_does_not_make_what_follows_an_order(scorer: Scorer, reply: str) -> None:
    assert "fixing" not in categories(scorer, reply, LOW)


@pytest.mark.parametrize(
    ("reply", "statement"),
    [
        (
            "maybe she's got a point tho, they do run rings round you",
            "My mum said I'm too soft on the kids, in front of them.",
        ),
        (
            "You really shouldn't have stopped them without talking to the doctor.",
            "I stopped taking the tablets and didn't tell the doctor.",
        ),
        ("well you did choose this, so", "signed the divorce papers today. the house is so quiet"),
    ],
)
def test_blame_and_siding_with_the_critic_judge_them(
    scorer: Scorer, reply: str, statement: str
) -> None:
    assert "judging" in categories(scorer, reply, statement)


@pytest.mark.parametrize(
    ("reply", "statement"),
    [
        ("You've got a point.", "My mum said I'm too soft on the kids, in front of them."),
        ("You shouldn't have had to deal with that on your own.", "I sorted the funeral alone."),
    ],
)
def test_agreeing_with_them_or_lifting_a_burden_does_not_judge(
    scorer: Scorer, reply: str, statement: str
) -> None:
    assert "judging" not in categories(scorer, reply, statement)


def test_a_why_question_typed_without_its_mark_still_asks_them_to_justify_themselves(
    scorer: Scorer,
) -> None:
    statement = "just saw my ex's wedding pics. i know i shouldn't care. but i do"
    said = categories(scorer, "why are you still looking at her stuff", statement)
    assert "interrogating" in said


PAY = "Pay rise came through. 1.5%. Rent's gone up 9%. I work 50 hours a week and I'm still broke."


def test_an_opening_fragment_of_their_words_says_back_what_happened(scorer: Scorer) -> None:
    reply = "Fifty hours a week and still going backwards. That's so demoralising."
    assert "reflecting_content" in categories(scorer, reply, PAY)
    # Naming someone, it is about them: here the listener's own brother.
    own = "My brother works fifty hours a week too. That's so demoralising."
    assert "reflecting_content" not in categories(scorer, own, PAY)


def test_a_feeling_word_used_as_a_verb_is_no_feeling_of_theirs(scorer: Scorer) -> None:
    # "I've lost him" names no feeling, so missing him is heard in full, not as a near miss.
    lost_him = "My son barely speaks to me anymore. I feel like I've lost him."
    heard = scorer.score("You really miss him, don't you.", statement=lost_him)
    assert heard.skills.reflect_feeling == 1.0
    adrift = "I just feel so lost since I left uni."
    assert "reflecting_feeling" in categories(scorer, "You sound really lost.", adrift)
    # Nor is missing a train a longing.
    stranded = "I missed the train home and had to sleep at the station."
    scared = scorer.score("That must have been so scary.", statement=stranded)
    assert scared.skills.reflect_feeling == 1.0


@pytest.mark.parametrize(
    ("reply", "statement", "category"),
    [
        ("see, told you you'd be fine", "i got a 2:1!!! thought i'd failed", "minimising"),
        ("lol welcome to being a student", "overdraft maxed, rent due friday", "minimising"),
        (
            "honestly same. 3rd year here and I eat alone too",
            "I still eat every meal alone.",
            "deflecting",
        ),
        (
            "I did notice, I just didn't say anything.",
            "you didn't even notice my haircut.",
            "defending",
        ),
    ],
)
def test_more_roadblocks_in_the_words_people_use(
    scorer: Scorer, reply: str, statement: str, category: str
) -> None:
    assert category in categories(scorer, reply, statement)


@pytest.mark.parametrize(
    ("reply", "statement"),
    [
        ("You told me you'd been dreading it, and you did it!", "Passed my theory exam!!"),
        ("Welcome to the team! So proud of you.", "I got the job!!"),
        ("I do see why you're hurt.", "you didn't even notice my haircut."),
        ("Same time next week, then?", "I still eat every meal alone."),
    ],
)
def test_their_near_misses_pass(scorer: Scorer, reply: str, statement: str) -> None:
    blocking = {"minimising", "deflecting", "defending"}
    assert not categories(scorer, reply, statement) & blocking


@pytest.mark.parametrize(
    ("texted", "typed"),
    [
        (
            "ah i hear u. hope things pick up for u soon",
            "ah i hear you. hope things pick up for you soon",
        ),
        ("u should post something tho", "you should post something tho"),
        ("pls be careful", "please be careful"),
    ],
)
def test_a_word_texted_short_reads_as_the_word_it_stands_for(
    scorer: Scorer, texted: str, typed: str
) -> None:
    said = categories(scorer, typed)
    # Typed out, each is found (a validation or advice), so the texted one must be too.
    assert said & {"validating", "fixing"}
    assert categories(scorer, texted) == said


def test_have_you_had_asks_rather_than_says_back(scorer: Scorer) -> None:
    statement = "graduate in june and ive applied to 60 jobs and got nothing."
    said = categories(scorer, "Have you had your CV looked at?", statement)
    assert "reflecting_content" not in said
    assert "closed_question" in said


@pytest.mark.parametrize(
    ("reply", "statement"),
    [
        ("dont waste your tears on him babe", "he moved his stuff out today."),
        (
            "March is ages away, don't celebrate till you've signed",
            "I got the job!! Start in March",
        ),
        ("don't care then lol", "saw my ex's wedding pics. i know i shouldn't care. but i do"),
    ],
)
def test_their_tears_joy_or_caring_told_away_is_dismissing(
    scorer: Scorer, reply: str, statement: str
) -> None:
    assert "dismissing" in categories(scorer, reply, statement)
