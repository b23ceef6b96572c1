"""Large type for a projector: text drawn in a 3x5 pixel font, two pixel rows per line.

A terminal cannot change its font size, so the letters are drawn with block characters
(▀ ▄ █), three rows of the terminal per line of text, wrapped at word boundaries to the
widget's width. Letters are shown as capitals; a character the font lacks is a blank.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

GLYPH_WIDTH = 3
ADVANCE = GLYPH_WIDTH + 1  # a pixel of space between letters

# Each glyph: five rows of three pixels, "#" lit.
FONT: dict[str, tuple[str, ...]] = {
    "A": (".#.", "#.#", "###", "#.#", "#.#"),
    "B": ("##.", "#.#", "##.", "#.#", "##."),
    "C": (".##", "#..", "#..", "#..", ".##"),
    "D": ("##.", "#.#", "#.#", "#.#", "##."),
    "E": ("###", "#..", "##.", "#..", "###"),
    "F": ("###", "#..", "##.", "#..", "#.."),
    "G": (".##", "#..", "#.#", "#.#", ".##"),
    "H": ("#.#", "#.#", "###", "#.#", "#.#"),
    "I": ("###", ".#.", ".#.", ".#.", "###"),
    "J": ("..#", "..#", "..#", "#.#", ".#."),
    "K": ("#.#", "#.#", "##.", "#.#", "#.#"),
    "L": ("#..", "#..", "#..", "#..", "###"),
    "M": ("#.#", "###", "###", "#.#", "#.#"),
    "N": ("##.", "#.#", "#.#", "#.#", "#.#"),
    "O": (".#.", "#.#", "#.#", "#.#", ".#."),
    "P": ("##.", "#.#", "##.", "#..", "#.."),
    "Q": (".#.", "#.#", "#.#", "##.", ".##"),
    "R": ("##.", "#.#", "##.", "#.#", "#.#"),
    "S": (".##", "#..", ".#.", "..#", "##."),
    "T": ("###", ".#.", ".#.", ".#.", ".#."),
    "U": ("#.#", "#.#", "#.#", "#.#", "###"),
    "V": ("#.#", "#.#", "#.#", "#.#", ".#."),
    "W": ("#.#", "#.#", "###", "###", "#.#"),
    "X": ("#.#", "#.#", ".#.", "#.#", "#.#"),
    "Y": ("#.#", "#.#", ".#.", ".#.", ".#."),
    "Z": ("###", "..#", ".#.", "#..", "###"),
    "0": ("###", "#.#", "#.#", "#.#", "###"),
    "1": (".#.", "##.", ".#.", ".#.", "###"),
    "2": ("##.", "..#", ".#.", "#..", "###"),
    "3": ("##.", "..#", ".#.", "..#", "##."),
    "4": ("#.#", "#.#", "###", "..#", "..#"),
    "5": ("###", "#..", "##.", "..#", "##."),
    "6": (".##", "#..", "###", "#.#", "###"),
    "7": ("###", "..#", ".#.", ".#.", ".#."),
    "8": ("###", "#.#", "###", "#.#", "###"),
    "9": ("###", "#.#", "###", "..#", "##."),
    ".": ("...", "...", "...", "...", ".#."),
    ",": ("...", "...", "...", ".#.", "#.."),
    "'": (".#.", ".#.", "...", "...", "..."),
    '"': ("#.#", "#.#", "...", "...", "..."),
    "!": (".#.", ".#.", ".#.", "...", ".#."),
    "?": ("##.", "..#", ".#.", "...", ".#."),
    "-": ("...", "...", "###", "...", "..."),
    ":": ("...", ".#.", "...", ".#.", "..."),
    ";": ("...", ".#.", "...", ".#.", "#.."),
    "(": ("..#", ".#.", ".#.", ".#.", "..#"),
    ")": ("#..", ".#.", ".#.", ".#.", "#.."),
    "/": ("..#", "..#", ".#.", "#..", "#.."),
    " ": ("...", "...", "...", "...", "..."),
}
# Typographic characters drawn as their plain cousins.
SAME_AS = str.maketrans(
    {
        "\u2019": "'",  # right single quotation mark
        "\u2018": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2014": "-",  # em dash
        "\u2013": "-",
        "\u2026": ".",  # ellipsis
    }
)
HALF_BLOCKS = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


def wrap(text: str, columns: int) -> list[str]:
    """`text` in lines of at most `columns` characters, broken between words where it can."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        while len(word) > columns:  # a word longer than a line is cut
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:columns])
            word = word[columns:]
        candidate = f"{line} {word}" if line else word
        if len(candidate) <= columns:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def draw_line(line: str) -> list[str]:
    """One line of text as three rows of block characters."""
    glyphs = [FONT.get(c, FONT[" "]) for c in line.translate(SAME_AS).upper()]
    pixels = [".".join(glyph[row] for glyph in glyphs) for row in range(5)]
    pixels.append("." * len(pixels[0]))  # a sixth, blank row: the space between lines
    rows = []
    for top, bottom in ((0, 1), (2, 3), (4, 5)):
        rows.append(
            "".join(
                HALF_BLOCKS[(pixels[top][x] == "#", pixels[bottom][x] == "#")]
                for x in range(len(pixels[top]))
            )
        )
    return rows


def draw(text: str, width: int) -> list[str]:
    """`text` in large type, wrapped to `width` terminal columns."""
    columns = max(1, (width + 1) // ADVANCE)
    rows: list[str] = []
    for line in wrap(text, columns):
        rows += draw_line(line)
    return rows


class BigText(Widget):
    """Text in large type, wrapped to the widget's width."""

    DEFAULT_CSS = """
    BigText { height: auto; }
    """

    text: reactive[str] = reactive("", layout=True)

    def __init__(self, text: str = "", *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self.text = text

    def render(self) -> str:
        return "\n".join(draw(self.text, self.content_region.width or self.size.width))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(draw(self.text, width))
