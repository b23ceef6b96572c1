"""What the speaker feels and needs: the target a reply is measured against.

For a scenario, its author says (surface and underlying feelings, needs, key content).
For a free statement (a partner's own words, or outside data) the engine reads them off
the statement: the feeling words it names, the vulnerable feelings a secondary feeling
such as anger often hides, the longing a complaint ("you never...") often carries, and
the content words a paraphrase would touch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

from listen_trainer.content.models import Scenario
from listen_trainer.scoring.matches import LexiconMatch
from listen_trainer.scoring.rules import CompiledRubric
from listen_trainer.scoring.wording import feeling_form, gist_voice, kind_of, said_clause
from listen_trainer.scoring.words import normalise


@dataclass(frozen=True)
class Target:
    surface: frozenset[str]  # feeling families said or shown
    underlying: frozenset[str]  # vulnerable families beneath
    needs: frozenset[str]
    content: frozenset[str]  # lemmas of what happened
    feeling_word: str | None  # words to use when rewriting a reply
    underlying_word: str | None
    gist: str | None
    risky: bool
    model_reply: str | None = None
    curated: bool = False  # an author chose the feelings and key content (a scenario)
    # For the rewrite (wording.py): the kind of statement ("hurt", "news", "ahead",
    # "complaint"); what it said, a clause in the listener's voice (a free statement);
    # and the feeling words in forms that follow "you feel".
    kind: str = "hurt"
    said: str | None = None
    feeling_form: str | None = None
    underlying_form: str | None = None

    @property
    def knows_feelings(self) -> bool:
        return bool(self.surface or self.underlying)


@dataclass(frozen=True, slots=True)
class _Phrases:
    """The rubric's look-ups for reading a statement, made once per compiled rubric."""

    beneath: dict[str, tuple[str, ...]]  # feeling family -> the families it often hides
    # A leading space keeps "suicide" from matching inside another word's tail, while
    # letting it match "suicidal" thoughts' stem forms at the start of a word.
    safety: tuple[str, ...]
    complaints: tuple[str, ...]  # whole words: " never ", " don't care "


def _phrases(compiled: CompiledRubric) -> _Phrases:
    # Kept with the compiled rubric (`CompiledRubric.derived`), made once.
    return _Phrases(
        beneath={f.name: tuple(f.beneath) for f in compiled.rubric.lexicon.families},
        safety=tuple(f" {phrase}" for phrase in compiled.safety_statement),
        complaints=tuple(f" {marker} " for marker in compiled.complaint_markers),
    )


def _padded(text: str) -> str:
    """`text` normalised, with a space at each end so that phrases match whole words."""
    return f" {normalise(text)} "


def _says_any(padded: str, phrases: tuple[str, ...]) -> bool:
    return any(phrase in padded for phrase in phrases)


def is_risky(statement: str, compiled: CompiledRubric) -> bool:
    return _says_any(_padded(statement), compiled.derived(_phrases).safety)


def from_scenario(
    scenario: Scenario,
    statement: Doc,
    lexicon: tuple[LexiconMatch, ...],
    compiled: CompiledRubric,
) -> Target:
    """The author's feelings and needs; content is the key words plus the statement's own
    (`lexicon`: the statement's feeling words and needs, which are not content)."""
    families = compiled.lexicon.entry_family
    needs = compiled.lexicon.entry_need
    surface = frozenset(families[w.lower()] for w in scenario.feelings.surface)
    underlying = frozenset(families[w.lower()] for w in scenario.feelings.underlying) - surface
    best = scenario.best_exemplar()
    reading = compiled.rubric.settings.templates.reading
    said_word, under_word = scenario.feelings.surface[0], _first(scenario.feelings.underlying)
    return Target(
        surface=surface,
        underlying=underlying,
        needs=frozenset(needs[w.lower()] for w in scenario.needs if w.lower() in needs),
        content=compiled.lexicon.lemmas(scenario.key_content)
        | content_of(statement, compiled, _tokens_of(lexicon)),
        feeling_word=scenario.feelings.surface[0],
        underlying_word=scenario.feelings.underlying[0] if scenario.feelings.underlying else None,
        gist=gist_voice(scenario.gist, scenario.statement) if scenario.gist else None,
        risky=is_risky(scenario.statement, compiled),
        model_reply=best.reply if best else None,
        curated=True,
        kind=kind_of(scenario.statement, surface, compiled.lexicon.pleasant_families, reading),
        feeling_form=feeling_form(said_word, families.get(said_word.lower()), reading),
        underlying_form=feeling_form(under_word, families.get((under_word or "").lower()), reading)
        if under_word
        else None,
    )


def _first(words: Sequence[str]) -> str | None:
    return words[0] if words else None


def _tokens_of(lexicon: tuple[LexiconMatch, ...]) -> set[int]:
    return {i for m in lexicon for i in range(m.start, m.end)}


def content_of(doc: Doc, compiled: CompiledRubric, skip: set[int]) -> frozenset[str]:
    """Lemmas of the words that say what happened: no stop words, no feeling words
    (`skip`: the tokens of the feeling words and needs). A number of two digits or more
    ("60 applications", "14 years") says what happened as much as a word, and is kept
    as digits whether written so or in words ("twelve years")."""
    stopwords = compiled.content_stopwords
    numbers = compiled.number_words
    # The token's flags first, its strings last: they are made anew on each read.
    words = frozenset(
        lemma
        for i, t in enumerate(doc)
        if (t.is_alpha or t.is_digit)
        and len(t) > (2 if t.is_alpha else 1)
        and not t.is_stop
        and i not in skip
        and (lemma := t.lemma_) not in stopwords
        and t.lower_ not in stopwords
    )
    return words | {numbers[t.lower_] for t in doc if t.lower_ in numbers}


