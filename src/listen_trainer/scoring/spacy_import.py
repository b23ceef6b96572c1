"""Import spaCy without its command line, which the engine never uses.

`import spacy` imports `spacy.cli` for the one name `spacy.info`, and with it typer,
requests, httpx, weasel and jinja2: much of spaCy's import time (docs/performance.md),
paid by every `listen-trainer score`. Called before spaCy is imported, `defer_spacy_cli`
puts a stand-in for `spacy.cli` in its place, which loads the real one the first time
anything of it is asked for (`spacy.info()`, `spacy.cli.download`...), so nothing is lost
but the wait.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from pathlib import Path
from typing import Any

_NAMES = ("spacy.cli", "spacy.cli.info")


def _real_cli() -> types.ModuleType:
    for name in _NAMES:
        if isinstance(sys.modules.get(name), _DeferredCli):
            del sys.modules[name]
    cli = importlib.import_module("spacy.cli")
    spacy = sys.modules.get("spacy")
    if spacy is not None:
        spacy.cli = cli  # type: ignore[attr-defined]
    return cli


class _DeferredCli(types.ModuleType):
    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        real = _real_cli()
        module = real if self.__name__ == "spacy.cli" else importlib.import_module(self.__name__)
        return getattr(module, name)


def _info(*args: Any, **kwargs: Any) -> Any:
    _real_cli()
    return importlib.import_module("spacy.cli.info").info(*args, **kwargs)


def defer_spacy_cli() -> None:
    """Stand in for `spacy.cli` if spaCy is not imported yet (otherwise nothing to save)."""
    if "spacy" in sys.modules:
        return
    spec = importlib.util.find_spec("spacy")
    if spec is None or not spec.submodule_search_locations:
        return
    cli, info = _DeferredCli("spacy.cli"), _DeferredCli("spacy.cli.info")
    # A package where the real one is, so that `import spacy.cli.download` still works.
    cli.__path__ = [str(Path(spec.submodule_search_locations[0]) / "cli")]
    info.info = _info  # type: ignore[attr-defined]
    cli.info = info  # type: ignore[attr-defined]
    sys.modules.update({"spacy.cli": cli, "spacy.cli.info": info})
