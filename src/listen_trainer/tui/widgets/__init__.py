"""Widgets of the trainer: each shows one thing and posts messages about it."""

from listen_trainer.tui.widgets.feedback_panel import FeedbackPanel
from listen_trainer.tui.widgets.reply_box import ReplyBox
from listen_trainer.tui.widgets.scenario_card import ScenarioCard

__all__ = ["FeedbackPanel", "ReplyBox", "ScenarioCard"]
