"""The Segment adapter (events_source: segment) on a small simulated company, alone and with
the Salesforce adapter.

The company is built natively and with its product events as Segment lands them
(adapter_company). The Segment build stages the same events (but for their ids: message ids
instead of numbers) and gives the same scores. Its landed tracks lack the optional event_text
and uuid_ts, spell some event names as products send them ("Report Builder", "data-export"),
repeat one message, and add the calls of a user without a group call and of a user whose group
is in no identity map. The build with both adapters (`salesforce,segment`) takes the feature of
some tracks from event_text, their event being empty.
"""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from adapter_company import (
    COMPANY,
    CUSTOMERS,
    MODELS_ONLY,
    SCORES,
    Build,
    adapter_columns,
    append_rows,
    build,
    dbt_adapter,
    differences,
    landed_table,
    native_build,
    reconciliation,
    rewrite_sql,
)
from chs.generator.layouts import write_layout
from chs.landed import ADAPTERS
from chs.raw_tables import RAW_TABLES

EVENTS = (
    "select customer_id, user_id, feature_key, occurred_at, received_at"
    " from staging.stg_product__usage_events"
)
UNGROUPED_USER = "usr-without-group"  # made no group call, not mapped as a user either
UNMAPPED_GROUP = "grp-nobody-mapped"
ELSEWHERE_USER = "usr-of-unmapped-group"
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
AT = datetime(2026, 6, 1, 10)


def _edit(raw):
    tracks = landed_table(raw, "segment_tracks")
    rewrite_sql(
        tracks,
        """
        select
            id,
            user_id,
            case event
                when 'report_builder' then 'Report Builder'
                when 'data_export' then 'data-export'
                when 'help_center' then ' HELP center '
                else event
            end as event,
            "timestamp",
            received_at
        from landed
        """,
    )
    extra = [
        {"id": "msg-ungrouped-1", "user_id": UNGROUPED_USER, "event": "search"},
        {"id": "msg-ungrouped-2", "user_id": UNGROUPED_USER, "event": "dashboard_view"},
        {"id": "msg-elsewhere-1", "user_id": ELSEWHERE_USER, "event": "search"},
    ]
    append_rows(tracks, [row | {"timestamp": AT, "received_at": AT} for row in extra])
    # a re-delivered message: the first track again
    rewrite_sql(tracks, "select * from landed union all (select * from landed limit 1)")
    append_rows(
        landed_table(raw, "segment_groups"),
        [
            {
                "id": "grp-call-elsewhere",
                "user_id": ELSEWHERE_USER,
                "group_id": UNMAPPED_GROUP,
                "timestamp": AT,
                "received_at": AT,
            }
        ],
    )


def _empty_events(raw):
    """Some tracks without `event`: their feature comes from event_text."""
    rewrite_sql(
        landed_table(raw, "segment_tracks"),
        "select * replace (case when id < '5' then null else event end as event) from landed",
    )


@pytest.fixture(scope="module")
def native(tmp_path_factory) -> Build:
    return native_build(tmp_path_factory)


@pytest.fixture(scope="module")
def segment(tmp_path_factory) -> Build:
    return build(
        tmp_path_factory.mktemp("adapter_segment"),
        ("segment",),
        edit_files=_edit,
        # as a connector would land it: the column is not there at all
        edit_raw=["alter table raw.segment_tracks drop column event_text"],
    )


@pytest.fixture(scope="module")
def combined(tmp_path_factory) -> Build:
    """Both adapters, models only (the data tests ran in each adapter's own build)."""
    return build(
        tmp_path_factory.mktemp("adapter_combined"),
        ("salesforce", "segment"),
        edit_files=_empty_events,
        dbt_args=MODELS_ONLY,
    )


def test_python_and_dbt_agree_on_what_the_adapter_provides():
    adapter = ADAPTERS["segment"]
    dbt = dbt_adapter("segment")
    assert dbt["var"] == adapter.domain_var == "events_source"
    assert {table: tuple(parts) for table, parts in dbt["provides"].items()} == adapter.provides
    assert adapter.provides == {"product.usage_events": ("segment.tracks",)}
    assert [spec.relation for spec in adapter.tables if spec.required] == ["segment_tracks"]


def test_the_adapter_is_switched_off_in_a_native_build(native):
    manifest = native.manifest()
    prefix = "source.customer_health.segment."
    assert not [key for key in manifest["sources"] if key.startswith(prefix)]
    model = "model.customer_health.adapter_segment__product_usage_events"
    assert model not in manifest["nodes"] and model in manifest["disabled"]
    assert f"{prefix}tracks" in manifest["disabled"]


def test_the_adapter_delivers_exactly_the_contract_columns(segment):
    contract = next(spec for spec in RAW_TABLES if spec.name == "product.usage_events")
    columns = adapter_columns(segment, "adapter_segment__product_usage_events")
    assert [c for c, _ in columns] == [*contract.columns, "_row_id", "_loaded_at", "_external_id"]
    # text, timestamps too; the event id is a message id (the base model reads ids as text)
    assert {t for c, t in columns if c in contract.columns} == {"VARCHAR"}
    assert dict(columns)["_row_id"] == "BIGINT"


