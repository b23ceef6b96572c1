"""Workshop mode without a face: deck runs, partner turns, the class summary and its exports.

Nothing here imports Textual, so the TUI and the tests drive the same logic. Workshop
replies are kept in memory only: nothing reaches the learner's history, and nothing is
written unless the facilitator exports the summary.
"""

from listen_trainer.workshop.partner import PartnerSession, PickError, Turn, score_turn
from listen_trainer.workshop.run import Entry, WorkshopRun, score_round, split_names
from listen_trainer.workshop.summary import Row, Summary, summarise

__all__ = [
    "Entry",
    "PartnerSession",
    "PickError",
    "Row",
    "Summary",
    "Turn",
    "WorkshopRun",
    "score_round",
    "score_turn",
    "split_names",
    "summarise",
]
