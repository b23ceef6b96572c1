"""Run every rule's examples through the engine: the rubric tests itself.

Each rule lists replies it must flag and near-misses it must let pass. An example is
scored as a reply to a free statement (its own, or its file's `example_statement`), and
the rule counts as firing when its id is among the flags' rules, whatever the engine adds
around it ("hollow:validate-makes-sense", "judge-label:negated").
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from listen_trainer.content.library import Rubric, rule_files
from listen_trainer.content.models import RuleExample
from listen_trainer.content.yaml_source import Problem, format_loc
from listen_trainer.scoring.engine import Scorer


@dataclass(frozen=True)
class Outcome:
    """What the engine made of all the examples: how many ran, and which went wrong."""

    examples: int
    problems: list[Problem]


def fired_rules(scorer: Scorer, reply: str, statement: str) -> list[str]:
    """The flags' rules for `reply`, as the engine names them."""
    return [flag.rule for flag in scorer.score(reply, statement=statement).flags]


def _fires(rule_id: str, flags: list[str]) -> bool:
    # Rule ids hold no ":", so the parts of a flag's name are rule ids and markers.
    return any(rule_id in flag.split(":") for flag in flags)


def _verdict(rule_id: str, kind: str, example: RuleExample, flags: list[str]) -> str | None:
    """What is wrong with one example's outcome, or None."""
    fired = _fires(rule_id, flags)
    if kind == "flag" and not fired:
        found = ", ".join(flags) or "nothing"
        return f"{rule_id} should flag {example.reply!r} but does not (found: {found})"
    if kind == "pass" and fired:
        return f"{rule_id} should let {example.reply!r} pass but flags it"
    return None


def run_examples(rubric: Rubric, directory: Path | None = None) -> Outcome:
    """Score every example of the rule files in `directory` (the shipped rubric by
    default) with `rubric`, the rubric loaded from there."""
    scorer = Scorer(rubric, learned=False)  # the examples say what each rule finds
    problems = []
    count = 0
    for name, model, doc in rule_files(directory):
        for r_index, rule in enumerate(model.rules):
            if rule.examples is None:
                loc = ("rules", r_index)
                problems.append(
                    Problem(
                        name,
                        doc.line_of(loc),
                        f"{format_loc(loc)}.examples",
                        f"{rule.id} has no examples: add 'examples:' with 'flag:' (replies "
                        "it must find) and 'pass:' (near-misses it must leave alone)",
                    )
                )
                continue
            for kind, examples in (("flag", rule.examples.flag), ("pass", rule.examples.pass_)):
                for e_index, example in enumerate(examples):
                    loc = ("rules", r_index, "examples", kind, e_index)
                    statement = example.statement or model.example_statement
                    if statement is None:
                        message: str | None = (
                            "no statement to score it against: give the file an "
                            "'example_statement' or the example a 'statement'"
                        )
                    else:
                        count += 1
                        flags = fired_rules(scorer, example.reply, statement)
                        message = _verdict(rule.id, kind, example, flags)
                    if message:
                        problems.append(Problem(name, doc.line_of(loc), format_loc(loc), message))
    return Outcome(examples=count, problems=problems)
