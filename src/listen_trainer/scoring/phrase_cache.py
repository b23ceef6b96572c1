"""The rubric's phrases as spaCy tokenized them, kept between runs to start sooner.

Compiling a rubric tokenizes ~3,400 phrase variants for its PhraseMatchers: about 0.15 s
of every `listen-trainer score`, the tokenizer's affix rules meeting each word for the
first time. The words and spaces it found are kept in one JSON file in the user's cache
folder, keyed by spaCy's version (whose rules decide the tokens); a Doc made from them
costs a third as much, and the rules' phrases (matcher.TokenMatcher.add_phrase) need no
Doc at all. The cache is never required: a missing, unreadable, corrupt or
stale file, or one for other phrases, is rebuilt by tokenizing, and a folder that cannot
be written only means the next start tokenizes again.

What is read is trusted no further than it can be checked, since a wrong split of one
phrase silently changes verdicts: the file must be a regular file (not a link, a pipe or
a device) of at most MAX_BYTES, and it carries a SHA-256 digest of the phrases it was
made for (the rubric's) and of everything it holds. A file whose digest does not match
what it holds is not used at all, and is rewritten. The digest guards against a damaged
or hand-edited file, not against someone who can write the user's files and recompute it.

Where: `LISTEN_TRAINER_CACHE_DIR`, else the platform's cache folder; but with only the
data folder overridden (`LISTEN_TRAINER_DATA_DIR`, as tests do) nothing is kept, so that
such a run never writes to the user's own folders. The folder is 0700 and the file 0600,
like the history.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

from spacy import about
from spacy.language import Language
from spacy.tokens import Doc

from listen_trainer.paths import cache_dir, private_folder

Words = list[list[str | bool]]  # [[word, followed by a space], ...]

FORMAT = 2
# Far above what a rubric's phrases take (a few hundred KB): beyond it the file is not
# read at all, so a huge or endless file costs nothing.
MAX_BYTES = 8_000_000


class PhraseDocs:
    """Docs for phrase texts, from the cache where it holds them; `save` keeps what was
    used this time (and only that, so the file follows the rubric as it changes)."""

    def __init__(self, nlp: Language, folder: Path | None = None) -> None:
        self.nlp = nlp
        folder = folder or cache_dir()
        self.path = folder / f"phrases-{about.__version__}.json" if folder else None
        self._known: dict[str, Words] = {}
        self._phrases = ""  # the digest of the phrases the file was made for
        if self.path:
            self._known, self._phrases = _read(self.path)
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
        """Write the phrases used, if any was missing or the file was made for others."""
        if self.path is None:
            return
        phrases = _phrases_digest(self._used)
        if not self._missed and phrases == self._phrases:
            return
        # A read-only or full disk costs nothing but time: the next start tokenizes again.
        with contextlib.suppress(OSError):
            _write(self.path, self._used, phrases)


def _text_of(words: Words) -> str:
    return "".join(f"{w} " if space else str(w) for w, space in words)


def _phrases_digest(entries: dict[str, Words]) -> str:
    """SHA-256 of the phrase texts (the rubric's) and the spaCy that tokenized them."""
    digest = hashlib.sha256(about.__version__.encode())
    for text in sorted(entries):
        digest.update(b"\0" + text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _entries_digest(phrases: str, entries: bytes) -> str:
    """SHA-256 of the entries' bytes as stored, so that checking costs no parsing."""
    return hashlib.sha256(phrases.encode("ascii") + b"\0" + entries).hexdigest()


def _read_bounded(path: Path) -> bytes | None:
    """The file's bytes, if it is a regular file of at most MAX_BYTES; else None.

    O_NOFOLLOW: a link (to /dev/zero, say) is not followed. O_NONBLOCK: a pipe does not
    wait for a writer. The kind and size are checked on the open file itself.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
            return None
        with os.fdopen(fd, "rb") as handle:
            fd = -1
            data = handle.read(MAX_BYTES + 1)  # the file may have grown since
    except OSError:
        return None
    finally:
        if fd != -1:
            os.close(fd)
    return data if len(data) <= MAX_BYTES else None


def _read(path: Path) -> tuple[dict[str, Words], str]:
    """The entries and the phrases digest of a sound file; ({}, "") for any other.

    The file is two lines: a header (format, phrases digest, digest of the second line),
    then the entries as JSON.
    """
    data = _read_bounded(path)
    if data is None:
        return {}, ""
    head, _, body = data.partition(b"\n")
    try:
        header: Any = json.loads(head.decode("utf-8"))
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            return {}, ""
        phrases = header.get("phrases")
        if not isinstance(phrases, str) or not phrases.isascii():
            return {}, ""
        if header.get("digest") != _entries_digest(phrases, body):
            return {}, ""
        entries: Any = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return {}, ""
    if not isinstance(entries, dict):
        return {}, ""
    # Each entry is checked as it is used too (its words must give back its text).
    sound = {
        text: words
        for text, words in entries.items()
        if isinstance(words, list)
        and all(
            isinstance(pair, list)
            and len(pair) == 2
            and isinstance(pair[0], str)
            and isinstance(pair[1], bool)
            for pair in words
        )
    }
    return sound, phrases


def _write(path: Path, entries: dict[str, Words], phrases: str) -> None:
    folder = path.parent
    private_folder(folder, tighten=False)  # the data folder may be one of those it makes
    body = json.dumps(entries, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    header = {"format": FORMAT, "phrases": phrases, "digest": _entries_digest(phrases, body)}
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".phrases-", suffix=".json")
    try:
        os.fchmod(handle, 0o600)
        with os.fdopen(handle, "wb") as out:
            out.write(json.dumps(header).encode("ascii") + b"\n" + body)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
