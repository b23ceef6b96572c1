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

from spacy.tokens import Doc

from listen_trainer.content.models import Scenario
from listen_trainer.scoring.rules import CompiledRubric, normalise


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

    @property
    def knows_feelings(self) -> bool:
        return bool(self.surface or self.underlying)


def is_risky(statement: str, compiled: CompiledRubric) -> bool:
    text = f" {normalise(statement)} "
    # A leading space keeps "suicide" from matching inside another word's tail, while
    # letting it match "suicidal" thoughts' stem forms at the start of a word.
    return any(f" {phrase}" in text for phrase in compiled.safety_statement)


def from_scenario(scenario: Scenario, statement: Doc, compiled: CompiledRubric) -> Target:
    """The author's feelings and needs; content is the key words plus the statement's own."""
    families = compiled.entry_family
    needs = compiled.entry_need
    surface = frozenset(families[w.lower()] for w in scenario.feelings.surface)
    underlying = frozenset(families[w.lower()] for w in scenario.feelings.underlying) - surface
    best = scenario.best_exemplar()
    return Target(
        surface=surface,
        underlying=underlying,
        needs=frozenset(needs[w.lower()] for w in scenario.needs if w.lower() in needs),
        content=compiled.lemmas(scenario.key_content) | content_of(statement, compiled),
        feeling_word=scenario.feelings.surface[0],
        underlying_word=scenario.feelings.underlying[0] if scenario.feelings.underlying else None,
        gist=scenario.gist,
        risky=is_risky(scenario.statement, compiled),
        model_reply=best.reply if best else None,
        curated=True,
    )


def content_of(doc: Doc, compiled: CompiledRubric, skip: set[int] | None = None) -> frozenset[str]:
    """Lemmas of the words that say what happened: no stop words, no feeling words."""
    if skip is None:
        skip = {i for m in doc._.matches.lexicon for i in range(m.start, m.end)}
    return frozenset(
        t.lemma_
        for t in doc
        if t.is_alpha
        and len(t) > 2
        and not t.is_stop
        and t.i not in skip
        and t.lemma_ not in compiled.content_stopwords
        and t.lower_ not in compiled.content_stopwords
    )


def from_statement(doc: Doc, compiled: CompiledRubric) -> Target:
    """Read the target off a free statement that has been through the pipeline."""
    settings = compiled.rubric.settings
    lexicon = {f.name: f for f in compiled.rubric.lexicon.families}
    surface: list[str] = []
    words: list[str] = []
    feeling_tokens: set[int] = set()
    for match in doc._.matches.lexicon:
        if match.kind != "feeling":
            continue
        feeling_tokens.update(range(match.start, match.end))
        window = doc[max(0, match.start - 2) : match.start]
        if any(t.lower_ in compiled.negators for t in window):
            continue  # "I'm not angry" does not say anger
        if match.name not in surface:
            surface.append(match.name)
            words.append(doc[match.start : match.end].text.lower())
    underlying: list[str] = []
    for name in surface:
        for beneath in lexicon[name].beneath:
            if beneath not in surface and beneath not in underlying:
                underlying.append(beneath)
    needs: set[str] = set()
    text = f" {normalise(doc.text)} "
    if any(f" {marker} " in text for marker in compiled.complaint_markers):
        for name in settings.complaint_underlying:
            if name not in surface and name not in underlying:
                underlying.append(name)
        needs.update(settings.complaint_needs)
    content = content_of(doc, compiled, feeling_tokens)
    return Target(
        surface=frozenset(surface),
        underlying=frozenset(underlying),
        needs=frozenset(needs),
        content=content,
        feeling_word=words[0] if words else None,
        underlying_word=underlying[0] if underlying else None,
        gist=None,
        risky=is_risky(doc.text, compiled),
    )


def with_picks(
    target: Target, feelings: Sequence[str], needs: Sequence[str], compiled: CompiledRubric
) -> Target:
    """A free statement's target, told more by the speaker: the feelings and needs they
    picked (partner practice) join what the engine read off their words.

    A picked feeling the statement already says stays on the surface; a vulnerable one it
    does not say lies beneath, so hearing it is a deeper reflection; any other unsaid
    pick (the annoyance behind "you were late again") is surface, shown if not named.
    """
    families = compiled.entry_family
    vulnerable = {f.name for f in compiled.rubric.lexicon.families if f.vulnerable}
    picked = [families[w.lower()] for w in feelings if w.lower() in families]
    said = set(target.surface)
    surface = said | {f for f in picked if f in said or f not in vulnerable}
    underlying = (set(target.underlying) | {f for f in picked if f not in surface}) - surface
    picked_needs = {
        compiled.entry_need[w.lower()] for w in needs if w.lower() in compiled.entry_need
    }
    if not picked and not picked_needs:
        return target
    under_words = [w for w in feelings if families.get(w.lower()) in underlying]
    return replace(
        target,
        surface=frozenset(surface),
        underlying=frozenset(underlying),
        needs=target.needs | picked_needs,
        feeling_word=target.feeling_word
        or next((w for w in feelings if families.get(w.lower()) in surface), None),
        underlying_word=under_words[0] if under_words else target.underlying_word,
    )
