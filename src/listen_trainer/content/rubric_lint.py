"""Warnings about a rubric that loads but says something twice.

A phrase listed twice, in one rule or in two, is harmless to the engine (the matcher
counts it once, and two rules both fire), but it is a trap for whoever edits one copy
and expects the other to change too.
"""

from __future__ import annotations

from pathlib import Path

from listen_trainer.content.library import rule_files
from listen_trainer.content.yaml_source import Problem, format_loc


def _key(phrase: str) -> str:
    # Phrases are matched on lower-case words, so case and spacing make no new phrase.
    return " ".join(phrase.lower().split())


def repeated_phrases(directory: Path | None = None) -> list[Problem]:
    """One warning for each later copy of a phrase, naming the place of the first."""
    first: dict[str, tuple[str, str]] = {}
    warnings = []
    for name, model, doc in rule_files(directory):
        for r_index, rule in enumerate(model.rules):
            for p_index, phrase in enumerate(rule.phrases):
                loc = ("rules", r_index, "phrases", p_index)
                here = f"{name}:{doc.line_of(loc)}"
                seen = first.setdefault(_key(phrase), (rule.id, here))
                if seen[1] == here:
                    continue
                where = "earlier in this rule" if seen[0] == rule.id else f"in {seen[0]}"
                warnings.append(
                    Problem(
                        name,
                        doc.line_of(loc),
                        format_loc(loc),
                        f"warning: the phrase {phrase!r} of {rule.id} is also {where}, "
                        f"at {seen[1]}",
                    )
                )
    return warnings
