"""The engine holds up with any text a learner might paste: it never raises, bounds its own
work, and every span it reports lies within the reply and quotes it.

Property tests (hypothesis) try generated text; the named cases are the inputs people
actually paste. Times here are guards against a gross regression only (< 2 s, the promise
is 1 s); the measured figures are in docs/robustness.md, from bench/robustness.py.
"""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, event, find, given, settings
from hypothesis import strategies as st

from listen_trainer.content.library import load_library
from listen_trainer.content.models import Scenario, Verdict
from listen_trainer.scoring import Scorer, ScoreRequest
from listen_trainer.scoring.feedback import Feedback

REPO = Path(__file__).resolve().parents[1]
GUARD_SECONDS = 2.0

# Bounded so the whole file runs in well under a minute; raise it for a deeper search:
# ROBUSTNESS_EXAMPLES=5000 .venv/bin/python -m pytest tests/test_robustness_engine.py
settings.register_profile(
    "robustness",
    max_examples=int(os.environ.get("ROBUSTNESS_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
ROBUST = settings.get_profile("robustness")

STATEMENT = "You never asked how my interview went. I waited all evening and felt invisible."

# Words and marks the rubrics react to, so generated replies raise real flags (roadblocks,
# credits, negation, "but", questions), mixed with text no rule expects.
# fmt: off
WORDS = [
    "you", "should", "just", "calm", "down", "it", "sounds", "like", "feel", "sad", "hurt",
    "angry", "lonely", "frustated", "invisible", "why", "didn't", "did", "not", "never",
    "but", "I", "understand", "I'm", "here", "sorry", "at", "least", "what", "happened",
    "interview", "evening", "that", "makes", "sense", "so", "well", "no", "don't", "worry",
    "can't", "believe", "must", "have", "been", "hard", "waited", "all", "asked",
]
MARKS = [" ", " ", " ", ", ", ". ", "? ", "! ", "\n", "\t", "...", "'", '"', "(", ")"]
# Emoji (with joiners and flags), combining marks, zero-width and bidi controls, Hebrew and
# Arabic, odd spaces, case mappings that change length, control characters, surrogates.
ODD = [
    "😢", "👩‍👧", "🏳️‍🌈", "e\u0301", "\u0301", "\u200b", "\u200d", "\u202e", "\u2067",
    "\u05e9\u05dc\u05d5\u05dd", "\u0645\u0631\u062d\u0628\u0627", "\u00a0", "\u3000",
    "\u01c5", "\u00df", "\u0130", "\ufb03", "\x00", "\x1b", "\x7f", "\x85", "\u2028",
    "\ud800", "\udcff",  # lone surrogates: invalid UTF-8 in argv, a JSON \ud800 escape
]
# fmt: on


def _replies(odd: list[str], text: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    # A word (now and then an odd piece instead) and what follows it: mostly a space.
    token = st.one_of(st.sampled_from(WORDS), st.sampled_from(WORDS), st.sampled_from(odd))
    sep = st.one_of(st.just(" "), st.sampled_from(MARKS), st.sampled_from(odd))
    worded = st.lists(st.tuples(token, sep), max_size=80).map(
        lambda pairs: "".join(word + after for word, after in pairs)
    )
    return st.one_of(worded, worded, text)


# Any text hypothesis makes (every code point but lone surrogates, which ODD brings in),
# and words the rules react to mixed with the odd pieces above.
ANY_REPLY = _replies(ODD, st.text(max_size=300))


@pytest.fixture(scope="module")
def engine() -> Scorer:
    return Scorer()


@pytest.fixture(scope="module")
def scenarios(engine: Scorer) -> list[Scenario]:
    library = load_library(engine.rubric, [REPO / "scenarios"])
    return [s for _, s in library.scenarios()][:20]


def assert_sound(reply: str, feedback: Feedback) -> None:
    """What any face relies on: a valid Feedback whose spans index the reply."""
    assert Feedback.model_validate_json(feedback.model_dump_json()) == feedback
    assert 0 <= feedback.score <= 100
    for flag in feedback.flags:
        assert 0 <= flag.start <= flag.end <= len(reply), flag
        assert flag.end > flag.start, flag


# A lone surrogate cannot be written out (UTF-8, JSON), so a flag quotes it as U+FFFD.
SURROGATES = {code: "\ufffd" for code in range(0xD800, 0xE000)}


def assert_quoted(reply: str, feedback: Feedback) -> None:
    for flag in feedback.flags:
        assert reply[flag.start : flag.end].translate(SURROGATES) == flag.text, flag
        flag.text.encode("utf-8")  # writable as it stands


# --------------------------------------------------------------------------- properties


@ROBUST
@given(reply=ANY_REPLY, statement=ANY_REPLY)
def test_any_reply_to_any_statement_gives_sound_feedback(
    engine: Scorer, reply: str, statement: str
) -> None:
    first = engine.score(reply, statement=statement)
    event(f"flags raised: {min(len(first.flags), 3)}{'+' if len(first.flags) >= 3 else ''}")
    assert_sound(reply, first)
    assert_quoted(reply, first)
    assert engine.score(reply, statement=statement) == first  # deterministic


@ROBUST
@given(reply=ANY_REPLY, index=st.integers(min_value=0, max_value=19))
def test_any_reply_to_a_scenario_gives_sound_feedback(
    engine: Scorer, scenarios: list[Scenario], reply: str, index: int
) -> None:
    scenario = scenarios[index % len(scenarios)]
    feedback = engine.score(reply, scenario=scenario)
    assert_sound(reply, feedback)
    assert feedback.model_reply is not None  # the scenario's own model reply is shown


@ROBUST
@given(replies=st.lists(ANY_REPLY, min_size=1, max_size=6))
def test_a_batch_scores_each_reply_as_it_would_alone(engine: Scorer, replies: list[str]) -> None:
    batch = list(engine.score_many(ScoreRequest(r, statement=STATEMENT) for r in replies))
    assert batch == [engine.score(r, statement=STATEMENT) for r in replies]


def test_the_generated_replies_do_reach_the_rules(engine: Scorer) -> None:
    # Otherwise the span properties above would hold of empty flag lists only.
    many = find(
        ANY_REPLY,
        lambda r: len(engine.score(r, statement=STATEMENT).flags) >= 3,
        # Derandomized: a random run now and then drew 500 replies too plain to raise
        # three flags, a failure of the draw, not of the engine.
        settings=settings(
            phases=[Phase.generate], max_examples=500, database=None, derandomize=True
        ),
    )
    assert len(engine.score(many, statement=STATEMENT).flags) >= 3


def test_two_scorers_agree(engine: Scorer) -> None:
    rng = random.Random(8)
    replies = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 40))) for _ in range(30)]
    other = Scorer(engine.rubric)
    assert [other.score(r, statement=STATEMENT) for r in replies] == [
        engine.score(r, statement=STATEMENT) for r in replies
    ]


