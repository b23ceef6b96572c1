"""The rubric's phrases as spaCy tokenized them, kept between runs to start sooner.

Compiling a rubric tokenizes ~3,400 phrase variants for its PhraseMatchers: about 0.15 s
of every `listen-trainer score`, the tokenizer's affix rules meeting each word for the
first time. The words and spaces it found are kept in one JSON file in the user's cache
folder, keyed by spaCy's version (whose rules decide the tokens); a Doc made from them
costs a third as much, and the rules' phrases (matcher.TokenMatcher.add_phrase) need no
Doc at all. The cache is never required: a missing, unreadable, corrupt or
stale file, or one for other phrases, is rebuilt by tokenizing, and a folder that cannot
be written only means the next start tokenizes again.

Where: `LISTEN_TRAINER_CACHE_DIR`, else the platform's cache folder; but with only the
data folder overridden (`LISTEN_TRAINER_DATA_DIR`, as tests do) nothing is kept, so that
such a run never writes to the user's own folders. The folder is 0700 and the file 0600,
like the history.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path

from spacy import about
from spacy.language import Language
from spacy.tokens import Doc

from listen_trainer.paths import cache_dir, private_folder

Words = list[list[str | bool]]  # [[word, followed by a space], ...]


class PhraseDocs:
    """Docs for phrase texts, from the cache where it holds them; `save` keeps what was
    used this time (and only that, so the file follows the rubric as it changes)."""

    def __init__(self, nlp: Language, folder: Path | None = None) -> None:
        self.nlp = nlp
        folder = folder or cache_dir()
        self.path = folder / f"phrases-{about.__version__}.json" if folder else None
        self._known = _read(self.path) if self.path else {}
        self._used: dict[str, Words] = {}
        self._missed = False

    def __call__(self, text: str) -> Doc:
        words = self._words(text)
        return Doc(
            self.nlp.vocab,
            words=[w for w, _ in words],  # type: ignore[misc]
            spaces=[bool(s) for _, s in words],
        )

    def words(self, text: str) -> list[str]:
        """The tokens of `text`, as the tokenizer splits it, without making a Doc."""
        return [str(w) for w, _ in self._words(text)]

    def _words(self, text: str) -> Words:
        words = self._used.get(text) or self._known.get(text)
        if words is None or _text_of(words) != text:
            words = [[t.text, bool(t.whitespace_)] for t in self.nlp.make_doc(text)]
            self._missed = True
        self._used[text] = words
        return words

    def save(self) -> None:
        """Write the phrases used, if any was missing or the file holds others."""
        if self.path is None or (not self._missed and self._used.keys() == self._known.keys()):
            return
        # A read-only or full disk costs nothing but time: the next start tokenizes again.
        with contextlib.suppress(OSError):
            _write(self.path, self._used)


def _text_of(words: Words) -> str:
    return "".join(f"{w} " if space else str(w) for w, space in words)


def _read(path: Path) -> dict[str, Words]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    # Each entry is checked as it is used (its words must give back its text).
    return {
        text: words
        for text, words in data.items()
        if isinstance(words, list)
        and all(
            isinstance(pair, list)
            and len(pair) == 2
            and isinstance(pair[0], str)
            and isinstance(pair[1], bool)
            for pair in words
        )
    }


def _write(path: Path, entries: dict[str, Words]) -> None:
    folder = path.parent
    private_folder(folder, tighten=False)  # the data folder may be one of those it makes
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".phrases-", suffix=".json")
    try:
        os.fchmod(handle, 0o600)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(entries, out, ensure_ascii=False, separators=(",", ":"))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
