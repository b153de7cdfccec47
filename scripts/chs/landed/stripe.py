"""Stripe as Fivetran's Stripe connector lands it: the billing domain (`billing_source: stripe`).

Table and column names and types follow the connector's schema (Fivetran's dbt_stripe source
package lists them); of each table only the columns the adapter reads are kept, with the
connector's system columns (`_fivetran_synced`; `_fivetran_active` of the history table;
`is_deleted` where Stripe objects can be deleted). Timestamps are typed, naive UTC; amounts are
integers in the currency's minor unit (cents); currencies are lower case (`eur`).

What each raw-contract table is made of (one adapter row per landed row):
- billing.subscriptions: `subscription_history` (one version per subscription and change; the
  latest version is `_fivetran_active`), with its `subscription_item`s, their `price` and the
  price's `product` looked up, not counted;
- billing.invoices: `invoice`;
- billing.payments: `charge` (attempts, succeeded or failed) and `refund` (negative payments).

`customer` holds the Stripe customers, whose ids (`cus_...`) the identity map maps onto ours.
docs/adapters/stripe.md describes the mapping field by field.
"""

from __future__ import annotations

from chs.landed import Adapter
from chs.raw_tables import BOOL, INT64, STRING, TIMESTAMP, RawTable

SYNCED = ("_fivetran_synced", TIMESTAMP)

ADAPTER = Adapter(
    vendor="stripe",
    domain_var="billing_source",
    provides={
        "billing.subscriptions": ("stripe.subscription_history",),
        "billing.invoices": ("stripe.invoice",),
        "billing.payments": ("stripe.charge", "stripe.refund"),
    },
    tables=(
        RawTable(
            "stripe",
            "customer",
            "id",
            (("id", STRING), ("created", TIMESTAMP), ("is_deleted", BOOL), SYNCED),
            optional=("is_deleted",),
        ),
        RawTable(
            "stripe",
            "subscription_history",
            "id",
            (
                ("id", STRING),
                ("customer_id", STRING),
                ("start_date", TIMESTAMP),
                ("ended_at", TIMESTAMP),
                ("cancel_at", TIMESTAMP),
                ("current_period_end", TIMESTAMP),
                ("_fivetran_active", BOOL),
                SYNCED,
            ),
            required=True,
            optional=("cancel_at", "current_period_end", "_fivetran_active"),
        ),
        RawTable(
            "stripe",
            "subscription_item",
            "id",
            (
                ("id", STRING),
                ("subscription_id", STRING),
                ("plan_id", STRING),
                ("quantity", INT64),
                SYNCED,
            ),
            required=True,
        ),
        RawTable(
            "stripe",
            "price",
            "id",
            (
                ("id", STRING),
                ("product_id", STRING),
                ("currency", STRING),
                ("unit_amount", INT64),
                ("unit_amount_decimal", STRING),
                ("recurring_interval", STRING),
                ("recurring_interval_count", INT64),
                ("is_deleted", BOOL),
                SYNCED,
            ),
            required=True,
            optional=("unit_amount_decimal", "recurring_interval_count", "is_deleted"),
        ),
        RawTable(
            "stripe",
            "product",
            "id",
            (("id", STRING), ("name", STRING), ("is_deleted", BOOL), SYNCED),
            required=True,
            optional=("is_deleted",),
        ),
        RawTable(
            "stripe",
            "invoice",
            "id",
            (
                ("id", STRING),
                ("customer_id", STRING),
                ("subscription_id", STRING),
                ("status", STRING),
                ("created", TIMESTAMP),
                ("due_date", TIMESTAMP),
                ("total", INT64),
                ("currency", STRING),
                ("is_deleted", BOOL),
                SYNCED,
            ),
            optional=("due_date", "is_deleted"),
        ),
        RawTable(
            "stripe",
            "charge",
            "id",
            (
                ("id", STRING),
                ("customer_id", STRING),
                ("invoice_id", STRING),
                ("status", STRING),
                ("created", TIMESTAMP),
                ("amount", INT64),
                ("currency", STRING),
                SYNCED,
            ),
            activity_at="created",
        ),
        RawTable(
            "stripe",
            "refund",
            "id",
            (
                ("id", STRING),
                ("charge_id", STRING),
                ("status", STRING),
                ("created", TIMESTAMP),
                ("amount", INT64),
                ("currency", STRING),
                SYNCED,
            ),
            activity_at="created",
            optional=("status",),
        ),
    ),
)
