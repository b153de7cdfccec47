"""Dirt: deliberate data-quality problems injected into the clean rows, and their manifest.

Dirt is drawn from its own random stream after the clean rows of a chunk are simulated, so the
dirt rate never changes the clean simulation. Every injection is one row of the manifest
(truth/dirt_manifest.parquet). docs/raw_data.md, "Dirt catalogue", describes each kind.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from chs.generator.catalogue import PLANS
from chs.generator.formatting import fmt_ids, take
from chs.generator.window import YEAR

INVALID_TIMESTAMPS = [
    "31/02/2025 25:61",
    "not a date",
    "",
    "2025-13-45T10:00:00Z",
    "0000-00-00 00:00:00",
    "N/A",
    "2025-02-30",
    "1700000000",
]
SEGMENT_VARIANTS = {
    "SMB": ["smb", "Smb ", " SMB"],
    "Mid-Market": [" mid market", "midmarket", "Mid Market", "MID-MARKET"],
    "Enterprise": ["ENTERPRISE ", "enterprise", " Enterprise"],
}
BUSINESS_TYPE_VARIANTS = {"saas": ["SaaS", "SAAS", " saas"], "webshop": ["Webshop ", "WebShop"]}
PRIORITY_VARIANTS = {
    "low": ["LOW", " low"],
    "normal": ["Normal", "NORMAL "],
    "high": ["HIGH", "High "],
    "urgent": ["URGENT", "Urgent"],
}
CHANNEL_VARIANTS = {
    "email": ["E-mail", "EMAIL", "e-mail "],
    "chat": ["Chat", "CHAT "],
    "phone": ["Phone", " phone"],
    "portal": ["Portal", "PORTAL"],
}
PLAN_VARIANTS = {p: [p.capitalize(), p.upper() + " "] for p in PLANS}
ORDER_STATUS_VARIANTS = {
    "completed": ["Completed", "COMPLETED "],
    "cancelled": ["Canceled", "CANCELLED"],
    "returned": ["Returned", "returned "],
}


class Dirt:
    """Draws dirt decisions from a dedicated random stream and records a manifest."""

    def __init__(self, rng: np.random.Generator, rate: float) -> None:
        self.rng = rng
        self.rate = rate
        self.manifest: list[pa.Table] = []

    def mask(self, n: int, eligible: np.ndarray | None = None) -> np.ndarray:
        m = self.rng.random(n) < self.rate
        return m if eligible is None else m & eligible

    def mask2(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Two mutually exclusive masks of the same rate from one draw."""
        u = self.rng.random(n)
        return u < self.rate, (u >= self.rate) & (u < 2 * self.rate)

    def record(
        self, table: str, keys: pa.Array, mask: np.ndarray, column: str | None, kind: str
    ) -> None:
        k = int(np.count_nonzero(mask))
        if not k:
            return
        row_keys = keys.filter(pa.array(mask))
        if row_keys.type != pa.string():
            row_keys = pc.cast(row_keys, pa.string())
        self.manifest.append(
            pa.table(
                {
                    "table": pa.array([table] * k, type=pa.string()),
                    "row_key": row_keys,
                    "column": pa.array([column] * k, type=pa.string()),
                    "dirt_kind": pa.array([kind] * k, type=pa.string()),
                }
            )
        )

    def pick(self, options: list[str], k: int) -> pa.Array:
        return take(options, self.rng.integers(0, len(options), k))

    def unknown_ids(self, k: int) -> pa.Array:
        return fmt_ids("C9", self.rng.integers(0, 1_000_000, k), 6)

    def customer_ids(self, table: str, tbl: pa.Table, keys: pa.Array) -> pa.Table:
        """missing_customer_id (null or '') and unknown_customer_id on customer_id."""
        n = tbl.num_rows
        missing, unknown = self.mask2(n)
        col = tbl.column("customer_id").combine_chunks()
        k = int(missing.sum())
        if k:
            empty = self.rng.random(k) < 0.25
            vals = pa.array(np.where(empty, "", None).tolist(), type=pa.string())
            col = pc.replace_with_mask(col, pa.array(missing), vals)
            self.record(table, keys, missing, "customer_id", "missing_customer_id")
        k = int(unknown.sum())
        if k:
            col = pc.replace_with_mask(col, pa.array(unknown), self.unknown_ids(k))
            self.record(table, keys, unknown, "customer_id", "unknown_customer_id")
        return tbl.set_column(tbl.schema.get_field_index("customer_id"), "customer_id", col)

    def invalid_ts(
        self, table: str, tbl: pa.Table, keys: pa.Array, column: str, mask: np.ndarray
    ) -> pa.Table:
        k = int(mask.sum())
        if not k:
            return tbl
        col = pc.replace_with_mask(
            tbl.column(column).combine_chunks(), pa.array(mask), self.pick(INVALID_TIMESTAMPS, k)
        )
        self.record(table, keys, mask, column, "invalid_timestamp")
        return tbl.set_column(tbl.schema.get_field_index(column), column, col)

    def future(
        self, table: str, keys: pa.Array, column: str, sec: np.ndarray, mask: np.ndarray, end: int
    ) -> None:
        """Move the masked instants (in place) to 2-8 years after the window end."""
        sec[mask] = end + self.rng.integers(2 * YEAR, 8 * YEAR, int(mask.sum()))
        self.record(table, keys, mask, column, "future_timestamp")

    def category(
        self,
        table: str,
        tbl: pa.Table,
        keys: pa.Array,
        column: str,
        mask: np.ndarray,
        variants: dict[str, list[str]],
    ) -> pa.Table:
        k = int(mask.sum())
        if not k:
            return tbl
        col = tbl.column(column).combine_chunks()
        current = col.filter(pa.array(mask)).to_pylist()
        picks = self.rng.integers(0, 1_000, k)
        new = [variants[v][p % len(variants[v])] for v, p in zip(current, picks, strict=True)]
        col = pc.replace_with_mask(col, pa.array(mask), pa.array(new, type=pa.string()))
        self.record(table, keys, mask, column, "category_variant")
        return tbl.set_column(tbl.schema.get_field_index(column), column, col)

    def duplicates(self, table: str, tbl: pa.Table, keys: pa.Array) -> pa.Table:
        mask = self.mask(tbl.num_rows)
        if not mask.any():
            return tbl
        self.record(table, keys, mask, None, "duplicate_row")
        return pa.concat_tables([tbl, tbl.filter(pa.array(mask))])

    def manifest_table(self) -> pa.Table | None:
        return pa.concat_tables(self.manifest) if self.manifest else None
