"""Command line of the calibration (scripts/calibrate.py, make calibrate)."""

from __future__ import annotations

import argparse
from pathlib import Path

from chs.calibration import Settings, calibrate
from chs.calibration.output import summary


def main(argv: list[str] | None = None) -> int:
    defaults = Settings()
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--database", type=Path, default=Path("build/customer_health.duckdb"))
    p.add_argument("--out", type=Path, default=Path("build/calibration"))
    p.add_argument("--horizon-weeks", type=int, default=defaults.horizon_weeks)
    p.add_argument("--grace-days", type=int, default=defaults.grace_days)
    p.add_argument("--holdout-weeks", type=int, default=defaults.holdout_weeks)
    p.add_argument(
        "--red-risk-ratio",
        type=float,
        default=defaults.red_ratio,
        help="red where the churn risk is at least this multiple of the base rate",
    )
    p.add_argument("--yellow-risk-ratio", type=float, default=defaults.yellow_ratio)
    p.add_argument("--bootstrap", type=int, default=defaults.replicates)
    p.add_argument("--seed", type=int, default=defaults.seed)
    p.add_argument(
        "--keep-weights",
        action="store_true",
        help="keep the current weights; propose only bands and alert thresholds for them",
    )
    args = p.parse_args(argv)
    settings = Settings(
        horizon_weeks=args.horizon_weeks,
        grace_days=args.grace_days,
        holdout_weeks=args.holdout_weeks,
        red_ratio=args.red_risk_ratio,
        yellow_ratio=args.yellow_risk_ratio,
        replicates=args.bootstrap,
        seed=args.seed,
        keep_weights=args.keep_weights,
    )
    result = calibrate(args.database, args.out, settings)
    print(summary(result))
    print(
        f"wrote {args.out}: indicator_weights.csv, score_bands.csv (proposed seeds),"
        " weights_diff.csv, calibration.json, SUMMARY.txt"
    )
    return 0
