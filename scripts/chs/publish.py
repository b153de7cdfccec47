"""Write-audit-publish: copy audited marts from the build warehouse to the serving location.

The serving location holds only what BI tools and exports need: the tables of the `marts`
schema, and the data-quality marts of the `data_quality` schema (ids, reason codes and row
counts, no PII), each in a schema of the same name in the served file:
    <serving>/customer_health.duckdb  -> releases/<id>/customer_health.duckdb
    <serving>/parquet                 -> releases/<id>/parquet/<mart>.parquet
                                         and releases/<id>/parquet/data_quality/<table>.parquet
    <serving>/release.json            what is published (id, tables, rows, checksums)
A release is written completely into its own folder first; publishing then swaps the
symbolic links with atomic renames. A BI reader that holds the previous file open keeps
reading it (its file is never written again) and never blocks the build, which writes only
new files. A build or validation that fails never reaches this step, so the last good
publication stays as it was. Releases other than the current and the previous one, and
folders of releases interrupted before their swap, are removed at the next publish.

release.json: `tables` and `sha256` keep their first meaning (mart name -> rows, path under
<serving> -> SHA-256); `data_quality` maps each data-quality table to its rows, and its
Parquet files are listed in `sha256` under `parquet/data_quality/`.

The DuckDB file is written in storage format v1.0.0, so DuckDB 1.x readers (bundled by many
BI tools) can open it. Tables are written sorted on all their columns, so the same marts give
byte-identical Parquet files.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from chs.connect import attach_read_only
from chs.errors import UserError

SCHEMA = "marts"
# Published beside the marts, whatever tables it holds; may be empty in a hand-made warehouse.
DATA_QUALITY_SCHEMA = "data_quality"
STORAGE_VERSION = "v1.0.0"
KEEP_RELEASES = 2


@dataclass(frozen=True)
class Release:
    release_id: str
    folder: Path
    tables: dict[str, int]
    data_quality: dict[str, int] = field(default_factory=dict)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _swap_link(link: Path, target: Path) -> None:
    """Point `link` at `target` atomically (a new link renamed over the old one)."""
    fresh = link.with_name(f".{link.name}.new")
    if fresh.is_symlink() or fresh.exists():
        fresh.unlink()
    fresh.symlink_to(os.path.relpath(target, link.parent))
    os.replace(fresh, link)


def _write_json(path: Path, payload: dict) -> None:
    partial = path.with_name(f".{path.name}.new")
    partial.write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n")
    os.replace(partial, path)


def current_release(serving: Path) -> Path | None:
    """The DuckDB file currently published, or None before the first publication."""
    link = serving / "customer_health.duckdb"
    return link.resolve() if link.exists() else None


def release_id_of(database: Path) -> str | None:
    """The id of the release whose DuckDB file `database` is, or None for any other file."""
    database = database.resolve()
    manifest = database.parent / "release.json"
    if database.name != "customer_health.duckdb" or not manifest.is_file():
        return None
    try:
        release_id = json.loads(manifest.read_text()).get("release_id")
    except (OSError, ValueError):
        return None
    return release_id if release_id == database.parent.name else None


def _tables(con: duckdb.DuckDBPyConnection, schema: str) -> list[str]:
    return [
        row[0]
        for row in con.execute(
            "select table_name from information_schema.tables"
            " where table_catalog = 'build' and table_schema = ? and table_type = 'BASE TABLE'"
            " order by 1",
            [schema],
        ).fetchall()
    ]


def _copy_schema(
    con: duckdb.DuckDBPyConnection, schema: str, names: list[str], parquet: Path
) -> dict[str, int]:
    """Copy `names` of build.<schema> to serving.<schema> and to <parquet>/<name>.parquet,
    sorted on all columns; return their row counts."""
    parquet.mkdir(parents=True, exist_ok=True)
    con.execute(f"create schema serving.{schema}")
    rows: dict[str, int] = {}
    for name in names:
        con.execute(
            f"create table serving.{schema}.{name} as"
            f" select * from build.{schema}.{name} order by all"
        )
        con.execute(
            f"copy (select * from serving.{schema}.{name} order by all)"
            f" to '{parquet / name}.parquet' (format parquet, compression zstd)"
        )
        rows[name] = con.execute(f"select count(*) from serving.{schema}.{name}").fetchone()[0]
    return rows


def publish(build_database: Path, serving: Path, now: datetime | None = None) -> Release:
    """Copy the marts and data-quality marts of `build_database` into a new release under
    `serving` and publish it."""
    if not build_database.is_file():
        raise UserError(f"{build_database}: build warehouse not found")
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    releases = serving / "releases"
    release_id = now.strftime("%Y%m%dT%H%M%SZ")
    folder = releases / release_id
    suffix = 1
    while folder.exists():
        suffix += 1
        folder = releases / f"{release_id}-{suffix}"
    staging = releases / f".partial-{folder.name}"

    database = staging / "customer_health.duckdb"
    with duckdb.connect() as con:
        con.execute("set preserve_insertion_order = true")
        # Checked before anything is written: a held or empty build leaves `serving` as it was.
        attach_read_only(con, build_database, "build")
        names = _tables(con, SCHEMA)
        if not names:
            raise UserError(f"{build_database}: no tables in schema {SCHEMA} (run dbt build)")
        quality_names = _tables(con, DATA_QUALITY_SCHEMA)
        if staging.exists():
            shutil.rmtree(staging)
        staging.mkdir(parents=True)
        con.execute(f"attach '{database}' as serving (storage_version '{STORAGE_VERSION}')")
        tables = _copy_schema(con, SCHEMA, names, staging / "parquet")
        quality = _copy_schema(
            con, DATA_QUALITY_SCHEMA, quality_names, staging / "parquet" / DATA_QUALITY_SCHEMA
        )
        con.execute("detach serving")
    files = [f"parquet/{name}.parquet" for name in names] + [
        f"parquet/{DATA_QUALITY_SCHEMA}/{name}.parquet" for name in quality_names
    ]
    _write_json(
        staging / "release.json",
        {
            "release_id": folder.name,
            "published_at": now.isoformat(),
            "source": str(build_database),
            "storage_version": STORAGE_VERSION,
            "tables": tables,
            DATA_QUALITY_SCHEMA: quality,
            "sha256": {file: _sha256(staging / file) for file in files},
        },
    )
    os.replace(staging, folder)

    # The swap: atomic renames, then the description of what is now served.
    _swap_link(serving / "customer_health.duckdb", folder / "customer_health.duckdb")
    _swap_link(serving / "parquet", folder / "parquet")
    _swap_link(serving / "release.json", folder / "release.json")
    _prune(releases, keep={folder.name})
    return Release(folder.name, folder, tables, quality)


def _prune(releases: Path, keep: set[str]) -> None:
    """Remove interrupted releases and all complete ones but the newest KEEP_RELEASES."""
    complete = sorted(p for p in releases.iterdir() if p.is_dir() and not p.name.startswith("."))
    for old in complete[:-KEEP_RELEASES]:
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)
    for partial in releases.glob(".partial-*"):
        if partial.name.removeprefix(".partial-") not in keep:
            shutil.rmtree(partial, ignore_errors=True)
