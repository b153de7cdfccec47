"""Propose indicator weights, score bands and alert thresholds from observed churn.

    python scripts/calibrate.py [--database build/customer_health.duckdb] [--out build/calibration]

The calibration is chs.calibration: it never overwrites seeds/; accepting a proposal is
copying build/calibration/indicator_weights.csv and score_bands.csv into seeds/ and rebuilding.
"""

from __future__ import annotations

from chs.calibration.cli import main
from chs.errors import run_cli

if __name__ == "__main__":
    run_cli(main)
