"""The score engine on a small generated dataset: point-in-time history and seed-driven scoring.

Expectations are derived from the definitions, not read back from the models: a week's row may
not depend on data from after the week; moving weight towards one indicator moves every score
towards that indicator's score; overrides, bands and the completeness threshold act as
configured.
"""

from __future__ import annotations

import csv
import json
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from chs.dbt import DbtTarget, copy_project, run_dbt
from chs.generator import generate
from chs.loading import load_raw

START, END = date(2025, 1, 6), date(2025, 6, 29)
CUT_WEEK = date(2025, 4, 7)  # week W: Monday 2025-04-07 .. Sunday 2025-04-13
CUT = CUT_WEEK + timedelta(days=7)
LOADED_AT = datetime(2025, 7, 1, 12)

# Main timestamp of each event-like raw table; crm customers and the feature catalogue are
# reference data and stay whole.
MAIN_TIMESTAMP = {
    "billing/subscriptions": "started_at",
    "billing/invoices": "issued_at",
    "billing/payments": "attempted_at",
    "product/usage_events": "occurred_at",
    "support/tickets": "opened_at",
    "shop/orders": "ordered_at",
    "surveys/survey_responses": "responded_at",
}
FLOAT_COLUMNS = ("health_score", "computed_score", "completeness")


def _build(root: Path, raw: Path, project: Path | None = None, as_of: date | None = None) -> Path:
    database = root / "warehouse.duckdb"
    load_raw(raw, database, loaded_at=LOADED_AT)
    kwargs = {"project_dir": project} if project else {}
    target = DbtTarget(database=database, work_dir=root, profiles_dir=root / "profiles", **kwargs)
    args = ["build"]
    if as_of:
        args += ["--vars", json.dumps({"as_of_date": as_of.isoformat()})]
    run_dbt(args, target, quiet=True)
    return database


def _weekly(database: Path, until: date | None = None) -> list[tuple]:
    columns = (
        "customer_id, week_start, health_band, computed_band, is_scored, indicators_present, "
        + ", ".join(f"round({c}, 9)" for c in FLOAT_COLUMNS)
        + ", round(usage_score, 9), round(support_score, 9), round(billing_score, 9)"
    )
    where = f"where week_start <= date '{until}'" if until else ""
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(
            f"select {columns} from marts.fct_customer_health_weekly {where} order by 1, 2"
        ).fetchall()


@pytest.fixture(scope="module")
def full_history(tmp_path_factory):
    root = tmp_path_factory.mktemp("scoring_full")
    generate(
        customers=60,
        start=START,
        end=END,
        seed=5,
        dirt_rate=0.02,
        out=root / "raw",
        truth_out=root / "truth",
        quiet=True,
    )
    return {"root": root, "raw": root / "raw", "database": _build(root, root / "raw")}


def test_history_is_point_in_time(full_history, tmp_path):
    """Rebuilding from only the rows that existed before the end of week W gives the same
    weeks up to W as the full build: later data never leaks into earlier weeks."""
    cut_raw = tmp_path / "raw"
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        for name in ("crm/customers", "product/features", *MAIN_TIMESTAMP):
            source = full_history["raw"] / f"{name}.parquet"
            target = cut_raw / f"{name}.parquet"
            target.parent.mkdir(parents=True, exist_ok=True)
            column = MAIN_TIMESTAMP.get(name)
            # Rows whose timestamp does not parse stay: staging refuses them in both builds.
            keep = (
                f"where try_cast({column} as timestamptz) is null"
                f" or try_cast({column} as timestamptz) < timestamptz '{CUT} 00:00:00+00'"
                if column
                else ""
            )
            con.execute(
                f"copy (select * from read_parquet('{source}') {keep})"
                f" to '{target}' (format parquet)"
            )
        events = full_history["raw"] / "product" / "usage_events.parquet"
        dropped = con.execute(
            f"select count(*) from read_parquet('{events}')"
            f" where try_cast(occurred_at as timestamptz) >= timestamptz '{CUT} 00:00:00+00'"
        ).fetchone()[0]
    assert dropped > 10_000  # the cut really removes the later history
    cut_database = _build(tmp_path, cut_raw, as_of=CUT - timedelta(days=1))

    full = _weekly(full_history["database"], until=CUT_WEEK)
    cut = _weekly(cut_database)
    assert max(row[1] for row in cut) == CUT_WEEK
    assert len(full) > 500
    assert cut == full


