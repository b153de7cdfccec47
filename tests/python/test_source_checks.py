"""The pipeline's checks of the loaded sources: freshness selection and the extract's age.

Run on the hand-written fixture, loaded into a real DuckDB file. Its newest activity per
table, in UTC, read off tests/python/raw_fixture.py:
  product.usage_events  2025-03-05 04:30 (23:30-05:00; the 2030 event is future dirt)
  billing.payments      2025-02-12 10:00
  support.tickets       2025-03-07 09:00  <- the newest of all
  shop.orders           2025-03-04 17:00 (18:00+01:00)
  surveys.survey_responses 2025-03-01 10:00
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pyarrow.parquet as pq
import pytest
from chs.errors import UserError
from chs.loading import load_raw
from chs.source_checks import (
    check_data_age,
    data_age_lines,
    freshness_selection,
    newest_activity,
)
from raw_fixture import write_fixture


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    root = tmp_path_factory.mktemp("source_checks")
    write_fixture(root / "raw")
    database = root / "w.duckdb"
    return {"database": database, "results": load_raw(root / "raw", database)}


def _utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_newest_activity_per_present_table_ignores_future_dirt(loaded):
    age = newest_activity(loaded["database"], loaded["results"], date(2025, 3, 21))
    assert {spec.name: moment for spec, moment in age.newest.items()} == {
        "product.usage_events": _utc(2025, 3, 5, 4, 30),
        "billing.payments": _utc(2025, 2, 12, 10),
        "support.tickets": _utc(2025, 3, 7, 9),
        "shop.orders": _utc(2025, 3, 4, 17),
        "surveys.survey_responses": _utc(2025, 3, 1, 10),
    }
    assert age.latest[0].name == "support.tickets"


def test_an_extract_at_the_limit_passes_one_day_more_stops(loaded):
    at_limit = newest_activity(loaded["database"], loaded["results"], date(2025, 3, 21))
    assert check_data_age(at_limit, max_age_days=14, allow_stale=False) is None
    lines = data_age_lines(at_limit, max_age_days=14)
    assert "support.tickets: newest opened_at 2025-03-07 09:00Z, 14 day(s) before 2025-03-21" in (
        lines
    )
    # One table far behind the others is reported, not fatal.
    assert (
        "billing.payments: newest attempted_at 2025-02-12 10:00Z, 37 day(s) before 2025-03-21"
        " (older than the limit)"
    ) in lines
    late = newest_activity(loaded["database"], loaded["results"], date(2025, 3, 22))
    with pytest.raises(UserError) as stopped:
        check_data_age(late, max_age_days=14, allow_stale=False)
    assert str(stopped.value) == (
        "stale extract: the newest activity (support.tickets) is 15 days older than the as-of"
        " date 2025-03-22 (limit 14 days); load a newer export, set --as-of to the export's"
        " date, or accept it with --allow-stale-data"
    )
    assert check_data_age(late, max_age_days=14, allow_stale=True) == (
        "warning: stale extract: the newest activity (support.tickets) is 15 days older than"
        " the as-of date 2025-03-22 (limit 14 days); going on (--allow-stale-data)"
    )


def test_absent_tables_do_not_count_towards_the_age(tmp_path):
    write_fixture(tmp_path / "raw")
    database = tmp_path / "w.duckdb"
    results = load_raw(tmp_path / "raw", database, disabled=["support_tickets"])
    age = newest_activity(database, results, date(2025, 3, 19))
    assert "support.tickets" not in {spec.name for spec in age.newest}
    spec, moment = age.latest
    assert (spec.name, moment) == ("product.usage_events", _utc(2025, 3, 5, 4, 30))
    assert check_data_age(age, max_age_days=14, allow_stale=False) is None  # 03-05 .. 03-19


def test_a_future_as_of_date_sees_the_dirt_within_a_day(loaded):
    # The dirt event 2030-03-04T10:22:01+02:00 (08:22Z) counts once the as-of date is at most
    # a day before it.
    age = newest_activity(loaded["database"], loaded["results"], date(2030, 3, 3))
    assert age.latest[1] == _utc(2030, 3, 4, 8, 22, 1)
    age = newest_activity(loaded["database"], loaded["results"], date(2030, 3, 2))
    assert age.latest[1] == _utc(2025, 3, 7, 9)


def test_freshness_is_checked_on_delivered_tables_with_rows_only(tmp_path):
    raw = tmp_path / "raw"
    write_fixture(raw)
    (raw / "shop" / "orders.parquet").unlink()
    surveys = raw / "surveys" / "survey_responses.parquet"
    pq.write_table(pq.read_table(surveys).slice(0, 0), surveys)
    results = load_raw(raw, tmp_path / "w.duckdb", disabled=["billing_payments"])
    selection, warnings = freshness_selection(results, strict=False)
    assert selection == [
        "source:crm.customers",
        "source:billing.subscriptions",
        "source:billing.invoices",
        "source:product.features",
        "source:product.usage_events",
        "source:support.tickets",
        "source:identity.customer_id_map",
    ]
    assert warnings == [
        "warning: surveys.survey_responses was delivered without rows; its freshness is not checked"
    ]
    with pytest.raises(UserError, match=r"^source freshness: surveys\.survey_responses delivered"):
        freshness_selection(results, strict=True)
