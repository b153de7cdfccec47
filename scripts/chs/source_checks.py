"""What the pipeline checks about the loaded sources before dbt builds anything.

- Freshness: `dbt source freshness` runs only on the tables that were delivered with rows.
  An absent table has nothing to be fresh; a delivered but empty one (no tickets yet) has no
  `_loaded_at` to compare, so it is a warning, or an error with `strict`.
- Data age: how old the extract is. The newest value of each present table's activity column
  (chs.raw_tables, `activity_at`: events, tickets, payments, orders, survey responses) is
  compared with the run's as-of date. Values more than a day after the as-of date are future
  dirt (staging quarantines them) and are ignored. The extract is as old as its newest
  activity: when that is more than `max_age_days` before the as-of date, the run stops unless
  stale data is allowed. A single present table far older than the rest is only reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import duckdb

from chs.errors import UserError
from chs.loading import LoadResult
from chs.loading.sql import identifier
from chs.raw_tables import RawTable


def freshness_selection(results: Sequence[LoadResult], strict: bool) -> tuple[list[str], list[str]]:
    """dbt `--select` arguments for the present tables with rows, and warnings for the
    present empty ones (a UserError instead when `strict`). A raw-contract table an adapter
    delivers is checked through its landed tables, which the load results also hold."""
    loaded = [r for r in results if r.is_present and r.provided_by == "native"]
    selection = [f"source:{r.spec.name}" for r in loaded if r.rows > 0]
    empty = [r.spec.name for r in loaded if r.rows == 0]
    if empty and strict:
        raise UserError(
            f"source freshness: {', '.join(empty)} delivered without rows, so not fresh"
            " (--strict-freshness; without it this is a warning)"
        )
    warnings = [
        f"warning: {name} was delivered without rows; its freshness is not checked"
        for name in empty
    ]
    return selection, warnings


@dataclass(frozen=True)
class DataAge:
    """The newest activity of each present table with an activity column (None: no valid
    timestamp), and the as-of date it is measured against."""

    as_of: date
    newest: dict[RawTable, datetime | None]

    @property
    def latest(self) -> tuple[RawTable, datetime] | None:
        dated = [(spec, moment) for spec, moment in self.newest.items() if moment is not None]
        return max(dated, key=lambda item: item[1]) if dated else None

    def days(self, moment: datetime) -> int:
        """Whole days from the moment's UTC date to the as-of date."""
        return (self.as_of - moment.astimezone(UTC).date()).days


def newest_activity(
    database: Path, results: Sequence[LoadResult], as_of: date, schema: str = "raw"
) -> DataAge:
    """Read the newest activity timestamp of every present table that has an activity column."""
    cutoff = datetime.combine(as_of + timedelta(days=2), time(), UTC)  # later: future dirt
    newest: dict[RawTable, datetime | None] = {}
    with duckdb.connect(str(database), read_only=True) as con:
        con.execute("set TimeZone = 'UTC'")
        for result in results:
            spec = result.spec
            if not result.is_present or spec.activity_at is None or result.provided_by != "native":
                continue
            (moment,) = con.execute(
                f"select max(moment) from (select try_cast({identifier(spec.activity_at)}"
                f" as timestamptz) as moment from {identifier(schema)}.{identifier(spec.relation)})"
                " where moment < ?",
                [cutoff],
            ).fetchone()
            newest[spec] = moment.astimezone(UTC) if moment is not None else None
    return DataAge(as_of, newest)


def data_age_lines(age: DataAge, max_age_days: int) -> list[str]:
    """One line per table: its newest activity and how many days before the as-of date."""
    lines = []
    for spec, moment in age.newest.items():
        if moment is None:
            lines.append(f"{spec.name}: no valid {spec.activity_at} at or before the as-of date")
        else:
            stale = " (older than the limit)" if age.days(moment) > max_age_days else ""
            lines.append(
                f"{spec.name}: newest {spec.activity_at} {moment:%Y-%m-%d %H:%M}Z,"
                f" {age.days(moment)} day(s) before {age.as_of}{stale}"
            )
    return lines


def check_data_age(age: DataAge, max_age_days: int, allow_stale: bool) -> str | None:
    """None when the extract is recent enough; a warning when it is too old but allowed;
    otherwise a UserError."""
    latest = age.latest
    if latest is not None and age.days(latest[1]) <= max_age_days:
        return None
    found = (
        f"the newest activity ({latest[0].name}) is {age.days(latest[1])} days older than"
        if latest
        else "no activity timestamp at all before"
    )
    stale = f"stale extract: {found} the as-of date {age.as_of} (limit {max_age_days} days)"
    if allow_stale:
        return f"warning: {stale}; going on (--allow-stale-data)"
    raise UserError(
        f"{stale}; load a newer export, set --as-of to the export's date, or accept it with"
        " --allow-stale-data"
    )
