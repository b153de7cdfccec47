"""Command line of the generator (scripts/generate_data.py)."""

from __future__ import annotations

import argparse
import sys
import time

from chs.errors import UserError
from chs.generator.output import TRUTH_TABLES
from chs.generator.run import DEFAULT_END, DEFAULT_START, GeneratorError, generate
from chs.landed import vendors_of


class _Parser(argparse.ArgumentParser):
    """Argument parser that reports usage errors on a single line."""

    def error(self, message: str) -> None:  # type: ignore[override]
        print(f"error: {message}", file=sys.stderr)
        raise SystemExit(2)


def parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="generate_data.py",
        description="Generate synthetic raw data (Parquet) for the customer_health dbt project.",
    )
    p.add_argument("--customers", type=int, default=1000, help="number of customers (default 1000)")
    p.add_argument(
        "--start", default=DEFAULT_START, help=f"first day, YYYY-MM-DD ({DEFAULT_START})"
    )
    p.add_argument("--end", default=DEFAULT_END, help=f"last day, YYYY-MM-DD ({DEFAULT_END})")
    p.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    p.add_argument(
        "--dirt-rate", type=float, default=0.02, help="rate of each dirt kind, 0-0.5 (0.02)"
    )
    p.add_argument("--out", default="data/raw", help="raw output directory (data/raw)")
    p.add_argument("--truth-out", default="data/truth", help="truth directory (data/truth)")
    p.add_argument(
        "--chunk-customers", type=int, default=2000, help="customers per chunk (default 2000)"
    )
    p.add_argument(
        "--layout",
        default="native",
        help="native (the raw contract), fivetran (Salesforce, Stripe, Zendesk, Segment as"
        " Fivetran lands them) or a comma-separated list of vendors",
    )
    p.add_argument(
        "--signals",
        metavar="FILE",
        help="signal configuration (JSON): how strongly and how late each behaviour family"
        " follows latent health, per segment; default: all fully and at once"
        " (profiles in scripts/chs/generator/signal_profiles/)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress output")
    return p


def main(argv: list[str] | None = None) -> int:
    """Generate from command-line arguments; invalid arguments exit with status 2."""
    args = parser().parse_args(argv)
    t0 = time.monotonic()
    try:
        counts = generate(
            customers=args.customers,
            start=args.start,
            end=args.end,
            seed=args.seed,
            dirt_rate=args.dirt_rate,
            out=args.out,
            truth_out=args.truth_out,
            chunk_customers=args.chunk_customers,
            quiet=args.quiet,
            layout=vendors_of(args.layout),
            signals=args.signals,
        )
    except GeneratorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        raise UserError(f"cannot write output: {exc}") from None
    if not args.quiet:
        raw = {name: rows for name, rows in counts.items() if name not in TRUTH_TABLES}
        total = sum(raw.values())
        print(
            f"wrote {total:,} raw rows in {len(raw)} tables to {args.out} "
            f"in {time.monotonic() - t0:.0f}s",
            file=sys.stderr,
        )
    return 0
