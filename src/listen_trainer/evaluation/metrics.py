"""Agreement figures, as pure functions of (gold, predicted) pairs.

Nothing here knows about the engine or the data sets: the runner turns scored rows into
pairs, and these functions count. Conventions, stated once:

- precision is 0 when nothing was predicted, recall 0 when nothing was gold, F1 0 when
  both are 0 (scikit-learn's `zero_division=0`), so an empty class never looks perfect;
- macro-F1 is the unweighted mean of the named classes' F1;
- Cohen's kappa is unknown (None) when chance agreement is total (both raters said the
  same one thing of every item), since then agreement beyond chance cannot be told;
- in pairwise ranking, a tie in score counts as half right (as in the AUC), since the
  scorer did not tell the better reply from the worse.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations


@dataclass(frozen=True)
class Counts:
    """How one category's predictions met its gold labels."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    @property
    def gold(self) -> int:
        return self.tp + self.fn

    @property
    def predicted(self) -> int:
        return self.tp + self.fp

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "tn": self.tn,
            "gold": self.gold,
            "predicted": self.predicted,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


def kappa(counts: Counts) -> float | None:
    """Cohen's kappa of two raters' yes/no answers, read as (gold, predicted) counts.

    The share of items they agree on, corrected for the agreement their own rates of
    saying yes would give by chance.
    """
    n = counts.tp + counts.fp + counts.fn + counts.tn
    if not n:
        return None
    observed = (counts.tp + counts.tn) / n
    yes_first, yes_second = counts.gold / n, counts.predicted / n
    chance = yes_first * yes_second + (1 - yes_first) * (1 - yes_second)
    if chance == 1:
        return None
    return (observed - chance) / (1 - chance)


def binary_counts(pairs: Iterable[tuple[bool, bool]]) -> Counts:
    """Count (gold, predicted) yes/no pairs for one category."""
    tally = Counter((bool(g), bool(p)) for g, p in pairs)
    return Counts(
        tp=tally[True, True], fp=tally[False, True], fn=tally[True, False], tn=tally[False, False]
    )


def per_category(
    pairs: Iterable[tuple[set[str], set[str]]], categories: Sequence[str]
) -> dict[str, Counts]:
    """Per-category counts from (gold set, predicted set) pairs, one pair per item.

    An item may belong to several categories at once (multi-label); each category is
    counted on its own, as a yes/no question asked of every item.
    """
    tallies: dict[str, Counter[tuple[bool, bool]]] = {c: Counter() for c in categories}
    for gold, predicted in pairs:
        for category in categories:
            tallies[category][category in gold, category in predicted] += 1
    return {
        c: Counts(tp=t[True, True], fp=t[False, True], fn=t[True, False], tn=t[False, False])
        for c, t in tallies.items()
    }


@dataclass(frozen=True)
class Confusion:
    """Single-label results: how many items of each gold class got each predicted class."""

    classes: tuple[str, ...]
    cells: Mapping[str, Mapping[str, int]]

    def count(self, gold: str, predicted: str) -> int:
        return self.cells.get(gold, {}).get(predicted, 0)

    @property
    def total(self) -> int:
        return sum(sum(row.values()) for row in self.cells.values())

    def counts(self, cls: str) -> Counts:
        """One class against the rest, read off the matrix."""
        tp = self.count(cls, cls)
        gold = sum(self.cells.get(cls, {}).values())
        predicted = sum(row.get(cls, 0) for row in self.cells.values())
        return Counts(tp=tp, fp=predicted - tp, fn=gold - tp, tn=self.total - gold - predicted + tp)

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {g: {p: self.count(g, p) for p in self.classes} for g in self.classes}


def confusion(pairs: Iterable[tuple[str, str]], classes: Sequence[str] = ()) -> Confusion:
    """The confusion matrix of (gold, predicted) class pairs.

    `classes` fixes the order of rows and columns; classes met only in the pairs are
    added after them, in order of first appearance.
    """
    cells: dict[str, Counter[str]] = defaultdict(Counter)
    order = list(classes)
    for gold, predicted in pairs:
        cells[gold][predicted] += 1
        for cls in (gold, predicted):
            if cls not in order:
                order.append(cls)
    return Confusion(tuple(order), {g: dict(row) for g, row in cells.items()})


def macro_f1(counts: Mapping[str, Counts], classes: Iterable[str] | None = None) -> float:
    """The unweighted mean F1 over `classes` (default: all of `counts`)."""
    names = list(counts if classes is None else classes)
    return sum(counts[c].f1 for c in names) / len(names) if names else 0.0


@dataclass(frozen=True)
class Ranking:
    """Pairs of items in one group with different gold ranks, and how many the scores order."""

    pairs: int
    right: int
    ties: int

    @property
    def accuracy(self) -> float:
        return (self.right + 0.5 * self.ties) / self.pairs if self.pairs else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "pairs": self.pairs,
            "right": self.right,
            "ties": self.ties,
            "accuracy": round(self.accuracy, 4),
        }


def pairwise_ranking(items: Iterable[tuple[Hashable, float, float]]) -> Ranking:
    """Pairwise ranking accuracy from (group, gold rank, score) items; higher is better.

    Only pairs within one group and with different gold ranks count: the share of them
    where the better-ranked item got the higher score, ties in score counting half.
    """
    groups: dict[Hashable, list[tuple[float, float]]] = defaultdict(list)
    for group, rank, score in items:
        groups[group].append((rank, score))
    pairs = right = ties = 0
    for members in groups.values():
        for (rank_a, score_a), (rank_b, score_b) in combinations(members, 2):
            if rank_a == rank_b:
                continue
            pairs += 1
            if score_a == score_b:
                ties += 1
            elif (rank_a > rank_b) == (score_a > score_b):
                right += 1
    return Ranking(pairs=pairs, right=right, ties=ties)


def mean(values: Iterable[float]) -> float | None:
    """The mean, or None for no values (so an empty group is not read as zero)."""
    items = list(values)
    return sum(items) / len(items) if items else None
