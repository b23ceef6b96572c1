"""The trainer's dialogs (modal screens), one per module, each closed with `dismiss(value)`."""
