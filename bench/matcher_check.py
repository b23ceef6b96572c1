"""Does the TokenMatcher find exactly what spaCy's Matcher and PhraseMatcher find? Compare
them, span by span.

    .venv/bin/python bench/matcher_check.py [--rubric DIR] [--random 50000]

Both run every token pattern and phrase of the rubric (phrases: spaCy's PhraseMatcher on
LOWER against the TokenMatcher's `add_phrase`) on: the corpus of bench/same_output.py (the
scenario exemplars and the outside data's replies), then random word salads drawn from the
patterns' own words, punctuation and feeling words, with clause starts and feeling marks
scattered at random, which reach the corners (optional tokens, repeats, NOT_IN) that real
replies rarely do. Prints each difference; exit 1 if there is any.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import warnings
from pathlib import Path

warnings.filterwarnings("ignore")

# Shapes the rubric does not use yet but the TokenMatcher claims to handle.
SHAPES = [
    [{"LOWER": "i"}, {"OP": "*"}, {"LOWER": "so"}],
    [{"LOWER": "i", "OP": "+"}, {"LOWER": {"IN": ["so", "and"]}, "OP": "*"}],
    [{"LOWER": "the", "OP": "?"}, {"IS_PUNCT": True, "OP": "?"}, {"LOWER": "a"}],
    [{"LOWER": {"NOT_IN": ["the", "."]}, "OP": "{2,}"}, {"ORTH": "!"}],
    [{"TEXT": "me"}, {"IS_ALPHA": True, "OP": "{,2}"}, {"LEMMA": "be"}],
    [{"LOWER": "so", "OP": "{2}"}, {}],
    [{"OP": "?"}, {"LOWER": "really"}, {"OP": "*", "IS_PUNCT": False}],
]
DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def words_of(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [w for v in value.values() for w in words_of(v)]
    if isinstance(value, list):
        return [w for v in value for w in words_of(v)]
    return []


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rubric", type=Path, default=None)
    parser.add_argument("--random", type=int, default=50_000)
    args = parser.parse_args()

    from spacy.matcher import Matcher, PhraseMatcher
    from spacy.tokens import Doc

    from listen_trainer.content.library import load_library, load_rubric
    from listen_trainer.scoring import Scorer
    from listen_trainer.scoring.matcher import TokenMatcher
    from listen_trainer.scoring.pipeline import CLAUSE_TAG, FEELING_NORM
    from listen_trainer.scoring.rules import COMMON_MARKS, native
    from listen_trainer.scoring.words import phrase_variants as _phrase_variants

    scorer = Scorer(load_rubric(args.rubric))
    nlp = scorer.nlp
    spacy_matcher = Matcher(nlp.vocab)
    spacy_phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
    phrases: list[list[str]] = []
    # The rubric's own index choices: a pattern looked up by its rarest opening word.
    ours = TokenMatcher(common=[*nlp.Defaults.stop_words, *COMMON_MARKS])
    compared: list[list[dict]] = []
    vocabulary = {".", ",", "?", "!", "'s", "n't", "the", "a", "and", "so", "really", "me"}
    for index, rule in enumerate(scorer.compiled.rules):
        # Tokenized here, not read from the phrase cache: that is checked too.
        variants = [nlp.make_doc(v) for p in rule.phrases for v in _phrase_variants(p)]
        if variants:
            spacy_phrases.add(str(index), variants)
        for doc in variants:
            ours.add_phrase(index, [t.text for t in doc])
            phrases.append([t.text for t in doc])
            vocabulary.update(t.lower_ for t in doc)
        patterns = [native(p) for p in rule.patterns]
        if not patterns or not all(ours.supports(p) for p in patterns):
            continue
        spacy_matcher.add(str(index), patterns)
        compared += patterns
        for pattern in patterns:
            ours.add(index, pattern)
            for token in pattern:
                vocabulary.update(w for k, v in token.items() if k != "OP" for w in words_of(v))
    for shape in SHAPES:
        spacy_matcher.add(str(len(scorer.compiled.rules) + len(compared)), [shape])
        ours.add(len(scorer.compiled.rules) + len(compared), shape)
        compared.append(shape)
    vocabulary.discard(CLAUSE_TAG)
    vocabulary.discard(FEELING_NORM)
    vocabulary.update(list(scorer.compiled.lexicon.feeling_family)[:200])
    print(
        f"{len(compared)} patterns and {len(phrases)} phrases compared;"
        f" {len(vocabulary)} words in the salads"
    )

    found = phrase_found = 0

    def compare(doc: Doc, label: str) -> int:
        nonlocal found, phrase_found
        theirs = {
            (int(nlp.vocab.strings[k]), s, e)
            for k, s, e in [*spacy_matcher(doc), *spacy_phrases(doc)]
        }
        mine_list = ours(doc)
        mine = set(mine_list)
        found += len(theirs)
        phrase_found += len(spacy_phrases(doc))
        if theirs == mine and len(mine) == len(mine_list):
            return 0
        print(f"DIFFERENT on {label}: {doc.text!r}")
        print(f"  spaCy only: {sorted(theirs - mine)}  ours only: {sorted(mine - theirs)}")
        return 1

    library = load_library(scorer.rubric)
    texts = [e.reply for _, s in library.scenarios() for e in s.exemplars]
    for path in sorted(DATA.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            texts.append(json.loads(line)["response"])
    differ = sum(compare(doc, "corpus") for doc in nlp.pipe(texts))
    rng = random.Random(11)
    words = sorted(vocabulary)

    def walk(pattern: list[dict]) -> list[str]:
        """Words that go some way along `pattern`, with noise: near misses and matches."""
        out = []
        for token in pattern:
            low, high = {"?": (0, 1), "*": (0, 3), "+": (1, 3)}.get(token.get("OP", ""), (1, 1))
            if token.get("OP", "").startswith("{"):
                low, _, high = token["OP"].strip("{}").partition(",")
                low, high = int(low or 0), min(int(high or 3), int(low or 0) + 3)
            for _ in range(rng.randint(max(0, low - (rng.random() < 0.1)), high + 1)):
                pool = [w for k, v in token.items() if k != "OP" for w in words_of(v)]
                pool = [w for w in pool if w not in (CLAUSE_TAG, FEELING_NORM)]
                out.append(rng.choice(pool) if pool and rng.random() < 0.85 else rng.choice(words))
            if rng.random() < 0.05:
                out.append(rng.choice(words))
        return out

    for n in range(args.random):
        if n % 2:
            salad = [rng.choice(words) for _ in range(rng.randint(1, 14))]
        else:
            salad = [rng.choice(words) for _ in range(rng.randint(0, 3))]
            for _ in range(rng.randint(1, 3)):
                if rng.random() < 0.3:
                    # A phrase, in any case, maybe cut short: matches and near misses.
                    phrase = rng.choice(phrases)
                    cut = len(phrase) - (rng.random() < 0.2)
                    salad += [w.upper() if rng.random() < 0.1 else w for w in phrase[:cut]]
                else:
                    salad += walk(rng.choice(compared))
        doc = Doc(nlp.vocab, words=salad or ["."])
        for _, component in nlp.pipeline:
            doc = component(doc)
        for token in doc:
            if rng.random() < 0.3:
                token.tag_ = CLAUSE_TAG
            if rng.random() < 0.1:
                token.norm_ = FEELING_NORM
        differ += compare(doc, "salad")
        if differ > 20:
            break
    print(
        f"{len(texts):,} replies and {args.random:,} salads, {found:,} matches"
        f" ({phrase_found:,} of phrases): {differ} differ"
    )
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
