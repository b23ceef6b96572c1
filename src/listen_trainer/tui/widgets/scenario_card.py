"""The scenario a learner answers: who speaks, where, what they say, how hard it is."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from listen_trainer.content.models import Pack, Scenario
from listen_trainer.tui.state import DIFFICULTY_LABELS, SPEAKER_LABELS


def scenario_text(scenario: Scenario) -> Text:
    """The card's text. Statements are plain Text, so brackets in a pack are not markup."""
    text = Text()
    text.append(SPEAKER_LABELS.get(scenario.speaker.value, scenario.speaker.value), "bold")
    text.append(" · ")
    text.append(scenario.situation, "italic")
    text.append("\n\n")
    text.append(f"“{scenario.statement}”", "bold")
    return text


class ScenarioCard(Static):
    """Shows one scenario; the border names its pack and difficulty."""

    def show(self, scenario: Scenario, pack: Pack | None) -> None:
        self.update(scenario_text(scenario))
        level = DIFFICULTY_LABELS.get(scenario.difficulty, str(scenario.difficulty))
        self.border_title = pack.title if pack else "Scenario"
        dots = "●" * scenario.difficulty + "○" * (3 - scenario.difficulty)
        self.border_subtitle = f"{dots} {level}"
