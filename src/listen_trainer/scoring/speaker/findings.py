"""What a statement shows: the rules' matches read in their sentences. Pure functions.

A match is kept when its sentence is of the kind the rule asks for, no negator stands just
before it ("you're not selfish"), and it does not follow a word the rule names. Then the
findings are read together: a feeling inside a blame ("you make me feel small") or a
thought posing as a feeling ("I feel ignored") is no feeling of one's own; a feeling of a
vulnerable family is the deeper credit; a request is specific when its sentence names a
time or place, and negative when it asks them to stop.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc

from listen_trainer.content.speaker_models import SPEAKER_COSTS, SpeakerCategory
from listen_trainer.scoring.speaker.compile import CompiledSpeakerRubric, Hit, Word

# A request asking them to stop or not to do something is a negative request: better
# than a demand, less doable than a positive one.
NEGATIVE_REQUEST = frozenset({"stop", "quit", "not", "n't", "never", "avoid", "cease"})
_NEGATIVE_REACH = 4
# A feeling inside one of these is not owned: it is charged to them, or no feeling at all.
_DISOWNING = frozenset({SpeakerCategory.BLAME, SpeakerCategory.FAUX_FEELING})


@dataclass(frozen=True, slots=True)
class SpeakerFinding:
    category: SpeakerCategory
    start: int  # tokens, end exclusive
    end: int
    rule: str
    message: str


@dataclass
class SpeakerAnalysis:
    findings: list[SpeakerFinding]
    families: list[str] = field(default_factory=list)  # feelings owned, in order
    needs: list[str] = field(default_factory=list)  # lexicon needs named
    request: float = 0.0  # 1 specific, lower when vague or negative
    timed: bool = False  # an observation of time or place, not only "when you..."

    def categories(self) -> set[SpeakerCategory]:
        return {f.category for f in self.findings}

    def costs(self) -> set[SpeakerCategory]:
        return self.categories() & SPEAKER_COSTS


def _sentences(doc: Doc) -> tuple[list[int], list[bool]]:
    """Each token's sentence number, and whether each sentence is a question."""
    of_token: list[int] = []
    questions: list[bool] = []
    for number, sent in enumerate(doc.sents):
        of_token += [number] * len(sent)
        questions.append(any(t.text.endswith("?") for t in sent[-2:]))
    return of_token, questions


def _negated(doc: Doc, hit: Hit, sentence_of: list[int], compiled: CompiledSpeakerRubric) -> bool:
    first = max(0, hit.start - compiled.negation_window)
    return any(
        doc[i].lower_ in compiled.negators and sentence_of[i] == sentence_of[hit.start]
        for i in range(first, hit.start)
    )


def _kept(
    doc: Doc, hit: Hit, sents: tuple[list[int], list[bool]], compiled: CompiledSpeakerRubric
) -> bool:
    rule = compiled.rules[hit.rule]
    sentence_of, questions = sents
    question = questions[sentence_of[hit.start]]
    if (rule.sentence == "question" and not question) or (
        rule.sentence == "statement" and question
    ):
        return False
    before = doc[hit.start - 1].lower_ if hit.start else ""
    if before in compiled.unless_after[hit.rule]:
        return False
    return not (rule.negation == "cancel" and _negated(doc, hit, sentence_of, compiled))


_QUOTES = frozenset({'"', "'", "\u201c", "\u201d", "\u2018", "\u2019"})


def _quoted(doc: Doc) -> set[int]:
    """The tokens between a pair of quotation marks (a quote left open quotes nothing)."""
    inside: set[int] = set()
    opened: int | None = None
    for token in doc:
        if token.text in _QUOTES:
            if opened is None:
                opened = token.i
            else:
                inside.update(range(opened + 1, token.i))
                opened = None
    return inside


def _longest(hits: list[Hit]) -> list[Hit]:
    """Of a rule's overlapping matches, the longest (the first of equals)."""
    ordered = sorted(hits, key=lambda h: (h.rule, h.start, -(h.end - h.start)))
    out: list[Hit] = []
    for hit in ordered:
        if out and out[-1].rule == hit.rule and hit.start < out[-1].end:
            continue
        out.append(hit)
    return out


