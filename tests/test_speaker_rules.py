"""Every speaker rule carries its own examples: statements it must flag, and near-misses
it must pass. Each one is a test here, so a rule can only be widened or narrowed with
its examples agreeing."""

from __future__ import annotations

import pytest

from listen_trainer.content.speaker_library import load_speaker_rubric
from speaker_fixtures import speaker_rubric, speaker_scorer  # noqa: F401

_RULES = load_speaker_rubric().rules
FLAG = [pytest.param(r.id, t, id=f"{r.id}:{t[:40]}") for r in _RULES for t in r.examples.flag]
PASS = [pytest.param(r.id, t, id=f"{r.id}:{t[:40]}") for r in _RULES for t in r.examples.pass_]


def _rules_found(scorer, text: str) -> set[str]:
    return {finding.rule for finding in scorer.analyse(text).findings}


@pytest.mark.parametrize(("rule", "text"), FLAG)
def test_rule_flags_its_examples(speaker_scorer, rule: str, text: str) -> None:  # noqa: F811
    assert rule in _rules_found(speaker_scorer, text)


@pytest.mark.parametrize(("rule", "text"), PASS)
def test_rule_passes_its_near_misses(speaker_scorer, rule: str, text: str) -> None:  # noqa: F811
    assert rule not in _rules_found(speaker_scorer, text)


def test_every_rule_has_a_near_miss() -> None:
    assert all(rule.examples.pass_ for rule in _RULES)
