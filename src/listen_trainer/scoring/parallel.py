"""Scoring a large batch on several cores: forked workers, each with the parent's Scorer.

The engine is CPU-bound Python, so threads would not help; processes do. Workers are
forked from a process holding a built Scorer, so they start in milliseconds with the
pipeline and rubric already in memory (nothing is pickled but requests and results).
Each result comes back as Feedback JSON, which is cheaper to send and rebuild than a
pickled model; where the caller wants JSON anyway (`Scorer.score_many_json`), the text
the worker wrote is passed on as it is, and the parent rebuilds nothing. Chunks are sent
a few at a time, so a long stream never sits in memory, and results are yielded in the
order of the requests.

Each worker has two pipes of its own, one for chunks and one for results, and shares no
lock with the parent or with the other workers. `multiprocessing.Pool` was used before:
its workers write results under one shared lock, and a worker ended while it held that
lock (`Pool.terminate`, when a reader left `score --jsonl ... | head` early) could leave
the parent waiting on the lock for ever. Here ending a worker at any moment leaves nothing
for the parent to wait on: it closes its ends of the pipes and ends the process.

A worker reads its chunks in a thread of its own, so that a chunk sent to it never waits
on the pipe while the worker itself waits for the parent to take its results; the parent
runs no thread at all.

Fork is used only where it is safe: a platform that has it, from the main thread of a
process running no other thread (forking a threaded process, e.g. the TUI, can deadlock
the child). One set of workers per process, for the Scorer that last asked; a batch asked
for while those workers are busy with another is scored in the asking process.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import queue
import signal
import threading
import weakref
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import TYPE_CHECKING

from listen_trainer.scoring.feedback import Feedback

if TYPE_CHECKING:
    from listen_trainer.scoring.engine import Scorer, ScoreRequest

CHUNK = 128  # requests per message: large enough that sending costs little
IN_FLIGHT = 3  # chunks sent ahead to each worker, so none waits while the parent writes
# How long a stopped worker is given to end on SIGTERM before it is killed.
STOP_GRACE_SECONDS = 2.0


class WorkerError(RuntimeError):
    """A worker process ended, or failed, before it sent back a chunk's results."""


class Workers:
    """`count` processes forked now, each holding the Scorer; `score_json` shares a
    stream of requests among them."""

    def __init__(self, scorer: Scorer, count: int) -> None:
        fork = multiprocessing.get_context("fork")
        self.scorer = weakref.ref(scorer)
        self.count = count
        self.busy = False
        self._processes: list[BaseProcess] = []
        self._send: list[Connection] = []  # the parent's end of each worker's chunk pipe
        self._receive: list[Connection] = []  # ... and of its result pipe
        for _ in range(count):
            chunks_out, chunks_in = fork.Pipe(duplex=False)  # (reader, writer)
            results_out, results_in = fork.Pipe(duplex=False)
            # A weak reference: the parent keeps no Scorer alive through its workers;
            # with fork, the child finds the referent in its copied memory.
            inherited = [*self._send, *self._receive, chunks_in, results_out]
            process = fork.Process(
                target=_serve,
                args=(weakref.ref(scorer), chunks_out, results_in, inherited),
                daemon=True,
                name=f"listen-trainer scorer {len(self._processes) + 1}",
            )
            process.start()
            # The child's ends live in the child only, so that a worker that ends is seen
            # at once as the end of its pipe.
            chunks_out.close()
            results_in.close()
            self._processes.append(process)
            self._send.append(chunks_in)
            self._receive.append(results_out)

    @property
    def processes(self) -> list[BaseProcess]:
        return list(self._processes)

    def score_json(self, requests: Iterable[ScoreRequest]) -> Iterator[str]:
        """The Feedback JSON of each request, in order. If the caller leaves before the
        end (or anything fails), the workers are stopped: they may be busy with chunks
        nobody will read."""
        self.busy = True
        finished = False
        try:
            yield from self._stream(requests)
            finished = True
        finally:
            self.busy = False
            if not finished:
                stop_workers(self)

    def _stream(self, requests: Iterable[ScoreRequest]) -> Iterator[str]:
        pending = iter(requests)
        # The worker of each chunk sent and not yet read, oldest first: each worker scores
        # its chunks in the order it got them, so results are read back in that order.
        owners: deque[int] = deque()
        for index in range(self.count * IN_FLIGHT):
            if not self._send_next(pending, index % self.count, owners):
                break
        while owners:
            index = owners.popleft()
            results = self._take(index)
            # Its slot is free again: the next chunk goes to the same worker.
            self._send_next(pending, index, owners)
            yield from results

    def _send_next(self, pending: Iterator[ScoreRequest], index: int, owners: deque[int]) -> bool:
        chunk = list(islice(pending, CHUNK))
        if not chunk:
            return False
        try:
            self._send[index].send(chunk)
        except OSError as exc:
            raise self._failure(index) from exc
        owners.append(index)
        return True

    def _take(self, index: int) -> list[str]:
        try:
            results, error = self._receive[index].recv()
        except (EOFError, OSError) as exc:
            raise self._failure(index) from exc
        if error is not None:
            raise WorkerError(f"a scoring worker failed: {error}")
        return results  # type: ignore[no-any-return]

    def _failure(self, index: int) -> WorkerError:
        process = self._processes[index]
        process.join(timeout=STOP_GRACE_SECONDS)
        return WorkerError(
            f"a scoring worker (pid {process.pid}) ended before sending its results "
            f"(exit code {process.exitcode})"
        )

    def stop(self) -> None:
        """End every worker now, whatever it is doing, and wait for each to be gone."""
        for connection in (*self._send, *self._receive):
            connection.close()
        for process in self._processes:
            if process.is_alive():
                process.terminate()
        for process in self._processes:
            process.join(timeout=STOP_GRACE_SECONDS)
            if process.is_alive():  # SIGTERM not acted on: a stuck worker
                process.kill()
                process.join()


