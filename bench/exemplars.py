"""Agreement of the engine's verdicts with the pack authors' labels, as Markdown.

.venv/bin/python bench/exemplars.py > docs/exemplars-table.md
"""

from __future__ import annotations

import warnings
from collections import Counter

warnings.filterwarnings("ignore")


def main() -> None:
    from listen_trainer.content.library import load_library, load_rubric
    from listen_trainer.scoring import Scorer, ScoreRequest

    rubric = load_rubric()
    library = load_library(rubric)
    scorer = Scorer(rubric)
    items = [(s, e) for _, s in library.scenarios() for e in s.exemplars]
    results = scorer.score_many(ScoreRequest(e.reply, scenario=s) for s, e in items)
    total: Counter[str] = Counter()
    agreed: Counter[str] = Counter()
    confused: Counter[tuple[str, str]] = Counter()
    for (_, exemplar), feedback in zip(items, results, strict=True):
        label, verdict = exemplar.label.value, feedback.verdict.value
        total[label] += 1
        if label == verdict:
            agreed[label] += 1
        else:
            confused[(label, verdict)] += 1
    print("| label | agree | of | share |\n| --- | ---: | ---: | ---: |")
    for label in sorted(total):
        print(
            f"| {label} | {agreed[label]} | {total[label]} | {agreed[label] / total[label]:.0%} |"
        )
    print(
        f"| **all** | {sum(agreed.values())} | {sum(total.values())} | "
        f"{sum(agreed.values()) / sum(total.values()):.0%} |"
    )
    print("\n| author's label | engine's verdict | replies |\n| --- | --- | ---: |")
    for (label, verdict), count in confused.most_common(12):
        print(f"| {label} | {verdict} | {count} |")


if __name__ == "__main__":
    main()
