"""The simulated company's billing as Fivetran's Stripe connector lands it (chs.landed.stripe).

The company sells annual terms billed monthly. In Stripe each native subscription period is one
subscription with one item: quantity = seats, on a per-seat monthly price whose
`unit_amount_decimal` (cents, up to 12 decimals) times the quantity gives the period's MRR to the
cent (`unit_amount` is set only when that amount is whole cents), of a product named after the
plan. The subscription's `cancel_at` is the end of its term (`renews_on`): a renewal, upgrade or
downgrade ends it and starts a new subscription at the same instant. Invoices keep their status
(paid, open, void), charges are the payment attempts (succeeded, failed), refunds name the
charge that paid the invoice and carry a positive amount. Amounts are integer cents, currencies
lower case, timestamps typed (naive UTC).

Ids are Stripe's shape (`cus_`, `sub_`, `si_`, `price_`, `prod_`, `in_`, `ch_`, `re_` and 14
letters and digits from an MD5 of the seed and our id), so a row reaches its customer only
through the identity map: one row per CRM customer that has a Stripe customer.

The native rows carry the generator's dirt; where a field becomes typed it changes shape: an
unreadable timestamp becomes a null one (staging then says missing_value rather than
invalid_timestamp), a refund's amount is positive by Stripe's definition (no sign to correct),
a refund's customer is its charge's (customer-id dirt on a refund row disappears), and an
unknown customer id becomes a Stripe customer without a mapping (unmapped_external_id rather
than unknown_customer_id). Every native row still gives exactly one landed row (duplicates
stay duplicates), so the landed tables reconcile like the native ones.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa

from chs.generator.layouts import write_table
from chs.landed.stripe import ADAPTER

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
ID_LENGTH = 14
DECIMALS = 12  # digits of unit_amount_decimal, as Stripe allows
# the native tables read: their timestamps date the extract (_fivetran_synced)
ACTIVITY = {
    "native_billing_subscriptions": ("started_at", "ended_at"),
    "native_billing_invoices": ("issued_at",),
    "native_billing_payments": ("attempted_at",),
}


def stripe_id(seed: int, prefix: str, native_id: str | None) -> str | None:
    """`cus_` and 14 base-62 characters of the MD5 of seed, prefix and our id."""
    if native_id is None:
        return None
    number = int.from_bytes(hashlib.md5(f"{seed}/{prefix}/{native_id}".encode()).digest(), "big")
    chars = []
    for _ in range(ID_LENGTH):
        number, digit = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[digit])
    return f"{prefix}_{''.join(chars)}"


def _register(con: duckdb.DuckDBPyConnection, seed: int) -> None:
    """SQL helpers on the shared connection (removed again by _unregister)."""

    def ids(prefixes: pa.Array, keys: pa.Array) -> pa.Array:
        return pa.array(
            [
                stripe_id(seed, prefix, key)
                for prefix, key in zip(prefixes.to_pylist(), keys.to_pylist(), strict=True)
            ],
            pa.string(),
        )

    con.create_function(
        "stripe_id", ids, ["VARCHAR", "VARCHAR"], "VARCHAR", type="arrow", side_effects=False
    )
    # an ISO-8601 string with offset as Fivetran lands a timestamp: naive UTC; unreadable: null
    con.execute(
        "create or replace temp macro stripe_ts(x) as"
        " (try_cast(x as timestamptz) at time zone 'UTC')"
    )
    # time of day of a timestamp, zero when it is null
    con.execute(
        "create or replace temp macro stripe_time_of_day(ts) as"
        " coalesce(ts - date_trunc('day', ts), interval 0 second)"
    )
    # our customer id as Stripe's; null and '' stay as they are (rows without a customer)
    con.execute(
        "create or replace temp macro stripe_customer(x) as"
        " case when nullif(trim(x), '') is null then x else stripe_id('cus', trim(x)) end"
    )
    # end of the monthly billing period running at `ref` (the first anniversary >= ref)
    con.execute(
        "create or replace temp macro stripe_period_end(start, ref) as case"
        " when start + to_months(greatest(date_diff('month', start, ref), 0)) >= ref"
        " then start + to_months(greatest(date_diff('month', start, ref), 0))"
        " else start + to_months(greatest(date_diff('month', start, ref), 0) + 1) end"
    )


def _unregister(con: duckdb.DuckDBPyConnection) -> None:
    for name in ("stripe_ts", "stripe_time_of_day", "stripe_customer", "stripe_period_end"):
        con.execute(f"drop macro if exists {name}")
    con.remove_function("stripe_id")


def _synced_at(con: duckdb.DuckDBPyConnection) -> datetime:
    """When the connector synced: midnight after the newest billing activity. Timestamps moved
    years into the future (dirt) lie beyond a gap of more than a year and are ignored."""
    union = " union ".join(
        f"select distinct cast(stripe_ts({column}) as date) as day from {view}"
        for view, columns in ACTIVITY.items()
        for column in columns
    )
    days: list[date] = [
        day
        for (day,) in con.execute(
            f"select day from ({union}) where day is not null order by 1"
        ).fetchall()
    ]
    newest = days[0] if days else date(1970, 1, 1)
    for day in days[1:]:
        if day - newest > timedelta(days=365):
            break
        newest = day
    return datetime.combine(newest + timedelta(days=1), time())


# One row per native subscription period, with its price: the per-seat amount in cents as
# Stripe's decimal string (exact to 12 decimals) and as an integer when it is whole.
PERIODS = """
create or replace temp view stripe_periods as
with amounts as (
    select
        *,
        cast(round(mrr_amount * 100) as bigint) as cents,
        nullif(abs(seats), 0) as per
    from native_billing_subscriptions
),
split as (
    select
        *,
        abs(cents) // per as whole,
        (abs(cents) % per * {twice_scale} + per) // (2 * per) as fraction
    from amounts
),
carried as (
    select
        *,
        whole + fraction // {scale} as units,
        fraction % {scale} as decimals
    from split
)
select
    *,
    case when cents < 0 then '-' else '' end || cast(units as varchar) || case
        when decimals = 0 then ''
        else '.' || rtrim(lpad(cast(decimals as varchar), {digits}, '0'), '0')
    end as unit_amount_decimal,
    case when abs(cents) % per = 0 then sign(cents) * (abs(cents) // per) end as unit_amount,
    plan_name || '|' || lower(currency) || '|' || unit_amount_decimal as price_key
from carried
"""


def _sql(synced: datetime) -> dict[str, str]:
    """The SELECT of each landed table, in the order of the adapter's tables."""
    at = f"timestamp '{synced.isoformat(sep=' ')}'"
    return {
        "customer": f"""
            with named as (
                select trim(customer_id) as customer_id, stripe_ts(started_at) as seen_at
                from native_billing_subscriptions
                union all
                select trim(customer_id), stripe_ts(issued_at) from native_billing_invoices
                union all
                select trim(customer_id), stripe_ts(attempted_at) from native_billing_payments
            )
            select
                stripe_id('cus', customer_id) as id,
                min(seen_at) as created,
                false as is_deleted,
                {at} as _fivetran_synced
            from named
            where nullif(customer_id, '') is not null
            group by customer_id
            order by all
        """,
        "subscription_history": f"""
            select
                stripe_id('sub', subscription_id) as id,
                stripe_customer(customer_id) as customer_id,
                stripe_ts(started_at) as start_date,
                stripe_ts(ended_at) as ended_at,
                cast(try_cast(renews_on as date) as timestamp)
                    + stripe_time_of_day(stripe_ts(started_at)) as cancel_at,
                stripe_period_end(
                    stripe_ts(started_at), coalesce(stripe_ts(ended_at), {at})
                ) as current_period_end,
                true as _fivetran_active,
                {at} as _fivetran_synced
            from stripe_periods
            order by all
        """,
        "subscription_item": f"""
            select distinct
                stripe_id('si', subscription_id) as id,
                stripe_id('sub', subscription_id) as subscription_id,
                stripe_id('price', price_key) as plan_id,
                seats as quantity,
                {at} as _fivetran_synced
            from stripe_periods
            order by all
        """,
        "price": f"""
            select distinct
                stripe_id('price', price_key) as id,
                stripe_id('prod', plan_name) as product_id,
                lower(currency) as currency,
                unit_amount,
                unit_amount_decimal,
                'month' as recurring_interval,
                1 as recurring_interval_count,
                false as is_deleted,
                {at} as _fivetran_synced
            from stripe_periods
            order by all
        """,
        "product": f"""
            select distinct
                stripe_id('prod', plan_name) as id,
                case
                    when plan_name = lower(plan_name)
                        then upper(left(plan_name, 1)) || substr(plan_name, 2)
                    else plan_name
                end as name,
                false as is_deleted,
                {at} as _fivetran_synced
            from stripe_periods
            order by all
        """,
        "invoice": f"""
            select
                stripe_id('in', invoice_id) as id,
                stripe_customer(customer_id) as customer_id,
                stripe_id('sub', subscription_id) as subscription_id,
                invoice_status as status,
                stripe_ts(issued_at) as created,
                cast(try_cast(due_on as date) as timestamp)
                    + stripe_time_of_day(stripe_ts(issued_at)) as due_date,
                cast(round(amount * 100) as bigint) as total,
                lower(currency) as currency,
                false as is_deleted,
                {at} as _fivetran_synced
            from native_billing_invoices
            order by all
        """,
        "charge": f"""
            select
                stripe_id('ch', payment_id) as id,
                stripe_customer(customer_id) as customer_id,
                stripe_id('in', invoice_id) as invoice_id,
                payment_status as status,
                stripe_ts(attempted_at) as created,
                cast(round(amount * 100) as bigint) as amount,
                lower(currency) as currency,
                {at} as _fivetran_synced
            from native_billing_payments
            where payment_status != 'refunded'
            order by all
        """,
        "refund": f"""
            with paid_by as (
                select invoice_id, min(payment_id) as payment_id
                from native_billing_payments
                where payment_status = 'succeeded'
                group by 1
            )
            select
                stripe_id('re', refunds.payment_id) as id,
                stripe_id('ch', paid_by.payment_id) as charge_id,
                'succeeded' as status,
                stripe_ts(refunds.attempted_at) as created,
                abs(cast(round(refunds.amount * 100) as bigint)) as amount,
                lower(refunds.currency) as currency,
                {at} as _fivetran_synced
            from native_billing_payments as refunds
            left join paid_by on refunds.invoice_id = paid_by.invoice_id
            where refunds.payment_status = 'refunded'
            order by all
        """,
    }


IDENTITY = """
select distinct 'stripe', stripe_id('cus', trim(customer_id)), trim(customer_id)
from native_crm_customers
where trim(customer_id) in (
    select trim(customer_id) from native_billing_subscriptions
    union
    select trim(customer_id) from native_billing_invoices
    union
    select trim(customer_id) from native_billing_payments
)
"""


def convert(
    con: duckdb.DuckDBPyConnection, out: Path, seed: int, counts: dict[str, int]
) -> list[tuple[str, str, str]]:
    """Write the landed stripe tables under `out` (rows into `counts` by relation); return
    the identity map rows (source_system, external_id, customer_id)."""
    specs = {spec.table: spec for spec in ADAPTER.tables}
    _register(con, seed)
    try:
        scale = 10**DECIMALS
        con.execute(PERIODS.format(scale=scale, twice_scale=2 * scale, digits=DECIMALS))
        for table, sql in _sql(_synced_at(con)).items():
            spec = specs[table]
            counts[spec.relation] = counts.get(spec.relation, 0) + write_table(con, sql, spec, out)
        identity = [tuple(row) for row in con.execute(IDENTITY).fetchall()]
        con.execute("drop view stripe_periods")
    finally:
        _unregister(con)
    return identity
