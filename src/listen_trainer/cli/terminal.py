"""What the commands write to a terminal: text that cannot steer it, in any encoding.

Packs are shared between strangers and replies are pasted from anywhere: an escape
sequence or a carriage return in either could rewrite the screen, hide a line or retitle
the window when printed. And a terminal or pipe that is not UTF-8 (`LANG=C`,
`PYTHONIOENCODING=ascii`) must still get the output, with `?` for what it cannot show.
"""

from __future__ import annotations

import sys

# C0 and C1 controls and DEL, but tab and newline, which only move the cursor as text
# does; and the bidirectional embeddings, overrides and isolates, which reorder what
# follows them on screen.
_CONTROLS = frozenset(
    [*range(0x00, 0x20), *range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
) - {0x09, 0x0A}
_STRIP = dict.fromkeys(_CONTROLS)
_MARK = dict.fromkeys(_CONTROLS, "\ufffd")


def safe_text(text: str) -> str:
    """`text` without control characters: safe to print, however it was written."""
    return text.translate(_STRIP)


def safe_marked(text: str) -> str:
    """`text` with each control character shown as U+FFFD, one for one, so that character
    offsets into it (a flag's span in a reply) still hold."""
    return text.translate(_MARK)


def tolerate_any_encoding() -> None:
    """Let standard output and error write in whatever encoding they have: a character
    the encoding lacks is written as `?` rather than ending the command."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if reconfigure is not None and encoding != "utf8":
            reconfigure(errors="replace")
