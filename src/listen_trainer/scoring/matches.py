"""What the rubric finds in a Doc: plain values handed from one stage to the next."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True, slots=True)
class RuleMatch:
    rule: int  # index into CompiledRubric.rules
    start: int  # token offsets, end exclusive
    end: int


@dataclass(frozen=True, slots=True)
class LexiconMatch:
    kind: Literal["feeling", "need"]
    name: str  # the feeling family or the need
    start: int
    end: int


@dataclass(frozen=True)
class Matches:
    rules: tuple[RuleMatch, ...]
    lexicon: tuple[LexiconMatch, ...]
