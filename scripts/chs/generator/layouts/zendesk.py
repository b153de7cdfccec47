"""The simulated company's Zendesk data as a connector lands it (placeholder)."""

from __future__ import annotations

from pathlib import Path

import duckdb


def convert(
    con: duckdb.DuckDBPyConnection, out: Path, seed: int, counts: dict[str, int]
) -> list[tuple[str, str, str]]:
    """Write the landed zendesk tables under `out` (rows into `counts` by relation); return
    the identity map rows (source_system, external_id, customer_id)."""
    raise NotImplementedError("the zendesk layout is not written yet")