# --------------------------------------------------------------------------- named cases

ONE_MB = (
    "It sounds like you felt invisible, waiting all evening. You should have said so. " * 20_000
)[:1_000_000]
NAMED = {
    "empty": "",
    "whitespace": " \n\t \u00a0\u3000 \n",
    "1 MB of text": ONE_MB,
    "one 100 KB word": "unheard" * 14_286,
    "emoji and combining": "😢 I'm so sorry 👩‍👧 that sounds lonely, e\u0301\u0301\u0301 "
    "you should 🏳️‍🌈 just relax " * 40,
    "right-to-left": "\u202eyou should just relax\u202c אני כאן بجانبك you must feel "
    "invisible \u2067\u0645\u0631\u062d\u0628\u0627\u2069",
    "control characters": "you\x1b[31m should\x07 just\x0b\x0c relax\x7f\x85 \x1f ok",
    "NUL bytes": "\x00you should \x00 just calm down\x00 it sounds hard\x00",
}


@pytest.mark.parametrize("name", list(NAMED))
def test_named_reply_is_scored_soundly_and_quickly(engine: Scorer, name: str) -> None:
    reply = NAMED[name]
    started = time.perf_counter()
    feedback = engine.score(reply, statement=STATEMENT)
    elapsed = time.perf_counter() - started
    assert_sound(reply, feedback)
    assert elapsed < GUARD_SECONDS, f"{name}: {elapsed:.2f} s"
    limit = engine.rubric.settings.max_reply_chars
    if len(reply) > limit:
        # Only the start was read, and the learner is told so first.
        assert feedback.truncated
        assert str(limit) in feedback.suggestions[0]
        assert all(flag.end <= limit for flag in feedback.flags)
    else:
        assert not feedback.truncated


