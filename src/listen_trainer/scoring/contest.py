"""The overlap contest: which of several matches on the same words stands.

One policy, as spaCy's span rulers pass theirs in (`spans_filter`): `longest_first`.
"""

from __future__ import annotations

from collections.abc import Sequence

from listen_trainer.scoring.analysis import Finding


def longest_first(candidates: Sequence[Finding]) -> list[Finding]:
    """Keep the matches that win against every match they overlap.

    The longest match wins; between matches of the same length, the rule listed first in
    the rubric; then the one that starts first. A loser is dropped whole (never cut), and
    a match that lost cannot make another lose. Cancelled matches (negated ones) take part
    and are dropped afterwards by the caller: in "I won't tell you what you should do",
    the negated whole also silences its part "what you should do".
    """
    ordered = sorted(candidates, key=lambda f: (f.start - f.end, f.source or 0, f.start))
    kept: list[Finding] = []
    for finding in ordered:
        if not any(finding.overlaps(other) for other in kept):
            kept.append(finding)
    return kept
