"""Workshop decks: the shipped ones load whole, and each kind of mistake a facilitator can
make is reported by `listen-trainer check` at its file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from listen_trainer.cli import main
from listen_trainer.content.decks import find_deck, load_deck, load_decks
from listen_trainer.content.library import Library, Rubric, load_library

GOOD = """\
deck:
  id: tuesday
  title: Tuesday group
  seconds_per_round: 60
  reveal_model: false
  rounds:
    - scenario: workshop-socks
    - statement: "I got the job!"
      who: partner
      feelings: [thrilled, nervous]
      needs: [support]
"""


def write(folder: Path, text: str, name: str = "deck.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_built_in_decks_load_whole_and_skip_nothing(rubric: Rubric, library: Library) -> None:
    catalog = load_decks(rubric, library)
    assert catalog.problems == ()
    assert {"first-evening", "complaints-and-longings"} <= {d.id for d in catalog.decks}
    for deck in catalog.decks:
        for item in deck.rounds:
            assert item.statement and item.model_reply and item.teaching_note, (deck.id, item)


def test_the_shipped_library_passes_over_deck_files(rubric: Rubric) -> None:
    library = load_library(rubric)
    assert library.problems == ()
    assert "workshop" in {p.id for p in library.packs}


def test_a_good_deck_resolves_scenarios_and_inline_statements(
    tmp_path: Path, rubric: Rubric, library: Library
) -> None:
    deck, problems = load_deck(write(tmp_path, GOOD), rubric, library)
    assert problems == []
    assert deck is not None and deck.deck.seconds_per_round == 60
    first, second = deck.rounds
    assert first.scenario is not None and first.statement == first.scenario.statement
    assert second.scenario is None and second.feelings == ("thrilled", "nervous")
    assert second.needs == ("support",)


def test_a_deck_is_found_by_id_or_by_path(tmp_path: Path, rubric: Rubric, library: Library) -> None:
    by_id, _ = find_deck("first-evening", rubric, library)
    assert by_id is not None and by_id.title == "A first evening"
    by_path, _ = find_deck(str(write(tmp_path, GOOD)), rubric, library)
    assert by_path is not None and by_path.id == "tuesday"
    missing, problems = find_deck("no-such-deck", rubric, library)
    assert missing is None and "first-evening" in problems[-1].message


def test_check_passes_a_good_deck(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(write(tmp_path, GOOD))]) == 0
    assert "1 deck(s)" in capsys.readouterr().out


BROKEN = [
    pytest.param(
        GOOD.replace("workshop-socks", "workshop-sockz"),
        "7: deck.rounds[0].scenario: no pack has a scenario 'workshop-sockz'",
        id="unknown scenario id",
    ),
    pytest.param(
        GOOD.replace(
            "    - scenario: workshop-socks\n",
            '    - scenario: workshop-socks\n      statement: "Also this."\n',
        ),
        "7: deck.rounds[0]: a round needs exactly one of 'scenario'",
        id="both scenario and statement",
    ),
    pytest.param(
        GOOD.replace("    - scenario: workshop-socks\n", "    - who: partner\n"),
        "7: deck.rounds[0]: a round needs exactly one of 'scenario'",
        id="neither scenario nor statement",
    ),
    pytest.param(
        GOOD.replace("seconds_per_round: 60", "seconds_per_round: 5"),
        "4: deck.seconds_per_round: Input should be greater than or equal to 15",
        id="seconds too few",
    ),
    pytest.param(
        GOOD.replace("seconds_per_round: 60", "seconds_per_round: 3600"),
        "4: deck.seconds_per_round: Input should be less than or equal to 900",
        id="seconds too many",
    ),
    pytest.param(
        GOOD.replace("reveal_model: false", "reveal_models: false"),
        "5: deck.reveal_models: unknown field",
        id="unknown key",
    ),
    pytest.param(
        GOOD.replace("thrilled, nervous", "thrilled, grumpyish"),
        "10: deck.rounds[1].feelings[1]: 'grumpyish' is not in the feelings lexicon",
        id="feeling not in the lexicon",
    ),
    pytest.param(
        GOOD.replace("needs: [support]", "needs: [sandwiches]"),
        "11: deck.rounds[1].needs[0]: 'sandwiches' is not a need",
        id="need not in the lexicon",
    ),
]


@pytest.mark.parametrize(("text", "expected"), BROKEN)
def test_check_reports_a_broken_deck_at_its_file_line_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, expected: str
) -> None:
    path = write(tmp_path, text)
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:{expected}" in out
    assert "Traceback" not in out


def test_a_broken_deck_is_reported_and_the_good_ones_still_load(
    tmp_path: Path, rubric: Rubric, library: Library
) -> None:
    write(tmp_path, GOOD, "good.yaml")
    broken = write(tmp_path, GOOD.replace("tuesday", "wednesday").replace("60", "2"), "bad.yaml")
    catalog = load_decks(rubric, library, [tmp_path])
    assert [d.id for d in catalog.decks] == ["tuesday"]
    assert [(p.file, p.field) for p in catalog.problems] == [
        (str(broken), "deck.seconds_per_round")
    ]


def test_workshop_with_a_broken_deck_prints_its_problems_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, GOOD.replace("workshop-socks", "workshop-sockz"))
    assert main(["workshop", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}:7: deck.rounds[0].scenario: no pack has a scenario" in err
    assert "Traceback" not in err


def test_workshop_refuses_a_round_time_out_of_bounds(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["workshop", "first-evening", "--seconds", "5"])
    assert exit_.value.code == 2
    assert "expected 15 to 900 seconds, got 5" in capsys.readouterr().err
