"""Workshop decks: load them, check their words against the lexicon, resolve their rounds.

A deck names scenarios by id, so it can only be judged with the packs at hand: an id no
pack defines is reported at the deck's own file and line, like any other mistake.
Built-in decks live in the shipped `scenarios/decks/`, a facilitator's own in the
`decks/` folder next to `packs/` in the user's config folder, or anywhere given by path.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from listen_trainer import paths
from listen_trainer.content.library import Library, Rubric, load_file, yaml_files
from listen_trainer.content.models import Deck, DeckFile, DeckRound, Scenario, Speaker
from listen_trainer.content.yaml_source import Document, Problem, format_loc

if TYPE_CHECKING:
    from listen_trainer.content.speaker_library import SpeakerLibrary, SpeakerRubric
    from listen_trainer.content.speaker_models import SpeakerScenario


@dataclass(frozen=True)
class Round:
    """A deck round made ready to play: what is said, and what the engine scores against.

    `scenario` is set for a round drawn from a pack (the engine scores against it); an
    inline round is scored against its statement and the `feelings`/`needs` it names.
    A speaker's round (`side == "speaker"`) holds the harsh first version as its
    statement and its speaker scenario, if it has one, as `speaker_scenario`.
    """

    number: int
    statement: str
    scenario: Scenario | None = None
    speaker: Speaker | None = None
    situation: str | None = None
    teaching_note: str | None = None
    model_reply: str | None = None
    feelings: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    side: str = "listener"
    speaker_scenario: SpeakerScenario | None = None


@dataclass(frozen=True)
class SpeakerContent:
    """The speaker's rubric and packs, which a speaker's deck is checked and played against."""

    rubric: SpeakerRubric
    library: SpeakerLibrary


def load_speaker_content(extra_packs: Iterable[Path] = ()) -> SpeakerContent | None:
    """The speaker's rubric and packs; None when the rubric is broken (its decks are then
    passed over, as before there was a speaker's side)."""
    from listen_trainer.content.library import ContentError, pack_dirs
    from listen_trainer.content.speaker_library import load_speaker_library, load_speaker_rubric

    try:
        rubric = load_speaker_rubric()
    except ContentError:
        return None
    return SpeakerContent(rubric, load_speaker_library(rubric.lexicon, pack_dirs(extra_packs)))


def make_speaker_round(number: int, item: DeckRound, library: SpeakerLibrary) -> Round:
    """A speaker's round: the moment and the harsh first version, the model a soft one."""
    scenario = library.find(item.scenario) if item.scenario else None
    if scenario is not None:
        best = scenario.best_exemplar()
        return Round(
            number=number,
            statement=scenario.harsh,
            situation=scenario.situation,
            teaching_note=scenario.teaching_note,
            model_reply=best.reply if best else None,
            needs=tuple(scenario.needs),
            side="speaker",
            speaker_scenario=scenario,
        )
    return Round(
        number=number,
        statement=item.statement or "",
        situation=item.situation,
        teaching_note=item.teaching_note,
        model_reply=item.model_reply,
        feelings=tuple(item.feelings),
        needs=tuple(item.needs),
        side="speaker",
    )


def make_round(number: int, item: DeckRound, library: Library) -> Round:
    scenario = library.find(item.scenario) if item.scenario else None
    if scenario is not None:
        best = scenario.best_exemplar()
        return Round(
            number=number,
            statement=scenario.statement,
            scenario=scenario,
            speaker=scenario.speaker,
            situation=scenario.situation,
            teaching_note=scenario.teaching_note,
            model_reply=best.reply if best else None,
        )
    return Round(
        number=number,
        statement=item.statement or "",
        speaker=item.who,
        situation=item.situation,
        teaching_note=item.teaching_note,
        model_reply=item.model_reply,
        feelings=tuple(item.feelings),
        needs=tuple(item.needs),
    )


@dataclass(frozen=True)
class LoadedDeck:
    deck: Deck
    source: str
    rounds: tuple[Round, ...]

    @property
    def id(self) -> str:
        return self.deck.id

    @property
    def title(self) -> str:
        return self.deck.title

    @property
    def side(self) -> str:
        return self.deck.side


@dataclass(frozen=True)
class DeckCatalog:
    """The decks that loaded, and what was wrong with those that did not."""

    decks: tuple[LoadedDeck, ...]
    problems: tuple[Problem, ...] = ()

    def find(self, deck_id: str) -> LoadedDeck | None:
        return next((d for d in self.decks if d.id == deck_id), None)


def user_decks_dir() -> Path:
    return paths.config_dir() / "decks"


def deck_dirs() -> list[Path]:
    """Built-in decks first, then the facilitator's own; only folders that exist."""
    return [d for d in (paths.shipped("scenarios") / "decks", user_decks_dir()) if d.exists()]


def _problem(name: str, doc: Document, loc: tuple[str | int, ...], message: str) -> Problem:
    return Problem(name, doc.line_of(loc), format_loc(loc), message)


