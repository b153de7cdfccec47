"""Load the Parquet files of the source systems into the raw schema of the DuckDB warehouse.

python scripts/load_raw.py --raw-dir data/raw --database build/customer_health.duckdb
"""

from __future__ import annotations

import argparse
from pathlib import Path

from chs.errors import run_cli
from chs.load import load_raw


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw-dir", type=Path, default=Path("data/raw"))
    parser.add_argument("--database", type=Path, default=Path("build/customer_health.duckdb"))
    parser.add_argument("--schema", default="raw")
    args = parser.parse_args()
    for result in load_raw(args.raw_dir, args.database, args.schema):
        note = f"  (extra columns kept in raw, unused: {', '.join(result.extra_columns)})"
        print(
            f"{result.relation:<28} {result.rows:>12,} rows  {result.status}"
            + (note if result.extra_columns else "")
        )
    return 0


if __name__ == "__main__":
    run_cli(main)
