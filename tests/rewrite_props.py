"""The rewrite's properties, as plain functions over one case, shared by the tests
(tests/test_rewrite_properties.py) and by anyone who wants the failures listed."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from listen_trainer.content.models import ROADBLOCKS, Category, Scenario
from listen_trainer.scoring import Feedback, Scorer, ScoreRequest

DATA = Path(__file__).parent / "data"
_WORD = re.compile(r"[A-Za-z']+")
_DOUBLED = re.compile(r"\b([A-Za-z']+) +\1(?![\w'])", re.IGNORECASE)
# The credits that say something was heard (a closed question alone does not).
HEARD = {
    Category.REFLECTING_FEELING,
    Category.REFLECTING_CONTENT,
    Category.VALIDATING,
    Category.EXPLORING,
    Category.PRESENCE,
    Category.CHECKING,
}


@dataclass(frozen=True)
class Case:
    name: str
    reply: str
    scenario: Scenario | None = None
    statement: str | None = None

    def request(self, reply: str | None = None) -> ScoreRequest:
        return ScoreRequest(
            reply if reply is not None else self.reply, self.scenario, self.statement
        )


def fresh_cases() -> list[Case]:
    rows = [json.loads(line) for line in (DATA / "rewrite_cases.jsonl").read_text().splitlines()]
    return [Case(r["id"], r["reply"], statement=r["statement"]) for r in rows]


def exemplar_cases(library) -> list[Case]:
    """Every exemplar against its scenario, and against the scenario's statement read as
    a free statement (no author's feelings: what a partner's own words give)."""
    out = []
    for _, scenario in library.scenarios():
        for i, exemplar in enumerate(scenario.exemplars):
            name = f"{scenario.id}#{i}"
            out.append(Case(name, exemplar.reply, scenario=scenario))
            out.append(Case(name + ":free", exemplar.reply, statement=scenario.statement))
    return out


def roadblocks(feedback: Feedback) -> list[str]:
    return [f.text for f in feedback.flags if f.category in ROADBLOCKS]


def form_problems(text: str, connectives: list[str]) -> list[str]:
    """What is wrong with the text's form: a doubled word, a sentence without a capital or
    an end mark, a first sentence that opens with a connective."""
    problems = []
    # Two words the same with only a space between ("feeling feeling"); "you. You" and
    # "I hear you: you..." are not doubled.
    problems += [f"doubled {m.group(1)!r}" for m in _DOUBLED.finditer(text)]
    sentences = re.split(r"(?<=[.!?])\s+", text.strip())
    for sentence in sentences:
        opening = sentence.lstrip("'\"(\u2018\u201c")
        if not opening[:1].isupper() and not opening[:1].isdigit():
            problems.append(f"no capital: {sentence!r}")
        if sentence[-1:] not in (".", "!", "?"):
            problems.append(f"no end mark: {sentence!r}")
    first = _WORD.findall(sentences[0])[:1] if sentences else []
    if first and first[0].lower() in connectives:
        problems.append(f"opens with {first[0]!r}")
    return problems


def credited_sentences(scorer: Scorer, reply: str, feedback: Feedback) -> list[str]:
    """The reply's sentences that carry a credit of hearing and no roadblock."""
    doc = scorer.nlp(reply)
    out = []
    for sent in doc.sents:
        inside = [f for f in feedback.flags if sent.start_char <= f.start < sent.end_char]
        if any(f.category in HEARD for f in inside) and not any(
            f.category in ROADBLOCKS for f in inside
        ):
            out.append(sent.text.strip())
    return out


def kept_word_for_word(sentence: str, rewrite: str, connectives: list[str]) -> bool:
    """Whether `sentence` is in `rewrite` in the learner's words: the same words in the
    same order (a leading connective may go when it opens the rewrite; an end mark may
    be added)."""
    words = _WORD.findall(sentence)
    said = " ".join(_WORD.findall(rewrite)).lower()
    if " ".join(words).lower() in said:
        return True
    return bool(words) and words[0].lower() in connectives and " ".join(words[1:]).lower() in said
