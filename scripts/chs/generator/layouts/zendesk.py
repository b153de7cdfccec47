"""The simulated company's tickets as Fivetran's Zendesk Support connector lands them.

Each native ticket (`T000000042`) becomes Zendesk ticket 42 of the organization of its
customer; organization and user ids are large integers hashed from the seed and our ids, so
tickets reach their customer only through the identity map. What the native row says becomes
what Zendesk records:

- the opening becomes `created_at` and a public comment of the requester (an end-user of the
  organization); the first response a public comment of an agent; the resolution a status
  change to `solved` (and to `closed` four days later when the ticket is closed now) and a
  closing comment. Escalated tickets carry the tag `escalated` and an internal note of an
  agent before the first answer; every ticket has a topic tag.
- the 1-5 rating becomes Zendesk's satisfaction score in the field history: `unoffered` at
  creation, `offered` at the resolution of a rated ticket, then `good` (4-5) or `bad` (1-2)
  two hours later; a 3 stays `offered` (asked, not answered). No 1-5 rating is left.
- Zendesk holds cleaner data than the native export: priority and channel spellings are
  Zendesk's own (`voice` for phone, `web` for portal), a duplicated ticket is one ticket, an
  unreadable opening time lands as a null `created_at`, and an out-of-range rating (0 or 7)
  lands as that number, a score staging does not know.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pyarrow as pa

from chs.generator.layouts import write_table
from chs.landed.zendesk import TICKET, TICKET_COMMENT, TICKET_FIELD_HISTORY, TICKET_TAG, USER

AGENTS = 12
TOPICS = ("billing", "how_to", "bug", "feature_request", "account")
ID_BASE = 360_000_000_000  # Zendesk's organization and user ids are 12-digit numbers
ID_SPAN = 10_000_000_000


def _hashed_ids(keys: list[str], seed: int, kind: str) -> dict[str, int]:
    """A distinct large id per key, from a hash of the seed and the key (collisions move on)."""
    ids: dict[str, int] = {}
    taken: set[int] = set()
    for key in sorted(keys):
        attempt = 0
        while True:
            digest = hashlib.sha256(f"zendesk:{kind}:{seed}:{key}:{attempt}".encode()).digest()
            value = ID_BASE + int.from_bytes(digest[:8], "big") % ID_SPAN
            if value not in taken:
                break
            attempt += 1
        taken.add(value)
        ids[key] = value
    return ids


def _customer_keys(con: duckdb.DuckDBPyConnection, relation: str) -> list[str]:
    rows = con.execute(
        f"select distinct nullif(trim(customer_id), '') from native_{relation}"
        " where nullif(trim(customer_id), '') is not null"
    ).fetchall()
    return [key for (key,) in rows]


def _register_ids(con: duckdb.DuckDBPyConnection, seed: int) -> dict[str, int]:
    """Organizations of every customer (also the unknown ids of dirt), agents and requesters
    as tables `zd_organizations` and `zd_users`; returns the CRM customers' organizations."""
    known = _customer_keys(con, "crm_customers")
    customers = sorted(set(known) | set(_customer_keys(con, "support_tickets")))
    organizations = _hashed_ids(customers, seed, "organization")
    con.register(
        "zd_organizations",
        pa.table(
            {
                "customer_key": customers,
                "organization_id": [organizations[c] for c in customers],
            }
        ),
    )
    agents = [f"agent-{n:02d}" for n in range(AGENTS)]
    requesters = [*customers, "no-organization"]
    users = _hashed_ids([*agents, *requesters], seed, "user")
    con.register(
        "zd_users",
        pa.table(
            {
                "person_key": [*agents, *requesters],
                "agent_number": [*range(AGENTS), *[None] * len(requesters)],
                "user_id": [users[k] for k in [*agents, *requesters]],
                # the first agent is the account's admin: admins answer tickets too
                "role": ["admin", *["agent"] * (AGENTS - 1), *["end-user"] * len(requesters)],
            }
        ),
    )
    return {customer: organizations[customer] for customer in known}