def _overlaps(a: SpeakerFinding | Word, b: SpeakerFinding) -> bool:
    return a.start < b.end and b.start < a.end


def analyse(
    doc: Doc, hits: list[Hit], words: list[Word], compiled: CompiledSpeakerRubric
) -> SpeakerAnalysis:
    """The findings of a statement, each a span of `doc` with its category."""
    if not len(doc):
        return SpeakerAnalysis(findings=[])
    sents = _sentences(doc)
    raw = [
        SpeakerFinding(
            compiled.rules[h.rule].category,
            h.start,
            h.end,
            compiled.rules[h.rule].id,
            compiled.rules[h.rule].message,
        )
        for h in _longest(hits)
        if _kept(doc, h, sents, compiled)
    ]
    quoted = _quoted(doc)
    # A cost in quotation marks is reported speech ("when you said 'whatever'"), not said.
    raw = [f for f in raw if f.category not in SPEAKER_COSTS or not quoted & {f.start, f.end - 1}]
    disowning = [f for f in raw if f.category in _DISOWNING]
    findings: list[SpeakerFinding] = []
    analysis = SpeakerAnalysis(findings=findings)
    for finding in raw:
        if finding.category is SpeakerCategory.FEELING:
            finding = _owned_feeling(finding, words, disowning, compiled, analysis)
            if finding is None:
                continue
        findings.append(finding)
    _read_needs(analysis, words, findings)
    _read_requests(doc, analysis, sents[0])
    findings.sort(key=lambda f: (f.start, f.end))
    return analysis


def _owned_feeling(
    finding: SpeakerFinding,
    words: list[Word],
    disowning: list[SpeakerFinding],
    compiled: CompiledSpeakerRubric,
    analysis: SpeakerAnalysis,
) -> SpeakerFinding | None:
    """The feeling finding as the speaker's own (vulnerable or not), or None when it is
    charged to the other ("you make me feel") or a thought ("I feel ignored")."""
    if any(_overlaps(finding, d) for d in disowning):
        return None
    inside = [w for w in words if w.kind == "feeling" and _overlaps(w, finding)]
    families = [w.name for w in inside]
    analysis.families += families
    if any(f in compiled.vulnerable for f in families) or not families:
        # A feeling said by its verb alone ("it hurt", "I miss you") is a vulnerable one.
        return SpeakerFinding(
            SpeakerCategory.VULNERABLE_FEELING,
            finding.start,
            finding.end,
            finding.rule,
            finding.message,
        )
    return finding


def _read_needs(
    analysis: SpeakerAnalysis, words: list[Word], findings: list[SpeakerFinding]
) -> None:
    for finding in findings:
        if finding.category is SpeakerCategory.NEED:
            analysis.needs += [w.name for w in words if w.kind == "need" and _overlaps(w, finding)]
        elif finding.category is SpeakerCategory.OBSERVATION and finding.rule != "obs-when":
            analysis.timed = True


def _read_requests(doc: Doc, analysis: SpeakerAnalysis, sentence_of: list[int]) -> None:
    """How good the best request is: specific (a time or place in its sentence), plain,
    or negative (asking them to stop)."""
    timed_sentences = {
        sentence_of[f.start]
        for f in analysis.findings
        if f.category is SpeakerCategory.OBSERVATION and f.rule != "obs-when"
    }
    best = 0.0
    for finding in analysis.findings:
        if finding.category is not SpeakerCategory.REQUEST:
            continue
        reach = doc[finding.end : finding.end + _NEGATIVE_REACH]
        if any(t.lower_ in NEGATIVE_REQUEST for t in reach):
            quality = 0.4
        elif sentence_of[finding.start] in timed_sentences:
            quality = 1.0
        else:
            quality = 0.7
        best = max(best, quality)
    analysis.request = best
