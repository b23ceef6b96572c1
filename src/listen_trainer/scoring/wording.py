"""A statement read for the rewrite: what kind of statement it is, its feeling words in a
form that follows "you feel", and what it said, in the listener's voice.

Pure functions over text and the rubric's word lists (settings.templates.reading); the
target (hearing.py) keeps what they give, once per statement.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Collection, Sequence

from listen_trainer.content.models import Reading

_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
_CAPS = re.compile(r"\b(?!I\b)[A-Z]{2,}\b")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_CUT = re.compile(r",\s+|\s+(?:and|but|because)\s+|\s+[-\u2013\u2014]\s+")
_SUBJECTS = frozenset({"i", "you"})
_VERB_SWAPS = frozenset({"am", "are", "was", "were"})


def plain(text: str) -> str:
    """`text` with typographic apostrophes as plain ones."""
    return text.replace("\u2019", "'").replace("\u2018", "'")


def _has(padded: str, phrases: Sequence[str]) -> bool:
    return any(f" {phrase} " in padded for phrase in phrases)


def _padded(text: str) -> str:
    return " " + " ".join(_WORD.findall(plain(text).lower())) + " "


def kind_of(
    statement: str, surface: Collection[str], pleasant: Collection[str], reading: Reading
) -> str:
    """ "news", "ahead" (a worry about what is coming), "complaint" (at the listener) or
    "hurt"."""
    padded = _padded(statement)
    unpleasant = any(name not in pleasant for name in surface)
    if not unpleasant and (any(name in pleasant for name in surface) or _has(padded, reading.news)):
        return "news"
    if _listener_subject(statement, reading):
        return "complaint"
    if _has(padded, reading.ahead) or (
        _has(padded, reading.ahead_days) and not _has(padded, reading.past)
    ):
        return "ahead"
    return "hurt"


def _listener_subject(statement: str, reading: Reading) -> bool:
    """Whether the statement speaks of what the listener did: "you" as a subject."""
    words = [w.lower() for w in _WORD.findall(plain(statement))]
    return any(
        word in reading.listener and not _object(words, i, reading) for i, word in enumerate(words)
    )


def _object(words: list[str], i: int, reading: Reading) -> bool:
    """Whether "you" at `i` of `words` (lower case) is an object: "told you", "you again"."""
    if i and words[i - 1] in reading.you_object_after:
        return True
    return i + 1 == len(words) or words[i + 1] in reading.you_object_before


def feeling_form(word: str | None, family: str | None, reading: Reading) -> str | None:
    """The word to follow "you feel": the speaker's own, without the words before it
    ("feeling down" -> "down"), or its family's word where the speaker's cannot follow
    "you feel" ("dreading", "miss") or is a label they gave themselves ("stupid")."""
    if word is None:
        return reading.family_words.get(family) if family else None
    form = plain(word).lower().strip()
    changed = True
    while changed:
        changed = False
        for prefix in reading.feeling_prefixes:
            if form.startswith(prefix + " ") and len(form) > len(prefix) + 1:
                form, changed = form[len(prefix) + 1 :], True
    if form in reading.not_adjectives or form in reading.self_labels:
        return reading.family_words.get(family) if family else None
    return form


def _swapped(words: list[str], i: int, reading: Reading, shared: bool = False) -> str | None:
    """The word at `i` of `words` (lower case) said by the other person, or None to keep it."""
    lower = words[i]
    if lower in _VERB_SWAPS:
        return None  # done with the pronoun before it
    if lower == "you" and _object(words, i, reading):
        return "me"
    if shared and lower in reading.shared:
        return None  # "we never do anything fun": the couple, listener included
    new = reading.to_listener.get(lower) or reading.to_speaker.get(lower)
    if new is None:
        return None
    return new if new.startswith("I") else new.lower()


def in_other_voice(clause: str, reading: Reading, shared: bool = False) -> str:
    """`clause` as the other person says it: the speaker's "my dad" is the listener's
    "your dad", the speaker's "you never ask" the listener's "I never ask"."""
    matches = list(_WORD.finditer(clause))
    words = [m.group().lower() for m in matches]
    out: list[str] = []
    last = 0
    for i, match in enumerate(matches):
        word = match.group()
        new = _swapped(words, i, reading, shared)
        if words[i] in _VERB_SWAPS and i and words[i - 1] in _SUBJECTS:
            verbs = reading.to_listener if words[i - 1] == "i" else reading.to_speaker
            new = verbs.get(words[i])
        out.append(clause[last : match.start()])
        out.append(word if new is None else new)
        last = match.end()
    out.append(clause[last:])
    return "".join(out)


def said_clause(
    statement: str, reading: Reading, common: Collection[str], complaints: Sequence[str] = ()
) -> str | None:
    """What the statement said, in the listener's voice: its first sentence, not a
    question, of three words or more, one not `common` (lower case), without a clause that calls
    the speaker names ("stupid"), cut to `max_said_words` at a clause's end."""
    text = plain(statement).strip()
    for sentence in _SENTENCE_END.split(text):
        if sentence.rstrip().endswith("?"):
            continue  # a question said back is no statement
        if _has(_padded(sentence), reading.self_labels):
            # "I'm so stupid, I failed again": the clause that tells what happened.
            sentence = next(
                (c for c in _CUT.split(sentence) if not _has(_padded(c), reading.self_labels)),
                "",
            )
        words = _WORD.findall(sentence)
        if len(words) < 3 or not any(len(w) > 2 and w.lower() not in common for w in words):
            continue  # "Forget it." "Again." say nothing of what happened
        clause = sentence.strip().rstrip(".!?;:,").strip()
        if len(words) > reading.max_said_words:
            clause = _shortened(clause, reading.max_said_words)
            if clause is None:
                continue
        # Shouted words ("I GOT THE JOB") are said back in an even voice.
        clause = _CAPS.sub(lambda m: m.group().lower(), clause)
        # "We" in a complaint ("we never...") takes the listener in: it stays "we".
        said = in_other_voice(clause, reading, shared=_has(_padded(clause), complaints))
        first = _WORD.match(said)
        if first and first.group() != "I" and not first.group().startswith("I'"):
            said = said[:1].lower() + said[1:]  # it follows a stem, or is capitalised there
        return said
    return None


def _shortened(clause: str, limit: int) -> str | None:
    best = None
    for cut in _CUT.finditer(clause):
        head = clause[: cut.start()]
        if len(_WORD.findall(head)) > limit:
            break
        if len(_WORD.findall(head)) >= 4:
            best = head
    return best


def gist_voice(gist: str, statement: str) -> str:
    """A scenario's gist with the speaker's "our" made "your": the gist is in the
    listener's voice, but may carry the statement's own "our" ("our trip next month")."""
    if " our " not in _padded(statement):
        return gist
    return re.sub(r"\b([Oo])ur\b", lambda m: "Your" if m.group(1) == "O" else "your", gist)


def pick(options: Sequence[str], key: str) -> str:
    """One of `options`, the same one for the same `key` (a stable hash, not Python's)."""
    return options[zlib.crc32(key.encode("utf-8", "surrogatepass")) % len(options)]
