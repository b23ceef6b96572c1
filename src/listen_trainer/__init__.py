"""listen-trainer: practise reflective listening and see how attuned a reply was."""

__version__ = "0.1.0"
