"""Export new health alerts for CRM and e-mail tools as CSV and JSON lines.

    python scripts/export_alerts.py --database build/customer_health.duckdb --out-dir exports

Each record is self-contained (customer, owner, score, drivers, ARR at risk, playbook) and
carries a stable alert_id, so a receiver can dedupe. The export remembers what it sent in
<out-dir>/exported_alerts.csv: a rerun sends only alerts it has not sent before, so running it
twice in a row exports nothing the second time. Files are written under a temporary name and
renamed when complete; the ledger is appended after both files are in place, so an interrupted
run at worst sends the same alerts again (with the same ids) on the next run.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from chs.errors import UserError

LEDGER = "exported_alerts.csv"
LEDGER_FIELDS = ("alert_id", "exported_at", "file")


def _read_ledger(out_dir: Path) -> set[str]:
    path = out_dir / LEDGER
    if not path.exists():
        return set()
    with path.open(newline="") as handle:
        return {row["alert_id"] for row in csv.DictReader(handle)}


def _jsonable(value: object) -> object:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def _write_atomically(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", newline="") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    partial.replace(path)


def export_alerts(
    database: Path, out_dir: Path, lookback_weeks: int = 4, now: datetime | None = None
) -> list[dict]:
    """Export the alerts of the last `lookback_weeks` weeks not exported before; return them."""
    if not database.is_file():
        raise UserError(f"{database}: warehouse not found (run the pipeline first)")
    if lookback_weeks < 1:
        raise UserError("--lookback-weeks must be at least 1")
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    alerts = _recent_alerts(database, lookback_weeks)
    out_dir.mkdir(parents=True, exist_ok=True)
    sent = _read_ledger(out_dir)
    new = [alert for alert in alerts if alert["alert_id"] not in sent]
    if not new:
        return []
    exported_at = now.isoformat()
    records = [
        {key: _jsonable(value) for key, value in alert.items()} | {"exported_at": exported_at}
        for alert in new
    ]
    base = out_dir / f"alerts-{now.strftime('%Y%m%dT%H%M%SZ')}"
    _write_files(base, records)
    _append_to_ledger(out_dir, records, exported_at, base.name)
    return records


def _recent_alerts(database: Path, lookback_weeks: int) -> list[dict]:
    """The alerts of the latest `lookback_weeks` weeks of the mart's history, in a stable order."""
    with duckdb.connect(str(database), read_only=True) as con:
        try:
            cursor = con.execute(
                "select * from marts.fct_customer_health_alerts"
                " where week_start > (select max(week_start) from marts.fct_customer_health_alerts)"
                " - ? * interval 7 day"
                " order by week_start, customer_id, rule_key",
                [lookback_weeks],
            )
        except duckdb.CatalogException:
            raise UserError(f"{database}: no alerts mart (run dbt build first)") from None
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _write_files(base: Path, records: list[dict]) -> None:
    """<base>.jsonl and <base>.csv, each written under a temporary name and renamed."""
    lines = [json.dumps(record, ensure_ascii=False, sort_keys=False) for record in records]
    _write_atomically(base.with_suffix(".jsonl"), "\n".join(lines) + "\n")
    table = io.StringIO()
    writer = csv.DictWriter(table, fieldnames=list(records[0]))
    writer.writeheader()
    writer.writerows(records)
    _write_atomically(base.with_suffix(".csv"), table.getvalue())


def _append_to_ledger(out_dir: Path, records: list[dict], exported_at: str, file: str) -> None:
    ledger = out_dir / LEDGER
    is_new_ledger = not ledger.exists()
    with ledger.open("a", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=LEDGER_FIELDS)
        if is_new_ledger:
            writer.writeheader()
        for record in records:
            writer.writerow(
                {"alert_id": record["alert_id"], "exported_at": exported_at, "file": file}
            )
        handle.flush()
        os.fsync(handle.fileno())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="export_alerts.py", description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, default=Path("build/customer_health.duckdb"))
    parser.add_argument("--out-dir", type=Path, default=Path("exports"))
    parser.add_argument(
        "--lookback-weeks",
        type=int,
        default=4,
        help="export alerts raised in the latest N weeks of history (default 4)",
    )
    args = parser.parse_args(argv)
    records = export_alerts(args.database, args.out_dir, args.lookback_weeks)
    if not records:
        print("no new alerts to export")
    else:
        print(f"exported {len(records)} new alerts to {args.out_dir}/alerts-*.csv and .jsonl")
    return 0
