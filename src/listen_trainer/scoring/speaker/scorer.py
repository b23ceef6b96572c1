"""The SpeakerScorer: a statement (and, optionally, its scenario) -> Feedback.

It runs on the same spaCy pipeline as the listener's Scorer (pipeline.build_nlp), and
can share one, and cleans text as the listener's does (text_clean.clean).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from listen_trainer.content.speaker_library import SpeakerRubric, load_speaker_rubric
from listen_trainer.content.speaker_models import SPEAKER_COSTS, SpeakerScenario
from listen_trainer.scoring.feedback import Feedback
from listen_trainer.scoring.pipeline import build_nlp
from listen_trainer.scoring.speaker import advice
from listen_trainer.scoring.speaker.compile import CompiledSpeakerRubric
from listen_trainer.scoring.speaker.findings import SpeakerAnalysis, analyse
from listen_trainer.scoring.speaker.verdict import judge
from listen_trainer.scoring.text_clean import clean

SPEAKER_ENGINE_VERSION = "s1"


class SpeakerScorer:
    def __init__(self, rubric: SpeakerRubric | None = None, nlp: Language | None = None) -> None:
        self.rubric = rubric or load_speaker_rubric()
        self.nlp = nlp or build_nlp()
        self.compiled = CompiledSpeakerRubric(self.rubric, self.nlp)
        self.version = f"{SPEAKER_ENGINE_VERSION}+{self.rubric.version}"
        # A scenario's feelings and needs may be any lexicon word: read as families once.
        self._family_of = self.rubric.feeling_words()
        self._need_of = self.rubric.need_words()

    def score(self, text: str, scenario: SpeakerScenario | None = None) -> Feedback:
        """Score one statement, against its scenario's feelings and needs if given."""
        return Feedback.model_validate(self.values(text, scenario))

    def score_many(
        self, items: Iterable[tuple[str, SpeakerScenario | None]], batch_size: int = 256
    ) -> Iterator[Feedback]:
        for values in self.values_many(items, batch_size):
            yield Feedback.model_validate(values)

    def values_many(
        self, items: Iterable[tuple[str, SpeakerScenario | None]], batch_size: int = 256
    ) -> Iterator[dict[str, Any]]:
        limit = self.rubric.settings.max_chars
        pending = list(items)
        cleaned = [clean(text, limit) for text, _ in pending]
        docs = self.nlp.pipe((c for c, _ in cleaned), batch_size=batch_size)
        for (text, scenario), (kept, truncated), doc in zip(pending, cleaned, docs, strict=True):
            yield self._values(doc, text, kept, truncated, scenario)

    def values(self, text: str, scenario: SpeakerScenario | None = None) -> dict[str, Any]:
        """The Feedback's values, as `Feedback.model_dump(mode="json")` lays them out."""
        return next(self.values_many([(text, scenario)]))

    def analyse(self, text: str) -> SpeakerAnalysis:
        """The findings alone (for the rules' own examples)."""
        kept, _ = clean(text, self.rubric.settings.max_chars)
        doc = self.nlp(kept)
        hits, words = self.compiled.match(doc)
        return analyse(doc, hits, words, self.compiled)

    def _values(
        self, doc: Doc, text: str, kept: str, truncated: bool, scenario: SpeakerScenario | None
    ) -> dict[str, Any]:
        rubric = self.rubric
        hits, words = self.compiled.match(doc)
        analysis = analyse(doc, hits, words, self.compiled)
        judgement = judge(analysis, rubric)
        suggestions = advice.suggestions(analysis, judgement, scenario, rubric)
        if not kept.strip():
            suggestions = [rubric.settings.non_statement]
        if truncated:
            suggestions.insert(0, rubric.settings.truncated.format(limit=rubric.settings.max_chars))
        flags = []
        for finding in analysis.findings:
            span = doc[finding.start : finding.end]
            flags.append(
                {
                    "category": finding.category.value,
                    "start": span.start_char,
                    "end": span.end_char,
                    "text": text[span.start_char : span.end_char],
                    "rule": finding.rule,
                    "message": advice.message_for(finding, rubric),
                }
            )
        harsh = {
            i
            for f in analysis.findings
            if f.category in SPEAKER_COSTS
            for i in range(f.start, f.end)
        }
        sentences = [(s.text, any(t.i in harsh for t in s)) for s in doc.sents] if len(doc) else []
        best = scenario.best_exemplar() if scenario is not None else None
        heard = self._heard(analysis, scenario)
        return {
            "score": judgement.score,
            "verdict": judgement.verdict.value,
            "depth": judgement.depth,
            "skills": {k: float(v) for k, v in judgement.skills.items()},
            "flags": flags,
            "suggestions": suggestions,
            "rewrite": advice.rewrite(kept, analysis, judgement, scenario, rubric, sentences),
            "model_reply": best.reply if best else None,
            "heard": heard,
            "safety": None,
            "truncated": truncated,
            "engine_version": self.version,
            "side": "speaker",
        }

    def _heard(
        self, analysis: SpeakerAnalysis, scenario: SpeakerScenario | None
    ) -> dict[str, list[str]]:
        """The scenario's feelings and needs, and which of them the statement said; with
        no scenario, what the statement said."""
        words = self._family_of
        said = set(analysis.families)
        needs = set(analysis.needs)
        if scenario is None:
            return {
                "surface": sorted(said),
                "underlying": sorted(needs),
                "named_surface": sorted(said),
                "named_underlying": sorted(needs),
                "content_touched": [],
            }
        surface = {words.get(w.lower(), w) for w in scenario.feelings.surface}
        underlying = {words.get(w.lower(), w) for w in scenario.feelings.underlying}
        wanted = {self._need_of.get(n.lower(), n) for n in scenario.needs}
        return {
            "surface": sorted(surface),
            "underlying": sorted(underlying | wanted),
            "named_surface": sorted(surface & said),
            "named_underlying": sorted((underlying & said) | (wanted & needs)),
            "content_touched": [],
        }