# One row per Zendesk ticket (a duplicated native row is one ticket), times in UTC.
TICKETS_SQL = """
create temp table zd_tickets as
with native as (
    select
        *,
        nullif(trim(customer_id), '') as customer_key,
        cast(substr(ticket_id, 2) as bigint) as id,
        replace(lower(trim(channel)), '-', '') as channel_clean
    from native_support_tickets
    qualify row_number() over (partition by ticket_id order by opened_at) = 1
),
timed as (
    select
        native.id,
        native.customer_key,
        zd_organizations.organization_id,
        try_cast(native.opened_at as timestamptz) at time zone 'UTC' as created_at,
        try_cast(native.first_response_at as timestamptz) at time zone 'UTC'
            as first_response_at,
        try_cast(native.resolved_at as timestamptz) at time zone 'UTC' as resolved_at,
        lower(trim(native.priority)) as priority,
        lower(trim(native.ticket_status)) as status,
        case native.channel_clean
            when 'phone' then 'voice'
            when 'portal' then 'web'
            else native.channel_clean
        end as via_channel,
        coalesce(native.is_escalated, false) as is_escalated,
        native.satisfaction_rating as rating
    from native
    left join zd_organizations on native.customer_key = zd_organizations.customer_key
),
changed as (
    select
        *,
        case when status = 'closed' then resolved_at + interval 4 day end as closed_at,
        case
            when rating is not null and rating != 3 then resolved_at + interval 2 hour
        end as rated_at
    from timed
)
select
    changed.*,
    coalesce(
        greatest(created_at, first_response_at, resolved_at, closed_at, rated_at),
        (select max(resolved_at) from timed)
    ) + interval 10 minute as synced_at,
    requesters.user_id as requester_id,
    agents.user_id as agent_id
from changed
left join zd_users as requesters
    on requesters.person_key = coalesce(changed.customer_key, 'no-organization')
left join zd_users as agents on agents.agent_number = changed.id % {agents}
"""

TICKET_SQL = """
select id, created_at, organization_id, priority, status, via_channel,
    synced_at as _fivetran_synced, false as _fivetran_deleted
from zd_tickets
order by id
"""

FIELD_HISTORY_SQL = """
select ticket_id, field_name, updated, value, _fivetran_synced
from (
    select id as ticket_id, 'status' as field_name, created_at as updated, 'open' as value,
        synced_at as _fivetran_synced, 0 as step
    from zd_tickets
    union all
    select id, 'status', first_response_at, 'pending', synced_at, 1 from zd_tickets
    union all
    select id, 'status', resolved_at, 'solved', synced_at, 2 from zd_tickets
    union all
    select id, 'status', closed_at, 'closed', synced_at, 3 from zd_tickets
    union all
    select id, 'satisfaction_score', created_at, 'unoffered', synced_at, 4 from zd_tickets
    union all
    select id, 'satisfaction_score', resolved_at, 'offered', synced_at, 5
    from zd_tickets where rating is not null
    union all
    select id, 'satisfaction_score', rated_at,
        case when rating >= 4 then 'good' when rating <= 2 then 'bad' end, synced_at, 6
    from zd_tickets where rating in (1, 2, 4, 5)
    union all
    select id, 'satisfaction_score', rated_at, cast(rating as varchar), synced_at, 6
    from zd_tickets where rating not between 1 and 5
)
where updated is not null
order by ticket_id, step
"""

COMMENT_SQL = """
select 1000000000000 + ticket_id * 10 + step as id, ticket_id, user_id, created, public,
    _fivetran_synced, false as _fivetran_deleted
from (
    select id as ticket_id, requester_id as user_id, created_at as created, true as public,
        synced_at as _fivetran_synced, 0 as step
    from zd_tickets
    union all
    select id, agent_id, created_at + interval 30 second, false, synced_at, 1
    from zd_tickets where is_escalated
    union all
    select id, agent_id, first_response_at, true, synced_at, 2 from zd_tickets
    union all
    select id, agent_id, resolved_at, true, synced_at, 3 from zd_tickets
)
where created is not null
order by id
"""

USER_SQL = """
select user_id as id, role,
    (select max(resolved_at) from zd_tickets) + interval 10 minute as _fivetran_synced,
    false as _fivetran_deleted
from zd_users
order by id
"""

TAG_SQL = """
select id as ticket_id, tag, synced_at as _fivetran_synced
from (
    select id, 'escalated' as tag, synced_at from zd_tickets where is_escalated
    union all
    select id, list_extract({topics}, 1 + id % {count}), synced_at from zd_tickets
)
order by ticket_id, tag
"""


def convert(
    con: duckdb.DuckDBPyConnection, out: Path, seed: int, counts: dict[str, int]
) -> list[tuple[str, str, str]]:
    """Write the landed zendesk tables under `out` (rows into `counts` by relation); return
    the identity map rows (source_system, external_id, customer_id)."""
    organizations = _register_ids(con, seed)
    con.execute(TICKETS_SQL.format(agents=AGENTS))
    topics = "[" + ", ".join(f"'{topic}'" for topic in TOPICS) + "]"
    for spec, sql in (
        (TICKET, TICKET_SQL),
        (TICKET_FIELD_HISTORY, FIELD_HISTORY_SQL),
        (TICKET_COMMENT, COMMENT_SQL),
        (USER, USER_SQL),
        (TICKET_TAG, TAG_SQL.format(topics=topics, count=len(TOPICS))),
    ):
        counts[spec.relation] = counts.get(spec.relation, 0) + write_table(con, sql, spec, out)
    return [("zendesk", str(org), customer) for customer, org in organizations.items()]
