"""The loader: a company's raw files (Parquet, CSV, folders of parts) -> the raw schema.

Every raw row gets `_row_id` (its 1-based position in the table's input, counting on across
the parts of a folder), `_batch_id` (the input's SHA-256, shortened), `_source_file` (the file
it came from, relative to the raw folder) and `_loaded_at` (UTC time of the load run).

- chs.loading.inputs: where a table's data is (file, folder of parts, or absent)
- chs.loading.csv_files: CSV options, encoding check and re-encoding, header, reader
- chs.loading.columns: matching a file's columns with the contract (case-insensitive renames)
- chs.loading.tables: checking every part before anything is written
- chs.loading.warehouse: the load in one transaction, `_load_log` and `_source_presence`
- chs.loading.loader: load_raw, which ties them together
- chs.loading.cli: the command-line options load_raw.py and run_pipeline.py share
"""

from chs.loading.csv_files import CsvOptions
from chs.loading.loader import load_raw, resolve_disabled
from chs.loading.warehouse import LOAD_LOG, PRESENCE, PRESENCE_COLUMNS, LoadResult

__all__ = [
    "LOAD_LOG",
    "PRESENCE",
    "PRESENCE_COLUMNS",
    "CsvOptions",
    "LoadResult",
    "load_raw",
    "resolve_disabled",
]
