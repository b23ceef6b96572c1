"""A round's countdown: minutes and seconds left, in large digits, turning urgent near the end.

It reads the time from a function (the workshop run's `remaining`), so it never keeps a
clock of its own, and says once, with `Expired`, that time is up.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from textual.message import Message
from textual.timer import Timer
from textual.widgets import Digits

URGENT_SECONDS = 10


def mm_ss(seconds: float) -> str:
    """`75.2` -> `1:16`: a partial second still left counts as a second."""
    whole = max(0, math.ceil(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


class Countdown(Digits):
    """Counts down while `remaining()` is above zero; posts `Expired` once when it reaches it."""

    DEFAULT_CSS = """
    Countdown { width: auto; padding: 0 1; }
    Countdown.-urgent { color: $error; text-style: bold; }
    Countdown.-stopped { color: $text-muted; }
    """

    @dataclass
    class Expired(Message):
        countdown: Countdown

        @property
        def control(self) -> Countdown:
            return self.countdown

    def __init__(self, *, id: str | None = None, tick: float = 0.2) -> None:
        super().__init__("0:00", id=id)
        self.tick = tick
        self._remaining: Callable[[], float] | None = None
        self._timer: Timer | None = None

    def start(self, remaining: Callable[[], float]) -> None:
        self.stop()
        self._remaining = remaining
        self.remove_class("-stopped")
        self._update()
        self._timer = self.set_interval(self.tick, self._update)

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.add_class("-stopped")

    @property
    def running(self) -> bool:
        return self._timer is not None

    def _update(self) -> None:
        if self._remaining is None:
            return
        left = self._remaining()
        self.update(mm_ss(left))
        self.set_class(0 < left <= URGENT_SECONDS, "-urgent")
        if left <= 0 and self._timer is not None:
            self.stop()
            self.post_message(self.Expired(self))
