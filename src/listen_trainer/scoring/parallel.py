"""Scoring a large batch on several cores: forked workers, each with the parent's Scorer.

The engine is CPU-bound Python, so threads would not help; processes do. Workers are
forked from a process holding a built Scorer, so they start in milliseconds with the
pipeline and rubric already in memory (nothing is pickled but requests and results).
Each result comes back as Feedback JSON, which is cheaper to send and rebuild than a
pickled model; where the caller wants JSON anyway (`Scorer.score_many_json`), the text
the worker wrote is passed on as it is, and the parent rebuilds nothing. Chunks are sent
a few at a time, so a long stream never sits in memory, and results are yielded in the
order of the requests.

Fork is used only where it is safe: a platform that has it, from the main thread of a
process running no other thread (forking a threaded process, e.g. the TUI, can deadlock
the child). One pool per process, for the Scorer that last asked.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import signal
import threading
import weakref
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice
from multiprocessing.pool import AsyncResult, Pool
from typing import TYPE_CHECKING, Any

from listen_trainer.scoring.feedback import Feedback

if TYPE_CHECKING:
    from listen_trainer.scoring.engine import Scorer, ScoreRequest

CHUNK = 128  # requests per task: large enough that sending costs little
IN_FLIGHT = 3  # tasks queued per worker, so none waits while the parent reads results

_scorer: Scorer | None = None  # in a worker: the Scorer inherited from the parent
# In the parent: the one pool, the Scorer its workers copied and their number. One at a
# time, because a live pool's own threads make the next fork unsafe.
_current: tuple[weakref.ref[Scorer], int, Pool] | None = None


def can_fork() -> bool:
    return (
        "fork" in multiprocessing.get_all_start_methods()
        and threading.current_thread() is threading.main_thread()
        and multiprocessing.parent_process() is None
    )


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


def pool_for(scorer: Scorer, workers: int) -> Pool | None:
    """Workers holding `scorer`, started if need be; None where forking is not safe."""
    global _current
    if _current is not None:
        owner, size, pool = _current
        if owner() is scorer and size == workers:
            return pool
    if not can_fork():
        return None
    stop()
    if threading.active_count() > 1:
        return None
    # A weak reference: a strong one in the pool would keep the Scorer (and the pool)
    # alive in a cycle. With fork, the child gets the referent in its copied memory.
    fork = multiprocessing.get_context("fork")
    pool = _QuietPool(workers, _adopt, (weakref.ref(scorer),), context=fork)
    _current = (weakref.ref(scorer), workers, pool)
    return pool


class _QuietPool(Pool):
    """A Pool whose worker-minding thread sleeps until a worker ends or the pool changes.

    Pool's own thread also wakes whenever the result pipe holds data, and a chunk's
    results (~230 KB, more than a pipe holds) keep it readable for a while: the thread
    spun, checking on the workers, for ~12 us of the parent's CPU a reply, the cores the
    workers need. Workers are never retired here (no maxtasksperchild), so an ended worker
    (its sentinel) and a change of state (the notifier) are all it has to wake for."""

    def _get_sentinels(self) -> list[Any]:
        notifier = getattr(self, "_change_notifier", None)
        if notifier is None:  # another Python's Pool: leave it as it is
            return super()._get_sentinels()  # type: ignore[misc]
        return [notifier._reader]


def serves(scorer: Scorer) -> bool:
    """Whether worker processes hold `scorer` now."""
    return _current is not None and _current[0]() is scorer


def stop(scorer: Scorer | None = None) -> None:
    """End the workers (of `scorer` only, if given); their threads are joined."""
    global _current
    if _current is not None and (scorer is None or _current[0]() is scorer):
        _current[2].terminate()
        _current = None


# Registered after multiprocessing's own exit hook, so run before it: that hook stops the
# workers without marking the pool stopped, and the pool's __del__ then fails noisily.
atexit.register(stop)


def _adopt(scorer: weakref.ref[Scorer]) -> None:
    global _scorer
    _scorer = scorer()
    # Ctrl-C reaches the whole process group: the parent handles it (and ends the
    # workers); a worker printing its own traceback would only be noise.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _score_chunk(requests: list[ScoreRequest]) -> list[str]:
    """The Feedback JSON of each request; where the parent wants models it validates
    this text into them (so the worker builds none)."""
    assert _scorer is not None, "a worker is started by pool_for"
    return list(_scorer.json_serial(requests))


def _results(pool: Pool, workers: int, requests: Iterable[ScoreRequest]) -> Iterator[str]:
    """The Feedback JSON of each request, in order, from `pool`'s workers."""
    pending = iter(requests)
    queued: deque[AsyncResult[list[str]]] = deque()
    while True:
        while len(queued) < workers * IN_FLIGHT and (chunk := list(islice(pending, CHUNK))):
            queued.append(pool.apply_async(_score_chunk, (chunk,)))
        if not queued:
            return
        yield from queued.popleft().get()


def score(pool: Pool, workers: int, requests: Iterable[ScoreRequest]) -> Iterator[Feedback]:
    """Feedback for each request, in order, scored by `pool`'s workers."""
    for text in _results(pool, workers, requests):
        yield Feedback.model_validate_json(text)


def score_json(pool: Pool, workers: int, requests: Iterable[ScoreRequest]) -> Iterator[str]:
    """Each request's Feedback as JSON text (`values_json`), in order, scored and written
    by `pool`'s workers: the parent only passes the text on."""
    return _results(pool, workers, requests)
