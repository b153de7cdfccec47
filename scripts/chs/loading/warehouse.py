"""Writing a load into DuckDB: every raw table, the load log and the presence table in one
transaction, so a load is all tables or none.

A table whose checksum equals the last one logged for it (and whose raw table exists) is left
as it is; so is an absent table that was already loaded absent. Every other table is replaced.
Any error rolls the whole transaction back: the warehouse stays exactly as the previous load
left it (a warehouse file this load created is removed again).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from chs.errors import UserError
from chs.loading.csv_files import read_csv_sql
from chs.loading.inputs import PARQUET
from chs.loading.sql import identifier, literal, one_line
from chs.loading.tables import CheckedTable, Part
from chs.raw_tables import (
    BOOL,
    DOUBLE,
    INT64,
    LOADER_COLUMNS,
    RAW_TABLES,
    STRING,
    TIMESTAMP,
    RawTable,
)

LOAD_LOG = "_load_log"
PRESENCE = "_source_presence"
DUCKDB_TYPES = {
    STRING: "varchar",
    INT64: "bigint",
    DOUBLE: "double",
    BOOL: "boolean",
    TIMESTAMP: "timestamp",
}
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
    ("provided_by", "varchar"),
    ("is_required", "boolean"),
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
    provided_by: str = "native"  # or the vendor whose adapter delivers the table

    @property
    def relation(self) -> str:
        return self.spec.relation

    @property
    def is_present(self) -> bool:
        return self.status in ("loaded", "unchanged")


def _part_select(table: CheckedTable, part: Part, offset: int, loader: str) -> str:
    """One part's rows with the raw table's column names and `_row_id` = offset + position;
    an optional contract column the part lacks is a typed null."""
    spec = table.spec
    present = {column for _, column in part.columns}
    fills = "".join(
        f"cast(null as {DUCKDB_TYPES[spec.kind(c)]}) as {identifier(c)}, "
        for c in spec.optional
        if c not in present
    )
    if table.file_format == PARQUET:
        columns = ", ".join(f"{identifier(n)} as {identifier(c)}" for n, c in part.columns)
        return (
            f"select {columns}, {fills}file_row_number + {offset + 1} as _row_id, {loader}"
            f" from read_parquet({literal(str(part.read_path))}, file_row_number = true)"
        )
    names = [column for _, column in part.columns]
    return (
        f"select {', '.join(map(identifier, names))}, {fills}ordinality + {offset} as _row_id,"
        f" {loader}"
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
        """Replace `_source_presence`: one row per table of the raw contract, as this load
        left it (`results` holds one per raw-contract table, landed ones excluded)."""
        target = f"{identifier(self.schema)}.{PRESENCE}"
        columns = ", ".join(f"{name} {kind}" for name, kind in PRESENCE_COLUMNS)
        self.con.execute(f"create or replace table {target} ({columns})")
        self.con.executemany(
            f"insert into {target} values ({', '.join('?' for _ in PRESENCE_COLUMNS)})",
            [
                [r.relation, r.spec.source, r.spec.table, r.is_present, r.rows]
                + [r.source_files, r.file_format, self.loaded_at, r.provided_by, r.spec.required]
                for r in results
            ],
        )


def _remove(database: Path) -> None:
    for path in (database, database.with_name(database.name + ".wal")):
        path.unlink(missing_ok=True)


def provided_result(spec: RawTable, vendor: str, parts: list[LoadResult]) -> LoadResult:
    """A raw-contract table an adapter delivers, as the loads of its landed tables left it:
    present when all of them are, with their rows and files."""
    present = all(part.is_present for part in parts)
    status = "loaded" if present else next(p.status for p in parts if not p.is_present)
    files = ",".join(part.source_files for part in parts if part.source_files)
    formats = sorted({part.file_format for part in parts if part.file_format})
    return LoadResult(
        spec,
        sum(part.rows for part in parts) if present else 0,
        status,
        source_files=files or None,
        file_format=",".join(formats) or None,
        provided_by=vendor,
    )


def write_load(
    database: Path,
    schema: str,
    loaded_at: datetime,
    checked: dict[str, CheckedTable],
    disabled: Collection[str],
    specs: Sequence[RawTable],
    provided: dict[str, tuple[str, tuple[str, ...]]],
) -> list[LoadResult]:
    """Load every table of `specs` (`checked` by relation; the others are absent) in one
    transaction. `provided` maps each raw-contract table an adapter delivers (by name) to the
    vendor and the landed tables it is made of. Returns one result per table of `specs` and
    per provided table."""
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
                for spec in specs:
                    current = checked.get(spec.relation)
                    if current is None:
                        status = "disabled" if spec.relation in disabled else "absent"
                        results.append(load.absent(spec, status))
                    else:
                        results.append(load.present(current))
                current = None
                by_name = {result.spec.name: result for result in results}
                for spec in RAW_TABLES:
                    if spec.name in provided:
                        vendor, parts = provided[spec.name]
                        results.append(
                            provided_result(spec, vendor, [by_name[part] for part in parts])
                        )
                load.presence([r for r in results if r.spec in RAW_TABLES])
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