# In the parent: the one set of workers, for the Scorer they copied.
_current: Workers | None = None


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


def pool_for(scorer: Scorer, workers: int) -> Workers | None:
    """Workers holding `scorer`, started if need be; None where forking is not safe, or
    where the workers are busy with another batch."""
    global _current
    if _current is not None and _current.scorer() is scorer and _current.count == workers:
        return None if _current.busy else _current
    if _current is not None and _current.busy:
        return None
    if not can_fork() or threading.active_count() > 1:
        return None
    stop()
    _current = Workers(scorer, workers)
    return _current


def serves(scorer: Scorer) -> bool:
    """Whether worker processes hold `scorer` now."""
    return _current is not None and _current.scorer() is scorer


def stop(scorer: Scorer | None = None) -> None:
    """End the workers (of `scorer` only, if given)."""
    if _current is not None and (scorer is None or _current.scorer() is scorer):
        stop_workers(_current)


def stop_workers(workers: Workers) -> None:
    """End `workers`, and forget them if they are the current ones."""
    global _current
    if _current is workers:
        _current = None
    workers.stop()


# Daemon workers are ended by multiprocessing's own exit hook too; this one, registered
# later, runs first and ends them the same way a `stop` does.
atexit.register(stop)


def _serve(
    scorer_ref: weakref.ref[Scorer],
    chunks: Connection,
    results: Connection,
    inherited: list[Connection],
) -> None:
    """A worker's life: score each chunk that comes, send back its JSON, until the parent
    closes the chunk pipe."""
    # Ctrl-C reaches the whole process group: the parent handles it (and ends the
    # workers); a worker printing its own traceback would only be noise.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The parent's ends of this worker's pipes, and of the workers forked before it:
    # held here, they would keep a pipe open after its owner closed it.
    for connection in inherited:
        connection.close()
    scorer = scorer_ref()
    assert scorer is not None, "the parent holds the Scorer while it forks"
    waiting: queue.SimpleQueue[list[ScoreRequest] | None] = queue.SimpleQueue()
    threading.Thread(target=_receive_chunks, args=(chunks, waiting), daemon=True).start()
    while (chunk := waiting.get()) is not None:
        try:
            message: tuple[list[str] | None, str | None] = (list(scorer.json_serial(chunk)), None)
        except Exception as exc:  # sent to the parent, which raises it as WorkerError
            message = (None, f"{type(exc).__name__}: {exc}")
        try:
            results.send(message)
        except OSError:  # the parent closed its end: nobody wants the rest
            return


def _receive_chunks(
    chunks: Connection, waiting: queue.SimpleQueue[list[ScoreRequest] | None]
) -> None:
    try:
        while True:
            waiting.put(chunks.recv())
    except (EOFError, OSError):  # the parent closed the pipe: no more work
        waiting.put(None)


def score(workers: Workers, count: int, requests: Iterable[ScoreRequest]) -> Iterator[Feedback]:
    """Feedback for each request, in order, scored by `workers` (`count` of them)."""
    for text in score_json(workers, count, requests):
        yield Feedback.model_validate_json(text)


def score_json(workers: Workers, count: int, requests: Iterable[ScoreRequest]) -> Iterator[str]:
    """Each request's Feedback as JSON text (`values_json`), in order, scored and written
    by `workers` (`count` of them): the parent only passes the text on."""
    if count != workers.count:
        raise ValueError(f"{workers.count} workers were started, not {count}")
    return workers.score_json(requests)
