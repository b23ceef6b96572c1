"""Where the learner writes a reply: multi-line, Enter sends it, Ctrl+J breaks a line."""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import TextArea

# Terminals send Enter and Ctrl+Enter alike unless they speak the kitty keyboard
# protocol, so Enter sends and a line break has its own keys (Ctrl+J works everywhere).
SUBMIT_KEYS = frozenset({"enter", "ctrl+enter"})
NEWLINE_KEYS = frozenset({"ctrl+j", "shift+enter", "alt+enter"})


class ReplyBox(TextArea):
    """A TextArea whose Enter key submits rather than breaking the line."""

    BINDINGS = [
        Binding("enter", "submit", "Send reply"),
        Binding("ctrl+j", "newline", "New line"),
        Binding("ctrl+l", "clear", "Clear"),
    ]

    @dataclass
    class Submitted(Message):
        """The learner sent `text` (possibly blank: the screen decides what to say)."""

        reply_box: ReplyBox
        text: str

        @property
        def control(self) -> ReplyBox:
            return self.reply_box

    def __init__(self, text: str = "", *, id: str | None = None) -> None:
        super().__init__(
            text,
            id=id,
            soft_wrap=True,
            tab_behavior="focus",
            placeholder="Write what you would say back…",
        )

    async def _on_key(self, event: events.Key) -> None:
        if event.key in SUBMIT_KEYS:
            event.stop()
            event.prevent_default()
            self.action_submit()
        elif event.key in NEWLINE_KEYS:
            event.stop()
            event.prevent_default()
            self.action_newline()
        else:
            await super()._on_key(event)

    def action_submit(self) -> None:
        self.post_message(self.Submitted(self, self.text))

    def action_newline(self) -> None:
        self.insert("\n")

    def action_clear(self) -> None:
        self.clear()
