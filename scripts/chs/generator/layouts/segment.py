"""The simulated company's product events as Segment's warehouse destination lands them:
`tracks` and `groups`.

From the native product/usage_events rows (chs.landed.segment has the columns), in DuckDB SQL
(two million events per thousand customers):

- every event is one track call: its message id a UUID from a hash of the seed and the event
  id (a re-delivered event keeps its id), `event` the feature key as Segment slugs it and
  `event_text` the name as the product sent it ("Report Builder"), `timestamp` the event time
  and `received_at` the collector's, both in UTC;
- every user makes a group call naming its account shortly before its first event (about one
  in five again later), the group id a UUID from a hash of the seed and the customer id;
  the identity map sends each customer's group id to the customer. Users are the product's
  own (`C0000001-U007`), so Segment's user ids are the native ones;
- dirt: an event without a customer id is an anonymous call (no user id); an
  event of a customer id no CRM knows comes from a user of that unknown account, whose group is
  in no identity map; a timestamp that does not parse lands as null (a typed column cannot
  hold it).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from chs.generator.catalogue import FEATURES
from chs.generator.layouts import write_table
from chs.landed.segment import GROUPS, TRACKS

SOURCE_SYSTEM = "segment"
REPEATED_GROUP_CALL_SHARE = "33333333"  # md5 prefix below which a user calls group() again


def _uuid(seed: int, what: str, key: str) -> str:
    """A UUID-shaped id from the md5 of the seed, what it identifies and the native key."""
    digest = f"md5('{SOURCE_SYSTEM}:{seed}:{what}:' || {key})"
    parts = ((1, 8), (9, 4), (13, 4), (17, 4), (21, 12))
    return " || '-' || ".join(f"substr({digest}, {start}, {length})" for start, length in parts)


def _event_names() -> str:
    names = []
    for key, *_ in FEATURES:
        text = " ".join(word.capitalize() for word in key.split("_"))
        names.append(f"('{key}', '{text}')")
    return ", ".join(names)


def convert(
    con: duckdb.DuckDBPyConnection, out: Path, seed: int, counts: dict[str, int]
) -> list[tuple[str, str, str]]:
    """Write the landed segment tables under `out` (rows into `counts` by relation); return
    the identity map rows (source_system, external_id, customer_id)."""
    con.execute(
        """
        create or replace temp table segment_events as
        with events as (
            select
                event_id,
                nullif(trim(customer_id), '') as customer_key,
                user_id,
                feature_key,
                try_cast(occurred_at as timestamptz) at time zone 'UTC' as occurred,
                try_cast(received_at as timestamptz) at time zone 'UTC' as received
            from native_product_usage_events
        )
        select
            *,
            -- the user of an unknown account belongs to that account
            case
                when customer_key is not null
                    then customer_key || substr(user_id, strpos(user_id, '-'))
            end as segment_user_id
        from events
        """
    )
    counts[TRACKS.relation] = write_table(
        con,
        f"""
        with event_names(feature_key, event_text) as (values {_event_names()})
        select
            {_uuid(seed, "message", "cast(event_id as varchar)")} as id,
            segment_user_id as user_id,
            segment_events.feature_key as event,
            event_names.event_text,
            occurred as "timestamp",
            received as received_at,
            date_trunc('hour', received) + interval 1 hour as uuid_ts
        from segment_events
        left join event_names on segment_events.feature_key = event_names.feature_key
        order by event_id, id
        """,
        TRACKS,
        out,
    )
    counts[GROUPS.relation] = write_table(
        con,
        f"""
        with users as (
            select
                segment_user_id as user_id,
                any_value(customer_key) as customer_key,
                coalesce(min(occurred), min(received)) as first_seen,
                coalesce(max(received), max(occurred)) as last_seen
            from segment_events
            where segment_user_id is not null
            group by 1
        ),
        calls as (
            select
                user_id,
                customer_key,
                1 as call,
                first_seen - to_seconds(
                    1 + ('0x' || substr(md5('{seed}:' || user_id), 1, 4))::integer % 600
                ) as called
            from users
            union all
            select
                user_id,
                customer_key,
                2 as call,
                last_seen - interval 1 hour as called
            from users
            where md5('{SOURCE_SYSTEM}:{seed}:again:' || user_id) < '{REPEATED_GROUP_CALL_SHARE}'
        )
        select
            {_uuid(seed, "group-call", "user_id || ':' || call")} as id,
            user_id,
            {_uuid(seed, "group", "customer_key")} as group_id,
            called as "timestamp",
            called + interval 2 seconds as received_at,
            date_trunc('hour', called) + interval 1 hour as uuid_ts
        from calls
        order by "timestamp", id
        """,
        GROUPS,
        out,
    )
    return con.execute(
        f"""
        select distinct
            '{SOURCE_SYSTEM}',
            {_uuid(seed, "group", "customer_key")},
            customer_key
        from (
            select nullif(trim(customer_id), '') as customer_key from native_crm_customers
        )
        where customer_key is not null
        order by 3
        """
    ).fetchall()
