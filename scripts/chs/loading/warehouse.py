"""Writing a load into DuckDB: every raw table, the load log and the presence table in one
transaction, so a load is all tables or none.

A table whose checksum equals the last one logged for it (and whose raw table exists) is left
as it is; so is an absent table that was already loaded absent. Every other table is replaced.
Any error rolls the whole transaction back: the warehouse stays exactly as the previous load
left it (a warehouse file this load created is removed again).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from chs.errors import UserError
from chs.loading.csv_files import read_csv_sql
from chs.loading.inputs import PARQUET
from chs.loading.sql import identifier, literal, one_line
from chs.loading.tables import CheckedTable, Part
from chs.raw_tables import BOOL, DOUBLE, INT64, LOADER_COLUMNS, RAW_TABLES, STRING, RawTable

LOAD_LOG = "_load_log"
PRESENCE = "_source_presence"
DUCKDB_TYPES = {STRING: "varchar", INT64: "bigint", DOUBLE: "double", BOOL: "boolean"}
LOADER_TYPES = ("bigint", "varchar", "varchar", "timestamp")  # of LOADER_COLUMNS
PRESENCE_COLUMNS = (
    ("relation", "varchar"),
    ("source", "varchar"),
    ("table_name", "varchar"),
    ("is_present", "boolean"),
    ("row_count", "bigint"),
    ("source_files", "varchar"),
    ("file_format", "varchar"),
    ("loaded_at", "timestamp"),
)


@dataclass(frozen=True)
class LoadResult:
    """What one load did with one raw table."""

    spec: RawTable
    rows: int
    status: str  # 'loaded', 'unchanged', 'absent' (not delivered) or 'disabled' (switched off)
    extra_columns: tuple[str, ...] = ()
    renamed_columns: tuple[tuple[str, str], ...] = ()  # (name in the file, contract name)
    source_files: str | None = None  # relative to the raw folder, comma-separated
    file_format: str | None = None  # 'parquet' or 'csv'

    @property
    def relation(self) -> str:
        return self.spec.relation

    @property
    def is_present(self) -> bool:
        return self.status in ("loaded", "unchanged")


def _part_select(table: CheckedTable, part: Part, offset: int, loader: str) -> str:
    """One part's rows with the raw table's column names and `_row_id` = offset + position."""
    if table.file_format == PARQUET:
        columns = ", ".join(f"{identifier(n)} as {identifier(c)}" for n, c in part.columns)
        return (
            f"select {columns}, file_row_number + {offset + 1} as _row_id, {loader}"
            f" from read_parquet({literal(str(part.read_path))}, file_row_number = true)"
        )
    names = [column for _, column in part.columns]
    return (
        f"select {', '.join(map(identifier, names))}, ordinality + {offset} as _row_id, {loader}"
        f" from {read_csv_sql(part.read_path, table.csv, names)} with ordinality"
    )


def table_sql(table: CheckedTable, batch_id: str, loaded_at: datetime) -> str:
    """The select that builds a raw table from its parts, in order: contract columns, extra
    columns, loader columns. `_row_id` counts on across the parts (CSV rows are numbered by
    `with ordinality`, which DuckDB computes in file order)."""
    selects, offset = [], 0
    for part in table.parts:
        loader = (
            f"{literal(batch_id)} as _batch_id, {literal(part.relative)} as _source_file,"
            f" timestamp {literal(loaded_at.isoformat(sep=' '))} as _loaded_at"
        )
        selects.append(_part_select(table, part, offset, loader))
        offset += part.rows
    columns = [*table.spec.columns, *table.extra_columns, *LOADER_COLUMNS]
    union = " union all by name ".join(selects)
    return f"select {', '.join(map(identifier, columns))} from ({union})"


def _empty_table_sql(spec: RawTable) -> str:
    columns = [f"{identifier(c)} {DUCKDB_TYPES[kind]}" for c, kind in spec.fields]
    columns += [f"{c} {kind}" for c, kind in zip(LOADER_COLUMNS, LOADER_TYPES, strict=True)]
    return f"({', '.join(columns)})"


class _Load:
    def __init__(self, con: duckdb.DuckDBPyConnection, schema: str, loaded_at: datetime):
        self.con, self.schema, self.loaded_at = con, schema, loaded_at
        self.log = f"{identifier(schema)}.{LOAD_LOG}"

    def prepare(self) -> None:
        self.con.execute(f"create schema if not exists {identifier(self.schema)}")
        self.con.execute(
            f"create table if not exists {self.log} ("
            "relation varchar, source_file varchar, sha256 varchar, row_count bigint,"
            " batch_id varchar, loaded_at timestamp)"
        )

    def _last(self, relation: str) -> tuple[str | None, int] | None:
        exists = self.con.execute(
            "select count(*) from information_schema.tables"
            " where table_schema = ? and table_name = ?",
            [self.schema, relation],
        ).fetchone()[0]
        if not exists:
            return None
        return self.con.execute(
            f"select sha256, row_count from {self.log} where relation = ?"
            " order by loaded_at desc, rowid desc limit 1",
            [relation],
        ).fetchone()

    def _log(self, spec: RawTable, files: str | None, checksum: str | None, rows: int) -> None:
        batch_id = checksum[:16] if checksum else None
        self.con.execute(
            f"insert into {self.log} values (?, ?, ?, ?, ?, ?)",
            [spec.relation, files, checksum, rows, batch_id, self.loaded_at],
        )

    def absent(self, spec: RawTable, status: str) -> LoadResult:
        """An empty raw table with the contract's columns, so that the models still run."""
        last = self._last(spec.relation)
        if last is None or last[0] is not None:
            target = f"{identifier(self.schema)}.{identifier(spec.relation)}"
            self.con.execute(f"create or replace table {target} {_empty_table_sql(spec)}")
            self._log(spec, None, None, 0)
        return LoadResult(spec, 0, status)

    def present(self, table: CheckedTable) -> LoadResult:
        spec, checksum = table.spec, table.checksum
        last = self._last(spec.relation)
        status = "unchanged" if last is not None and last[0] == checksum else "loaded"
        if status == "loaded":
            target = f"{identifier(self.schema)}.{identifier(spec.relation)}"
            sql = table_sql(table, checksum[:16], self.loaded_at)
            self.con.execute(f"create or replace table {target} as {sql}")
            rows = self.con.execute(f"select count(*) from {target}").fetchone()[0]
            self._log(spec, table.source_files, checksum, rows)
        else:
            rows = last[1]
        return LoadResult(
            spec,
            rows,
            status,
            table.extra_columns,
            table.renamed_columns,
            table.source_files,
            table.file_format,
        )

    def presence(self, results: list[LoadResult]) -> None:
        """Replace `_source_presence`: one row per raw table, as this load left it."""
        target = f"{identifier(self.schema)}.{PRESENCE}"
        columns = ", ".join(f"{name} {kind}" for name, kind in PRESENCE_COLUMNS)
        self.con.execute(f"create or replace table {target} ({columns})")
        self.con.executemany(
            f"insert into {target} values (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                [r.relation, r.spec.source, r.spec.table, r.is_present, r.rows]
                + [r.source_files, r.file_format, self.loaded_at]
                for r in results
            ],
        )


