"""The Scorer: (scenario or free statement, reply) -> Feedback.

Build one Scorer per process (it compiles the rubric and builds the spaCy pipeline, about
half a second) and score as many replies as needed; `score_many` runs them through
`nlp.pipe` for batches, and shares a large batch among forked workers (parallel.py).
"""

from __future__ import annotations

import gc
import itertools
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from spacy.tokens import Doc

from listen_trainer.content.library import Rubric, load_rubric
from listen_trainer.content.models import Category, Scenario, Verdict
from listen_trainer.scoring import advice, hearing, layout, model_reply, parallel, rewrite
from listen_trainer.scoring.analysis import Finding
from listen_trainer.scoring.feedback import Feedback, values_json
from listen_trainer.scoring.findings import analyse
from listen_trainer.scoring.learned import ActsModel
from listen_trainer.scoring.pipeline import STATEMENT_SKIPS, build_nlp, freeze_built_objects
from listen_trainer.scoring.rules import CompiledRubric
from listen_trainer.scoring.text_clean import clean
from listen_trainer.scoring.verdict import judge

if TYPE_CHECKING:
    from listen_trainer.scoring.parallel import Workers

ENGINE_VERSION = "1"
# Statements are read only to know what the speaker feels; a cap keeps that bounded too.
MAX_STATEMENT_CHARS = 4000
STATEMENT_CACHE = 4096
# From this many requests `score_many` shares the work among processes (bench/run.py
# --crossover measures where that starts to pay: forking, sending and rebuilding cost).
PARALLEL_FROM = 512


@dataclass(frozen=True)
class ScoreRequest:
    reply: str
    scenario: Scenario | None = None
    statement: str | None = None
    # With a free statement: the feelings and needs its speaker picked (lexicon words).
    feelings: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()


