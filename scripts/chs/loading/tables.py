"""Checking a delivered table before anything is written: readable, right columns, row counts.

Each part is read as far as needed to be sure the load will not stop half way on something a
user can fix: a Parquet file's footer (schema and row count; damage inside the data pages
shows only when DuckDB reads them, inside the load's transaction), a CSV file's every byte
(encoding) and every row (DuckDB counts them with the reader the load uses).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from chs.errors import UserError
from chs.loading.columns import match_columns
from chs.loading.csv_files import CsvOptions, delimiter_hint, read_csv_sql, read_header, scan_csv
from chs.loading.inputs import CSV, PARQUET, TableInput
from chs.loading.sql import one_line
from chs.raw_tables import RawTable


@dataclass(frozen=True)
class Part:
    """One file of a table's input, checked."""

    path: Path
    relative: str  # path relative to the raw data folder, as recorded in _source_file
    read_path: Path  # what DuckDB reads: the file, or its UTF-8 copy
    columns: tuple[tuple[str, str], ...]  # (name in the file, name in the raw table)
    rows: int
    sha256: str


@dataclass(frozen=True)
class CheckedTable:
    """A table's input, every part checked, with the checksum that decides a reload."""

    input: TableInput
    parts: tuple[Part, ...]
    csv: CsvOptions
    extra_columns: tuple[str, ...]
    renamed_columns: tuple[tuple[str, str], ...]

    @property
    def spec(self) -> RawTable:
        return self.input.spec

    @property
    def file_format(self) -> str:
        return self.input.file_format

    @property
    def rows(self) -> int:
        return sum(part.rows for part in self.parts)

    @property
    def source_files(self) -> str:
        return ",".join(part.relative for part in self.parts)

    @property
    def checksum(self) -> str:
        """SHA-256 of the single Parquet file; otherwise of the parts' names and checksums
        and, for CSV, the options that change what is read."""
        if self.file_format == PARQUET and self.input.folder is None:
            return self.parts[0].sha256
        lines = [self.csv.describe() if self.file_format == CSV else PARQUET]
        lines += [f"{part.relative} {part.sha256}" for part in self.parts]
        return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _parquet_part(spec: RawTable, path: Path, relative: str) -> Part:
    try:
        metadata = pq.read_metadata(path)
        names = metadata.schema.to_arrow_schema().names
    except Exception as exc:  # pyarrow raises several types for unreadable files
        raise UserError(f"{path}: not a readable Parquet file ({exc})") from None
    match = match_columns(spec, names, str(path))
    return Part(path, relative, path, match.columns, metadata.num_rows, sha256(path))


def _csv_part(
    spec: RawTable,
    path: Path,
    relative: str,
    options: CsvOptions,
    utf8_copy: Path,
    con: duckdb.DuckDBPyConnection,
) -> Part:
    read_path = path if options.is_utf8 else utf8_copy
    checksum = scan_csv(path, options, None if options.is_utf8 else utf8_copy)
    names = read_header(read_path, options)
    match = match_columns(spec, names, str(path), delimiter_hint(names, options))
    raw_names = [column for _, column in match.columns]
    try:
        (rows,) = con.execute(
            f"select count(*) from {read_csv_sql(read_path, options, raw_names)}"
        ).fetchone()
    except duckdb.Error as exc:
        raise UserError(f"{path}: {one_line(exc)}") from None
    return Part(path, relative, read_path, match.columns, rows, checksum)


def check_table(
    raw_dir: Path, table_input: TableInput, options: CsvOptions, scratch: Path
) -> CheckedTable:
    """Check every part of `table_input`; CSV files not in UTF-8 are re-encoded into `scratch`."""
    spec = table_input.spec
    parts = []
    with duckdb.connect() as con:
        for index, path in enumerate(table_input.parts):
            relative = path.relative_to(raw_dir).as_posix()
            if table_input.file_format == PARQUET:
                parts.append(_parquet_part(spec, path, relative))
            else:
                copy = scratch / f"{spec.relation}-{index:05d}.csv"
                parts.append(_csv_part(spec, path, relative, options, copy, con))
    extra: dict[str, str] = {}  # by lower-case name: DuckDB unites parts case-insensitively
    renamed: dict[tuple[str, str], None] = {}
    for part in parts:
        for name, column in part.columns:
            if column not in spec.columns:
                extra.setdefault(column.lower(), column)
            elif name != column:
                renamed[(name, column)] = None
    return CheckedTable(table_input, tuple(parts), options, tuple(extra.values()), tuple(renamed))
