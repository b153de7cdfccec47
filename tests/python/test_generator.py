"""Tests of the generator (chs.generator, scripts/generate_data.py) on small generated datasets."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from chs.generator import TRUTH_TABLES, generate
from chs.generator.output import GENERATED_TABLES as RAW_TABLES

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"

START = date(2025, 1, 6)
END = START + timedelta(weeks=26, days=-1)
CUSTOMERS = 150
DIRT = 0.1

# table -> (file, id column, main timestamp column)
TABLES = {
    "customers": ("crm/customers", "customer_id", "signup_at"),
    "subscriptions": ("billing/subscriptions", "subscription_id", "started_at"),
    "invoices": ("billing/invoices", "invoice_id", "issued_at"),
    "payments": ("billing/payments", "payment_id", "attempted_at"),
    "usage_events": ("product/usage_events", "event_id", "occurred_at"),
    "tickets": ("support/tickets", "ticket_id", "opened_at"),
    "orders": ("shop/orders", "order_id", "ordered_at"),
    "survey_responses": ("surveys/survey_responses", "response_id", "responded_at"),
}
# every timestamp column; those that may lie up to two years before --start are marked
TIMESTAMPS = {
    "customers": {"signup_at": True, "updated_at": True},
    "subscriptions": {"started_at": True, "ended_at": True},
    "invoices": {"issued_at": False},
    "payments": {"attempted_at": False},
    "usage_events": {"occurred_at": False, "received_at": False},
    "tickets": {"opened_at": False, "first_response_at": False, "resolved_at": False},
    "orders": {"ordered_at": False},
    "survey_responses": {"responded_at": False},
}
CANONICAL = {
    "customers": {
        "segment": ["SMB", "Mid-Market", "Enterprise"],
        "business_type": ["saas", "webshop"],
        "country_code": ["US", "DE", "GB", "FR", "NL", "ES", "SE", "CA", "BR", "IN", "JP", "AU"],
    },
    "subscriptions": {"plan_name": ["starter", "growth", "scale", "enterprise"]},
    "tickets": {
        "priority": ["low", "normal", "high", "urgent"],
        "channel": ["email", "chat", "phone", "portal"],
    },
    "orders": {"order_status": ["completed", "cancelled", "returned"]},
}


def _make(root: Path, **kwargs) -> dict[str, int]:
    args = dict(
        customers=CUSTOMERS,
        start=START.isoformat(),
        end=END.isoformat(),
        seed=42,
        dirt_rate=DIRT,
        out=root / "raw",
        truth_out=root / "truth",
        chunk_customers=60,
        quiet=True,
    )
    args.update(kwargs)
    return generate(**args)


def _connect(root: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("SET TimeZone='UTC'")
    for name, (file, _, _) in TABLES.items():
        con.execute(f"create view {name} as select * from '{root}/raw/{file}.parquet'")
    for name in TRUTH_TABLES:
        con.execute(f"create view {name} as select * from '{root}/truth/{name}.parquet'")
    return con


@pytest.fixture(scope="module")
def dirty(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("dirty")
    counts = _make(root)
    return {"root": root, "counts": counts, "con": _connect(root)}


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("clean")
    counts = _make(root, dirt_rate=0.0)
    return {"root": root, "counts": counts, "con": _connect(root)}


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.parquet"))}


def _ids(con: duckdb.DuckDBPyConnection, sql: str) -> set[str]:
    return {str(r[0]) for r in con.execute(sql).fetchall()}


def _manifest(con: duckdb.DuckDBPyConnection, table: str, kind: str) -> set[str]:
    return _ids(
        con,
        f"select row_key from dirt_manifest where \"table\" = '{table}' and dirt_kind = '{kind}'",
    )


# ---- determinism -----------------------------------------------------------------------------


def test_same_arguments_give_identical_files(dirty: dict, tmp_path: Path) -> None:
    _make(tmp_path / "again")
    first, second = _files(dirty["root"]), _files(tmp_path / "again")
    assert first.keys() == second.keys()
    assert len(first) == 12
    for name in first:
        assert first[name] == second[name], name


def test_other_seed_gives_other_data(dirty: dict, tmp_path: Path) -> None:
    _make(tmp_path / "seed43", seed=43)
    first, other = _files(dirty["root"]), _files(tmp_path / "seed43")
    assert first["raw/product/usage_events.parquet"] != other["raw/product/usage_events.parquet"]
    assert first["raw/crm/customers.parquet"] != other["raw/crm/customers.parquet"]
    # the feature catalogue is reference data and does not depend on the seed
    assert first["raw/product/features.parquet"] == other["raw/product/features.parquet"]


def test_dirt_does_not_change_the_clean_simulation(dirty: dict, clean: dict) -> None:
    for name in ("customer_truth", "weekly_health"):
        a = (dirty["root"] / "truth" / f"{name}.parquet").read_bytes()
        b = (clean["root"] / "truth" / f"{name}.parquet").read_bytes()
        assert a == b, name


def test_returned_counts_match_files(dirty: dict) -> None:
    root, counts = dirty["root"], dirty["counts"]
    for spec in RAW_TABLES:
        assert pq.read_metadata(root / "raw" / spec.file).num_rows == counts[spec.table]
    for name in TRUTH_TABLES:
        assert pq.read_metadata(root / "truth" / f"{name}.parquet").num_rows == counts[name]
    assert counts["customer_truth"] == CUSTOMERS
    assert counts["usage_events"] > 20_000


# ---- schemas ---------------------------------------------------------------------------------


def test_raw_files_follow_the_raw_contract(dirty: dict) -> None:
    root = dirty["root"] / "raw"
    written = {str(path.relative_to(root)) for path in root.rglob("*.parquet")}
    assert written == {spec.file for spec in RAW_TABLES}
    for spec in RAW_TABLES:
        schema = pq.read_schema(root / spec.file)
        assert [(f.name, str(f.type)) for f in schema] == list(spec.fields), spec.file


def test_truth_files_have_the_truth_schemas(dirty: dict) -> None:
    root = dirty["root"] / "truth"
    assert {path.stem for path in root.glob("*.parquet")} == set(TRUTH_TABLES)
    for name, expected in TRUTH_TABLES.items():
        assert pq.read_schema(root / f"{name}.parquet").remove_metadata() == expected, name


def test_id_formats(clean: dict) -> None:
    con = clean["con"]
    assert con.execute(
        "select count(*) from customers where not regexp_full_match(customer_id, 'C[0-9]{7}')"
    ).fetchone() == (0,)
    assert con.execute(
        "select count(*) from usage_events "
        "where not regexp_full_match(user_id, 'C[0-9]{7}-U[0-9]{3}') "
        "or not starts_with(user_id, customer_id)"
    ).fetchone() == (0,)
    n, distinct = con.execute(
        "select count(*), count(distinct event_id) from usage_events"
    ).fetchone()
    assert n == distinct
    feats = con.execute(
        f"select count(*), sum(is_key_feature::int) from "
        f"'{clean['root']}/raw/product/features.parquet'"
    ).fetchone()
    assert feats == (24, 6)


# ---- dirt ------------------------------------------------------------------------------------


def _detectors(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str, str]]:
    """(table, kind, sql selecting affected ids from the data, sql selecting eligible ids)."""
    end_plus = (END + timedelta(days=366)).isoformat()
    out = []
    for table, (_, key, ts) in TABLES.items():
        ids = f"select distinct {key} from {table} where {key} is not null"
        out.append(
            (
                table,
                "invalid_timestamp",
                f"{ids} and try_cast({ts} as timestamptz) is null",
                ids,
            )
        )
        out.append(
            (
                table,
                "future_timestamp",
                f"{ids} and try_cast({ts} as timestamptz) > '{end_plus}'::timestamptz",
                ids,
            )
        )
        out.append(
            (
                table,
                "duplicate_row",
                f"select {key} from {table} where {key} is not null "
                f"group by {key} having count(*) > 1",
                ids,
            )
        )
        if table != "customers":
            out.append(
                (
                    table,
                    "missing_customer_id",
                    f"{ids} and (customer_id is null or customer_id = '')",
                    ids,
                )
            )
            out.append(
                (
                    table,
                    "unknown_customer_id",
                    f"{ids} and customer_id <> '' and customer_id not in "
                    "(select customer_id from customers where customer_id is not null)",
                    ids,
                )
            )
    for table, cols in CANONICAL.items():
        key = TABLES[table][1]
        cond = " or ".join(f"{c} not in {tuple(v)}" for c, v in cols.items())
        ids = f"select distinct {key} from {table} where {key} is not null"
        out.append((table, "category_variant", f"{ids} and ({cond})", ids))
    out += [
        (
            "survey_responses",
            "out_of_range",
            "select response_id from survey_responses where (survey_type = 'nps' and score "
            "not between 0 and 10) or (survey_type = 'csat' and score not between 1 and 5)",
            "select distinct response_id from survey_responses",
        ),
        (
            "tickets",
            "out_of_range",
            "select ticket_id from tickets where satisfaction_rating not between 1 and 5",
            "select ticket_id from tickets where satisfaction_rating is not null",
        ),
        (
            "orders",
            "out_of_range",
            "select order_id from orders where amount < 0",
            "select order_id from orders where lower(trim(order_status)) = 'completed'",
        ),
        (
            "subscriptions",
            "out_of_range",
            "select subscription_id from subscriptions where seats < 0 or mrr_amount < 0",
            "select subscription_id from subscriptions",
        ),
        (
            "payments",
            "refund_sign",
            "select payment_id from payments where payment_status = 'refunded' and amount > 0",
            "select payment_id from payments where payment_status = 'refunded'",
        ),
        (
            "usage_events",
            "late_arriving",
            "select event_id from usage_events where try_cast(received_at as timestamptz) "
            "> try_cast(occurred_at as timestamptz) + interval 1 day "
            "and try_cast(occurred_at as timestamptz) < "
            f"'{(END + timedelta(days=1)).isoformat()}'::timestamptz",
            "select event_id from usage_events",
        ),
        (
            "invoices",
            "late_arriving",
            "select invoice_id from invoices where invoice_status = 'open' and invoice_id in "
            "(select invoice_id from payments where payment_status = 'succeeded')",
            "select invoice_id from invoices where invoice_id in "
            "(select invoice_id from payments where payment_status = 'succeeded')",
        ),
    ]
    return out


def test_dirt_in_data_matches_manifest_and_rate(dirty: dict) -> None:
    con = dirty["con"]
    kinds_seen = set()
    pooled: dict[str, list[int]] = {}
    for table, kind, found_sql, eligible_sql in _detectors(con):
        found = _ids(con, found_sql)
        listed = _manifest(con, table, kind)
        assert found == listed, (table, kind, len(found), len(listed))
        eligible = len(_ids(con, eligible_sql))
        if found:
            kinds_seen.add(kind)
        hits, total = pooled.setdefault(kind, [0, 0])
        pooled[kind] = [hits + len(found), total + eligible]
        expected = DIRT * eligible
        if expected >= 40:
            assert 0.6 * expected <= len(found) <= 1.5 * expected, (table, kind, len(found))
    for kind, (hits, total) in pooled.items():
        if DIRT * total >= 40:
            assert 0.6 * DIRT <= hits / total <= 1.5 * DIRT, (kind, hits, total)
    # customers: null-id rows are extra copies of real customers
    null_rows = con.execute("select count(*) from customers where customer_id is null").fetchone()
    assert null_rows[0] == len(_manifest(con, "customers", "missing_customer_id")) > 0
    all_kinds = {
        r[0] for r in con.execute("select distinct dirt_kind from dirt_manifest").fetchall()
    }
    assert all_kinds == {
        "duplicate_row",
        "missing_customer_id",
        "unknown_customer_id",
        "out_of_range",
        "invalid_timestamp",
        "future_timestamp",
        "refund_sign",
        "category_variant",
        "late_arriving",
    }
    assert kinds_seen >= all_kinds - {"refund_sign"}


def test_customer_duplicates_include_older_versions(dirty: dict) -> None:
    con = dirty["con"]
    older = con.execute(
        "select count(*) from (select customer_id from customers where customer_id is not null "
        "group by 1 having count(distinct updated_at) > 1 and count(distinct csm_owner) > 1)"
    ).fetchone()[0]
    assert older > 0


def test_no_dirt_at_rate_zero(clean: dict) -> None:
    con = clean["con"]
    assert con.execute("select count(*) from dirt_manifest").fetchone() == (0,)
    for table, kind, found_sql, _ in _detectors(con):
        assert not _ids(con, found_sql), (table, kind)
    for table, (_, key, _) in TABLES.items():
        n, distinct = con.execute(f"select count(*), count(distinct {key}) from {table}").fetchone()
        assert n == distinct, table
        nulls = con.execute(
            f"select count(*) from {table} where customer_id is null or customer_id = ''"
        ).fetchone()
        assert nulls == (0,), table
    assert con.execute(
        "select count(*) from payments where payment_status = 'refunded' and amount >= 0"
    ).fetchone() == (0,)


# ---- timestamps ------------------------------------------------------------------------------


def test_clean_timestamps_parse_and_lie_in_window(dirty: dict) -> None:
    con = dirty["con"]
    lo = f"'{START.isoformat()}'::timestamptz"
    lo_hist = f"'{(START - timedelta(days=731)).isoformat()}'::timestamptz"
    hi = f"'{(END + timedelta(days=1)).isoformat()}'::timestamptz"
    offsets = set()
    for table, cols in TIMESTAMPS.items():
        key = TABLES[table][1]
        for col, historical in cols.items():
            clean_rows = (
                f"from {table} where {key} is not null and {key}::varchar not in "
                f"(select row_key from dirt_manifest where \"table\" = '{table}' "
                f"and dirt_kind in ('invalid_timestamp', 'future_timestamp')) "
                f"and {col} is not null"
            )
            bad, n, first, last = con.execute(
                f"select count(*) filter (where try_cast({col} as timestamptz) is null "
                f"or not regexp_full_match({col}, "
                r"'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)')), count(*), "
                f"min(try_cast({col} as timestamptz))"
                f" >= {lo_hist if historical else lo}, "
                f"max(try_cast({col} as timestamptz)) < {hi} {clean_rows}"
            ).fetchone()
            assert n > 0 and bad == 0, (table, col, bad)
            assert first and last, (table, col)
            offsets |= _ids(con, f"select distinct right({col}, 6) {clean_rows}")
    # local offsets for product/support/shop/surveys, UTC 'Z' for billing and CRM
    assert {"-05:00", "+05:30", "+09:00", "+01:00"} <= offsets
    assert con.execute(
        "select count(*) from invoices where not ends_with(issued_at, 'Z') "
        "and try_cast(issued_at as timestamptz) is not null"
    ).fetchone() == (0,)


def test_received_after_occurred(clean: dict) -> None:
    con = clean["con"]
    lag = con.execute(
        "select min(epoch(received_at::timestamptz) - epoch(occurred_at::timestamptz)), "
        "max(epoch(received_at::timestamptz) - epoch(occurred_at::timestamptz)) "
        "from usage_events"
    ).fetchone()
    assert lag[0] > 0 and lag[1] <= 6 * 3600


# ---- churn and activity ----------------------------------------------------------------------


def test_churned_customers_stop_after_churn_date(dirty: dict) -> None:
    con = dirty["con"]
    churned, total = con.execute(
        "select sum(churned::int), count(*) from customer_truth"
    ).fetchone()
    assert 0.05 * total <= churned <= 0.45 * total
    checks = {
        "usage_events": "occurred_at",
        "tickets": "opened_at",
        "orders": "ordered_at",
        "survey_responses": "responded_at",
        "invoices": "issued_at",
    }
    for table, col in checks.items():
        key = TABLES[table][1]
        late = con.execute(
            f"select count(*) from {table} t join customer_truth c using (customer_id) "
            f"where c.churned and {key}::varchar not in (select row_key from dirt_manifest "
            f"where \"table\" = '{table}') "
            f"and cast(timezone('UTC', try_cast({col} as timestamptz)) as date) "
            "> c.churn_date::date"
        ).fetchone()
        assert late == (0,), table
        active = con.execute(
            f"select count(*) from {table} t join customer_truth c using (customer_id) "
            f"where c.churned and {key}::varchar not in (select row_key from dirt_manifest "
            f"where \"table\" = '{table}')"
        ).fetchone()
        assert active[0] > 0, table


def test_churned_customers_last_subscription_period_has_ended(clean: dict) -> None:
    con = clean["con"]
    bad = con.execute(
        """
        with last as (
            select customer_id,
                   max(ended_at::timestamptz) as last_end,
                   count(*) filter (where ended_at is null) as open_periods
            from subscriptions group by 1
        )
        select count(*), count(*) filter (where c.churned and (open_periods > 0
                   or cast(timezone('UTC', last_end) as date) <> c.churn_date::date)),
               count(*) filter (where not c.churned and open_periods <> 1)
        from customer_truth c join last using (customer_id)
        """
    ).fetchone()
    assert bad == (CUSTOMERS, 0, 0)
    # periods of a customer follow each other without gaps or overlaps
    gaps = con.execute(
        """
        select count(*) from (
            select started_at, lag(ended_at) over (partition by customer_id
                                                   order by started_at) as previous_end
            from subscriptions
        ) where previous_end is not null and previous_end <> started_at
        """
    ).fetchone()
    assert gaps == (0,)


def test_customers_that_stay_are_active_at_the_end(clean: dict) -> None:
    con = clean["con"]
    since = (END - timedelta(days=27)).isoformat()
    stayers, active, subscribed = con.execute(
        f"""
        select count(*),
               count(*) filter (where customer_id in (select customer_id from usage_events
                                where occurred_at::timestamptz >= '{since}'::timestamptz)),
               count(*) filter (where customer_id in (select customer_id from subscriptions
                                where ended_at is null))
        from customer_truth where not churned
        """
    ).fetchone()
    assert stayers > 0
    assert active >= 0.97 * stayers
    assert subscribed == stayers
    assert con.execute(
        "select count(*) from weekly_health w join customer_truth c using (customer_id) "
        f"where not c.churned and w.week_start = '{(END - timedelta(days=6)).isoformat()}' "
        "and not w.is_active"
    ).fetchone() == (0,)


# ---- health drives behaviour -----------------------------------------------------------------


def test_events_rise_with_health(clean: dict) -> None:
    con = clean["con"]
    rows = dict(
        con.execute(
            """
            with e as (
                select customer_id,
                       cast(date_trunc('week', timezone('UTC', occurred_at::timestamptz)) as date)
                           as week_start,
                       count(*) as n
                from usage_events group by all
            )
            select case when latent_health >= 70 then 'high'
                        when latent_health < 40 then 'low' end as band,
                   avg(coalesce(e.n, 0))
            from weekly_health w
            left join e on e.customer_id = w.customer_id and e.week_start = w.week_start::date
            where w.is_active and w.week_start > (select min(week_start) from weekly_health)
            group by 1
            """
        ).fetchall()
    )
    assert rows["high"] > 1.5 * rows["low"] > 0


def test_scores_follow_health(clean: dict) -> None:
    con = clean["con"]
    corr = dict(
        con.execute(
            """
            select s.survey_type, corr(s.score, w.latent_health)
            from survey_responses s join weekly_health w
              on w.customer_id = s.customer_id
             and w.week_start::date = cast(date_trunc('week',
                     timezone('UTC', s.responded_at::timestamptz)) as date)
            group by 1
            """
        ).fetchall()
    )
    assert corr["nps"] > 0.3
    assert corr["csat"] > 0.2


def test_low_health_skips_workflow_automation(clean: dict) -> None:
    con = clean["con"]
    share = dict(
        con.execute(
            """
            select w.latent_health < 35 as low,
                   avg((feature_key = 'workflow_automation')::int)
            from usage_events e join weekly_health w
              on w.customer_id = e.customer_id
             and w.week_start::date = cast(date_trunc('week',
                     timezone('UTC', e.occurred_at::timestamptz)) as date)
            group by 1
            """
        ).fetchall()
    )
    assert share[False] > 0.03
    assert share[True] < 0.005


# ---- CLI -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["--start", "2025-06-01", "--end", "2025-05-01"],
        ["--dirt-rate", "0.7"],
        ["--customers", "0"],
        ["--start", "2025-13-01"],
        ["--customers", "many"],
    ],
)
def test_bad_arguments_fail_with_one_line(args: list[str], tmp_path: Path) -> None:
    res = subprocess.run(
        [sys.executable, str(SCRIPTS / "generate_data.py"), *args, "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert res.returncode != 0
    assert "Traceback" not in res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), res.stderr
    assert not list(tmp_path.rglob("*.parquet"))


def test_cli_writes_files_and_reports_progress(tmp_path: Path) -> None:
    res = subprocess.run(
        [
            sys.executable,
            str(SCRIPTS / "generate_data.py"),
            "--customers",
            "20",
            "--start",
            "2025-01-06",
            "--end",
            "2025-03-02",
            "--chunk-customers",
            "10",
            "--out",
            str(tmp_path / "raw"),
            "--truth-out",
            str(tmp_path / "truth"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 0, res.stderr
    assert "chunk 2/2  customers 20/20  events" in res.stderr
    assert len(list((tmp_path / "raw").rglob("*.parquet"))) == 9
    assert len(list((tmp_path / "truth").glob("*.parquet"))) == 3
