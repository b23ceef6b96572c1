"""One row per rule change made from the outside data's disagreements (issue 7).

The rows pin what the rules find, so they are scored by the rules alone; what the acts
model adds is tested in test_learned.py.

Each row says, for a reply to a free statement, whether a category is found, and where
it matters by which rule. Every statement and reply here was written for these tests;
none comes from the outside data. A row that is `False` pins a false alarm the change
removed; a row that is `True` pins a phrasing the change taught the engine.
"""

from __future__ import annotations

import pytest

from listen_trainer.content.models import Category
from listen_trainer.scoring import Feedback, Scorer

JOB = "I got laid off on Friday and I keep thinking I'll never find anything."
ANGRY = "My brother borrowed my car again without asking and I'm furious."
LONELY = "Since the move I don't know anyone here and the evenings drag."
PLAN = "I've started walking every morning before work."
PASSED = "I'm so happy, I finally passed my driving test."
QUIT = "I want to stop smoking but I've already failed twice."
EXAMS = "I can't sleep the night before an exam and I'm scared I'll blank."
SCARED = "The rent went up again and I'm terrified we'll lose the flat."

FEEL = Category.REFLECTING_FEELING
CONTENT = Category.REFLECTING_CONTENT
FIX = Category.FIXING
CLOSED = Category.CLOSED_QUESTION
VALID = Category.VALIDATING


def rules_of(feedback: Feedback, category: Category) -> list[str]:
    return [f.rule for f in feedback.flags if f.category is category]


