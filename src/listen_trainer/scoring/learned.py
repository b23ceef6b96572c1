"""The acts model: what each sentence of a reply does, read by a trained classifier.

The rules name the phrases a learner can be taught; people say the same things in more
ways than any list holds. The acts model is a bag-of-words text classifier (spaCy's
`textcat_multilabel`) trained on replies the project wrote and labelled
(training/acts, rebuilt by `make acts-model`). It reads one sentence at a time, so a
flag it raises is a sentence the learner can see, and the rubric's settings say which
acts it may flag and how surely (`learned`). It runs outside the spaCy pipeline: only
the reply's sentences are read, never a statement.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc
from thinc.api import Config

from listen_trainer.content.models import ROADBLOCKS, Category, LearnedAct
from listen_trainer.scoring.analysis import A_WORD_OF_THEIRS, LEARNED, Finding

MODEL_DIR = Path(__file__).with_name("acts_model")
COMPONENT = "textcat_multilabel"


class ActsModelError(Exception):
    """The shipped model is missing, unreadable, or lacks an act the rubric asks for."""


class ActsModel:
    def __init__(self, nlp: Language, acts: Sequence[LearnedAct], folder: Path = MODEL_DIR):
        self.vocab = nlp.vocab
        self.acts = tuple(acts)
        try:
            config = Config().from_disk(folder / "config.cfg")
            settings = dict(config["components"][COMPONENT])
            factory = settings.pop("factory")
            # Made apart from the pipeline: it reads sentences, not whole docs.
            self.textcat = nlp.create_pipe(factory, name=COMPONENT, config=settings)
            self.textcat.from_disk(folder / COMPONENT, exclude=["vocab"])
        except (OSError, KeyError, ValueError) as error:
            raise ActsModelError(f"{folder}: the acts model cannot be read ({error})") from None
        unknown = sorted({a.act for a in self.acts} - set(self.textcat.labels))
        if unknown:
            raise ActsModelError(
                f"settings.learned names acts the model does not know: {', '.join(unknown)}; "
                f"it knows {', '.join(self.textcat.labels)}"
            )

    def sentence_scores(
        self, lowers: Sequence[str], bounds: Sequence[tuple[int, int]]
    ) -> list[dict[str, float]]:
        """How surely each sentence (token bounds over the lower-cased words) does each
        act: lower-cased, as the model was trained."""
        docs = [Doc(self.vocab, words=list(lowers[start:end])) for start, end in bounds]
        return [doc.cats for doc in self.textcat.pipe(docs)]


# Findings of these categories in a sentence already say what a learned act would.
SAME_READING: dict[Category, frozenset[Category]] = {
    Category.VALIDATING: frozenset({Category.VALIDATING, Category.PLACATING}),
}
# The model's guess of a roadblock is not taken where the rules read the sentence as
# saying the speaker back, their words or their feeling ("you don't need pills", to "I
# don't need pills"; "my look left you feeling ashamed"), nor where a frame sets that
# roadblock aside or reports it ("I won't tell you to stop worrying"). One word of theirs
# does not make one's own story theirs ("my ex did the same to me two years ago", to
# "three years, and it was over"); several do ("I hear that: I've been at the office
# until nine every night", to "you've been at the office until nine"). Its guess of a
# credit is not taken where the rules found a roadblock.
SAID_BACK = frozenset({Category.REFLECTING_CONTENT, Category.REFLECTING_FEELING})
AGAINST: dict[Category, frozenset[Category]] = dict.fromkeys(ROADBLOCKS, SAID_BACK)
WORDS_THAT_SAY_BACK = 2


def _words_of_theirs(there: Sequence[Finding]) -> int:
    return sum(f.end - f.start for f in there if f.note == A_WORD_OF_THEIRS)


def _taken(act: LearnedAct, there: Sequence[Finding], framed: frozenset[Category]) -> bool:
    if act.category in framed:
        return False
    if act.category is Category.DEFLECTING and _words_of_theirs(there) < WORDS_THAT_SAY_BACK:
        there = [f for f in there if f.note != A_WORD_OF_THEIRS]
    categories = {f.category for f in there}
    if not categories.isdisjoint(SAME_READING.get(act.category, {act.category})):
        return False
    return categories.isdisjoint(AGAINST.get(act.category, ROADBLOCKS))


def _threshold(act: LearnedAct, addressed: bool) -> float:
    return act.threshold if addressed or act.unaddressed is None else act.unaddressed


def learned_findings(
    scores: Sequence[dict[str, float]],
    bounds: Sequence[tuple[int, int]],
    findings: Sequence[Finding],
    framed: Mapping[int, frozenset[Category]],
    acts: Sequence[LearnedAct],
    addressed: bool = True,
) -> list[Finding]:
    """A finding over each sentence where the model reads an act surely enough and the
    rules' findings there neither say it already nor read the sentence the other way.
    `framed`: by sentence, the roadblocks a frame there says back or sets aside;
    `addressed`: whether the reply speaks to them anywhere."""
    out = []
    for sent, ((start, end), cats) in enumerate(zip(bounds, scores, strict=True)):
        there = [f for f in findings if f.sent == sent]
        frames = framed.get(sent, frozenset())
        for act in acts:
            if cats[act.act] >= _threshold(act, addressed) and _taken(act, there, frames):
                out.append(Finding(act.category, start, end, f"learned:{act.act}", sent, LEARNED))
    return out