def test_events_are_staged_as_from_the_native_export(native, segment):
    only_native, only_segment = differences(native, segment, EVENTS)
    assert not only_native and not only_segment
    assert len(segment.query(EVENTS)) > 50_000
    # event names as products send them were standardised to the feature keys
    assert segment.query(
        "select count(distinct event) from raw.segment_tracks"
        " where event in ('Report Builder', 'data-export', ' HELP center ')"
    ) == [(3,)]


def test_scores_are_the_native_scores(native, segment):
    only_native, only_segment = differences(native, segment, SCORES)
    assert not only_native and not only_segment
    assert len(segment.query(SCORES)) > 1000


def test_event_ids_are_the_message_ids(native, segment):
    ids = [i for (i,) in segment.query("select event_id from staging.stg_product__usage_events")]
    assert len(ids) == len(set(ids))
    assert all(UUID.match(i) for i in ids)
    native_ids = native.query("select event_id from staging.stg_product__usage_events")
    assert not {i for (i,) in native_ids} & set(ids)


def test_unmapped_users_and_groups_are_quarantined_and_every_row_accounted_for(segment):
    assert sorted(
        segment.query(
            "select event_id, customer_id, _external_id, quarantine_reason"
            " from staging.base_product__usage_events where event_id like 'msg-%'"
        )
    ) == [
        ("msg-elsewhere-1", None, UNMAPPED_GROUP, "unmapped_external_id"),
        ("msg-ungrouped-1", None, UNGROUPED_USER, "unmapped_external_id"),
        ("msg-ungrouped-2", None, UNGROUPED_USER, "unmapped_external_id"),
    ]
    raw, staged, quarantined, duplicates = reconciliation(segment, "product.usage_events")
    landed = segment.query("select count(*) from raw.segment_tracks")[0][0]
    assert raw == landed == staged + quarantined + duplicates
    assert (quarantined, duplicates) == (3, 1)
    # The re-delivered message: two landed rows, one staged event.
    (message,) = segment.query(
        "select event_id from staging.base_product__usage_events where row_status = 'duplicate'"
    )[0]
    assert segment.query("select count(*) from raw.segment_tracks where id = ?", [message]) == [
        (2,)
    ]
    assert segment.query(
        "select count(*) from staging.stg_product__usage_events where event_id = ?", [message]
    ) == [(1,)]
    # One adapter row per landed row, under the landed row's id.
    assert segment.query(
        "select list(_row_id order by _row_id) from staging.adapter_segment__product_usage_events"
    ) == segment.query("select list(_row_id order by _row_id) from raw.segment_tracks")


def test_missing_optional_columns_read_as_null(segment):
    columns = {
        c
        for (c,) in segment.query(
            "select column_name from information_schema.columns"
            " where table_schema = 'raw' and table_name = 'segment_tracks'"
        )
    }
    assert "event_text" not in columns
    assert "uuid_ts" in columns  # missing from the file: the loader added it, null
    assert segment.query("select count(uuid_ts) from raw.segment_tracks") == [(0,)]


def test_both_adapters_together_stage_the_native_company(native, combined):
    assert combined.query("select count(*) from raw.segment_tracks where event is null")[0][0]
    for sql in (CUSTOMERS, EVENTS, SCORES):
        only_native, only_combined = differences(native, combined, sql)
        assert not only_native and not only_combined, sql
    for table, landed in (
        ("crm.customers", "salesforce_account"),
        ("product.usage_events", "segment_tracks"),
    ):
        raw, staged, quarantined, duplicates = reconciliation(combined, table)
        assert raw == combined.query(f"select count(*) from raw.{landed}")[0][0]
        assert raw == staged + quarantined + duplicates


def test_the_layout_is_deterministic_and_has_segment_ids(native, combined, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    write_layout(native.raw, first, ["segment"], COMPANY["seed"])
    write_layout(native.raw, second, ["segment"], COMPANY["seed"])
    for spec in ADAPTERS["segment"].tables:
        assert (first / spec.file).read_bytes() == (second / spec.file).read_bytes()
    # generate(layout=...) wrote the same group calls from the same company
    groups = landed_table(first, "segment_groups")
    assert groups.read_bytes() == landed_table(combined.raw, "segment_groups").read_bytes()
    mapped = combined.query(
        "select external_id, customer_id from raw.identity_customer_id_map"
        " where source_system = 'segment'"
    )
    customers = {c for (c,) in native.query("select customer_id from staging.stg_crm__customers")}
    assert {customer for _, customer in mapped} == customers
    assert len(mapped) == len(customers)
    group_ids = {g for (g,) in combined.query("select group_id from raw.segment_groups")}
    assert group_ids == {group for group, _ in mapped}
    assert all(UUID.match(group) for group in group_ids)
    assert not group_ids & customers
