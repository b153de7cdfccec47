"""The Stripe source adapter (billing_source: stripe) on a small generated company.

One company is generated twice: natively, and with `layout=('stripe',)` (its billing as
Fivetran's Stripe connector lands it). The Stripe build also carries the cases the adapter must
survive: one customer's mapping removed from the identity map, a landed file without an
optional column (the loader fills it), a landed table without one (landed_columns fills it),
and hand-made rows with hand-worked amounts for a Stripe customer nobody mapped. Apart from
what those cases change by design, staged billing and scores equal the native build's.
"""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from adapter_company import dbt_adapter
from chs.dbt import DbtTarget, run_dbt
from chs.generator import generate
from chs.landed import ADAPTERS
from chs.loading import load_raw
from chs.raw_tables import LOADER_COLUMNS

COMPANY = {"customers": 80, "start": "2025-11-17", "end": "2026-11-15", "seed": 42, "quiet": True}
LOADED_AT = datetime(2026, 11, 16, 12)
STRIPE = ADAPTERS["stripe"]
MODELS = [
    "+stg_billing__subscriptions",
    "+stg_billing__invoices",
    "+stg_billing__payments",
    "+fct_customer_health_weekly",
    "+fct_customer_health_components",
]
ADAPTER_MODELS = [f"adapter_stripe__{name.replace('.', '_')}" for name in STRIPE.provides]
HAND = "cus_HandWorked00000001"  # a Stripe customer the identity map does not know
SYNCED = datetime(2026, 11, 16)

# Business columns of the staged tables, and the link each row carries to its parent, named by
# the parent's business columns (our ids and Stripe's differ by design).
SUBSCRIPTIONS = """
    select customer_id, plan_name, change_type, currency, seats, mrr_amount, renews_on,
        started_at, ended_at
    from staging.stg_billing__subscriptions"""
INVOICES = """
    select i.customer_id, i.invoice_status, i.currency, i.amount, i.due_on, i.issued_at,
        s.started_at as period_started_at
    from staging.stg_billing__invoices as i
    left join staging.stg_billing__subscriptions as s using (subscription_id)"""
PAYMENTS = """
    select p.customer_id, p.payment_status, p.currency, p.amount, p.attempted_at, p.is_refund,
        p.is_refund_sign_corrected, i.issued_at as invoice_issued_at
    from staging.stg_billing__payments as p
    left join staging.stg_billing__invoices as i using (invoice_id)"""


def _build(
    root: Path, raw: Path, vendors: tuple[str, ...], tests: list[str], exclude: list[str]
) -> DbtTarget:
    """Load `raw` and build the staged billing tables and the score marts (with `tests`)."""
    database = root / "warehouse.duckdb"
    load_raw(raw, database, loaded_at=LOADED_AT, vendors=vendors)
    if vendors:
        # A table a connector may land without an optional column: landed_columns() fills it.
        with duckdb.connect(str(database)) as con:
            con.execute("alter table raw.stripe_subscription_history drop column _fivetran_active")
    target = DbtTarget(
        database=database,
        work_dir=root,
        profiles_dir=root / "profiles",
        vars=tuple((ADAPTERS[v].domain_var, v) for v in vendors),
    )
    args = ["build", "--select", *MODELS, *tests, "--exclude", *exclude]
    run_dbt([*args, "--indirect-selection", "cautious"], target, quiet=True)
    return target


def _rewrite(path: Path, rows: list[dict] = (), drop: list[str] = (), keep=None) -> None:
    """Append `rows` to a Parquet file, drop columns, keep only the rows `keep` accepts."""
    table = pq.read_table(path)
    if rows:
        table = pa.concat_tables([table, pa.Table.from_pylist(list(rows), schema=table.schema)])
    if keep is not None:
        table = table.filter(pa.array([keep(row) for row in table.to_pylist()]))
    pq.write_table(table.drop_columns(list(drop)), path)