@contextmanager
def _no_collection() -> Iterator[None]:
    """Build without the cyclic garbage collector: a Scorer is ~100,000 objects made at
    once and kept, and the collector walked them all again while they were being made
    (a full collection and several partial ones, ~0.05 s of a cold start). Its state is
    as it was before."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Scorer:
    def __init__(self, rubric: Rubric | None = None, *, learned: bool = True) -> None:
        """`learned=False` judges by the rules alone, without the acts model."""
        with _no_collection():
            self.rubric = rubric or load_rubric()
            self.nlp = build_nlp()
            self.compiled = CompiledRubric(self.rubric, self.nlp)
            acts = self.rubric.settings.learned
            self.acts_model = ActsModel(self.nlp, acts) if learned and acts else None
        # A Scorer lives as long as its process: the collector need not walk it again.
        freeze_built_objects()
        self._scenario_targets: dict[tuple[str, str], hearing.Target] = {}
        self._statement_targets: dict[str, hearing.Target] = {}
        self._messages: dict[tuple[str | None, Category, int | None], str] = {}
        self._version = f"{ENGINE_VERSION}+{self.rubric.version}"

    @property
    def version(self) -> str:
        return self._version

    # ------------------------------------------------------------------ targets

    def target_for(
        self,
        scenario: Scenario | None,
        statement: str | None,
        feelings: tuple[str, ...] = (),
        needs: tuple[str, ...] = (),
    ) -> hearing.Target:
        if scenario is not None:
            key = (scenario.id, scenario.statement)
            target = self._scenario_targets.get(key)
            if target is None:
                text, _ = clean(scenario.statement, MAX_STATEMENT_CHARS)
                doc = self.nlp(text, disable=STATEMENT_SKIPS)
                lexicon = self.compiled.lexicon_matches(doc)
                target = hearing.from_scenario(scenario, doc, lexicon, self.compiled)
                self._scenario_targets[key] = target
            return target
        statement = statement or ""
        if statement not in self._statement_targets:
            self._read_statements([statement])
        target = self._statement_targets[statement]
        if feelings or needs:
            target = self._with_model_reply(
                hearing.with_picks(target, feelings, needs, self.compiled)
            )
        return target

    def _with_model_reply(self, target: hearing.Target) -> hearing.Target:
        """A free statement's target with an attuned reply made from it, shown where a
        scenario's best exemplar is."""
        return replace(target, model_reply=model_reply.for_statement(target, self.rubric))

    # ------------------------------------------------------------------ scoring

    def score(
        self,
        reply: str,
        *,
        scenario: Scenario | None = None,
        statement: str | None = None,
        feelings: Iterable[str] = (),
        needs: Iterable[str] = (),
    ) -> Feedback:
        """Score one reply to a scenario, or to a free statement (with, optionally, the
        feelings and needs its speaker picked from the lexicon)."""
        request = ScoreRequest(reply, scenario, statement, tuple(feelings), tuple(needs))
        return next(self.score_many([request]))

    def score_many(
        self, requests: Iterable[ScoreRequest], batch_size: int = 256, workers: int | None = None
    ) -> Iterator[Feedback]:
        """Score replies in order; yields one Feedback per request.

        A batch of PARALLEL_FROM requests or more is shared among `workers` forked
        processes (default: one per core) where the platform and the process allow it
        (see parallel.py); a smaller one, or `workers=1`, is scored here. The Feedback is
        the same either way.
        """
        everything, workers, pool = self._pool_for(requests, workers)
        if pool is None:
            yield from self.score_serial(everything, batch_size)
        else:
            yield from parallel.score(pool, workers, everything)

    def score_many_json(
        self, requests: Iterable[ScoreRequest], batch_size: int = 256, workers: int | None = None
    ) -> Iterator[str]:
        """What `score_many` yields, as JSON text: one object per request, in order, the
        same text as `json.dumps(feedback.model_dump(mode="json"))` (ASCII only).

        For callers that only write or read the JSON (`score --jsonl`, an evaluation that
        needs a few fields): no Feedback model is built, here or in a worker (the values
        are written as they are; tests/test_feedback_json.py holds the text to the
        model's), and with workers the parent passes their text on."""
        everything, workers, pool = self._pool_for(requests, workers)
        if pool is None:
            yield from self.json_serial(everything, batch_size)
        else:
            yield from parallel.score_json(pool, workers, everything)

    def _pool_for(
        self, requests: Iterable[ScoreRequest], workers: int | None
    ) -> tuple[Iterator[ScoreRequest], int, Workers | None]:
        """The requests (their head read to count them), the number of workers, and the
        pool to share them among: None for a small batch or where forking is not safe."""
        pending = iter(requests)
        head = list(itertools.islice(pending, PARALLEL_FROM))
        everything = itertools.chain(head, pending)
        workers = parallel.default_workers() if workers is None else workers
        large = len(head) >= PARALLEL_FROM and workers > 1
        return everything, workers, parallel.pool_for(self, workers) if large else None

    def close(self) -> None:
        """Stop the worker processes, if any were started (they also stop at exit)."""
        parallel.stop(self)

    def score_serial(
        self, requests: Iterable[ScoreRequest], batch_size: int = 256
    ) -> Iterator[Feedback]:
        """Score replies in order, in this process, through `nlp.pipe`."""
        for values in self.values_serial(requests, batch_size):
            yield Feedback.model_validate(values)

    def json_serial(self, requests: Iterable[ScoreRequest], batch_size: int = 256) -> Iterator[str]:
        """`score_serial`'s Feedback as JSON text (`values_json`), without building the model."""
        for values in self.values_serial(requests, batch_size):
            yield values_json(values)

    def values_serial(
        self, requests: Iterable[ScoreRequest], batch_size: int = 256
    ) -> Iterator[dict[str, Any]]:
        """Each reply's Feedback as plain values (see `_values`), in order, scored in this
        process through `nlp.pipe`.

        Requests are taken a batch at a time, so that the free statements of a batch
        (each one read for its feelings and content) go through `nlp.pipe` together too.
        """
        limit = self.rubric.settings.max_reply_chars
        pending = iter(requests)
        while batch := list(itertools.islice(pending, batch_size)):
            self._read_statements(r.statement for r in batch if r.scenario is None)
            cleaned = [clean(r.reply, limit) for r in batch]
            docs = self.nlp.pipe((text for text, _ in cleaned), batch_size=batch_size)
            for request, (text, truncated), doc in zip(batch, cleaned, docs, strict=True):
                target = self.target_for(
                    request.scenario, request.statement, request.feelings, request.needs
                )
                yield self._values(doc, text, request.reply, target, truncated)

    def _read_statements(self, statements: Iterable[str | None]) -> None:
        new = list(
            dict.fromkeys(s or "" for s in statements if (s or "") not in self._statement_targets)
        )
        texts = [clean(s, MAX_STATEMENT_CHARS)[0] for s in new]
        docs = self.nlp.pipe(texts, disable=STATEMENT_SKIPS)
        for statement, text, doc in zip(new, texts, docs, strict=True):
            lexicon = self.compiled.lexicon_matches(doc)
            target = hearing.from_statement(doc, lexicon, self.compiled, text)
            self._remember(statement, self._with_model_reply(target))

    def _remember(self, statement: str, target: hearing.Target) -> None:
        # Bounded: a long batch of distinct statements must not grow memory without end.
        if len(self._statement_targets) >= STATEMENT_CACHE:
            self._statement_targets.pop(next(iter(self._statement_targets)))
        self._statement_targets[statement] = target

    def _values(
        self, doc: Doc, text: str, reply: str, target: hearing.Target, truncated: bool
    ) -> dict[str, Any]:
        """The Feedback on `doc`, parsed from `text` (the cleaned `reply`), as plain values
        (layout.py): the stages in order, matches to advice."""
        rubric = self.rubric
        matches = self.compiled.match(doc)
        analysis = analyse(doc, matches, target, self.compiled, self.acts_model)
        judgement = judge(analysis, rubric)
        suggestions = advice.suggestions(analysis, judgement, target, rubric)
        if not text.strip():
            suggestions = [rubric.settings.messages.non_response]
        elif judgement.verdict is Verdict.MISSED:
            # The verdict's reason, when no words of the reply led to it.
            suggestions.insert(0, rubric.settings.messages.missed)
        if truncated:
            suggestions.insert(
                0, rubric.settings.messages.truncated.format(limit=rubric.settings.max_reply_chars)
            )
        return layout.feedback_values(
            judgement,
            layout.flag_values(doc, reply, analysis, self._message),
            layout.heard_values(analysis, target),
            suggestions=suggestions,
            rewrite=rewrite.rewrite(doc, analysis, judgement, target, rubric, text),
            model_reply=target.model_reply,
            safety=rubric.settings.safety_note if target.risky else None,
            truncated=truncated,
            engine_version=self._version,
        )

    def _message(self, finding: Finding) -> str:
        # The message depends on the rubric only: worked out once per kind of finding.
        key = (finding.note, finding.category, finding.source)
        message = self._messages.get(key)
        if message is None:
            rule = self.compiled.rules[finding.source] if finding.source is not None else None
            message = advice.message_for(finding, self.rubric, rule.message if rule else None)
            self._messages[key] = message
        return message