def from_statement(
    doc: Doc,
    lexicon: tuple[LexiconMatch, ...],
    compiled: CompiledRubric,
    text: str | None = None,
) -> Target:
    """Read the target off a free statement that has been through the pipeline, with its
    feeling words and needs (`lexicon`).

    `text` is the text `doc` was made from, where the caller has it (spaCy would make
    `doc.text` again from every token)."""
    settings = compiled.rubric.settings
    phrases = compiled.derived(_phrases)
    surface: list[str] = []
    words: list[str] = []
    feeling_tokens: set[int] = set()
    for match in lexicon:
        if match.kind != "feeling":
            continue
        start, end = match.start, match.end
        feeling_tokens.update(range(start, end))
        if any(doc[i].lower_ in compiled.negators for i in range(max(0, start - 2), start)):
            continue  # "I'm not angry" does not say anger
        if match.name not in surface:
            surface.append(match.name)
            # One word's text is its Span's text; a Span joins its tokens' texts.
            said = doc[start].text if end - start == 1 else doc[start:end].text
            words.append(said.lower())
    underlying: list[str] = []
    for name in surface:
        for beneath in phrases.beneath[name]:
            if beneath not in surface and beneath not in underlying:
                underlying.append(beneath)
    needs: set[str] = set()
    padded = _padded(doc.text if text is None else text)
    if _says_any(padded, phrases.complaints):
        for name in settings.complaint_underlying:
            if name not in surface and name not in underlying:
                underlying.append(name)
        needs.update(settings.complaint_needs)
    content = content_of(doc, compiled, feeling_tokens)
    reading = settings.templates.reading
    statement = doc.text if text is None else text
    return Target(
        surface=frozenset(surface),
        underlying=frozenset(underlying),
        needs=frozenset(needs),
        content=content,
        feeling_word=words[0] if words else None,
        underlying_word=underlying[0] if underlying else None,
        gist=None,
        risky=_says_any(padded, phrases.safety),
        kind=kind_of(statement, surface, compiled.lexicon.pleasant_families, reading),
        said=said_clause(statement, reading, compiled.derived(_common), settings.complaint_markers),
        feeling_form=_said_form(words, surface, compiled),
        underlying_form=feeling_form(None, underlying[0], reading) if underlying else None,
    )


def _common(compiled: CompiledRubric) -> frozenset[str]:
    """Words that say little of what happened: spaCy's stop words and the rubric's."""
    return frozenset(STOP_WORDS) | frozenset(compiled.rubric.settings.content_stopwords)


def _said_form(words: list[str], families: list[str], compiled: CompiledRubric) -> str | None:
    """The statement's feeling word to say back: the first that is no label the speaker
    gave themselves ("stupid"), a word of a particular feeling before a general one
    ("scary", "awful")."""
    reading = compiled.rubric.settings.templates.reading
    pairs = [(w, f) for w, f in zip(words, families, strict=True) if w not in reading.self_labels]
    particular = [(w, f) for w, f in pairs if f not in compiled.lexicon.general_families]
    for word, family in particular + pairs:
        # A form the lexicon does not list ("cried", a typo) is said as its family's word.
        listed = word if word in compiled.lexicon.entry_family else None
        return feeling_form(listed, family, reading)
    return feeling_form(None, families[0], reading) if families else None


def with_picks(
    target: Target, feelings: Sequence[str], needs: Sequence[str], compiled: CompiledRubric
) -> Target:
    """A free statement's target, told more by the speaker: the feelings and needs they
    picked (partner practice) join what the engine read off their words.

    A picked feeling the statement already says stays on the surface; a vulnerable one it
    does not say lies beneath, so hearing it is a deeper reflection; any other unsaid
    pick (the annoyance behind "you were late again") is surface, shown if not named.
    """
    families = compiled.lexicon.entry_family
    vulnerable = compiled.lexicon.vulnerable_families
    picked = [families[w.lower()] for w in feelings if w.lower() in families]
    said = set(target.surface)
    surface = said | {f for f in picked if f in said or f not in vulnerable}
    underlying = (set(target.underlying) | {f for f in picked if f not in surface}) - surface
    picked_needs = {
        compiled.lexicon.entry_need[w.lower()]
        for w in needs
        if w.lower() in compiled.lexicon.entry_need
    }
    if not picked and not picked_needs:
        return target
    under_words = [w for w in feelings if families.get(w.lower()) in underlying]
    feeling_word = target.feeling_word or next(
        (w for w in feelings if families.get(w.lower()) in surface), None
    )
    underlying_word = under_words[0] if under_words else target.underlying_word
    reading = compiled.rubric.settings.templates.reading
    return replace(
        target,
        surface=frozenset(surface),
        underlying=frozenset(underlying),
        needs=target.needs | picked_needs,
        feeling_word=feeling_word,
        underlying_word=underlying_word,
        kind=kind_of(" ", surface, compiled.lexicon.pleasant_families, reading)
        if target.kind == "hurt"
        else target.kind,
        feeling_form=target.feeling_form
        or feeling_form(feeling_word, families.get((feeling_word or "").lower()), reading),
        underlying_form=feeling_form(under_words[0], families.get(under_words[0].lower()), reading)
        if under_words
        else target.underlying_form,
    )
