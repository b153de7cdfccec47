"""One small simulated company, built natively and in the layouts of source adapters.

The adapter tests (test_adapter_*.py) compare a vendor layout's build with the native build of
the same company: same generator arguments, so the same customers and activity, only delivered
as the vendor's landed tables. A build generates the layout, lets the test edit the landed
files and the loaded raw tables (to add an unmapped id or drop an optional column), loads it
and runs dbt, all in a temporary folder. The native build is made once per test session.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import duckdb
import jinja2
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from chs.dbt import PROJECT_DIR, DbtTarget, run_dbt
from chs.generator import generate
from chs.landed import ADAPTERS, dbt_vars
from chs.loading import load_raw

COMPANY = {"customers": 80, "start": "2025-11-17", "end": "2026-11-15", "seed": 7}
LOADED_AT = datetime(2026, 11, 17, 12)
# stg_crm__customers but for csm_owner, which a CRM may name differently (Salesforce: the
# owner's name)
CUSTOMERS = (
    "select customer_id, customer_name, contact_email, country_code, segment,"
    " business_type, signup_at_issue, signup_at, signup_date, updated_at"
    " from staging.stg_crm__customers"
)
SCORES = (
    "select customer_id, week_start, round(health_score, 9), health_band"
    " from marts.fct_customer_health_weekly"
)


@dataclass(frozen=True)
class Build:
    root: Path
    vendors: tuple[str, ...]

    @property
    def raw(self) -> Path:
        return self.root / "raw"

    @property
    def database(self) -> Path:
        return self.root / "warehouse.duckdb"

    def query(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        with duckdb.connect(str(self.database), read_only=True) as con:
            return con.execute(sql, list(params)).fetchall()

    def manifest(self) -> dict:
        return json.loads((self.root / "target" / "manifest.json").read_text())


def build(
    root: Path,
    vendors: Sequence[str] = (),
    edit_files: Callable[[Path], None] | None = None,
    edit_raw: Sequence[str] = (),
    dbt_args: Sequence[str] = ("build",),
) -> Build:
    """Generate the company in the layout of `vendors` under `root`, let `edit_files` change
    the files, load them, run `edit_raw` (SQL) on the warehouse, then run dbt."""
    made = Build(root, tuple(vendors))
    generate(**COMPANY, dirt_rate=0.0, out=made.raw, truth_out=root / "truth", quiet=True,
             layout=made.vendors)  # fmt: skip
    if edit_files:
        edit_files(made.raw)
    load_raw(made.raw, made.database, loaded_at=LOADED_AT, vendors=made.vendors)
    if edit_raw:
        with duckdb.connect(str(made.database)) as con:
            for sql in edit_raw:
                con.execute(sql)
    target = DbtTarget(
        database=made.database,
        work_dir=root,
        profiles_dir=root / "profiles",
        vars=tuple(dbt_vars(made.vendors).items()),
    )
    run_dbt(list(dbt_args), target, quiet=True)
    return made


MODELS_ONLY = ("build", "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test")
_NATIVE: dict[str, Build] = {}


def native_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The company as the raw contract delivers it, built once per session (models and seeds
    only: the native tests are test_pipeline's)."""
    if "native" not in _NATIVE:
        root = tmp_path_factory.mktemp("adapters_native")
        _NATIVE["native"] = build(root, dbt_args=MODELS_ONLY)
    return _NATIVE["native"]


def landed_table(raw: Path, relation: str) -> Path:
    """The file of a landed table (`salesforce_account`) in a raw folder."""
    spec = next(s for a in ADAPTERS.values() for s in a.tables if s.relation == relation)
    return raw / spec.file


def rewrite(path: Path, change: Callable[[pa.Table], pa.Table]) -> None:
    """Replace a Parquet file by `change` of its table."""
    pq.write_table(change(pq.read_table(path)), path)


def rewrite_sql(path: Path, select: str) -> None:
    """Replace a Parquet file by a DuckDB `select` from it (named `landed`)."""
    with duckdb.connect() as con:
        con.execute(f"create view landed as select * from read_parquet('{path}')")
        table = con.execute(select).to_arrow_table()
    pq.write_table(table, path)


def append_rows(path: Path, rows: list[dict]) -> None:
    """Add rows (missing columns null) to a Parquet file, keeping its schema."""

    def change(table: pa.Table) -> pa.Table:
        added = pa.Table.from_pylist(rows, schema=table.schema)
        return pa.concat_tables([table, added])

    rewrite(path, change)


def differences(native: Build, other: Build, sql: str) -> tuple[Counter, Counter]:
    """Rows of `sql` only in the native build, and only in the other (as multisets)."""
    left, right = Counter(native.query(sql)), Counter(other.query(sql))
    return left - right, right - left


def reconciliation(made: Build, source_table: str) -> tuple[int, int, int, int]:
    """raw, staged, quarantined and duplicate rows of one raw-contract table."""
    return made.query(
        "select raw_rows, staged_rows, quarantined_rows, duplicate_rows"
        " from data_quality.fct_staging_reconciliation where source_table = ?",
        [source_table],
    )[0]


def adapter_columns(made: Build, model: str) -> list[tuple[str, str]]:
    """(column, DuckDB type) of an adapter model, in order."""
    return made.query(
        "select column_name, data_type from information_schema.columns"
        " where table_schema = 'staging' and table_name = ? order by ordinal_position",
        [model],
    )


# dbt's type macros as dbt-duckdb renders them, for adapter macros that name column types
DBT_TYPES = {
    "boolean": "boolean",
    "timestamp": "timestamp",
    "bigint": "bigint",
    "string": "varchar",
}


def dbt_adapter(vendor: str) -> dict:
    """What macros/adapters/<vendor>_adapter.sql returns to dbt: its var and provides (and
    whatever else the vendor's entry holds), rendered with dbt's type macros."""
    text = (PROJECT_DIR / "macros" / "adapters" / f"{vendor}_adapter.sql").read_text()
    returned: list[dict] = []

    def _return(value: dict) -> str:
        returned.append(value)
        return ""

    dbt = SimpleNamespace(
        **{f"type_{name}": (lambda k=kind: k) for name, kind in DBT_TYPES.items()}
    )
    environment = jinja2.Environment(extensions=["jinja2.ext.do"])
    template = environment.from_string(text + f"{{{{ {vendor}_adapter() }}}}")
    template.render({"return": _return, "dbt": dbt})
    return returned[0]
