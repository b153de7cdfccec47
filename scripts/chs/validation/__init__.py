"""Great Expectations gates: the raw tables before dbt runs, the marts before they are published.

Validation runs on pandas DataFrames fetched from DuckDB (GX's SQL datasource on DuckDB gives
false failures) and stays memory-bounded however large the tables are: row-level expectations
run chunk by chunk and are tallied over the whole table (`gx`); table-wide measures and
comparisons are small aggregate frames DuckDB computes, which GX validates as a whole.

- `raw`: the raw gate, lenient about the dirt staging quarantines, strict about broken input;
- `marts`: the mart gate, only what dbt's tests cannot check (the last publication);
- `results`: the report types; `runner`, `gx`, `checks`, `describe`: the machinery.

Each run writes its results as JSON (`validation-<stage>-<UTC time>.json` and
`latest-<stage>.json` in the report folder) and GX's HTML Data Docs (`data_docs/index.html`).
"""

from chs.validation.marts import validate_marts
from chs.validation.raw import validate_raw
from chs.validation.results import ExpectationOutcome, SuiteResult, ValidationReport

__all__ = [
    "ExpectationOutcome",
    "SuiteResult",
    "ValidationReport",
    "validate_marts",
    "validate_raw",
]
