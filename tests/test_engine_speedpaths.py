"""The engine's fast paths say what the plain ones say.

- `score_many_json` gives, for each request, the Feedback `score_many` gives, as JSON text
  a reader can parse back into the same Feedback (and ASCII only, so a lone surrogate in a
  reply stays valid JSON).
- The TokenMatcher looks a pattern up by its rarest opening word, which may come after
  the match's start, and skips a pattern whose rare word the Doc lacks: it finds what
  spaCy's Matcher finds, at a Doc's edges too; and its phrases find what spaCy's
  PhraseMatcher on LOWER finds, nested and overlapping ones included.
- The pipeline's tokenizer, which caches every chunk it meets (spaCy's does not after a
  contraction), splits every text as spaCy's own does, however often it meets it.
- The rubric's phrases, tokenized once and kept in the user's cache folder (0700/0600),
  give the same Feedback; a broken or foreign cache is tokenized again, and a folder that
  cannot be written costs only time.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
import spacy
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from listen_trainer.content.library import Rubric
from listen_trainer.scoring import Feedback, Scorer, ScoreRequest, phrase_cache
from listen_trainer.scoring.matcher import TokenMatcher
from listen_trainer.scoring.phrase_cache import PhraseDocs
from listen_trainer.scoring.pipeline import build_nlp


def test_json_batch_parses_back_to_the_feedback_of_score_many(scorer: Scorer) -> None:
    batch = [
        ScoreRequest("It sounds lonely. Is that right?", statement="Nobody called me."),
        ScoreRequest("You should just relax, it's not a big deal.", statement="I'm stressed."),
        ScoreRequest("", statement="I failed my exam."),
        ScoreRequest("I hear how \ud800 hurt you are, caf\u00e9", statement="He left \ud800."),
    ]
    plain = list(scorer.score_many(batch, workers=1))
    texts = list(scorer.score_many_json(batch, workers=1))
    assert len(texts) == len(batch)
    assert all(text.isascii() for text in texts)
    assert [Feedback.model_validate(json.loads(t)) for t in texts] == plain
    assert plain[1].flags, "a roadblock reply comes back with its flags"


# Patterns whose first token is loose (any word but a few), so that the index is on a
# later, rarer word: "a good idea", "can you try"; and one that is tried only in a Doc
# with "overreacting" or "overthinking" in it, after optional words.
PATTERNS = [
    [
        {"IS_ALPHA": True, "LOWER": {"NOT_IN": ["that", "this"]}},
        {"LOWER": "is"},
        {"LOWER": "a"},
        {"LOWER": {"IN": ["good", "great"]}},
        {"LOWER": "idea"},
    ],
    [
        {"LOWER": {"NOT_IN": ["if", "what"]}},
        {"LOWER": "you"},
        {"LOWER": {"IN": ["can", "could"]}},
        {"LOWER": "try", "OP": "+"},
        {"IS_PUNCT": True, "OP": "?"},
    ],
    [
        {"LOWER": "you"},
        {"LOWER": {"IN": ["are", "'re"]}, "OP": "?"},
        {"LOWER": "so", "OP": "{0,2}"},
        {"LOWER": {"IN": ["overreacting", "overthinking"]}},
    ],
]


@pytest.mark.parametrize(
    "text",
    [
        "Walking is a good idea",  # the match starts at the Doc's first token
        "Maybe walking is a great idea, or running is a good idea",  # two, the last at the end
        "That is a good idea",  # the loose first token refuses it
        "is a good idea",  # the rare word is there but the match would start before the Doc
        "Maybe you could try try! If you can try",
        "idea idea is a idea good",
        "You're so so overreacting, you overthinking",
        "You are so so so overreacting",  # one "so" too many
        "You are so dramatic",  # no rare word: the pattern is not tried
    ],
)
def test_token_matcher_finds_what_spacy_finds(text: str) -> None:
    nlp = spacy.blank("en")
    theirs = Matcher(nlp.vocab)
    ours = TokenMatcher(common=nlp.Defaults.stop_words)
    for key, pattern in enumerate(PATTERNS):
        theirs.add(str(key), [pattern])
        ours.add(key, pattern)
    doc = nlp(text)
    expected = {(int(nlp.vocab.strings[k]), s, e) for k, s, e in theirs(doc)}
    found = ours(doc)
    assert set(found) == expected
    assert len(found) == len(expected)
    assert [start for _, start, _ in found] == sorted(start for _, start, _ in found)


TRIE_PHRASES = ["at least", "at least you", "least", "don't worry", "could be worse", "it"]


@pytest.mark.parametrize(
    "text",
    [
        "At least you tried. At LEAST it could be worse",  # nested, repeated, any case
        "Don't worry, it's fine; dont worry",  # "don't" splits; "dont" is no match
        "at",  # a phrase cut short at the Doc's end
        "could be worse could be",
        "",
    ],
)
def test_token_matcher_phrases_find_what_the_phrase_matcher_finds(text: str) -> None:
    nlp = spacy.blank("en")
    theirs = PhraseMatcher(nlp.vocab, attr="LOWER")
    ours = TokenMatcher()
    for key, phrase in enumerate(TRIE_PHRASES):
        theirs.add(str(key % 2), [nlp.make_doc(phrase)])  # two keys share phrases
        ours.add_phrase(key % 2, words(nlp.make_doc(phrase)))
    doc = nlp(text)
    expected = {(int(nlp.vocab.strings[k]), s, e) for k, s, e in theirs(doc)}
    found = ours(doc)
    assert set(found) == expected
    assert len(found) == len(expected)


TOKENIZER_TEXTS = [
    "I'm so tired. I'm so tired!",  # a chunk after a contraction, met twice
    "Don't worry, it'll be fine tomorrow; don't worry (it'll).",
    "  two  spaces\tand a tab\nand a line ",
    "a.m. U.S. e-mail co-op :) <3 http://example.org/a?b=c",
    "\u00a0odd\u00a0spaces and 'quotes' \"don't\"",
    "",
]


def test_the_pipeline_tokenizes_as_spacy_does_however_often(nlp: spacy.language.Language) -> None:
    ours = build_nlp()

    def tokens(doc: Doc) -> list[tuple[str, str, int]]:
        return [(t.text, t.whitespace_, t.idx) for t in doc]

    for _ in range(3):  # the second and third time, from the caches
        for text in TOKENIZER_TEXTS:
            assert tokens(ours.make_doc(text)) == tokens(nlp.make_doc(text)), text


# --------------------------------------------------------------------------- phrase cache


def test_a_scorer_built_from_the_phrase_cache_says_what_a_fresh_one_says(
    rubric: Rubric, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LISTEN_TRAINER_CACHE_DIR", str(tmp_path / "cache"))
    replies = [
        ScoreRequest("I'm sorry you feel that way.", statement="You forgot my birthday."),
        ScoreRequest("Look on the bright side, at least it's Friday.", statement="I'm exhausted."),
        ScoreRequest("It sounds heartbroken and so alone.", statement="She left me."),
    ]
    fresh = list(Scorer(rubric).score_many(replies, workers=1))
    assert list((tmp_path / "cache").glob("phrases-*.json")), "the first build keeps its phrases"
    cached = list(Scorer(rubric).score_many(replies, workers=1))
    assert cached == fresh
    assert any(f.flags for f in fresh)


@pytest.fixture
def nlp() -> spacy.language.Language:
    return spacy.blank("en")


PHRASES = ["sorry you feel that way", "look on the bright side", "don't worry", "self-care"]


def words(doc: Doc) -> list[str]:
    return [t.text for t in doc]


def test_phrase_docs_come_back_from_the_cache_as_spacy_tokenized_them(
    nlp: spacy.language.Language, tmp_path: Path
) -> None:
    first = PhraseDocs(nlp, tmp_path)
    made = [words(first(p)) for p in PHRASES]
    first.save()
    again = PhraseDocs(nlp, tmp_path)
    assert [words(again(p)) for p in PHRASES] == made == [words(nlp(p)) for p in PHRASES]
    assert made[2] == ["do", "n't", "worry"]


@pytest.mark.parametrize(
    "content",
    [
        b"\x00\xff not json",
        b'["a list"]',
        b'{"don\'t worry": "words"}',
        # Words that do not give back their phrase (another spaCy, a hand edit): retokenized.
        b'{"don\'t worry": [["dont", true], ["worry", false]]}',
    ],
)
def test_a_broken_cache_is_tokenized_again_and_rewritten(
    nlp: spacy.language.Language, tmp_path: Path, content: bytes
) -> None:
    (tmp_path / PhraseDocs(nlp, tmp_path).path.name).write_bytes(content)  # type: ignore[union-attr]
    docs = PhraseDocs(nlp, tmp_path)
    assert words(docs("don't worry")) == ["do", "n't", "worry"]
    docs.save()
    assert docs.path is not None
    assert docs.path.read_bytes() != content
    assert phrase_cache._read(docs.path)[0] == {
        "don't worry": [["do", False], ["n't", True], ["worry", False]]
    }


def test_the_cache_is_the_users_alone(nlp: spacy.language.Language, tmp_path: Path) -> None:
    folder = tmp_path / "not-yet" / "cache"
    old = os.umask(0)
    try:
        docs = PhraseDocs(nlp, folder)
        docs("self-care")
        docs.save()
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "not-yet").stat().st_mode) == 0o700
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert docs.path is not None
    assert stat.S_IMODE(docs.path.stat().st_mode) == 0o600


def test_with_only_the_data_folder_overridden_no_cache_is_kept(
    nlp: spacy.language.Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As in the tests' own folders: nothing may be written to the user's cache folder.
    monkeypatch.delenv("LISTEN_TRAINER_CACHE_DIR", raising=False)
    docs = PhraseDocs(nlp)
    assert docs.path is None
    assert words(docs("self-care")) == ["self", "-", "care"]
    docs.save()


def test_an_unwritable_cache_folder_only_costs_time(
    nlp: spacy.language.Language, tmp_path: Path
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    docs = PhraseDocs(nlp, blocked / "cache")
    assert words(docs("self-care")) == ["self", "-", "care"]
    docs.save()  # no error: the next start tokenizes again