@pytest.mark.parametrize("name", list(NAMED))
def test_named_statement_is_read_soundly_and_quickly(engine: Scorer, name: str) -> None:
    reply = "It sounds like you felt invisible. I'm here."
    started = time.perf_counter()
    feedback = engine.score(reply, statement=NAMED[name])
    elapsed = time.perf_counter() - started
    assert_sound(reply, feedback)
    assert_quoted(reply, feedback)
    assert elapsed < GUARD_SECONDS, f"{name}: {elapsed:.2f} s"


@pytest.mark.parametrize("reply", ["", "   ", "\n\n\t", "\x00\x00"])
def test_a_reply_with_nothing_in_it_is_told_so(engine: Scorer, reply: str) -> None:
    feedback = engine.score(reply, statement=STATEMENT)
    assert feedback.verdict is not Verdict.ATTUNED
    assert feedback.flags == []
    assert feedback.suggestions == [engine.rubric.settings.messages.non_response]


def test_flags_in_typed_text_quote_the_reply(engine: Scorer) -> None:
    for name in ("1 MB of text", "emoji and combining", "right-to-left"):
        feedback = engine.score(NAMED[name], statement=STATEMENT)
        assert feedback.flags, name  # the case does reach the rules
        assert_quoted(NAMED[name], feedback)


# --------------------------------------------------------------------------- fixed bugs
# Each of these failed once (pinned as a strict xfail, then fixed in the engine).


@pytest.mark.parametrize("reply", ["You should\x00just relax.", "It sounds\x1blike you feel sad."])
def test_a_flag_over_a_control_character_quotes_the_reply(engine: Scorer, reply: str) -> None:
    # The engine reads control characters as spaces; the flag still shows what was typed.
    feedback = engine.score(reply, statement=STATEMENT)
    assert feedback.flags
    assert_quoted(reply, feedback)


@pytest.mark.parametrize("where", ["reply", "statement"])
def test_a_lone_surrogate_is_scored(engine: Scorer, where: str) -> None:
    # Once a UnicodeEncodeError from spaCy's tokenizer.
    odd = "you should \udcff just relax, it sounds \ud800 hard"
    reply, statement = (odd, STATEMENT) if where == "reply" else ("You should relax.", odd)
    feedback = engine.score(reply, statement=statement)
    assert_sound(reply, feedback)
    assert_quoted(reply, feedback)
    assert feedback.flags


@pytest.mark.parametrize("alphabet", ["$%", "!?", "😢", "(\"'"])
def test_a_long_run_of_symbols_is_scored_quickly(engine: Scorer, alphabet: str) -> None:
    # spaCy's tokenizer is quadratic on such a run: 4,000 characters once took 2-7 s.
    # A fresh run each time, since the tokenizer caches what it has seen.
    rng = random.Random(time.time_ns())
    reply = "".join(rng.choice(alphabet) for _ in range(engine.rubric.settings.max_reply_chars))
    started = time.perf_counter()
    feedback = engine.score(reply, statement=reply)
    elapsed = time.perf_counter() - started
    assert_sound(reply, feedback)
    assert_quoted(reply, feedback)
    assert elapsed < GUARD_SECONDS, f"{elapsed:.2f} s"
