"""Export new health alerts for CRM and e-mail tools as CSV and JSON lines.

    python scripts/export_alerts.py --out-dir exports

The alerts are read from the current publication (<serving-dir>/customer_health.duckdb, by
default build/serving), never from the build warehouse: a build that failed validation is
never published, so its alerts never reach a CRM. `--database FILE` reads another DuckDB
file instead; it is not the default, since a build that failed validation may hold alerts
that were never published.

Each record is self-contained and carries a stable alert_id, so a receiver can dedupe. It is
one row of marts.fct_customer_health_alerts: the alert in words with its threshold and observed
value (alert_message), the date of what triggered it (event_date: the failed payment, the NPS
answer, the champion's last activity, or the week of the score), customer, owner, score,
drivers, ARR at risk (arr_opportunity instead for opportunities) and playbook. An alert is sent
up to --lookback-weeks after its week, so the record never relies on "this week": a mart
without alert_message and event_date (a release built before alerts carried them) is refused.
The export remembers what it sent in
<out-dir>/exported_alerts.csv (alert, time, file, the release the alert came from, the file
it was read from): a rerun sends only alerts it has not sent before, so running it twice in a
row exports nothing the second time. Files are written under a temporary name and renamed
when complete; the ledger is appended after both files are in place, so an interrupted run at
worst sends the same alerts again (with the same ids) on the next run.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from chs.connect import connect_read_only
from chs.errors import UserError
from chs.publish import current_release, release_id_of

LEDGER = "exported_alerts.csv"
# Columns without which a record does not stand on its own (the mart holds many more).
REQUIRED_COLUMNS = ("alert_id", "customer_id", "rule_key", "alert_message", "event_date")
# release_id is empty when the alerts were read (--database) from a file that is not a release.
LEDGER_FIELDS = ("alert_id", "exported_at", "file", "release_id", "source")


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


def published_database(serving: Path) -> Path:
    """The DuckDB file of the current publication under `serving`, or a UserError."""
    database = current_release(serving)
    if database is None:
        raise UserError(f"{serving}: nothing published yet: run the pipeline (make demo) first")
    return database


def export_alerts(
    database: Path, out_dir: Path, lookback_weeks: int = 4, now: datetime | None = None
) -> list[dict]:
    """Export the alerts of the last `lookback_weeks` weeks in the DuckDB file `database` not
    exported before; return them. The CLI passes the published file (published_database)."""
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
    source = {"release_id": release_id_of(database) or "", "source": str(database.resolve())}
    _append_to_ledger(out_dir, records, exported_at, base.name, source)
    return records


def _recent_alerts(database: Path, lookback_weeks: int) -> list[dict]:
    """The alerts of the latest `lookback_weeks` weeks of the mart's history, in a stable order."""
    with connect_read_only(database) as con:
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
        missing = [column for column in REQUIRED_COLUMNS if column not in columns]
        if missing:
            raise UserError(
                f"{database}: the alerts mart has no {', '.join(missing)}: its alerts would not"
                " stand on their own; rebuild and publish it (make demo) before exporting"
            )
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


def _upgrade_ledger(ledger: Path) -> None:
    """Rewrite a ledger of an older export (fewer columns) with today's header, the new
    columns empty, so appended rows line up."""
    with ledger.open(newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) == LEDGER_FIELDS:
            return
        rows = list(reader)
    table = io.StringIO()
    writer = csv.DictWriter(table, fieldnames=LEDGER_FIELDS, restval="", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    _write_atomically(ledger, table.getvalue())


def _append_to_ledger(
    out_dir: Path, records: list[dict], exported_at: str, file: str, source: dict[str, str]
) -> None:
    ledger = out_dir / LEDGER
    is_new_ledger = not ledger.exists()
    if not is_new_ledger:
        _upgrade_ledger(ledger)
    with ledger.open("a", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=LEDGER_FIELDS)
        if is_new_ledger:
            writer.writeheader()
        for record in records:
            writer.writerow(
                {"alert_id": record["alert_id"], "exported_at": exported_at, "file": file} | source
            )
        handle.flush()
        os.fsync(handle.fileno())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="export_alerts.py", description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--serving-dir",
        type=Path,
        default=Path("build/serving"),
        help="read the alerts of the release published here (default build/serving)",
    )
    source.add_argument(
        "--database",
        type=Path,
        help="read this DuckDB file instead; not the default: a build that failed validation"
        " may hold alerts that were never published",
    )
    parser.add_argument("--out-dir", type=Path, default=Path("exports"))
    parser.add_argument(
        "--lookback-weeks",
        type=int,
        default=4,
        help="export alerts raised in the latest N weeks of history (default 4)",
    )
    args = parser.parse_args(argv)
    database = args.database or published_database(args.serving_dir)
    records = export_alerts(database, args.out_dir, args.lookback_weeks)
    release_id = release_id_of(database)
    if release_id is None:
        print(
            f"note: {database} is not a published release; its alerts may never have been"
            " published",
            file=sys.stderr,
        )
    origin = f"release {release_id}" if release_id else str(database)
    if not records:
        print(f"no new alerts to export ({origin})")
    else:
        print(
            f"exported {len(records)} new alerts of {origin}"
            f" to {args.out_dir}/alerts-*.csv and .jsonl"
        )
    return 0
