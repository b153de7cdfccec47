"""Where the generated tables go: their schemas and an incremental Parquet writer per table.

Raw tables take their schemas from the raw contract (chs.raw_tables); the hidden truth tables
are the generator's own and are defined here.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from chs.raw_tables import RAW_TABLES

S, F64, B = pa.string(), pa.float64(), pa.bool_()

# The raw contract as the generator writes it: every table but the identity map, since the
# simulated systems all use the CRM's customer ids (landed layouts write their own map).
GENERATED_TABLES = tuple(spec for spec in RAW_TABLES if spec.source != "identity")

TRUTH_TABLES: dict[str, pa.Schema] = {
    "customer_truth": pa.schema(
        [
            ("customer_id", S),
            ("archetype", S),
            ("segment", S),
            ("business_type", S),
            ("country_code", S),
            ("signup_date", S),
            ("initial_health", F64),
            ("final_health", F64),
            ("min_health", F64),
            ("churned", B),
            ("churn_date", S),
            ("churn_reason", S),
            ("recovered_from_risk", B),
        ]
    ),
    "weekly_health": pa.schema(
        [
            ("customer_id", S),
            ("week_start", S),
            ("latent_health", F64),
            ("is_active", B),
        ]
    ),
    "dirt_manifest": pa.schema(
        [
            ("table", S),
            ("row_key", S),
            ("column", S),
            ("dirt_kind", S),
        ]
    ),
}
# columns that hold unique-ish values; every other string column except *_at is dictionary encoded
_NO_DICTIONARY = {
    "customer_name",
    "contact_email",
    "subscription_id",
    "invoice_id",
    "payment_id",
    "event_id",
    "ticket_id",
    "order_id",
    "response_id",
    "row_key",
    "latent_health",
    "amount",
    "mrr_amount",
}


class Sink:
    """Incremental Parquet writer for one table."""

    def __init__(self, path: Path, schema: pa.Schema) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.schema = schema
        dict_cols = [f.name for f in schema if f.type == pa.string() and not f.name.endswith("_at")]
        dict_cols = [n for n in dict_cols if n not in _NO_DICTIONARY]
        self.writer = pq.ParquetWriter(
            str(path),
            self.schema,
            compression="zstd",
            use_dictionary=dict_cols,
            write_statistics=True,
        )
        self.rows = 0

    def write(self, table: pa.Table) -> None:
        if table.num_rows:
            self.writer.write_table(table.select(self.schema.names).cast(self.schema))
            self.rows += table.num_rows

    def close(self) -> None:
        self.writer.close()


def open_sinks(out: Path, truth_out: Path) -> dict[str, Sink]:
    """One open sink per raw table (under ``out``) and per truth table, by table name."""
    sinks: dict[str, Sink] = {}
    try:
        for spec in GENERATED_TABLES:
            sinks[spec.table] = Sink(out / spec.file, spec.arrow_schema())
        for name, schema in TRUTH_TABLES.items():
            sinks[name] = Sink(truth_out / f"{name}.parquet", schema)
    except BaseException:
        close_sinks(sinks)
        raise
    return sinks


def close_sinks(sinks: dict[str, Sink]) -> None:
    for sink in sinks.values():
        sink.close()
