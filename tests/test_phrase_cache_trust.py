"""The phrase cache is read only from a regular file of bounded size whose digest matches
what it holds; anything else is tokenized again and rewritten, and verdicts never change."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from listen_trainer.content.library import Rubric
from listen_trainer.scoring import Scorer
from listen_trainer.scoring.phrase_cache import MAX_BYTES

# Reads the cache file at argv[1]'s folder, in a child so that a hang or a runaway read
# ends the child, not the test run; memory is capped below what /dev/zero would take.
CHILD = """
import resource, sys
from pathlib import Path
import spacy
from listen_trainer.scoring.phrase_cache import PhraseDocs
resource.setrlimit(resource.RLIMIT_AS, (3_000_000_000, 3_000_000_000))
docs = PhraseDocs(spacy.blank("en"), Path(sys.argv[1]))
print([t.text for t in docs("don't worry")])
docs.save()
"""


def cache_file(folder: Path) -> Path:
    import spacy

    return folder / f"phrases-{spacy.about.__version__}.json"


def read_in_child(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", CHILD, str(folder)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("kind", ["link to /dev/zero", "named pipe", "oversized file"])
def test_a_cache_that_is_not_a_small_regular_file_is_not_read(tmp_path: Path, kind: str) -> None:
    path = cache_file(tmp_path)
    if kind == "link to /dev/zero":
        path.symlink_to("/dev/zero")
    elif kind == "named pipe":
        os.mkfifo(path)
    else:
        with path.open("wb") as handle:
            handle.truncate(MAX_BYTES + 1)  # sparse: costs no disk
    try:
        done = read_in_child(tmp_path)
    except subprocess.TimeoutExpired:
        pytest.fail(f"reading a cache that is a {kind} hung")
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "['do', \"n't\", 'worry']"
    # Replaced by a regular file the next start can use.
    assert path.is_file() and not path.is_symlink()
    assert path.stat().st_size < 10_000


def test_an_altered_entry_is_not_used_and_the_cache_is_rebuilt(
    rubric: Rubric, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LISTEN_TRAINER_CACHE_DIR", str(tmp_path))
    reply, statement = "You should rest.", "I have been so tired lately."
    before = Scorer(rubric).score(reply, statement=statement).verdict
    assert before.value == "fixing"
    path = cache_file(tmp_path)
    good = path.read_bytes()
    # The same text split another way: it still reads back as "you should".
    text = good.decode("utf-8")
    altered = text.replace(
        json.dumps({"you should": [["you", True], ["should", False]]}, separators=(",", ":"))[1:-1],
        json.dumps({"you should": [["you should", False]]}, separators=(",", ":"))[1:-1],
    )
    assert altered != text
    path.write_text(altered, encoding="utf-8")

    assert Scorer(rubric).score(reply, statement=statement).verdict == before
    assert path.read_bytes() == good  # rebuilt, not left altered for the next start
    assert Scorer(rubric).score(reply, statement=statement).verdict == before