@pytest.fixture(scope="module")
def reconfigured(full_history, tmp_path_factory):
    """The same data built by a copy of the project whose seeds were edited."""
    root = tmp_path_factory.mktemp("scoring_reconfigured")
    project = copy_project(root / "project")
    seeds = project / "seeds"

    # Weights: half of every smb weight moves to active_days_28d.
    with (seeds / "indicator_weights.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["segment"] == "smb":
            bonus = 0.5 if row["indicator_key"] == "active_days_28d" else 0.0
            row["weight"] = repr(0.5 * float(row["weight"]) + bonus)
    with (seeds / "indicator_weights.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["segment", "indicator_key", "weight"])
        writer.writeheader()
        writer.writerows(rows)

    # Bands: yellow from 50, green from 70, whatever the seed holds.
    (seeds / "score_bands.csv").write_text(
        "band,min_score,description\n"
        "red,0,At risk: act now\n"
        "yellow,50,Watch: some indicators are weak\n"
        "green,70,Healthy\n"
    )

    # Overrides: one in force over weeks 2025-03-03 .. 2025-03-23, one already expired.
    customer = "C0000007"
    (seeds / "score_overrides.csv").write_text(
        "customer_id,override_score,override_band,reason,set_by,set_on,expires_on\n"
        f"{customer},12,,Escalation to the board,csm_03,2025-03-05,2025-03-23\n"
        f"{customer},95,green,Old note,csm_03,2024-01-01,2024-02-01\n"
    )
    database = _build(root, full_history["raw"], project=project)
    return {"database": database, "customer": customer}


def _scores(database: Path) -> dict:
    with duckdb.connect(str(database), read_only=True) as con:
        rows = con.execute(
            "select w.customer_id, w.week_start, w.segment, w.computed_score,"
            " w.score_model_version, c.normalised_score"
            " from marts.fct_customer_health_weekly as w"
            " left join marts.fct_customer_health_components as c"
            " on c.customer_id = w.customer_id and c.week_start = w.week_start"
            " and c.indicator_key = 'active_days_28d'"
        ).fetchall()
    return {(r[0], r[1]): r[2:] for r in rows}


def test_moving_weight_to_an_indicator_pulls_scores_towards_it(full_history, reconfigured):
    before = _scores(full_history["database"])
    after = _scores(reconfigured["database"])
    moved = 0
    for key, (segment, old, old_version, indicator_score) in before.items():
        _, new, new_version, _ = after[key]
        assert new_version != old_version
        if old is None or new is None:
            continue
        if segment != "smb":
            assert new == pytest.approx(old, abs=1e-9)
            continue
        # new = (0.5 * sum(w_i s_i) + 0.5 s_k) / (0.5 P + 0.5): between old and s_k.
        low, high = sorted((old, indicator_score))
        assert low - 1e-6 <= new <= high + 1e-6
        if abs(indicator_score - old) > 1:
            assert abs(new - indicator_score) < abs(old - indicator_score)
            moved += 1
    assert moved > 100


def test_bands_follow_the_band_seed(reconfigured):
    with duckdb.connect(str(reconfigured["database"]), read_only=True) as con:
        rows = con.execute(
            "select computed_score, computed_band from marts.fct_customer_health_weekly"
            " where is_scored"
        ).fetchall()
    assert len(rows) > 500
    for score, band in rows:
        want = "red" if score < 50 else "yellow" if score < 70 else "green"
        assert band == want, (score, band)


def test_overrides_apply_within_their_dates_and_stay_visible(reconfigured):
    with duckdb.connect(str(reconfigured["database"]), read_only=True) as con:
        rows = con.execute(
            "select week_start, health_score, health_band, computed_score, is_overridden,"
            " override_reason from marts.fct_customer_health_weekly"
            " where customer_id = ? order by week_start",
            [reconfigured["customer"]],
        ).fetchall()
    in_force = {date(2025, 3, 3), date(2025, 3, 10), date(2025, 3, 17)}
    assert {row[0] for row in rows} >= in_force
    for week, score, band, computed, overridden, reason in rows:
        if week in in_force:
            assert (score, band, overridden, reason) == (12, "red", True, "Escalation to the board")
            assert computed is not None and computed != 12
        else:
            assert not overridden and reason is None
            assert score == computed
