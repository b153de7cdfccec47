"""Zendesk Support as Fivetran's connector lands it: the tables the zendesk adapter reads.

Table and column names and types follow the connector's schema (the tables Fivetran's dbt
package dbt_zendesk reads); only the columns the adapter uses are listed, with the connector's
system columns. Ids are Zendesk's integers, timestamps typed UTC.

- `ticket`: one row per ticket, the rows of `support.tickets`. Its organization is the
  customer (through the identity map); `priority` may be missing (a desk that does not use
  priorities), `_fivetran_deleted` is there when the connector captures deletes.
- `ticket_field_history`: every change of a ticket field. The adapter reads the `status`
  changes (when the ticket was solved) and the `satisfaction_score` changes (good or bad).
- `ticket_comment` and `user`: the first public comment of an agent is the first response.
- `ticket_tag`: the tag `escalated` marks an escalated ticket (Zendesk has no such field).
"""

from __future__ import annotations

from chs.landed import Adapter
from chs.raw_tables import BOOL, INT64, STRING, TIMESTAMP, RawTable

SYNCED = ("_fivetran_synced", TIMESTAMP)
DELETED = ("_fivetran_deleted", BOOL)

TICKET = RawTable(
    "zendesk",
    "ticket",
    "id",
    (
        ("id", INT64),
        ("created_at", TIMESTAMP),
        ("organization_id", INT64),
        ("priority", STRING),
        ("status", STRING),
        ("via_channel", STRING),
        SYNCED,
        DELETED,
    ),
    activity_at="created_at",
    optional=("priority", "_fivetran_deleted"),
)
TICKET_FIELD_HISTORY = RawTable(
    "zendesk",
    "ticket_field_history",
    "ticket_id",
    (
        ("ticket_id", INT64),
        ("field_name", STRING),
        ("updated", TIMESTAMP),
        ("value", STRING),
        SYNCED,
    ),
)
TICKET_COMMENT = RawTable(
    "zendesk",
    "ticket_comment",
    "id",
    (
        ("id", INT64),
        ("ticket_id", INT64),
        ("user_id", INT64),
        ("created", TIMESTAMP),
        ("public", BOOL),
        SYNCED,
        DELETED,
    ),
    optional=("_fivetran_deleted",),
)
USER = RawTable(
    "zendesk",
    "user",
    "id",
    (
        ("id", INT64),
        ("role", STRING),
        SYNCED,
        DELETED,
    ),
    optional=("_fivetran_deleted",),
)
TICKET_TAG = RawTable(
    "zendesk",
    "ticket_tag",
    "ticket_id",
    (
        ("ticket_id", INT64),
        ("tag", STRING),
        SYNCED,
    ),
)

ADAPTER = Adapter(
    vendor="zendesk",
    domain_var="support_source",
    provides={"support.tickets": ("zendesk.ticket",)},
    tables=(TICKET, TICKET_FIELD_HISTORY, TICKET_COMMENT, USER, TICKET_TAG),
)
