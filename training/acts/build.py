"""Build the acts model: read the project's labelled replies, train, and ship the result.

    python training/acts/build.py            (or: make acts-model)

1. reads training/acts/data/*.jsonl (rows the project wrote; the format is in
   training/acts/README.md) and stops with file, line and field on a bad row;
2. makes one example per reply (the acts of all its sentences) and one per sentence of a
   reply with more than one, each over its lower-cased words, as the scorer reads them;
3. runs spaCy's own `spacy train` with config.cfg, holding every tenth reply out as its
   dev set (chosen by a hash of the id, so the split does not move when rows are added);
4. copies the best model's classifier to src/listen_trainer/scoring/acts_model/, which
   the wheel ships (learned.py loads it).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import get_args

import spacy
from spacy.tokens import Doc, DocBin

from listen_trainer.content.models import Act

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SHIPPED = ROOT / "src" / "listen_trainer" / "scoring" / "acts_model"
ACTS = get_args(Act)
NONE = "none"
COMPONENT = "textcat_multilabel"


class BadRow(ValueError):
    pass


def _acts(value: object, where: str) -> set[str]:
    if not isinstance(value, list) or not value:
        raise BadRow(f"{where}: 'acts' must be a non-empty list")
    acts = set(value)
    unknown = acts - set(ACTS) - {NONE}
    if unknown:
        raise BadRow(f"{where}: unknown act {sorted(unknown)}; expected {list(ACTS)} or none")
    if NONE in acts and len(acts) > 1:
        raise BadRow(f"{where}: 'none' stands alone")
    return acts - {NONE}


def read_rows(path: Path) -> list[tuple[str, list[tuple[str, set[str]]]]]:
    """(id, [(sentence, acts)]) for each row of one file."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path.name}, line {number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise BadRow(f"{where}: not JSON ({error.msg})") from None
        sentences = row.get("sentences")
        if not isinstance(sentences, list) or not sentences:
            raise BadRow(f"{where}: 'sentences' must be a non-empty list")
        pairs = []
        for index, sentence in enumerate(sentences, 1):
            text = sentence.get("text") if isinstance(sentence, dict) else None
            if not isinstance(text, str) or not text.strip():
                raise BadRow(f"{where}, sentence {index}: 'text' must be a non-empty string")
            pairs.append((text, _acts(sentence.get("acts"), f"{where}, sentence {index}")))
        rows.append((str(row.get("id", where)), pairs))
    return rows


def _doc(nlp: spacy.Language, text: str, acts: set[str]) -> Doc:
    doc = nlp.make_doc(text.lower())
    doc.cats = {act: float(act in acts) for act in ACTS}
    return doc


def examples(nlp: spacy.Language, pairs: list[tuple[str, set[str]]]) -> list[Doc]:
    whole = " ".join(text for text, _ in pairs)
    docs = [_doc(nlp, whole, set().union(*(acts for _, acts in pairs)))]
    if len(pairs) > 1:
        docs += [_doc(nlp, text, acts) for text, acts in pairs]
    return docs


def held_out(row_id: str) -> bool:
    return int(hashlib.sha1(row_id.encode()).hexdigest(), 16) % 10 == 0


def main(argv: list[str]) -> int:
    config = Path(argv[0]) if argv else HERE / "config.cfg"
    shipped = Path(argv[1]) if len(argv) > 1 else SHIPPED
    nlp = spacy.blank("en")
    train, dev = DocBin(), DocBin()
    try:
        for path in sorted((HERE / "data").glob("*.jsonl")):
            for row_id, pairs in read_rows(path):
                for doc in examples(nlp, pairs):
                    (dev if held_out(row_id) else train).add(doc)
    except BadRow as error:
        print(f"training/acts/data/{error}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        train.to_disk(work / "train.spacy")
        dev.to_disk(work / "dev.spacy")
        command = [sys.executable, "-m", "spacy", "train", str(config)]
        command += ["--output", str(work / "out")]
        command += ["--paths.train", str(work / "train.spacy")]
        command += ["--paths.dev", str(work / "dev.spacy")]
        subprocess.run(command, check=True)
        # Only what the scorer loads: the component's weights and labels, and the
        # config it is made from (without the run's temporary paths).
        shutil.rmtree(shipped, ignore_errors=True)
        shutil.copytree(work / "out" / "model-best" / COMPONENT, shipped / COMPONENT)
        shutil.copy(config, shipped / "config.cfg")
    print(f"the acts model is in {shipped}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
