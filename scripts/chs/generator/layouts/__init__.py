"""The simulated company in the layouts connectors land (chs.landed): the same customers and
activity, as Salesforce, Stripe, Zendesk or Segment tables instead of the raw contract.

The generator first writes the raw contract; `write_layout` then converts the tables each
vendor delivers into that vendor's landed tables and copies the others unchanged. Each vendor
module converts with DuckDB SQL over the native files (views `native_<relation>`, such as
`native_billing_invoices`) and returns its rows of the identity map: vendor ids are the
vendor's own (`cus_...`, organization numbers), so every landed row reaches its customer only
through `identity/customer_id_map`, as at a real company.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import duckdb
import pyarrow as pa

from chs.generator.output import Sink
from chs.landed import ADAPTERS, provided_by
from chs.raw_tables import RAW_TABLES, RawTable

IDENTITY = next(spec for spec in RAW_TABLES if spec.name == "identity.customer_id_map")


def _converters() -> dict:
    from chs.generator.layouts import salesforce, segment, stripe, zendesk

    return {
        "salesforce": salesforce.convert,
        "stripe": stripe.convert,
        "zendesk": zendesk.convert,
        "segment": segment.convert,
    }


def write_table(con: duckdb.DuckDBPyConnection, sql: str, spec: RawTable, out: Path) -> int:
    """Write the rows of `sql` as the landed table `spec` (its exact schema) under `out`."""
    table = con.execute(sql).to_arrow_table()
    sink = Sink(out / spec.file, spec.arrow_schema())
    try:
        sink.write(table)
    finally:
        sink.close()
    return table.num_rows


def write_layout(native_dir: Path, out: Path, vendors: Sequence[str], seed: int) -> dict[str, int]:
    """Write the layout of `vendors` into `out` from the raw contract in `native_dir`; rows
    written per table (landed ones by relation, `stripe_invoice`)."""
    provided = provided_by(vendors)
    counts: dict[str, int] = {}
    for spec in RAW_TABLES:
        source = native_dir / spec.file
        if spec.name not in provided and spec is not IDENTITY and source.exists():
            (out / spec.file).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, out / spec.file)
    identity: list[tuple[str, str, str]] = []
    converters = _converters()
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        for spec in RAW_TABLES:
            if (native_dir / spec.file).exists():
                path = str(native_dir / spec.file).replace("'", "''")
                con.execute(f"create view native_{spec.relation} as select * from '{path}'")
        for vendor in vendors:
            identity += converters[vendor](con, out, seed, counts)
            for spec in ADAPTERS[vendor].tables:
                counts.setdefault(spec.relation, 0)
    rows = sorted(set(identity))
    table = pa.table(
        {
            "source_system": [r[0] for r in rows],
            "external_id": [r[1] for r in rows],
            "customer_id": [r[2] for r in rows],
        }
    )
    sink = Sink(out / IDENTITY.file, IDENTITY.arrow_schema())
    try:
        sink.write(table)
    finally:
        sink.close()
    counts[IDENTITY.relation] = table.num_rows
    return counts
