"""Benchmark the raw-data generator: rows per table, wall time, peak memory, rows per second.

    python scripts/benchmark_generator.py --customers 100000 --start 2024-11-18 --end 2026-11-15

Output goes to a temporary folder that is removed afterwards unless --out is given.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

from chs.generator import DEFAULT_END, DEFAULT_START, GeneratorError, generate
from chs.raw_tables import RAW_TABLES

RAW_NAMES = {spec.table for spec in RAW_TABLES}


def _peak_rss_mib() -> float:
    """Peak resident set size of this process in MiB (ru_maxrss is KiB on Linux)."""
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kib / (1024 * 1024) if sys.platform == "darwin" else kib / 1024


def run(args: argparse.Namespace, out: Path) -> dict[str, int]:
    return generate(
        customers=args.customers,
        start=args.start,
        end=args.end,
        seed=args.seed,
        dirt_rate=args.dirt_rate,
        out=out / "raw",
        truth_out=out / "truth",
        chunk_customers=args.chunk_customers,
        quiet=args.quiet,
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Benchmark the raw-data generator (chs.generator).")
    p.add_argument("--customers", type=int, default=100_000, help="customers (default 100000)")
    p.add_argument("--start", default=DEFAULT_START, help=f"first day ({DEFAULT_START})")
    p.add_argument("--end", default=DEFAULT_END, help=f"last day ({DEFAULT_END})")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--dirt-rate", type=float, default=0.02)
    p.add_argument("--chunk-customers", type=int, default=2000)
    p.add_argument("--out", type=Path, help="keep the output in this folder")
    p.add_argument("--quiet", action="store_true", help="no per-chunk progress")
    args = p.parse_args(argv)

    t0 = time.perf_counter()
    try:
        if args.out is not None:
            counts = run(args, args.out)
            size = sum(f.stat().st_size for f in args.out.rglob("*.parquet"))
        else:
            with tempfile.TemporaryDirectory(prefix="chs-bench-") as tmp:
                counts = run(args, Path(tmp))
                size = sum(f.stat().st_size for f in Path(tmp).rglob("*.parquet"))
    except GeneratorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    seconds = time.perf_counter() - t0

    raw_total = sum(v for k, v in counts.items() if k in RAW_NAMES)
    print(f"customers          {args.customers:>14,}")
    print(f"period             {args.start} .. {args.end}")
    for name, rows in counts.items():
        kind = "raw" if name in RAW_NAMES else "truth"
        print(f"{name:<18} {rows:>14,}  ({kind})")
    print(f"raw rows total     {raw_total:>14,}")
    print(f"parquet size       {size / 2**20:>14,.1f} MiB")
    print(f"seconds            {seconds:>14,.1f}")
    print(f"peak RSS           {_peak_rss_mib():>14,.0f} MiB")
    print(f"raw rows/second    {raw_total / seconds:>14,.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
