"""The five steps from resentment to closeness, as a worksheet: the trigger as an
observation, the first reaction, what you did, the feeling beneath, the need, and the
request. Each step is checked as it is written; the steps to be said (the trigger, the
feeling beneath, the need and the request) make the statement scored at the end; the
whole sheet can be kept as a Markdown file only its owner can read.

Pure logic: the checks read what the speaker's scorer finds, and nothing here knows of
the UI.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from listen_trainer import paths
from listen_trainer.content.speaker_models import SPEAKER_COSTS, SpeakerCategory
from listen_trainer.scoring.feedback import Feedback
from listen_trainer.workshop.export import write_private


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    question: str
    placeholder: str
    said: bool  # part of what is finally said to them


STEPS: tuple[Step, ...] = (
    Step(
        "trigger",
        "1. The trigger",
        "What happened, as a camera would have seen it? Say when and where.",
        "yesterday after dinner, when I asked for a back rub and you turned away",
        True,
    ),
    Step(
        "reaction",
        "2. Your first reaction",
        "What did you feel first (angry, annoyed, numb, shut down)?",
        "angry",
        False,
    ),
    Step(
        "behaviour",
        "3. What you did",
        "How did that feeling make you act? Did you withdraw, snap, leave the room?",
        "I went quiet and brushed you off later",
        False,
    ),
    Step(
        "beneath",
        "4. The feeling beneath",
        "What did you feel just before the anger? Hurt, lonely, scared, ashamed, sad?",
        "hurt, and a bit scared",
        True,
    ),
    Step(
        "need",
        "5. The need",
        "What do you long for underneath it (to matter, closeness, reassurance)?",
        "to know you still love me even when I say no",
        True,
    ),
    Step(
        "request",
        "6. The request",
        "One thing they could do, positive, specific and doable, as a question.",
        "would you tell me when you feel hurt, instead of going quiet?",
        True,
    ),
)
STEP_KEYS = tuple(step.key for step in STEPS)


@dataclass(frozen=True)
class StepCheck:
    ok: bool
    message: str


def _words(scorer: Any, text: str) -> tuple[set[str], set[SpeakerCategory], Any]:
    """The feeling families, the categories found, and the analysis of `text`."""
    analysis = scorer.analyse(text)
    return set(analysis.families), {f.category for f in analysis.findings}, analysis


def check_step(key: str, text: str, scorer: Any) -> StepCheck:
    """Whether one step's answer does what the step asks, and what to try if not."""
    text = text.strip()
    if not text:
        return StepCheck(False, "Not written yet.")
    checker = _CHECKS.get(key)
    return checker(text, scorer) if checker else StepCheck(True, "Noted.")


def _trigger(text: str, scorer: Any) -> StepCheck:
    _, found, analysis = _words(scorer, text)
    costs = found & SPEAKER_COSTS
    if costs:
        return StepCheck(
            False,
            "That reads as a charge, not an observation: leave out always, never, labels "
            "and blame, and say what happened once.",
        )
    if not analysis.timed:
        return StepCheck(False, "Say when (and where) it happened: one particular time.")
    return StepCheck(True, "An observation, specific in time: good.")


def _reaction(text: str, scorer: Any) -> StepCheck:
    families, _, _ = _words(scorer, " ".join(["I", "feel", text]))
    if not families:
        return StepCheck(False, "Name the feeling in a word or two (angry, annoyed, numb).")
    return StepCheck(True, "Named. This one is for you; it is not what you will say.")


def _beneath(text: str, scorer: Any) -> StepCheck:
    sentence = text if text.lower().startswith("i ") else f"I feel {text}"
    _, found, analysis = _words(scorer, sentence)
    if SpeakerCategory.FAUX_FEELING in found:
        return StepCheck(
            False,
            "That says what they did to you; what did you feel (hurt, lonely, scared)?",
        )
    vulnerable = scorer.compiled.vulnerable
    if not set(analysis.families) & vulnerable:
        return StepCheck(
            False, "Look under the anger: hurt, lonely, scared, sad, ashamed? Name that one."
        )
    return StepCheck(True, "The softer feeling: that is what draws them close.")


def _need(text: str, scorer: Any) -> StepCheck:
    analysis = scorer.analyse(f"I need {text}")
    if not analysis.needs and SpeakerCategory.NEED not in {f.category for f in analysis.findings}:
        return StepCheck(
            False,
            "Say the longing itself: to matter, to be close, reassurance, support, some space.",
        )
    return StepCheck(True, "A need, said: it shows them the way to you.")


def _request(text: str, scorer: Any) -> StepCheck:
    feedback: Feedback = scorer.score(text)
    found = {f.category for f in feedback.flags}
    if found & SPEAKER_COSTS:
        return StepCheck(False, "That sounds like an order or a charge; ask, so a no is possible.")
    request = feedback.skills.as_dict()["request"]
    if request == 0:
        return StepCheck(False, 'Ask as a question: "would you be willing to...?"')
    if request < 1:
        return StepCheck(
            True,
            "A request. Make it more specific: when, or for how long? And ask for what "
            "they could do, not what they should stop.",
        )
    return StepCheck(True, "Positive, specific and doable.")


_CHECKS = {
    "trigger": _trigger,
    "reaction": _reaction,
    "beneath": _beneath,
    "need": _need,
    "request": _request,
}


def statement(answers: dict[str, str]) -> str:
    """What to say to them, from the steps that are said."""
    trigger = answers.get("trigger", "").strip().rstrip(".")
    beneath = answers.get("beneath", "").strip().rstrip(".")
    need = answers.get("need", "").strip().rstrip(".")
    request = answers.get("request", "").strip()
    parts = []
    if trigger:
        parts.append(f"{trigger[0].upper()}{trigger[1:]}.")
    if beneath:
        feeling = beneath if beneath.lower().startswith("i ") else f"I felt {beneath}"
        parts.append(f"{feeling[0].upper()}{feeling[1:]}.")
    if need:
        parts.append(need if need.lower().startswith("i ") else f"I need {need}.")
    if request:
        parts.append(request[0].upper() + request[1:])
    return " ".join(parts)


def to_markdown(answers: dict[str, str], feedback: Feedback | None, when: datetime) -> str:
    """The worksheet as a one-page Markdown summary."""
    lines = [f"# Five steps from resentment to closeness ({when:%Y-%m-%d %H:%M})", ""]
    for step in STEPS:
        answer = answers.get(step.key, "").strip() or "(not written)"
        lines += [f"## {step.title}", "", f"*{step.question}*", "", answer, ""]
    said = statement(answers)
    lines += ["## What to say", "", f"> {said}" if said else "(nothing yet)", ""]
    if feedback is not None:
        lines += [
            f"Verdict: **{feedback.verdict.value.replace('_', ' ')}**, score {feedback.score}/100.",
            "",
        ]
        if feedback.suggestions:
            lines += ["Try next:", ""] + [f"- {s}" for s in feedback.suggestions] + [""]
    return "\n".join(lines)


def default_folder() -> Path:
    return paths.data_dir() / "worksheets"


def export(
    answers: dict[str, str],
    feedback: Feedback | None,
    folder: Path | None = None,
    when: datetime | None = None,
) -> Path:
    """Write `five-steps-YYYYMMDD-HHMMSS.md` into `folder` (default: the data folder's
    `worksheets/`), the folder 0700 and the file 0600; the path written."""
    when = when or datetime.now()
    folder = folder or default_folder()
    paths.private_folder(folder)
    return write_private(
        folder / f"five-steps-{when:%Y%m%d-%H%M%S}.md", to_markdown(answers, feedback, when)
    )