def _hand_worked(raw: Path) -> None:
    """Rows for HAND whose amounts are worked out in test_amounts_are_worked_out_by_hand."""
    stripe, day = raw / "stripe", datetime
    common = {"_fivetran_synced": SYNCED}
    _rewrite(stripe / "customer.parquet", [{"id": HAND, "created": day(2026, 1, 10), **common}])
    _rewrite(
        stripe / "product.parquet",
        [{"id": "prod_HandWorked", "name": "Growth", "is_deleted": False, **common}],
    )
    price = {"product_id": "prod_HandWorked", "currency": "eur", "is_deleted": False, **common}
    _rewrite(
        stripe / "price.parquet",
        [
            # 17.746 EUR per seat and month: not whole cents, so only the decimal is set
            {"id": "price_HandMonthly", "unit_amount": None, "unit_amount_decimal": "1774.6",
             "recurring_interval": "month", "recurring_interval_count": 1, **price},
            # 600 EUR per seat and year
            {"id": "price_HandYearly", "unit_amount": 60000, "unit_amount_decimal": "60000",
             "recurring_interval": "year", "recurring_interval_count": 1, **price},
        ],
    )  # fmt: skip
    subscription = {"customer_id": HAND, "_fivetran_active": True, **common}
    _rewrite(
        stripe / "subscription_history.parquet",
        [
            {"id": "sub_HandMonthly", "start_date": day(2026, 1, 10, 9), "cancel_at": None,
             "ended_at": day(2026, 3, 10, 9), "current_period_end": day(2026, 3, 10, 9),
             **subscription},
            {"id": "sub_HandYearly", "start_date": day(2026, 3, 10, 9), "ended_at": None,
             "cancel_at": day(2027, 3, 10, 9), "current_period_end": day(2027, 3, 10, 9),
             **subscription},
        ],
    )  # fmt: skip
    _rewrite(
        stripe / "subscription_item.parquet",
        [
            {"id": "si_HandMonthly", "subscription_id": "sub_HandMonthly",
             "plan_id": "price_HandMonthly", "quantity": 5, **common},
            {"id": "si_HandYearly", "subscription_id": "sub_HandYearly",
             "plan_id": "price_HandYearly", "quantity": 2, **common},
        ],
    )  # fmt: skip
    # Charged automatically: no due date. Uncollectible: not paid, given up on.
    _rewrite(
        stripe / "invoice.parquet",
        [{"id": "in_HandWorked", "customer_id": HAND, "subscription_id": "sub_HandMonthly",
          "status": "uncollectible", "created": day(2026, 2, 10, 9), "due_date": None,
          "total": 8873, "currency": "eur", "is_deleted": False, **common}],
    )  # fmt: skip
    charge = {"customer_id": HAND, "invoice_id": "in_HandWorked", "status": "succeeded", **common}
    _rewrite(
        stripe / "charge.parquet",
        [
            {"id": "ch_HandWorked", "created": day(2026, 2, 11, 9), "amount": 8873,
             "currency": "eur", **charge},
            # yen have no minor unit: 5000 is 5,000 JPY
            {"id": "ch_HandYen", "created": day(2026, 2, 12, 9), "amount": 5000,
             "currency": "jpy", **charge},
        ],
    )  # fmt: skip
    _rewrite(
        stripe / "refund.parquet",
        [{"id": "re_HandWorked", "charge_id": "ch_HandWorked", "status": "succeeded",
          "created": day(2026, 2, 20, 9), "amount": 2550, "currency": "eur", **common}],
    )  # fmt: skip


def _generate(folder: Path, layout: tuple[str, ...] = ()) -> Path:
    generate(**COMPANY, dirt_rate=0, out=folder / "raw", truth_out=folder / "truth", layout=layout)
    return folder / "raw"