def _remove(database: Path) -> None:
    for path in (database, database.with_name(database.name + ".wal")):
        path.unlink(missing_ok=True)


def write_load(
    database: Path,
    schema: str,
    loaded_at: datetime,
    checked: dict[str, CheckedTable],
    disabled: Collection[str],
) -> list[LoadResult]:
    """Load every raw table (`checked` by relation; the others are absent) in one transaction."""
    created = not database.exists()
    database.parent.mkdir(parents=True, exist_ok=True)
    results: list[LoadResult] = []
    current: CheckedTable | None = None
    try:
        with duckdb.connect(str(database)) as con:
            con.execute("set preserve_insertion_order = false")
            con.execute("begin transaction")
            try:
                load = _Load(con, schema, loaded_at)
                load.prepare()
                for spec in RAW_TABLES:
                    current = checked.get(spec.relation)
                    if current is None:
                        status = "disabled" if spec.relation in disabled else "absent"
                        results.append(load.absent(spec, status))
                    else:
                        results.append(load.present(current))
                current = None
                load.presence(results)
                con.execute("commit")
            except BaseException:
                con.execute("rollback")
                raise
    except BaseException as exc:
        if created:
            _remove(database)
        if not isinstance(exc, duckdb.Error):
            raise
        if current is None:
            message = f"{database}: the load failed, nothing changed ({one_line(exc)})"
            raise UserError(message) from None
        what = "not a readable Parquet file" if current.file_format == PARQUET else "unreadable"
        raise UserError(
            f"{current.input.label}: {what} ({one_line(exc)}); the load was rolled back,"
            " nothing changed"
        ) from None
    return results
