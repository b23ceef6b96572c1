"""Measuring the scorer against people: labelled data in, agreement figures out.

`metrics` counts (pure functions), `mapping` says how a data set's labels read as our
measures, `runner` scores the rows and computes the figures; rows that list every act a
reply performs are read by `act_rows` and measured by `acts`. The faces (`cli/eval.py`,
`cli/eval_acts.py`) only print them.
"""

from listen_trainer.evaluation.act_rows import ActRow, read_act_rows
from listen_trainer.evaluation.acts import ActsReport, evaluate_act_rows
from listen_trainer.evaluation.mapping import EvalMapping, MappingError, load_mapping
from listen_trainer.evaluation.runner import (
    DataError,
    DatasetReport,
    ExemplarReport,
    evaluate_exemplars,
    evaluate_file,
    half_of,
    read_rows,
)

__all__ = [
    "ActRow",
    "ActsReport",
    "DataError",
    "DatasetReport",
    "EvalMapping",
    "ExemplarReport",
    "MappingError",
    "evaluate_act_rows",
    "evaluate_exemplars",
    "evaluate_file",
    "half_of",
    "load_mapping",
    "read_act_rows",
    "read_rows",
]
