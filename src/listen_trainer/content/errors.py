"""The error raised when content the engine cannot work without is broken.

A module of its own, light to import, so that the command line can catch it around every
command without loading the content models first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from listen_trainer.content.yaml_source import Problem


class ContentError(Exception):
    """Raised when content the engine cannot work without is broken."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems
