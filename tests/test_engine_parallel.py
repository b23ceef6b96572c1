"""A large batch shared among worker processes gets the Feedback it would get in one.

The batch mixes scenario exemplars, free statements, statements with the speaker's own
feelings and needs, empty and over-long replies, so that every kind of request crosses
the process boundary and comes back in its place.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from listen_trainer.content.library import Library, Rubric
from listen_trainer.scoring import Scorer, ScoreRequest, parallel
from listen_trainer.scoring.engine import PARALLEL_FROM
from listen_trainer.scoring.parallel import can_fork

pytestmark = pytest.mark.skipif(not can_fork(), reason="no fork here: batches stay serial")


@pytest.fixture
def own_scorer(rubric: Rubric) -> Iterator[Scorer]:
    # Its own Scorer, so that no worker outlives this test or serves another.
    scorer = Scorer(rubric)
    yield scorer
    scorer.close()


@pytest.fixture
def may_share() -> None:
    """No other Scorer's workers left from an earlier test, and a process that may fork."""
    parallel.stop()
    if threading.active_count() > 1:
        pytest.skip("other threads run in this process: batches stay serial")


def requests(library: Library, rubric: Rubric) -> list[ScoreRequest]:
    exemplars = [
        ScoreRequest(e.reply, scenario=s) for _, s in library.scenarios() for e in s.exemplars
    ]
    free = [
        ScoreRequest(e.reply, statement=s.statement)
        for _, s in library.scenarios()
        for e in s.exemplars
    ]
    picked = [
        ScoreRequest(
            "It sounds lonely, and you want to matter to him.",
            statement="He left.",
            feelings=("lonely",),
            needs=("to matter",),
        ),
        ScoreRequest("", statement="I failed my exam."),
        ScoreRequest(
            "You should relax. " * (rubric.settings.max_reply_chars // 10),
            statement="I'm so stressed.",
        ),
    ]
    batch = [*picked, *exemplars, *free]
    while len(batch) < PARALLEL_FROM + 20:
        batch += batch
    return batch[: PARALLEL_FROM + 20]


@pytest.mark.usefixtures("may_share")
def test_a_parallel_batch_gives_the_serial_feedback_in_order(
    own_scorer: Scorer, library: Library, rubric: Rubric
) -> None:
    batch = requests(library, rubric)
    serial = list(own_scorer.score_many(batch, workers=1))
    shared = list(own_scorer.score_many(batch, workers=2))
    assert parallel.serves(own_scorer), "the batch was large enough to share"
    assert len(shared) == len(batch)
    assert shared == serial
    assert any(f.truncated for f in shared) and any(f.flags for f in shared)


def test_a_process_running_threads_scores_in_process(
    own_scorer: Scorer, library: Library, rubric: Rubric
) -> None:
    batch = requests(library, rubric)
    results: list = []
    worker = threading.Thread(target=lambda: results.extend(own_scorer.score_many(batch)))
    worker.start()
    worker.join()
    assert not parallel.serves(own_scorer), "forking a threaded process can deadlock the child"
    assert results == list(own_scorer.score_many(batch, workers=1))


@pytest.mark.usefixtures("may_share")
def test_a_parallel_json_batch_is_the_serial_feedback_as_json(
    own_scorer: Scorer, library: Library, rubric: Rubric
) -> None:
    # `score --jsonl` writes the workers' text as it is: it must say what the Feedback says.
    batch = requests(library, rubric)
    serial = list(own_scorer.score_many(batch, workers=1))
    shared = list(own_scorer.score_many_json(batch, workers=2))
    assert parallel.serves(own_scorer), "the batch was large enough to share"
    assert shared == [json.dumps(f.model_dump(mode="json")) for f in serial]


@pytest.mark.usefixtures("may_share")
def test_closing_the_scorer_ends_its_workers(
    own_scorer: Scorer, library: Library, rubric: Rubric
) -> None:
    batch = requests(library, rubric)
    assert len(list(own_scorer.score_many_json(batch, workers=2))) == len(batch)
    workers = multiprocessing.active_children()
    assert len(workers) >= 2
    own_scorer.close()
    assert not any(w.is_alive() for w in workers)
    assert threading.active_count() == 1, "the parent runs no thread for its workers"


@contextmanager
def within(seconds: float) -> Iterator[None]:
    """Fail with TimeoutError, rather than hang, if the block takes longer than `seconds`
    (waits on a pipe or a process are interrupted by the alarm)."""

    def expired(signum: int, frame: object) -> None:
        raise TimeoutError(f"still waiting after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def large_batch(library: Library, rubric: Rubric) -> list[ScoreRequest]:
    """Many more chunks than are ever sent ahead, so that workers are busy throughout."""
    return requests(library, rubric) * 6


@pytest.mark.usefixtures("may_share")
@pytest.mark.parametrize("read", [1, 130, 700])
def test_a_caller_leaving_midway_ends_every_worker_at_once(
    own_scorer: Scorer, library: Library, rubric: Rubric, read: int
) -> None:
    # `score --jsonl ... | head -1`: the reader leaves while workers are still writing.
    results = own_scorer.score_many_json(large_batch(library, rubric), workers=2)
    with within(30):
        for _ in range(read):
            next(results)
        workers = multiprocessing.active_children()
        assert len(workers) >= 2
        results.close()
    assert not parallel.serves(own_scorer), "workers busy with unread chunks are not reused"
    assert not any(w.is_alive() for w in workers)
    # The next batch gets fresh workers and the whole answer.
    batch = requests(library, rubric)
    with within(60):
        assert len(list(own_scorer.score_many_json(batch, workers=2))) == len(batch)


@pytest.mark.usefixtures("may_share")
def test_a_worker_that_dies_is_an_error_not_a_wait(
    own_scorer: Scorer, library: Library, rubric: Rubric
) -> None:
    results = own_scorer.score_many_json(large_batch(library, rubric), workers=2)
    with within(30):
        next(results)
        dead, *_ = multiprocessing.active_children()
        assert dead.pid is not None
        os.kill(dead.pid, signal.SIGKILL)
        with pytest.raises(parallel.WorkerError, match=f"pid {dead.pid}"):
            list(results)
    assert not parallel.serves(own_scorer)
    assert not multiprocessing.active_children(), "the other worker is ended too"


@pytest.mark.usefixtures("may_share")
def test_a_batch_asked_for_while_the_workers_are_busy_is_scored_here(
    own_scorer: Scorer, library: Library, rubric: Rubric
) -> None:
    batch = requests(library, rubric)
    first = own_scorer.score_many_json(batch, workers=2)
    head = next(first)
    # Another batch while the first is half read: it must not take the first's results.
    second = list(own_scorer.score_many_json(batch, workers=2))
    assert [head, *first] == second
