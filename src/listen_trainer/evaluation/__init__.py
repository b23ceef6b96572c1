"""Measuring the scorer against people: labelled data in, agreement figures out.

`metrics` counts (pure functions), `mapping` says how a data set's labels read as our
measures, `runner` scores the rows and computes the figures. The faces (`cli/eval.py`)
only print them.
"""

from listen_trainer.evaluation.mapping import EvalMapping, MappingError, load_mapping
from listen_trainer.evaluation.runner import (
    DataError,
    DatasetReport,
    ExemplarReport,
    evaluate_exemplars,
    evaluate_file,
    read_rows,
)

__all__ = [
    "DataError",
    "DatasetReport",
    "EvalMapping",
    "ExemplarReport",
    "MappingError",
    "evaluate_exemplars",
    "evaluate_file",
    "load_mapping",
    "read_rows",
]