ROWS = [
    # A feeling of another family than the statement's, said to the speaker, is still a
    # reflection (a guess that missed); said of the world, or a pleasant one, is not.
    (ANGRY, "You sound pretty jealous of him.", FEEL, True, "feeling:jealous"),
    (JOB, "You seem anxious about what comes next.", FEEL, True, "feeling:scared"),
    (JOB, "The news makes everyone anxious these days.", FEEL, False, None),
    (LONELY, "Glad you made it through the first month there.", FEEL, False, None),
    # A feeling inside a validating phrase is named, too.
    (LONELY, "How lonely, in a town where you know nobody.", FEEL, True, "feeling:lonely"),
    # A need is heard only in a sentence about them: "it's important to" is advice.
    (
        "You never listen to me, nobody ever does.",
        "It's important to get out and meet new people.",
        FEEL,
        False,
        None,
    ),
    # Stems that mostly open small talk or the listener's view, not a reflection.
    (JOB, "It's been a strange year for the whole world.", CONTENT, False, None),
    (JOB, "That was a long queue at the post office.", CONTENT, False, None),
    (PLAN, "That sounds lovely, I'd love to join you one day.", CONTENT, False, None),
    # "Sounds like" guesses at them; "that sounds like" comments on a plan or a thing.
    (JOB, "Sounds like you're worn out by all of it.", CONTENT, True, "reflect-stem-sounds"),
    (PLAN, "That sounds like a great habit to keep.", CONTENT, False, None),
    # "You want" said back reflects a wish; asked, it is a question.
    (ANGRY, "You want him to ask first, that's all.", CONTENT, True, "reflect-stem-statement"),
    (JOB, "Do you want to talk it through?", CONTENT, False, None),
    # Inside a clause, "you want" describes a thing; "you really need to" advises.
    (JOB, "Write down the kind of role you want and the pay.", CONTENT, False, None),
    (ANGRY, "You really need to have it out with him.", CONTENT, False, None),
    (ANGRY, "You really care how he treats your things.", CONTENT, True, None),
    # A feeling in a sentence that advises is the thing to be fixed, not a reflection;
    # one after "my" is the listener's own.
    (JOB, "Try a run in the morning, it takes the edge off the anxiety.", FEEL, False, None),
    (JOB, "Running helped my own anxiety a lot last year.", FEEL, False, None),
    (JOB, "You must be anxious about the bills.", FEEL, True, "feeling:scared"),
    # A statement said with a rising voice is a reflection offered to be corrected; a
    # sentence in question order, or "you okay?", still asks.
    (JOB, "You sent out twenty applications already?", CONTENT, True, "reflect-rising"),
    (JOB, "You sent out twenty applications already?", CLOSED, False, None),
    (JOB, "It's been weighing on you since Friday?", CONTENT, True, "reflect-rising"),
    (JOB, "Have you been applying all weekend?", CLOSED, True, None),
    (JOB, "You okay?", CONTENT, False, None),
    # "What about" + an action offers it; "what about" + a person asks.
    (LONELY, "What about joining the choir at the library?", FIX, True, None),
    (LONELY, "What about your old flatmate, where is she now?", FIX, False, None),
    # The listener perceiving their experience, said with what is perceived, reflects it.
    (JOB, "I can really see how this has knocked you.", CONTENT, True, "reflect-perceiving"),
    (JOB, "I can imagine.", CONTENT, False, None),
    # Hardship ("hard") acknowledges it: a validation, not a feeling named.
    (ANGRY, "I can see how hard it has been with him.", VALID, True, "feeling:struggling"),
    (ANGRY, "I can see how hard it has been with him.", FEEL, False, None),
    (LONELY, "If I understand you, the evenings are the worst.", CONTENT, True, "reflect-stem"),
    # Summary markers offer back what was heard.
    (JOB, "In other words, the waiting is the worst of it.", CONTENT, True, "reflect-stem"),
    (JOB, "From what you say, Friday came out of nowhere.", CONTENT, True, "reflect-stem"),
    # Pleasant words are the speaker's only when said of them.
    (PASSED, "Happy holidays, everyone!", FEEL, False, None),
    (PASSED, "You must be so happy it's done.", FEEL, True, "feeling:glad"),
    # A statement opened by "so" gathers up what was said: a reflection with no stem.
    (JOB, "So, back to square one after all those years.", CONTENT, True, "reflect-so-summary"),
    (LONELY, "So the evenings are the hardest part.", CONTENT, True, "reflect-so-summary"),
    # ... but not when it leads into the listener's own thanks, plan or advice.
    (JOB, "So glad you came to talk to me.", CONTENT, False, None),
    (JOB, "So, look for openings tonight and send your CV.", CONTENT, False, None),
    (JOB, "So I think you should call them back.", CONTENT, False, None),
    # A yes-or-no question about an action they could take is advice in a question.
    (LONELY, "Is there a neighbour you could knock on for?", FIX, True, None),
    (LONELY, "Do you have friends back home you can video call?", FIX, True, None),
    (JOB, "Have you contacted the agency your cousin used?", FIX, True, None),
    (JOB, "Are you able to claim anything while you look?", FIX, True, None),
    (JOB, "Could you apply for the opening at the depot?", FIX, True, None),
    # ... and then it is not also a plain closed question.
    (LONELY, "Is there a neighbour you could knock on for?", CLOSED, False, None),
    # An open question about what they could do leaves the idea with them.
    (JOB, "What do you think you could do next?", FIX, False, None),
    (JOB, "Have you thought about what you want next?", FIX, False, None),
    (JOB, "Have you thought about what you want next?", Category.EXPLORING, True, None),
    # "We should book..." is a plan made for them, like "let's book...".
    (LONELY, "We should look for a book club near you this week.", FIX, True, "fix-lets-plan"),
    (LONELY, "We should all be kinder to newcomers.", FIX, False, None),
    # Asking for their ideas, or asking leave to offer one, is not advice yet.
    (JOB, "What have you tried so far?", FIX, False, None),
    (JOB, "What have you tried so far?", Category.EXPLORING, True, None),
    (JOB, "Would it be okay if I made a suggestion?", FIX, False, None),
    (JOB, "Talk to me about what the agency said.", FIX, False, None),
    (JOB, "Talk to me about what the agency said.", Category.EXPLORING, True, None),
    (JOB, "I'll perhaps share what I saw work for others, later.", FIX, False, None),
    # "You could" + an action, said as a statement, offers it; "you could be right" or
    # "you said you could" does not.
    (LONELY, "You could join the walking group on Sundays.", FIX, True, "fix-could-statement"),
    (JOB, "You could be right about the timing.", FIX, False, None),
    (JOB, "You said you could land something better.", FIX, False, None),
    # "I wonder if you..." is a tentative reflection; "I wonder what..." still explores;
    # "go on" is as often "go on a trip" as an invitation.
    (LONELY, "I wonder if you miss your old street.", CONTENT, True, "reflect-stem"),
    (LONELY, "I wonder what the evenings are like now.", Category.EXPLORING, True, None),
    (LONELY, "You could go on a trip to see your sister.", Category.EXPLORING, False, None),
    # "Maybe" or "perhaps" before a bare verb is a suggestion.
    (LONELY, "Perhaps volunteer somewhere on a weeknight.", FIX, True, "fix-recommend"),
    (LONELY, "Maybe you'd enjoy a class at the library.", FIX, True, "fix-recommend"),
    # A clinician's recommendation, concern or "it would be good if" is advice.
    (JOB, "I'm going to recommend a careers adviser.", FIX, True, "fix-recommend"),
    (JOB, "We strongly suggest keeping a list of every application.", FIX, True, None),
    (JOB, "I'm a bit concerned about how little you're sleeping.", FIX, True, None),
    (JOB, "It would be good if you could take the weekend off.", FIX, True, None),
    (JOB, "I'm worried about you.", FIX, False, None),
    # After a subject, "to" or a question word, these describe; they do not prescribe.
    (JOB, "There are good reasons to try to keep busy, you said.", FIX, False, None),
    (JOB, "It is your call where you might want to apply.", FIX, False, None),
    (JOB, "You know you need to rest, and it still feels impossible.", FIX, False, None),
    (JOB, "You'll try to stay hopeful, whatever happens.", FIX, False, None),
    (JOB, "You try to stay upbeat for the kids, and it wears you out.", FIX, False, None),
    (ANGRY, "We tell him every time and nothing changes, I know.", FIX, False, None),
    # "That is a great idea" praises their plan; "a choir is a good idea" brings one.
    (PLAN, "This is a great idea, mornings are the best time.", FIX, False, None),
    (LONELY, "Joining a choir is a good idea.", FIX, True, "fix-good-idea"),
    # What the listener would do in their place, or urges them to do, is advice.
    (JOB, "I would contact the careers office at your old college.", FIX, True, "fix-recommend"),
    (JOB, "I'd really encourage you to take a week off first.", FIX, True, "fix-recommend"),
    (JOB, "I would feel exactly the same in your place.", FIX, False, None),
    # "You can" + an action offers it, like "you could"; leave or an offer of company
    # ("you can stay", "you can talk to me") suggests nothing.
    (JOB, "You can look online for temp agencies too.", FIX, True, "fix-could-statement"),
    (JOB, "You can stay on the line as long as you like.", FIX, False, None),
    (JOB, "You can talk to me any time this week.", FIX, False, None),
    (JOB, "Now you can finally rest a little.", FIX, False, None),
    # "Just" softens an order without making it less of one.
    (ANGRY, "Just stay calm when he gets back.", FIX, True, "fix-imperative"),
    (ANGRY, "Just wanted to say that sounds maddening.", FIX, False, None),
    # Asking how sure they are that they could do it is no suggestion of it.
    (QUIT, "Do you feel confident that you could stop for good?", FIX, False, None),
    (QUIT, "Is there someone you could call when the craving hits?", FIX, True, None),
    # A word of its own is not read as the feeling its look-up lemma names ("number" is
    # not "numb"), nor a real word as a misspelt feeling ("curious" is not "furious");
    # a participle still is its verb, and the feeling itself is still heard.
    (JOB, "You've sent a number of applications already.", FEEL, False, None),
    (JOB, "You seem curious about what comes next.", FEEL, False, None),
    (JOB, "You're worrying about the bills.", FEEL, True, "feeling:scared"),
    (JOB, "You must feel numb after all of it.", FEEL, True, "feeling:numb"),
    # Phrases in which a feeling word means something else: effort, luck, the body.
    (JOB, "You worked so hard for that company.", FEEL, False, None),
    (JOB, "You had your fingers crossed for that job.", FEEL, False, None),
    (JOB, "Your blood pressure must be through the roof.", FEEL, False, None),
    (JOB, "Apart from the job, how are you sleeping?", FEEL, False, None),
    (JOB, "You've been through a hard week.", VALID, True, "feeling:struggling"),
    # A stem that holds the feeling word ("you're scared") names the feeling too.
    (SCARED, "You're scared about the money.", FEEL, True, "feeling:scared"),
    (SCARED, "You're worried the savings won't last.", FEEL, True, "feeling:scared"),
    # "That sounds" with a feeling word says how it weighs on them; with a plan or a
    # pleasure, it comments on a thing.
    (JOB, "That sounds exhausting, all those forms.", CONTENT, True, "reflect-sounds-feeling"),
    (JOB, "That sounds exhausting, all those forms.", FEEL, True, "feeling:overwhelmed"),
    (LONELY, "This seems like such a lonely stretch.", FEEL, True, "feeling:lonely"),
    (PLAN, "That sounds like a great way to start the day.", CONTENT, False, None),
    (PLAN, "That sounds fun, what a good idea.", CONTENT, False, None),
    # "I hear you saying" offers back what was heard; "I hear you" alone only validates.
    (JOB, "So what I hear you saying is that nothing feels certain.", CONTENT, True, None),
    (JOB, "I hear you on that.", CONTENT, False, None),
    # What a listener sees of them, or what "it seems" of them, is a reflection.
    (JOB, "I see you care about the next one.", CONTENT, True, "reflect-perceiving"),
    (JOB, "It seems you're doubting yourself a lot lately.", CONTENT, True, "reflect-stem"),
    (JOB, "I see the bus is late again.", CONTENT, False, None),
    # "I know how hard" claims the listener's own experience; "I understand how hard"
    # perceives theirs.
    (JOB, "I know how hard job hunting is, I went through it last year.", FEEL, False, None),
    (JOB, "I understand how hard this is for you.", VALID, True, "feeling:struggling"),
    # A feeling named as a thing or an act, with no "you" in the sentence, speaks of
    # it in general; said of them, or as an adjective ("so lonely"), it reflects.
    (EXAMS, "Anxiety is a powerful thing, it comes and goes.", FEEL, False, None),
    (EXAMS, "Fear can keep anyone awake.", FEEL, False, None),
    (EXAMS, "Your anxiety keeps you up at night.", FEEL, True, "feeling:scared"),
    (EXAMS, "So frightened, the night before.", FEEL, True, "feeling:scared"),
    # Saying back what they said ("you mentioned...") restates it.
    (JOB, "You mentioned the interviews have dried up since March.", CONTENT, True, None),
    (JOB, "You said you'd give it one more month.", CONTENT, True, "reflect-stem"),
    # Saying what might help offers a fix; the listener's own offer of help does not.
    (EXAMS, "A warm bath before bed can really help.", FIX, True, "fix-may-help"),
    (EXAMS, "Slow breathing is a good way to settle your nerves.", FIX, True, "fix-may-help"),
    (EXAMS, "I can help you go over your notes tonight.", FIX, False, None),
    (EXAMS, "Nothing will help until the exam is over, I know.", FIX, False, None),
    (PLAN, "That's a good way to start the day.", FIX, False, None),
    # Further soft advice: options, time, worth a try, what the listener would do.
    (JOB, "Another option is to ask the agency what else is open.", FIX, True, None),
    (JOB, "It may be time to look further afield.", FIX, True, "fix-soft-advice"),
    (JOB, "Temp work is worth a try for now.", FIX, True, "fix-soft-advice"),
    (JOB, "I would also suggest calling your old manager.", FIX, True, "fix-recommend"),
    (SCARED, "I would avoid signing anything until you've read it twice.", FIX, True, None),
    # Suggestions asked as questions.
    (LONELY, "Would it be possible to join a club that meets at night?", FIX, True, None),
    (LONELY, "Could you meet a neighbour for coffee on Sunday?", FIX, True, None),
    # "Tell me..." and "talk to me..." invite; they do not instruct.
    (SCARED, "Tell me what the landlord said.", FIX, False, None),
    (SCARED, "Talk to me a bit more about the flat.", Category.EXPLORING, True, None),
    # Stems of perceiving, of what they said, and of what they do not feel.
    (JOB, "What I'm picking up is that the waiting is the worst part.", CONTENT, True, None),
    (JOB, "You've mentioned the waiting more than once.", CONTENT, True, "reflect-stem"),
    (QUIT, "You don't feel ready to try a third time.", CONTENT, True, "reflect-stem"),
    # A statement about them reflects what they live; thanks and praise do not.
    (QUIT, "You keep coming back to it even after two tries.", CONTENT, True, None),
    (PASSED, "You're very welcome, any time.", CONTENT, False, None),
    (PASSED, "You as well, have a lovely evening.", CONTENT, False, None),
    # A credit that gives way to a roadblock loses to it even when it is the longer match.
    (ANGRY, "You're kidding yourself if you think he'll change.", Category.JUDGING, True, None),
    (PLAN, "You look fine to me.", CONTENT, False, None),
    # After a reflective stem, "you have to" is their duty said back, not advice.
    (JOB, "It sounds like money is tight and you need to take what comes.", FIX, False, None),
    (JOB, "Money is tight and you need to take what comes.", FIX, True, "fix-modal-advice"),
    # ...but not past a "but": a yes-but turns from them to advice.
    (JOB, "It sounds like it's hard, but you need to get back out there.", FIX, True, None),
    # "You must" guesses at them before a verb of feeling; it orders before an action.
    (ANGRY, "You must really love that car.", FIX, False, None),
    (ANGRY, "You must tell him it's not okay.", FIX, True, "fix-modal-advice"),
    # Reported help, help offered on condition, leave to talk, and steering the talk
    # itself are not advice; a self-repair ("get- getting") is no order.
    (EXAMS, "Your tutor said sleep would help most.", FIX, False, None),
    (EXAMS, "I can sit with you tonight, if that would help.", FIX, False, None),
    (QUIT, "You can certainly talk about it here whenever you like.", FIX, False, None),
    (JOB, "Let's get back to what happened on Friday.", FIX, False, None),
    (JOB, "Let's get your CV updated tonight.", FIX, True, "fix-lets-plan"),
    (PLAN, "And get-getting out the door by six, that's a big change.", FIX, False, None),
    (EXAMS, "So tell me- tell me what keeps you up.", FIX, False, None),
    # A thing described by what it can do ("an office that can help") informs.
    (JOB, "There's a careers office in town that can help with CVs.", FIX, False, None),
    # More stems: a hunch about them, what matters to them, what they catch themselves
    # doing.
    (QUIT, "I get the feeling this attempt is different.", CONTENT, True, "reflect-stem"),
    (PLAN, "Those quiet mornings are important to you.", CONTENT, True, "reflect-stem"),
    (QUIT, "You find yourself reaching for one after meals.", CONTENT, True, "reflect-stem"),
    # An action offered with "how about", with or without its question mark; "what
    # about" a person still asks.
    (LONELY, "How about joining the walking group on Thursdays", FIX, True, "fix-how-about"),
    (LONELY, "What about your cousin, does she live near?", FIX, False, None),
    # Judged good for them, or what they would benefit from: advice.
    (JOB, "It might be better to take a short contract for now.", FIX, True, None),
    (EXAMS, "You might benefit from a study group.", FIX, True, "fix-soft-advice"),
    (EXAMS, "Writing it all down can be helpful in the evenings.", FIX, True, "fix-may-help"),
    (JOB, "Always keep a copy of every application.", FIX, True, "fix-imperative"),
    (EXAMS, "Maybe choose one subject a night.", FIX, True, "fix-recommend"),
    (JOB, "I could suggest a couple of agencies.", FIX, True, "fix-recommend"),
    # A summary opened by "so, to sum up" is a stem; what follows it is theirs.
    (QUIT, "So, to summarize, it's important for you to stop this time.", FIX, False, None),
    (PASSED, "Well done, it's always good to hear news like that.", FIX, False, None),
    # Advice phrases inside an open question leave the idea to them.
    (JOB, "What are the reasons it would be good for you to move?", FIX, False, None),
    (JOB, "It would be good for you to get out of the house.", FIX, True, "fix-soft-advice"),
    (LONELY, "Maybe volunteering at the library on Saturdays.", FIX, True, "fix-recommend"),
    (JOB, "Is it possible to ask for your old shifts back?", FIX, True, None),
    (JOB, "One thing that helped me was a daily routine.", FIX, True, "fix-soft-advice"),
    (SCARED, "Head to the housing office first thing tomorrow.", FIX, True, "fix-imperative"),
    (PLAN, "I think that would be a great idea!", FIX, False, None),
    (EXAMS, "Would you like to know what helped me?", FIX, False, None),
    # Effort seen, an open door to the listener, an offer of support, a thing kept: no
    # advice.
    (JOB, "You're doing everything you can to find work.", FIX, False, None),
    (LONELY, "If you want to talk again, don't hesitate to message me.", FIX, False, None),
    (LONELY, "Can I encourage you in some way tonight?", FIX, False, None),
    (PLAN, "This way you can keep your mornings for yourself.", FIX, False, None),
    # What worked for someone, where to start, an order fronted by "always".
    (JOB, "One thing that worked for my sister was temping.", FIX, True, None),
    (EXAMS, "A good place to start would be the past papers.", FIX, True, None),
    (JOB, "Always follow up a week after you apply.", FIX, True, "fix-imperative"),
    # "I wonder if you..." guesses at them, unless a "could" makes it a suggestion.
    (JOB, "I wonder if you could ask for a transfer instead.", FIX, True, "fix-recommend"),
    (LONELY, "I wonder if you feel left out in the evenings.", CONTENT, True, "reflect-stem"),
    (LONELY, "I wonder if you could tell me what a weekday is like.", FIX, False, None),
    # A modal in statement order with a question mark suggests; it is no rising guess.
    (ANGRY, "You could ask him for the keys back?", CONTENT, False, None),
]


@pytest.mark.parametrize(("statement", "reply", "category", "found", "rule"), ROWS)
def test_rule_row(
    rules_scorer: Scorer,
    statement: str,
    reply: str,
    category: Category,
    found: bool,
    rule: str | None,
) -> None:
    feedback = rules_scorer.score(reply, statement=statement)
    rules = rules_of(feedback, category)
    if not found:
        assert rules == [], f"{category} found by {rules} in {reply!r}"
        return
    assert rules, f"{category} not found in {reply!r}; flags: {feedback.flags}"
    if rule is not None:
        assert rule in rules, f"{category} found by {rules}, not {rule}"


def test_a_wrong_feeling_is_flagged_but_still_counts_less(scorer: Scorer) -> None:
    near = scorer.score("You sound furious that he took it.", statement=ANGRY)
    other = scorer.score("You sound jealous that he took it.", statement=ANGRY)
    assert rules_of(other, FEEL) == ["feeling:jealous"]
    assert other.skills.reflect_feeling < near.skills.reflect_feeling
    assert other.score < near.score
