"""Idempotent loader: Parquet files of the source systems -> the raw schema of a DuckDB file.

Every raw row gets `_row_id` (its 1-based position in the file), `_batch_id` (the file's
SHA-256, shortened), `_source_file` and `_loaded_at` (UTC time of the load run). A file whose
checksum equals the last one loaded for its table is skipped, so rerunning a load on the same
files changes nothing; a changed file replaces its table in one transaction.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from chs.errors import UserError
from chs.raw_tables import RAW_TABLES, RawTable

LOAD_LOG = "_load_log"


# Tables without which nothing can be scored: an empty file is refused, not loaded.
REQUIRED_NON_EMPTY = {"crm_customers", "billing_subscriptions", "product_features"}


@dataclass(frozen=True)
class LoadResult:
    relation: str
    rows: int
    status: str  # 'loaded' or 'unchanged'
    extra_columns: tuple[str, ...] = ()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _quote_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def check_file(raw_dir: Path, spec: RawTable) -> Path:
    """Return the table's Parquet file, or raise a UserError naming the file and the problem."""
    path = raw_dir / spec.file
    if not path.is_file():
        raise UserError(f"{path}: missing raw file for table {spec.source}.{spec.table}")
    try:
        schema = pq.read_schema(path)
    except Exception as exc:  # pyarrow raises several types for unreadable files
        raise UserError(f"{path}: not a readable Parquet file ({exc})") from None
    missing = [column for column in spec.columns if column not in schema.names]
    if missing:
        raise UserError(f"{path}: missing column(s) {', '.join(missing)}")
    if spec.relation in REQUIRED_NON_EMPTY and pq.ParquetFile(path).metadata.num_rows == 0:
        raise UserError(f"{path}: the file has no rows; {spec.source}.{spec.table} cannot be empty")
    return path


def load_raw(
    raw_dir: Path, database: Path, schema: str = "raw", loaded_at: datetime | None = None
) -> list[LoadResult]:
    """Load every raw table's file into `schema` of the DuckDB file `database`."""
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise UserError(f"{raw_dir}: raw data folder does not exist")
    files = {spec.relation: check_file(raw_dir, spec) for spec in RAW_TABLES}
    loaded_at = (loaded_at or datetime.now(UTC)).replace(tzinfo=None, microsecond=0)
    database.parent.mkdir(parents=True, exist_ok=True)
    results = []
    with duckdb.connect(str(database)) as con:
        con.execute("set preserve_insertion_order = false")
        con.execute(f"create schema if not exists {schema}")
        con.execute(
            f"create table if not exists {schema}.{LOAD_LOG} ("
            "relation varchar, source_file varchar, sha256 varchar, row_count bigint,"
            " batch_id varchar, loaded_at timestamp)"
        )
        for spec in RAW_TABLES:
            path = files[spec.relation]
            checksum = _sha256(path)
            last = con.execute(
                f"select sha256, row_count from {schema}.{LOAD_LOG} where relation = ?"
                " order by loaded_at desc limit 1",
                [spec.relation],
            ).fetchone()
            exists = con.execute(
                "select count(*) from information_schema.tables"
                " where table_schema = ? and table_name = ?",
                [schema, spec.relation],
            ).fetchone()[0]
            extra = tuple(name for name in pq.read_schema(path).names if name not in spec.columns)
            if last and last[0] == checksum and exists:
                results.append(LoadResult(spec.relation, last[1], "unchanged", extra))
                continue
            batch_id = checksum[:16]
            con.execute("begin transaction")
            con.execute(
                f"create or replace table {schema}.{spec.relation} as"
                " select * exclude (file_row_number),"
                " file_row_number + 1 as _row_id,"
                f" {_quote_literal(batch_id)} as _batch_id,"
                f" {_quote_literal(spec.file)} as _source_file,"
                f" timestamp {_quote_literal(loaded_at.isoformat(sep=' '))} as _loaded_at"
                f" from read_parquet({_quote_literal(str(path))}, file_row_number = true)"
            )
            rows = con.execute(f"select count(*) from {schema}.{spec.relation}").fetchone()[0]
            con.execute(
                f"insert into {schema}.{LOAD_LOG} values (?, ?, ?, ?, ?, ?)",
                [spec.relation, spec.file, checksum, rows, batch_id, loaded_at],
            )
            con.execute("commit")
            results.append(LoadResult(spec.relation, rows, "loaded", extra))
    return results
