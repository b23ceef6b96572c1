"""Rebuild the English lemma tables the engine reads (src/listen_trainer/scoring/lemma_data)
from spaCy's `spacy-lookups-data` package, or check that they are what it holds.

    .venv/bin/python -m pip install "spacy-lookups-data==1.0.5"    # for this script only
    .venv/bin/python bench/rebuild_lemma_tables.py           # write the tables and licences
    .venv/bin/python bench/rebuild_lemma_tables.py --check   # exit 1 if they differ
    .venv/bin/python -m pip uninstall -y spacy-lookups-data

The engine reads two of that package's English tables: `lemma_lookup` (a word form, in
lower case, to its lemma: the lemmatizer, pipeline.py) and `lemma_index` (the base words
of English by part of speech: which words are words in their own right, rules.py). Its
other tables, and its other languages, are most of its size and unused here, so the two
are kept in the project and shipped inside the wheel, and the package is not installed
with the engine. The tables are written as JSON with their keys sorted and their lists in
the package's order, one entry to a line, so that a new release shows as a readable diff.
The package's licence (MIT) and the licence of the WordNet data its English tables carry
are copied beside them.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from importlib import metadata, resources
from pathlib import Path

TARGET = Path(__file__).resolve().parents[1] / "src" / "listen_trainer" / "scoring" / "lemma_data"
TABLES = ("lemma_lookup", "lemma_index")
PACKAGE = "spacy-lookups-data"


def table_json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=0) + "\n"


def wanted() -> dict[str, str]:
    """File name -> the text it should hold, from the installed package."""
    try:
        version = metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:
        sys.exit(f"{PACKAGE} is not installed: pip install '{PACKAGE}' first (see the docstring)")
    data = resources.files("spacy_lookups_data") / "data"
    files = {}
    for table in TABLES:
        with gzip.open(str(data / f"en_{table}.json.gz"), "rt", encoding="utf-8") as raw:
            files[f"en_{table}.json"] = table_json(json.load(raw))
    licence = metadata.distribution(PACKAGE).read_text("LICENSE")
    if not licence or "MIT License" not in licence:
        sys.exit(f"{PACKAGE} {version}: its LICENSE is not the MIT licence any more; check it")
    files["LICENSE"] = licence
    files["WORDNET_LICENSE.txt"] = (data / "en_license.txt").read_text(encoding="utf-8")
    files["SOURCE.md"] = (
        f"# Where these tables come from\n\n"
        f"`en_lemma_lookup.json` and `en_lemma_index.json` are the English `lemma_lookup` and\n"
        f"`lemma_index` tables of `{PACKAGE}` {version} (https://github.com/explosion/"
        f"spacy-lookups-data),\nunchanged but for their layout (JSON, keys sorted, one entry "
        f"a line).\n`{PACKAGE}` is under the MIT licence (LICENSE, copied from the package);\n"
        f"its English tables carry WordNet data, under the WordNet licence\n"
        f"(WORDNET_LICENSE.txt, copied from the package's `en_license.txt`).\n\n"
        f"Rebuilt, or checked, by `bench/rebuild_lemma_tables.py`.\n"
    )
    return files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, write nothing")
    args = parser.parse_args()
    files = wanted()
    if args.check:
        differ = [
            name
            for name, text in files.items()
            if not (TARGET / name).is_file() or (TARGET / name).read_text(encoding="utf-8") != text
        ]
        for name in differ:
            print(f"{TARGET / name}: not what {PACKAGE} {metadata.version(PACKAGE)} holds")
        print(f"{len(files) - len(differ)} of {len(files)} files as the package has them")
        return 1 if differ else 0
    TARGET.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (TARGET / name).write_text(text, encoding="utf-8")
        print(f"wrote {TARGET / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