def check_deck(
    deck: Deck,
    doc: Document,
    name: str,
    rubric: Rubric | SpeakerRubric,
    library: Library | SpeakerLibrary,
) -> list[Problem]:
    """What a valid-shaped deck still gets wrong: unknown ids, words not in the lexicon."""
    feelings = rubric.feeling_words()
    needs = rubric.need_words()
    problems: list[Problem] = []
    for index, item in enumerate(deck.rounds):
        base: tuple[str | int, ...] = ("deck", "rounds", index)
        if item.scenario is not None and library.find(item.scenario) is None:
            problems.append(
                _problem(
                    name,
                    doc,
                    (*base, "scenario"),
                    f"no pack has a scenario {item.scenario!r} (see `listen-trainer "
                    "scenarios`, or give its pack with --packs)",
                )
            )
        for w_index, word in enumerate(item.feelings):
            if word.lower() not in feelings:
                problems.append(
                    _problem(
                        name,
                        doc,
                        (*base, "feelings", w_index),
                        f"{word!r} is not in the feelings lexicon (rubrics/feelings.yaml)",
                    )
                )
        for n_index, word in enumerate(item.needs):
            if word.lower() not in needs:
                problems.append(
                    _problem(
                        name,
                        doc,
                        (*base, "needs", n_index),
                        f"{word!r} is not a need in the lexicon",
                    )
                )
    return problems


def resolve(
    deck: Deck, source: str, library: Library, speaker: SpeakerContent | None = None
) -> LoadedDeck:
    """The deck with each round's scenario looked up (ids are assumed checked)."""
    if deck.side == "speaker" and speaker is not None:
        rounds = tuple(
            make_speaker_round(i + 1, item, speaker.library) for i, item in enumerate(deck.rounds)
        )
    else:
        rounds = tuple(make_round(i + 1, item, library) for i, item in enumerate(deck.rounds))
    return LoadedDeck(deck=deck, source=source, rounds=rounds)


def load_deck(
    path: Path,
    rubric: Rubric,
    library: Library,
    name: str | None = None,
    speaker: SpeakerContent | None = None,
) -> tuple[LoadedDeck | None, list[Problem]]:
    """One deck file, checked whole; the deck only when nothing is wrong with it.

    A speaker's deck is checked against `speaker` (its rubric and packs)."""
    name = name or str(path)
    model, doc, problems = load_file(path, name)
    if problems or doc is None:
        return None, problems
    if not isinstance(model, DeckFile):
        return None, [
            Problem(name, 1, "", "expected a workshop deck (a mapping with 'deck:' at the top)")
        ]
    if model.deck.side == "speaker":
        if speaker is None:
            return None, [
                Problem(name, doc.line_of(("deck", "side")), "deck.side", SPEAKER_UNAVAILABLE)
            ]
        problems = check_deck(model.deck, doc, name, speaker.rubric, speaker.library)
    else:
        problems = check_deck(model.deck, doc, name, rubric, library)
    if problems:
        return None, problems
    return resolve(model.deck, name, library, speaker), []


SPEAKER_UNAVAILABLE = (
    "a speaker's deck (side: speaker), but the speaker's rubric could not be loaded "
    "(see `listen-trainer check`)"
)


def is_speaker_deck(data: object) -> bool:
    """Whether parsed YAML is a deck of speaker scenarios (`side: speaker`)."""
    deck = data.get("deck") if isinstance(data, dict) else None
    return isinstance(deck, dict) and deck.get("side") == "speaker"


def load_decks(
    rubric: Rubric,
    library: Library,
    dirs: Iterable[Path] | None = None,
    speaker: SpeakerContent | None = None,
) -> DeckCatalog:
    """Every deck under `dirs` (default: built-in and the user's); broken ones reported.

    Files that are not decks (packs, say) are passed over: a folder may hold both. So are
    speaker's decks when `speaker` (the speaker's rubric and packs) is not given.
    """
    decks: list[LoadedDeck] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for directory in deck_dirs() if dirs is None else list(dirs):
        for path in yaml_files(directory):
            _, doc, _ = load_file(path)
            if doc is not None and not (isinstance(doc.data, dict) and "deck" in doc.data):
                continue
            if doc is not None and speaker is None and is_speaker_deck(doc.data):
                continue
            loaded, found = load_deck(path, rubric, library, speaker=speaker)
            problems += found
            if loaded is None:
                continue
            if loaded.id in seen:
                problems.append(
                    Problem(
                        str(path),
                        None,
                        "deck.id",
                        f"deck id {loaded.id!r} is already used by {seen[loaded.id]}",
                    )
                )
                continue
            seen[loaded.id] = str(path)
            decks.append(loaded)
    return DeckCatalog(decks=tuple(decks), problems=tuple(problems))


def find_deck(
    ref: str, rubric: Rubric, library: Library, speaker: SpeakerContent | None = None
) -> tuple[LoadedDeck | None, list[Problem]]:
    """A deck by built-in (or user) id, or by the path of a YAML file."""
    path = Path(ref)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return load_deck(path, rubric, library, speaker=speaker)
    catalog = load_decks(rubric, library, speaker=speaker)
    found = catalog.find(ref)
    if found is not None:
        return found, []
    known = ", ".join(d.id for d in catalog.decks) or "none"
    return None, [
        *catalog.problems,
        Problem(ref, None, "deck", f"no deck with this id or path; decks found: {known}"),
    ]
