"""Load a company's raw files (Parquet, CSV or folders of parts) into the raw schema of DuckDB.

python scripts/load_raw.py --raw-dir data/raw --database build/customer_health.duckdb
python scripts/load_raw.py --raw-dir exports/ --csv-delimiter ';' --csv-encoding cp1252 \
    --disable-source shop_orders
"""

from __future__ import annotations

import argparse
from pathlib import Path

from chs.errors import run_cli
from chs.loading import load_raw
from chs.loading.cli import absent_line, add_load_arguments, csv_options, result_lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw-dir", type=Path, default=Path("data/raw"))
    parser.add_argument("--database", type=Path, default=Path("build/customer_health.duckdb"))
    parser.add_argument("--schema", default="raw")
    add_load_arguments(parser)
    args = parser.parse_args()
    results = load_raw(
        args.raw_dir,
        args.database,
        args.schema,
        disabled=args.disable_source,
        csv=csv_options(args),
    )
    print("\n".join(result_lines(results)))
    absent = absent_line(results)
    if absent:
        print(absent)
    return 0


if __name__ == "__main__":
    run_cli(main)
