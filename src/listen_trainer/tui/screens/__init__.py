"""The trainer's screens; each takes the Session it shows."""

from listen_trainer.tui.screens.browse import BrowseScreen
from listen_trainer.tui.screens.drill import DrillScreen
from listen_trainer.tui.screens.help import HelpScreen
from listen_trainer.tui.screens.home import HomeScreen
from listen_trainer.tui.screens.intro import IntroScreen
from listen_trainer.tui.screens.settings import SettingsScreen

__all__ = [
    "BrowseScreen",
    "DrillScreen",
    "HelpScreen",
    "HomeScreen",
    "IntroScreen",
    "SettingsScreen",
]
