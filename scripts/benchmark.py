"""Benchmark the whole job at scale: generate, load, dbt run (models only), dbt test.

Prints rows, seconds and peak memory per step and throughput ratios. Each step runs in its
own process so that its peak resident memory can be read separately.

    python scripts/benchmark.py --customers 20000
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

SCRIPTS = Path(__file__).resolve().parent
PROJECT = SCRIPTS.parent


def _step(name: str, command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Run one step in a child process; return (seconds, peak RSS of that child in MiB)."""
    started = time.monotonic()
    with tempfile.TemporaryFile("w+") as output:
        child = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - started
        if child.returncode != 0:
            output.seek(0)
            print(output.read()[-6000:], file=sys.stderr)
            raise SystemExit(f"error: benchmark step '{name}' failed")
    peak_mib = usage.ru_maxrss / 1024  # kilobytes on Linux
    print(f"{name:<12}{seconds:>10.1f} s{peak_mib:>12,.0f} MiB peak", flush=True)
    return seconds, peak_mib


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=20000)
    parser.add_argument("--start", default="2024-11-18")
    parser.add_argument("--end", default="2026-11-15")
    parser.add_argument("--work-dir", type=Path, default=None)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the raw data and warehouse already in --work-dir: measure the dbt steps only",
    )
    args = parser.parse_args()
    work = args.work_dir or Path(tempfile.mkdtemp(prefix="chs-benchmark-"))
    work.mkdir(parents=True, exist_ok=True)
    database = work / "warehouse.duckdb"
    env = {
        **os.environ,
        "CHS_DUCKDB_PATH": str(database),
        "CHS_THREADS": str(args.threads),
        "DBT_PROFILES_DIR": str(work / "profiles"),
        "DBT_LOG_PATH": str(work / "logs"),
    }
    (work / "profiles").mkdir(exist_ok=True)
    (work / "profiles" / "profiles.yml").write_text((PROJECT / "profiles.example.yml").read_text())
    dbt = [str(Path(sys.executable).parent / "dbt")]
    common = ["--project-dir", str(PROJECT), "--target-path", str(work / "target"), "--quiet"]
    print(f"benchmark: {args.customers:,} customers, {args.start} .. {args.end}, in {work}")
    timings = {}
    if not args.reuse:
        timings.update(_generate_and_load(args, work, database, env))
    timings["dbt seed"] = _step("dbt seed", [*dbt, "seed", "--full-refresh", *common], env)
    timings["dbt run"] = _step("dbt run", [*dbt, "run", "--full-refresh", *common], env)
    timings["dbt test"] = _step("dbt test", [*dbt, "test", *common], env)
    _report(args, database, timings)
    return 0


def _generate_and_load(
    args: argparse.Namespace, work: Path, database: Path, env: dict[str, str]
) -> dict[str, tuple[float, float]]:
    timings = {}
    timings["generate"] = _step(
        "generate",
        [sys.executable, str(SCRIPTS / "generate_data.py"), "--customers", str(args.customers),
         "--start", args.start, "--end", args.end, "--out", str(work / "raw"),
         "--truth-out", str(work / "truth"), "--quiet"],
        env,
    )  # fmt: skip
    timings["load"] = _step(
        "load",
        [sys.executable, str(SCRIPTS / "load_raw.py"), "--raw-dir", str(work / "raw"),
         "--database", str(database)],
        env,
    )  # fmt: skip
    return timings


def _report(args: argparse.Namespace, database: Path, timings: dict) -> None:
    with duckdb.connect(str(database), read_only=True) as con:
        counts = {
            "raw usage events": "select count(*) from raw.product_usage_events",
            "raw rows (all tables)": (
                "select sum(raw_rows) from data_quality.fct_staging_reconciliation"
            ),
            "customer-weeks scored": "select count(*) from marts.fct_customer_health_weekly",
            "component rows": "select count(*) from marts.fct_customer_health_components",
            "customers (current)": "select count(*) from marts.fct_customer_health_current",
        }
        figures = {name: con.execute(sql).fetchone()[0] for name, sql in counts.items()}
    size_mib = database.stat().st_size / 2**20
    print()
    for name, value in figures.items():
        print(f"{name:<26}{value:>16,}")
    print(f"{'warehouse file':<26}{size_mib:>13,.0f} MiB")
    run_seconds = timings["dbt run"][0]
    print(f"{'events per second (run)':<26}{figures['raw usage events'] / run_seconds:>16,.0f}")
    print(
        f"{'customer-weeks per second':<26}{figures['customer-weeks scored'] / run_seconds:>16,.0f}"
    )
    steps = {
        name: {"seconds": round(t[0], 1), "peak_mib": round(t[1])} for name, t in timings.items()
    }
    print(json.dumps({"customers": args.customers, **figures, **steps}))


if __name__ == "__main__":
    raise SystemExit(main())
