"""The rubric's rules test themselves: each lists replies it must flag and near-misses it
must let pass, and a trainer who breaks a rule, or its file, is told where."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from listen_trainer.content.library import ContentError, load_rubric, rule_files
from listen_trainer.content.models import RuleExample
from listen_trainer.content.rubric_lint import repeated_phrases
from listen_trainer.scoring.rule_examples import fired_rules, run_examples

REPO = Path(__file__).resolve().parents[1]


def _cases() -> list:
    cases = []
    for name, model, doc in rule_files(REPO / "rubrics"):
        assert model.example_statement, f"{name} gives no example_statement"
        for r_index, rule in enumerate(model.rules):
            assert rule.examples is not None, f"{rule.id} has no examples"
            for kind, items in (("flag", rule.examples.flag), ("pass", rule.examples.pass_)):
                for e_index, example in enumerate(items):
                    line = doc.line_of(("rules", r_index, "examples", kind, e_index))
                    cases.append(
                        pytest.param(
                            rule.id,
                            kind,
                            example,
                            model.example_statement,
                            f"{name}:{line}",
                            id=f"{rule.id}-{kind}-{e_index}",
                        )
                    )
    return cases


@pytest.mark.parametrize(("rule_id", "kind", "example", "statement", "where"), _cases())
def test_every_rule_flags_its_examples_and_passes_its_near_misses(
    scorer, rule_id: str, kind: str, example: RuleExample, statement: str, where: str
) -> None:
    flags = fired_rules(scorer, example.reply, example.statement or statement)
    fired = any(rule_id in flag.split(":") for flag in flags)
    assert fired is (kind == "flag"), f"{where}: {example.reply!r} -> {flags}"


def test_every_rule_carries_two_replies_to_flag_and_one_to_pass() -> None:
    rules = [rule for _, model, _ in rule_files(REPO / "rubrics") for rule in model.rules]
    assert len(rules) >= 40
    thin = [r.id for r in rules if r.examples is None or len(r.examples.flag) < 2]
    assert thin == []


def test_negation_ignore_is_the_default_and_the_rules_that_cancel_say_so() -> None:
    text = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "rubrics").glob("*.yaml"))
    assert "negation: ignore" not in text
    rules = {r.id: r for r in load_rubric().rules}
    assert rules["explore-invite"].negation == "ignore"
    assert rules["fix-modal-advice"].negation == "cancel"
    assert rules["judge-label"].negation == "flip"
    assert rules["judge-label"].flip_to == "validating"


def test_phrases_are_listed_one_a_line() -> None:
    # A flow list (`phrases: ["a", "b", ...]`) breaks on one missing quote.
    for name, model, _ in rule_files(REPO / "rubrics"):
        lines = (REPO / name).read_text(encoding="utf-8").splitlines()
        assert not [n for n, line in enumerate(lines, 1) if line.strip().startswith("phrases: [")]
        items = sum(1 for line in lines if re.match(r"^ {6}- [^\[{]", line))
        assert items >= sum(len(r.phrases) for r in model.rules), name


def test_each_rubric_header_lists_every_token_attribute_its_patterns_use() -> None:
    for name, model, _ in rule_files(REPO / "rubrics"):
        text = (REPO / name).read_text(encoding="utf-8")
        header = text[: text.index("\nrules:")]
        used: set[str] = set()
        for rule in model.rules:
            for token in (t for pattern in rule.patterns for t in pattern):
                for key, value in token.items():
                    used |= set(value) if isinstance(value, dict) else set()
                    used.add(key)
        assert "LOWER" in used and "clause_start" in used
        missing = [key for key in sorted(used) if not re.search(rf"\b{key}\b", header)]
        assert missing == [], f"{name}'s header does not explain {missing}"


# --------------------------------------------------------------------------- a trainer's edits


@pytest.fixture()
def rubric_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "rubrics"
    shutil.copytree(REPO / "rubrics", folder)
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, text: str) -> int:
    return path.read_text(encoding="utf-8").splitlines().index(text) + 1


def test_a_wrong_example_is_reported_with_its_rule_file_and_line(rubric_copy: Path) -> None:
    path = rubric_copy / "roadblocks.yaml"
    edit(path, "        - At last you can rest.\n", "        - At least you can rest now.\n")
    outcome = run_examples(load_rubric(rubric_copy), rubric_copy)
    line = line_of(path, "        - At least you can rest now.")
    assert [str(p) for p in outcome.problems] == [
        f"rubrics/roadblocks.yaml:{line}: rules[11].examples.pass[0]: minimise-silver-lining "
        "should let 'At least you can rest now.' pass but flags it"
    ]


def test_a_phrase_taken_out_makes_its_example_fail(rubric_copy: Path) -> None:
    path = rubric_copy / "credits.yaml"
    edit(path, "      - none of this is your fault\n", "")
    outcome = run_examples(load_rubric(rubric_copy), rubric_copy)
    messages = [p.message for p in outcome.problems]
    assert len(messages) == 1
    assert messages[0].startswith(
        "validate-negated-blame should flag 'None of this is your fault.' but does not"
    )


def test_an_example_may_bring_its_own_statement(rubric_copy: Path) -> None:
    path = rubric_copy / "credits.yaml"
    edit(
        path,
        "        - I wasn't there for you this week.\n",
        "        - I wasn't there for you this week.\n"
        "        - reply: I'm here for you.\n"
        "          statement: Nobody came to my recital.\n",
    )
    outcome = run_examples(load_rubric(rubric_copy), rubric_copy)
    assert [p.field for p in outcome.problems] == ["rules[3].examples.pass[1]"]


def test_an_unknown_key_names_its_place_and_the_keys_allowed(rubric_copy: Path) -> None:
    path = rubric_copy / "roadblocks.yaml"
    edit(path, "      sentence: statement\n", "      sentense: statement\n")
    with pytest.raises(ContentError) as caught:
        load_rubric(rubric_copy)
    line = line_of(path, "      sentense: statement")
    assert [str(p) for p in caught.value.problems] == [
        f"rubrics/roadblocks.yaml:{line}: rules[2].options.sentense: unknown field (check its "
        "spelling); expected one of: negation, flip_to, sentence, yields_to, unless_after, "
        "frames, specific, answering"
    ]


def test_an_unknown_statement_kind_is_named_with_the_kinds_allowed(rubric_copy: Path) -> None:
    path = rubric_copy / "roadblocks.yaml"
    edit(path, "      answering: [complaint]\n", "      answering: [complaints]\n")
    with pytest.raises(ContentError) as caught:
        load_rubric(rubric_copy)
    problems = [str(p) for p in caught.value.problems]
    assert len(problems) == 1
    line = line_of(path, "      answering: [complaints]")
    assert problems[0].startswith(f"rubrics/roadblocks.yaml:{line}: ")
    assert "answering" in problems[0]
    for kind in ("hurt", "news", "ahead", "complaint"):
        assert kind in problems[0]


def test_a_setting_outside_options_is_told_where_it_belongs(rubric_copy: Path) -> None:
    path = rubric_copy / "credits.yaml"
    edit(
        path,
        "    options:\n      specific: true\n",
        "    negation: ignore\n    options:\n      specific: true\n",
    )
    with pytest.raises(ContentError) as caught:
        load_rubric(rubric_copy)
    problems = [str(p) for p in caught.value.problems]
    assert len(problems) == 1
    assert problems[0].endswith(
        "rules[1].negation: unknown field; 'negation' belongs under 'options:'"
    )


def test_a_phrase_listed_twice_is_warned_of_with_both_places(rubric_copy: Path) -> None:
    path = rubric_copy / "credits.yaml"
    edit(path, "      - tell me more\n", "      - tell me more\n      - I'm here  FOR you\n")
    first = line_of(path, "      - i'm here for you")
    again = line_of(path, "      - I'm here  FOR you")
    warnings = [str(w) for w in repeated_phrases(rubric_copy) if "here  FOR" in str(w)]
    assert warnings == [
        f"rubrics/credits.yaml:{again}: rules[4].phrases[1]: warning: the phrase \"I'm here  FOR "
        f'you" of explore-invite is also in presence-here, at rubrics/credits.yaml:{first}'
    ]


def test_settings_naming_a_family_or_need_the_lexicon_lacks_are_refused(
    rubric_copy: Path,
) -> None:
    path = rubric_copy / "settings.yaml"
    edit(path, "complaint_underlying: [hurt, lonely]", "complaint_underlying: [hurt, glum]")
    edit(path, "complaint_needs: [matter, closeness]", "complaint_needs: [matter, cake]")
    with pytest.raises(ContentError) as caught:
        load_rubric(rubric_copy)
    assert [str(p) for p in caught.value.problems] == [
        "settings: complaint_underlying: 'glum' is not a feeling family",
        "settings: complaint_needs: 'cake' is not a need in the lexicon",
    ]


def test_check_fails_on_a_rule_whose_example_it_no_longer_flags(
    rubric_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from listen_trainer import paths
    from listen_trainer.cli import main

    shipped = paths.shipped
    monkeypatch.setattr(
        paths, "shipped", lambda kind: rubric_copy if kind == "rubrics" else shipped(kind)
    )
    path = rubric_copy / "credits.yaml"
    edit(path, "      - none of this is your fault\n", "")
    assert main(["check"]) == 1
    out = capsys.readouterr().out.splitlines()
    line = line_of(path, "        - None of this is your fault.")
    assert (
        f"rubrics/credits.yaml:{line}: rules[1].examples.flag[0]: validate-negated-blame should "
        "flag 'None of this is your fault.' but does not (found: nothing)"
    ) in out
    assert out[-1].startswith("1 problem(s) in ")