@pytest.fixture(scope="module")
def company(tmp_path_factory):
    root = tmp_path_factory.mktemp("adapter_stripe")
    native_raw = _generate(root / "native")
    stripe_raw = _generate(root / "stripe", ("stripe",))
    again = _generate(root / "again", ("stripe",))
    generated, regenerated = (
        {path.relative_to(raw): path.read_bytes() for path in raw.rglob("*.parquet")}
        for raw in (stripe_raw, again)
    )

    # The unmapped customer: in the smallest segment (scores of its segment rank against it),
    # the one with the most charges.
    with duckdb.connect() as con:
        unmapped, external = con.execute(
            f"""
            with charges as (
                select m.customer_id, m.external_id, crm.segment, count(*) as charges
                from '{stripe_raw}/identity/customer_id_map.parquet' as m
                inner join '{stripe_raw}/crm/customers.parquet' as crm using (customer_id)
                inner join '{stripe_raw}/stripe/charge.parquet' as c
                    on c.customer_id = m.external_id
                group by all
            )
            select customer_id, external_id from charges
            order by count(*) over (partition by segment), charges desc, customer_id
            limit 1
            """
        ).fetchone()
    _rewrite(
        stripe_raw / "identity" / "customer_id_map.parquet",
        keep=lambda row: row["customer_id"] != unmapped,
    )
    _hand_worked(stripe_raw)
    # A file without an optional column: the loader fills it with typed nulls.
    _rewrite(stripe_raw / "stripe" / "invoice.parquet", drop=["is_deleted"])

    # Native: the models only. Stripe: with the staging tests and the reconciliation test.
    native = _build(
        root / "native", native_raw, (), [], ["resource_type:test", "resource_type:unit_test"]
    )
    stripe = _build(
        root / "stripe",
        stripe_raw,
        ("stripe",),
        ["+fct_staging_reconciliation", "assert_every_raw_row_accounted_for"],
        ["resource_type:unit_test"],
    )
    return SimpleNamespace(
        root=root,
        native=native.database,
        stripe=stripe.database,
        stripe_target=stripe,
        unmapped=unmapped,
        external=external,
        generated=generated,
        regenerated=regenerated,
    )


