"""Progress figures and the drill schedule, over attempts built by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from history_fixtures import NOW, flag, make_feedback
from listen_trainer.content.library import Library, load_library, load_rubric, pack_dirs
from listen_trainer.content.models import Category, Pack, Scenario, Verdict
from listen_trainer.practice import progress, schedule
from listen_trainer.scoring.feedback import Feedback
from listen_trainer.store import Attempt

_ids = iter(range(1, 10_000))


def attempt(
    *,
    at: datetime = NOW,
    scenario_id: str | None = None,
    reply: str = "I hear you.",
    feedback: Feedback | None = None,
    **feedback_fields: object,
) -> Attempt:
    return Attempt(
        id=next(_ids),
        time=at,
        profile="default",
        scenario_id=scenario_id,
        statement="s",
        reply=reply,
        feedback=feedback or make_feedback(**feedback_fields),  # type: ignore[arg-type]
        engine_version="test-1",
        rubric_version="r",
    )


def scenario(
    sid: str,
    *,
    difficulty: int = 1,
    underlying: list[str] | None = None,
    labels: tuple[Verdict, ...] = (Verdict.ATTUNED,),
    key_content: list[str] | None = None,
    sensitive: bool = False,
) -> Scenario:
    return Scenario(
        id=sid,
        statement="My boss yelled at me in front of everyone.",
        speaker="colleague",
        situation="at lunch",
        feelings={"surface": ["angry"], "underlying": underlying or []},
        key_content=key_content or ["boss"],
        difficulty=difficulty,
        sensitive=sensitive,
        teaching_note="Stay with the feeling.",
        exemplars=[{"reply": f"reply {i}", "label": label} for i, label in enumerate(labels)],
    )


def library(*scenarios: Scenario) -> Library:
    pack = Pack(id="test", title="Test", description="For tests.", scenarios=list(scenarios))
    return Library(packs=(pack,))


# --------------------------------------------------------------------------- progress


def test_skill_averages_and_trends() -> None:
    attempts = [attempt(skills={"explore": 0.1, "validate": 0.8}) for _ in range(4)]
    attempts += [attempt(skills={"explore": 0.9, "validate": 0.4}) for _ in range(4)]
    averages = progress.skill_averages(attempts)
    assert list(averages) == list(progress.SKILLS)
    assert averages["explore"] == pytest.approx(0.5)
    trends = progress.skill_trends(attempts)
    assert trends["explore"].direction == "up"
    assert trends["explore"].change == pytest.approx(0.8)
    assert trends["validate"].direction == "down"
    assert trends["presence"].direction == "steady"
    assert progress.skill_averages([]) == {}


def test_score_trend_compares_recent_with_earlier() -> None:
    scores = [30, 35, 40, 60, 70, 80]
    trend = progress.score_trend([attempt(score=s) for s in scores])
    assert (trend.earlier, trend.recent) == (pytest.approx(35), pytest.approx(70))
    assert trend.arrow == "↑"
    assert progress.score_trend([attempt(score=50)]).direction == "new"
    assert progress.score_trend([]).average is None
    # Small wobbles between replies are not a trend.
    assert progress.score_trend([attempt(score=s) for s in (50, 52, 49, 51)]).direction == (
        "steady"
    )


def test_recent_window_is_capped() -> None:
    values = [0.0] * 30 + [1.0] * progress.RECENT_WINDOW
    trend = progress.trend(values, steady_within=0.05)
    assert trend.recent == 1.0
    assert trend.earlier == 0.0


def test_roadblock_counts_per_reply_in_the_last_7_and_30_days() -> None:
    reply = "You should call her. You should also relax."
    fixing_twice = make_feedback(
        verdict=Verdict.FIXING,
        flags=[
            flag(Category.FIXING, reply, "You should call"),
            flag(Category.FIXING, reply, "You should also"),
        ],
    )
    minimising_reply = "It's not a big deal, I hear you."
    minimising = make_feedback(
        verdict=Verdict.MINIMISING,
        flags=[
            flag(Category.MINIMISING, minimising_reply, "not a big deal"),
            flag(Category.PRESENCE, minimising_reply, "I hear you"),
        ],
    )
    attempts = [
        attempt(at=NOW - timedelta(days=40), reply=reply, feedback=fixing_twice),
        attempt(at=NOW - timedelta(days=20), reply=reply, feedback=fixing_twice),
        attempt(at=NOW - timedelta(days=2), reply=reply, feedback=fixing_twice),
        attempt(at=NOW - timedelta(days=1), reply=minimising_reply, feedback=minimising),
    ]
    week = progress.roadblock_counts(attempts, now=NOW, days=7)
    month = progress.roadblock_counts(attempts, now=NOW, days=30)
    assert week[Category.FIXING] == 1  # one reply, though it fixed twice
    assert month[Category.FIXING] == 2
    assert week[Category.MINIMISING] == month[Category.MINIMISING] == 1
    assert Category.PRESENCE not in week  # not a roadblock
    assert week[Category.JUDGING] == 0  # every roadblock listed, so columns line up
    assert list(week) == list(progress.ROADBLOCK_ORDER)


def test_share_attuned_and_verdict_counts() -> None:
    verdicts = [Verdict.ATTUNED, Verdict.ATTUNED, Verdict.FIXING, Verdict.PARTLY_ATTUNED]
    attempts = [attempt(verdict=v) for v in verdicts]
    assert progress.share_attuned(attempts) == 0.5
    assert progress.share_attuned([]) is None
    assert progress.verdict_counts(attempts) == {
        Verdict.ATTUNED: 2,
        Verdict.PARTLY_ATTUNED: 1,
        Verdict.FIXING: 1,
    }


def _reflecting(reply: str, spans: list[tuple[Category, str]], deep: bool = False) -> Attempt:
    return attempt(
        reply=reply,
        flags=[flag(category, reply, text) for category, text in spans],
        named_underlying=["lonely"] if deep else [],
    )


def test_miti_counts_reflections_and_questions_per_sentence() -> None:
    reply = "It sounds like you felt left out at the party. What was that like?"
    one_each = _reflecting(
        reply,
        [
            (Category.REFLECTING_FEELING, "felt left out"),
            (Category.REFLECTING_CONTENT, "at the party"),  # same sentence: one reflection
            (Category.EXPLORING, "What was that like"),
        ],
    )
    metrics = progress.miti([one_each])
    assert (metrics.reflections, metrics.questions) == (1, 1)
    assert metrics.ratio == 1.0
    assert metrics.ratio_level == "fair"


def test_miti_benchmarks() -> None:
    two_reflections = _reflecting(
        "You're hurt. You wanted him there.",
        [(Category.REFLECTING_FEELING, "hurt"), (Category.REFLECTING_CONTENT, "wanted him")],
        deep=True,
    )
    question = _reflecting("Why?", [(Category.INTERROGATING, "Why?")])
    good = progress.miti([two_reflections, question])
    assert good.ratio == 2.0 and good.ratio_level == "good"
    assert good.complex_share == 1.0 and good.complex_level == "good"

    shallow = _reflecting("You're sad.", [(Category.REFLECTING_FEELING, "sad")])
    closed = _reflecting(
        "Did he call? Was he late?",
        [(Category.CLOSED_QUESTION, "Did he call?"), (Category.CLOSED_QUESTION, "Was he late?")],
    )
    weak = progress.miti([shallow, closed])
    assert weak.ratio == 0.5 and weak.ratio_level == "below fair"
    assert weak.complex_share == 0.0 and weak.complex_level == "below fair"

    # 2 of 5 reflecting replies were complex: exactly the fair benchmark.
    mixed = [two_reflections] * 2 + [shallow] * 3
    assert progress.miti(mixed).complex_share == 0.4
    assert progress.miti(mixed).complex_level == "fair"


def test_miti_with_nothing_to_count() -> None:
    metrics = progress.miti([attempt()])
    assert metrics.ratio is None and metrics.ratio_level is None
    assert metrics.complex_share is None
    assert progress.format_ratio(metrics.ratio) == "n/a"
    only_reflections = progress.miti(
        [_reflecting("So sad.", [(Category.REFLECTING_FEELING, "sad")])]
    )
    assert progress.format_ratio(only_reflections.ratio) == "no questions"
    assert only_reflections.ratio_level == "good"
    assert progress.format_ratio(2.0) == "2.0 : 1"


def test_last_session_and_weekly_scores() -> None:
    monday = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
    attempts = [
        attempt(at=monday, score=40),
        attempt(at=monday + timedelta(days=2), score=60),
        attempt(at=monday + timedelta(days=8), score=70),
        attempt(at=monday + timedelta(days=8, minutes=20), score=90),
    ]
    assert progress.last_session(attempts) == attempts[2:]
    assert progress.last_session([]) == []
    weeks = progress.weekly_scores(attempts, tz=UTC)
    assert [(w.start, w.attempts, w.average) for w in weeks] == [
        (date(2025, 3, 3), 2, 50.0),
        (date(2025, 3, 10), 2, 80.0),
    ]


# --------------------------------------------------------------------------- schedule


def test_weakest_skill_is_the_lowest_recent_average() -> None:
    assert schedule.weakest_skill([]) is None
    weak_validate = [attempt(skills={"validate": 0.1}) for _ in range(3)]
    assert schedule.weakest_skill(weak_validate) == "validate"
    # Ties go to the skill taught first.
    assert schedule.weakest_skill([attempt()]) == "reflect_feeling"
    # Once validation improves over the recent window, the drills move on.
    improved = weak_validate + [
        attempt(skills={"validate": 0.9, "explore": 0.2}) for _ in range(schedule.WEAKEST_WINDOW)
    ]
    assert schedule.weakest_skill(improved) == "explore"


def test_boxes_rise_with_mastery_and_fall_with_failure() -> None:
    def box_after(*verdicts: Verdict) -> int:
        attempts = [
            attempt(at=NOW + timedelta(days=i), scenario_id="s1", verdict=v)
            for i, v in enumerate(verdicts)
        ]
        return schedule.reviews(attempts)["s1"].box

    assert box_after(Verdict.ATTUNED) == 1
    assert box_after(Verdict.ATTUNED, Verdict.ATTUNED, Verdict.ATTUNED) == 3
    assert box_after(Verdict.ATTUNED, Verdict.ATTUNED, Verdict.PARTLY_ATTUNED) == 1
    assert box_after(Verdict.ATTUNED, Verdict.ATTUNED, Verdict.FIXING) == 0
    assert box_after(*[Verdict.ATTUNED] * 20) == schedule.TOP_BOX
    # Free statements have no scenario to schedule.
    assert schedule.reviews([attempt(scenario_id=None)]) == {}


def test_a_failed_scenario_comes_back_sooner_than_a_mastered_one() -> None:
    lib = library(scenario("failed"), scenario("mastered"), scenario("new", difficulty=3))
    attempts = [
        attempt(at=NOW, scenario_id="mastered", verdict=Verdict.ATTUNED),
        attempt(at=NOW + timedelta(minutes=1), scenario_id="mastered", verdict=Verdict.ATTUNED),
        attempt(at=NOW + timedelta(minutes=2), scenario_id="failed", verdict=Verdict.FIXING),
    ]

    def ids(now: datetime) -> list[str]:
        found = schedule.next_scenarios(lib, attempts, now=now, weakest_first=False)
        return [s.id for s in found]

    # Straight after: the failed one is not repeated at once; only the new one is ready.
    assert ids(NOW + timedelta(minutes=3)) == ["new"]
    # Within the session, the failed one comes back, first.
    assert ids(NOW + timedelta(minutes=15)) == ["failed", "new"]
    # The mastered one waits days (box 2: three days).
    assert "mastered" not in ids(NOW + timedelta(days=2))
    assert ids(NOW + timedelta(days=4)) == ["failed", "mastered", "new"]


def test_nothing_due_still_gives_a_drill() -> None:
    lib = library(scenario("a"), scenario("b"))
    attempts = [
        attempt(at=NOW, scenario_id="b", verdict=Verdict.ATTUNED),
        attempt(at=NOW + timedelta(hours=1), scenario_id="a", verdict=Verdict.ATTUNED),
    ]
    found = schedule.next_scenarios(lib, attempts, now=NOW + timedelta(hours=2))
    assert [s.id for s in found] == ["b", "a"]  # soonest due first


def test_weak_validation_drills_scenarios_where_validation_is_tested() -> None:
    lib = library(
        scenario("plain"),
        scenario("trap", labels=(Verdict.ATTUNED, Verdict.MINIMISING, Verdict.DISMISSING)),
        scenario("half-trap", labels=(Verdict.ATTUNED, Verdict.JUDGING)),
    )
    attempts = [attempt(skills={"validate": 0.1}) for _ in range(5)]
    found = schedule.next_scenarios(lib, attempts, now=NOW)
    assert [s.id for s in found] == ["trap", "half-trap", "plain"]


def test_weak_on_deeper_feelings_drills_hard_scenarios_with_underlying_feelings() -> None:
    lib = library(
        scenario("easy-surface", difficulty=1),
        scenario("easy-deep", difficulty=1, underlying=["hurt"]),
        scenario("hard-deep", difficulty=3, underlying=["lonely"]),
    )
    # Names the surface feeling but scores low on reflecting feeling: needs to go deeper.
    surface_only = [
        attempt(skills={"reflect_feeling": 0.2}, named_surface=["angry"]) for _ in range(5)
    ]
    found = schedule.next_scenarios(lib, surface_only, now=NOW)
    assert [s.id for s in found] == ["hard-deep", "easy-deep", "easy-surface"]
    # Names no feeling at all: start where the feeling is said out loud.
    no_feeling = [attempt(skills={"reflect_feeling": 0.0}) for _ in range(5)]
    found = schedule.next_scenarios(lib, no_feeling, now=NOW)
    assert [s.id for s in found] == ["easy-deep", "hard-deep", "easy-surface"]


def test_a_failed_scenario_beats_the_weak_skill_match() -> None:
    lib = library(
        scenario("trap", labels=(Verdict.ATTUNED, Verdict.MINIMISING)),
        scenario("failed-plain"),
    )
    attempts = [attempt(skills={"validate": 0.1}) for _ in range(5)]
    attempts.append(attempt(at=NOW, scenario_id="failed-plain", verdict=Verdict.DISMISSING))
    found = schedule.next_scenarios(lib, attempts, now=NOW + timedelta(hours=1))
    assert [s.id for s in found] == ["failed-plain", "trap"]


def test_without_history_the_easiest_come_first_and_limit_holds() -> None:
    lib = library(
        *[scenario(f"d3-{i}", difficulty=3) for i in range(5)],
        *[scenario(f"d1-{i}", difficulty=1) for i in range(5)],
    )
    found = schedule.next_scenarios(lib, [], now=NOW, limit=3)
    assert [s.id for s in found] == ["d1-0", "d1-1", "d1-2"]
    assert schedule.next_scenarios(library(scenario("x")), [], now=NOW, limit=0) == []


def test_a_newcomers_first_scenarios_leave_risk_scenarios_last() -> None:
    library = load_library(load_rubric(), pack_dirs())
    everything = sum(1 for _ in library.scenarios())
    ranked = schedule.next_scenarios(library, [], now=NOW, limit=everything)
    assert ranked[0].difficulty == 1 and not ranked[0].sensitive
    sensitive = [i for i, s in enumerate(ranked) if s.sensitive]
    assert sensitive and min(sensitive) > max(i for i, s in enumerate(ranked) if not s.sensitive)
