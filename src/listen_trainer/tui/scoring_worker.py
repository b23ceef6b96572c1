"""One way to score a reply off the UI thread, for the drill, the workshop round and
partner practice alike, with one error path.

The screen hands over a `ScoreJob` and gets back a `ReplyScored` or a `ScoringFailed`
message. A failure is a message, never an exception: an uncaught error in a Textual
worker ends the whole app, and with it every unsaved reply in the session.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.message import Message
from textual.worker import Worker

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from listen_trainer.scoring import Feedback, Scorer
    from listen_trainer.tui.state import Session

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScoreJob:
    """A reply to score, and what the screen needs to place the result.

    `score(scorer)` does the scoring (None: nothing to score, such as a blank reply left
    when time ran out); `save(feedback)`, if given, keeps the attempt and returns the
    problem to show if it could not.
    """

    key: object
    reply: str
    score: Callable[[Scorer], Feedback | None]
    save: Callable[[Feedback], str | None] | None = None


@dataclass
class ReplyScored(Message):
    """`job.reply` was scored; `feedback` is None when there was nothing to score."""

    job: ScoreJob
    feedback: Feedback | None


@dataclass
class ScoringFailed(Message):
    """`job.reply` could not be scored; `error` says why, in a sentence."""

    job: ScoreJob
    error: str


def _describe(exc: BaseException) -> str:
    detail = str(exc).strip()
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__


def score_in_background(
    node: DOMNode, session: Session, job: ScoreJob, scorer: Callable[[], Any] | None = None
) -> Worker[None]:
    """Score `job` in a thread and post the outcome to `node` (a screen, as a rule).

    `scorer` gives the scorer to use (default: the session's, the listener's). The first
    reply of a session may wait here for the spaCy pipeline to be built.
    """

    def run() -> None:
        try:
            feedback = job.score((scorer or session.scorer)())
        # The boundary of the worker: whatever goes wrong in the engine becomes a message
        # the learner reads, and the trainer keeps running with their replies intact.
        except Exception as exc:
            log.exception("scoring failed")
            node.post_message(ScoringFailed(job, _describe(exc)))
            return
        node.post_message(ReplyScored(job, feedback))
        if feedback is not None and job.save is not None:
            problem = job.save(feedback)
            if problem:
                node.app.call_from_thread(
                    node.app.notify, problem, severity="warning", title="History", markup=False
                )

    return node.run_worker(run, thread=True, group="score", exit_on_error=False)


def failure_notice(node: DOMNode, error: str, who: str | None = None) -> None:
    """Tell the learner a reply was not scored (the app goes on)."""
    whose = f"{who}'s reply" if who else "The reply"
    again = "" if who else " It is still in the box: try sending it again."
    node.notify(
        f"{whose} could not be scored: {error}.{again}",
        title="Scoring failed",
        severity="error",
        markup=False,
        timeout=12,
    )