def _rows(database: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as con:
        return sorted(con.execute(sql, params or []).fetchall(), key=repr)


def test_python_and_dbt_registries_agree():
    macro = dbt_adapter("stripe")
    assert macro["var"] == STRIPE.domain_var == "billing_source"
    assert {table: tuple(parts) for table, parts in macro["provides"].items()} == STRIPE.provides
    duckdb_types = {
        "bool": "boolean",
        "timestamp[us]": "timestamp",
        "int64": "bigint",
        "string": "varchar",
    }
    optional = {
        spec.table: [(column, duckdb_types[spec.kind(column)]) for column in spec.optional]
        for spec in STRIPE.tables
        if spec.optional
    }
    assert {table: list(map(tuple, columns)) for table, columns in macro["optional"].items()} == (
        optional
    )
    required = {spec.name for spec in STRIPE.tables if spec.required}
    assert required == {
        "stripe.subscription_history",
        "stripe.subscription_item",
        "stripe.price",
        "stripe.product",
    }


def test_stripe_sources_and_models_are_off_while_billing_is_native(company):
    """Read from the manifests the two builds wrote: billing_source switches them."""

    def stripe_nodes(manifest: dict) -> set[str]:
        return {
            unique_id
            for unique_id in [*manifest["sources"], *manifest["nodes"], *manifest["disabled"]]
            if unique_id.startswith(("source.customer_health.stripe.", "model.customer_health."))
            and ".stripe." in unique_id.replace("adapter_stripe__", ".stripe.")
        }

    native, stripe = (
        json.loads((company.root / build / "target" / "manifest.json").read_text())
        for build in ("native", "stripe")
    )
    expected = {f"source.customer_health.{spec.name}" for spec in STRIPE.tables} | {
        f"model.customer_health.{model}" for model in ADAPTER_MODELS
    }
    assert stripe_nodes(native) == set(native["disabled"]) & expected == expected
    assert stripe_nodes(stripe) == expected and not set(stripe["disabled"]) & expected


def test_landed_files_are_deterministic_with_stripe_ids(company):
    assert company.generated == company.regenerated  # byte for byte
    assert {str(path) for path in company.generated} >= {spec.file for spec in STRIPE.tables}
    prefixes = {
        "customer": "cus_", "subscription_history": "sub_", "subscription_item": "si_",
        "price": "price_", "product": "prod_", "invoice": "in_", "charge": "ch_", "refund": "re_",
    }  # fmt: skip
    with duckdb.connect(str(company.stripe), read_only=True) as con:
        for spec in STRIPE.tables:
            ids = [i for (i,) in con.execute(f"select id from raw.{spec.relation}").fetchall()]
            assert ids and all(i.startswith(prefixes[spec.table]) for i in ids), spec.table
        ours = con.execute(
            "select count(*) from raw.stripe_invoice as i inner join raw.identity_customer_id_map"
            " as m on i.customer_id = m.customer_id"
        ).fetchone()[0]
        mapped = con.execute("select count(*) from raw.identity_customer_id_map").fetchone()[0]
        presence = con.execute(
            "select relation, provided_by, is_required from raw._source_presence"
            " where relation like 'billing_%' order by 1"
        ).fetchall()
    assert ours == 0  # Stripe ids never equal ours: rows reach customers only through the map
    assert mapped == COMPANY["customers"] - 1  # all but the unmapped one
    assert presence == [
        ("billing_invoices", "stripe", False),
        ("billing_payments", "stripe", False),
        ("billing_subscriptions", "stripe", True),
    ]


def test_staged_billing_equals_native_but_for_the_unmapped_customer(company):
    for sql in (SUBSCRIPTIONS, INVOICES, PAYMENTS):
        native = [row for row in _rows(company.native, sql) if row[0] != company.unmapped]
        stripe = _rows(company.stripe, sql)
        assert len(native) > 100
        assert stripe == native, sql


def test_change_types_round_trip(company):
    sql = "select change_type, count(*) from staging.stg_billing__subscriptions group by 1"
    stripe = dict(_rows(company.stripe, sql))
    assert stripe.keys() == {"new", "renewal", "upgrade", "downgrade"}


def test_scores_equal_native_but_for_ranks_against_the_unmapped_customer(company):
    """The unmapped customer's billing is quarantined, so its revenue is not the native one;
    percentile-normalised indicators rank each customer against its segment, that customer
    included. Every other number is the native one."""
    weekly = (
        "select customer_id, week_start, round(health_score, 9), health_band, segment"
        " from marts.fct_customer_health_weekly"
    )
    native = [row for row in _rows(company.native, weekly) if row[0] != company.unmapped]
    stripe = _rows(company.stripe, weekly)
    (segment,) = {row[4] for row in _rows(company.native, weekly) if row[0] == company.unmapped}
    assert {row[:2] for row in stripe} == {row[:2] for row in native}  # the rest is scored
    outside = [row for row in native if row[4] != segment]
    assert len(outside) > 300
    assert [row for row in stripe if row[4] != segment] == outside
    components = (
        "select customer_id, week_start, indicator_key, round(raw_value, 9),"
        " case when normalisation_method != 'percentile' then round(normalised_score, 9) end"
        " from marts.fct_customer_health_components where customer_id != ?"
    )
    assert _rows(company.stripe, components, [company.unmapped]) == _rows(
        company.native, components, [company.unmapped]
    )


def test_an_unmapped_stripe_customer_is_quarantined_and_reconciled(company):
    with duckdb.connect(str(company.stripe), read_only=True) as con:
        for name, parts in STRIPE.provides.items():
            table = name.split(".")[1]
            base = f"staging.base_billing__{table}"
            verdicts = con.execute(
                f"select row_status, quarantine_reason, count(*) from {base}"
                " where _external_id = ? group by all",
                [company.external],
            ).fetchall()
            assert verdicts and {v[:2] for v in verdicts} == {
                ("quarantined", "unmapped_external_id")
            }, name
            raw = sum(
                con.execute(f"select count(*) from raw.{part.replace('.', '_')}").fetchone()[0]
                for part in parts
            )
            counted = con.execute(f"select count(*) from {base}").fetchone()[0]
            assert raw == counted, name  # each landed row gives exactly one row
            reconciled = con.execute(
                "select raw_rows, staged_rows + quarantined_rows + duplicate_rows"
                " from data_quality.fct_staging_reconciliation where source_table = ?",
                [name],
            ).fetchone()
            assert reconciled == (raw, raw), name
        scored = con.execute(
            "select count(*) from marts.fct_customer_health_weekly where customer_id = ?",
            [company.unmapped],
        ).fetchone()[0]
    assert scored == 0  # without subscriptions it has no subscribed week


def test_missing_optional_columns_become_typed_nulls(company):
    with duckdb.connect(str(company.stripe), read_only=True) as con:
        # the file lacked is_deleted: the loader created the column as a boolean of nulls
        kind, values = con.execute(
            "select any_value(typeof(is_deleted)), count(is_deleted) from raw.stripe_invoice"
        ).fetchone()
        # the raw table lacks _fivetran_active: the adapter reads it as a typed null, and
        # every version counts as the latest (its row id is the landed row's)
        columns = {
            name
            for (name,) in con.execute(
                "select column_name from information_schema.columns"
                " where table_schema = 'raw' and table_name = 'stripe_subscription_history'"
            ).fetchall()
        }
        negative = con.execute(
            "select count(*) from staging.base_billing__subscriptions where _row_id < 0"
        ).fetchone()[0]
    assert (kind, values) == ("BOOLEAN", 0)
    assert "_fivetran_active" not in columns and negative == 0


def test_amounts_are_worked_out_by_hand(company):
    subscriptions = _rows(
        company.stripe,
        "select subscription_id, plan_name, seats, mrr_amount, currency, change_type,"
        " renews_on, started_at from staging.base_billing__subscriptions"
        " where _external_id = ?",
        [HAND],
    )
    invoices = _rows(
        company.stripe,
        "select invoice_id, amount, currency, invoice_status, due_on, issued_at"
        " from staging.base_billing__invoices where _external_id = ?",
        [HAND],
    )
    payments = _rows(
        company.stripe,
        "select payment_id, invoice_id, amount, currency, payment_status, attempted_at"
        " from staging.base_billing__payments where _external_id = ?",
        [HAND],
    )
    day = datetime
    # 5 seats x 1774.6 cents = 8873 cents = 88.73 EUR a month; renews with its billing period.
    # 2 seats x 60000 cents a year / 12 = 10000 cents = 100.00 EUR a month: above 88.73.
    assert subscriptions == [
        ("sub_HandMonthly", "growth", 5, Decimal("88.73"), "EUR", "new",
         day(2026, 3, 10).date(), day(2026, 1, 10, 9)),
        ("sub_HandYearly", "growth", 2, Decimal("100.00"), "EUR", "upgrade",
         day(2027, 3, 10).date(), day(2026, 3, 10, 9)),
    ]  # fmt: skip
    # uncollectible is still unpaid: open; charged automatically: due when created
    assert invoices == [
        ("in_HandWorked", Decimal("88.73"), "EUR", "open", day(2026, 2, 10).date(),
         day(2026, 2, 10, 9)),
    ]  # fmt: skip
    # 2550 cents refunded: a refunded payment of -25.50 EUR on the charge's invoice;
    # 5000 JPY (no minor unit) stay 5000
    assert payments == [
        ("ch_HandWorked", "in_HandWorked", Decimal("88.73"), "EUR", "succeeded",
         day(2026, 2, 11, 9)),
        ("ch_HandYen", "in_HandWorked", Decimal("5000.00"), "JPY", "succeeded",
         day(2026, 2, 12, 9)),
        ("re_HandWorked", "in_HandWorked", Decimal("-25.50"), "EUR", "refunded",
         day(2026, 2, 20, 9)),
    ]  # fmt: skip


def test_a_fivetran_schema_is_read_with_the_schema_and_prefix_vars(company, tmp_path):
    """Unprefixed tables in schema stripe without the loader's columns, as Fivetran lands
    them, and only the schema and prefix vars: the adapter models give the same rows (their
    row ids and load times aside)."""
    database = tmp_path / "warehouse.duckdb"  # the catalog the views name
    shutil.copyfile(company.stripe, database)
    with duckdb.connect(str(database)) as con:
        con.execute("create schema stripe")
        for spec in STRIPE.tables:
            con.execute(
                f"create table stripe.{spec.table} as select * exclude"
                f" ({', '.join(LOADER_COLUMNS)}) from raw.{spec.relation}"
            )
        before = {
            model: sorted(
                con.execute(
                    f"select * exclude (_row_id, _loaded_at) from staging.{model}"
                ).fetchall(),
                key=repr,
            )
            for model in ADAPTER_MODELS
        }
    target = DbtTarget(
        database=database,
        work_dir=tmp_path,
        profiles_dir=company.stripe_target.profiles_dir,
        vars=(
            ("billing_source", "stripe"),
            ("stripe_schema", "stripe"),
            ("stripe_table_prefix", ""),
        ),
    )
    run_dbt(["run", "--select", *ADAPTER_MODELS], target, quiet=True)
    with duckdb.connect(str(database), read_only=True) as con:
        for model in ADAPTER_MODELS:
            after = sorted(
                con.execute(
                    f"select * exclude (_row_id, _loaded_at) from staging.{model}"
                ).fetchall(),
                key=repr,
            )
            assert after == before[model], model
            # row ids numbered by the landed columns, _loaded_at from _fivetran_synced
            ids, unique, loaded = con.execute(
                f"select count(_row_id), count(distinct _row_id), count(_loaded_at)"
                f" from staging.{model}"
            ).fetchone()
            assert ids == unique == loaded == len(after), model
