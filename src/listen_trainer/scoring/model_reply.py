"""An attuned reply to a free statement, made from what the statement said: its feeling,
what happened, the feeling beneath, presence and an open question, in the wording of its
kind. (A scenario's model reply is its author's best exemplar.)"""

from __future__ import annotations

from listen_trainer.content.library import Rubric
from listen_trainer.scoring.hearing import Target
from listen_trainer.scoring.rewrite import additions, joined

# What a reply that heard nothing has: every skill still to show.
_NOTHING = {
    "reflect_feeling": 0.0,
    "reflect_content": 0.0,
    "validate": 0.0,
    "explore": 0.0,
    "presence": 0.0,
}


def for_statement(target: Target, rubric: Rubric) -> str | None:
    """The model reply for `target`, or None where there is nothing to say it from (an
    empty statement)."""
    if not (target.content or target.surface or target.underlying):
        return None
    key = target.said or target.feeling_form or ""
    added = additions(_NOTHING, False, target, rubric, key=key)
    return joined(
        [
            s
            for slot in ("content", "feeling", "underlying", "presence", "explore")
            for s in added[slot]
        ],
        rubric,
    )
