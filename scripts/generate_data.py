"""Generate synthetic raw data (Parquet) for the customer_health dbt project.

    python scripts/generate_data.py --customers 1000 --seed 42 --dirt-rate 0.02

The generator is the package chs.generator; see docs/raw_data.md for the options and the data.
"""

from __future__ import annotations

from chs.errors import run_cli
from chs.generator import main

if __name__ == "__main__":
    run_cli(main)
