"""The Salesforce adapter (crm_source: salesforce) on a small simulated company.

The company is built natively and with its CRM as Fivetran lands Salesforce (adapter_company).
The Salesforce build stages the same customers and gives the same scores; the documented
differences are the CSM (the owner's name instead of `csm_NN`) and the subsidiaries the
layout adds, which are rolled up to their parent's customer and quarantined. Its landed
account file also lacks the optional billing_country_code (every country then comes from
the billing_country name) and holds one account nobody mapped.
"""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from adapter_company import (
    COMPANY,
    CUSTOMERS,
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
    rewrite,
)
from chs.generator.catalogue import CSM_OWNERS
from chs.generator.layouts import write_layout
from chs.generator.layouts.salesforce import OWNER_NAMES
from chs.landed import ADAPTERS
from chs.raw_tables import RAW_TABLES

UNMAPPED_ACCOUNT = "001Dn00000Zq9XbIAJ"  # an account nobody put in the identity map
SALESFORCE_ID = re.compile(r"^(001|003|005)Dn0[0-9A-Za-z]{9}[A-Z0-5]{3}$")


def _edit(raw):
    account = landed_table(raw, "salesforce_account")
    rewrite(account, lambda table: table.drop_columns(["billing_country_code"]))
    append_rows(
        account,
        [
            {
                "id": UNMAPPED_ACCOUNT,
                "name": "Unmapped Ventures Ltd",
                "billing_country": "Germany",
                "customer_segment_c": "SMB",
                "business_type_c": "SaaS",
                "created_date": datetime(2026, 1, 5, 9),
                "last_modified_date": datetime(2026, 1, 5, 9),
                "is_deleted": False,
            }
        ],
    )


@pytest.fixture(scope="module")
def native(tmp_path_factory) -> Build:
    return native_build(tmp_path_factory)


@pytest.fixture(scope="module")
def salesforce(tmp_path_factory) -> Build:
    return build(
        tmp_path_factory.mktemp("adapter_salesforce"),
        ("salesforce",),
        edit_files=_edit,
        # as a connector would land it: the column is not there at all
        edit_raw=["alter table raw.salesforce_account drop column billing_country_code"],
    )


def test_python_and_dbt_agree_on_what_the_adapter_provides():
    adapter = ADAPTERS["salesforce"]
    dbt = dbt_adapter("salesforce")
    assert dbt["var"] == adapter.domain_var == "crm_source"
    assert {table: tuple(parts) for table, parts in dbt["provides"].items()} == adapter.provides
    assert adapter.provides == {"crm.customers": ("salesforce.account",)}
    assert [spec.relation for spec in adapter.tables if spec.required] == ["salesforce_account"]


def test_the_adapter_is_switched_off_in_a_native_build(native):
    manifest = native.manifest()
    assert not [
        key for key in manifest["sources"] if key.startswith("source.customer_health.salesforce.")
    ]
    assert "model.customer_health.adapter_salesforce__crm_customers" not in manifest["nodes"]
    assert "model.customer_health.adapter_salesforce__crm_customers" in manifest["disabled"]
    assert "source.customer_health.salesforce.account" in manifest["disabled"]


def test_the_adapter_delivers_exactly_the_contract_columns(salesforce):
    contract = next(spec for spec in RAW_TABLES if spec.name == "crm.customers")
    columns = adapter_columns(salesforce, "adapter_salesforce__crm_customers")
    assert [c for c, _ in columns] == [*contract.columns, "_row_id", "_loaded_at", "_external_id"]
    # every contract column is text (timestamps too), as in a native export
    assert {t for c, t in columns if c in contract.columns} == {"VARCHAR"}
    assert dict(columns)["_row_id"] == "BIGINT"


def test_customers_are_staged_as_from_the_native_export(native, salesforce):
    only_native, only_salesforce = differences(native, salesforce, CUSTOMERS)
    assert not only_native and not only_salesforce
    assert len(salesforce.query(CUSTOMERS)) == COMPANY["customers"]
    # The CSM is the owner's name.
    owners = dict(zip(CSM_OWNERS, OWNER_NAMES, strict=True))
    csm = "select customer_id, csm_owner from staging.stg_crm__customers"
    expected = {(customer, owners[owner]) for customer, owner in native.query(csm)}
    assert set(salesforce.query(csm)) == expected


def test_scores_are_the_native_scores(native, salesforce):
    only_native, only_salesforce = differences(native, salesforce, SCORES)
    assert not only_native and not only_salesforce
    assert len(salesforce.query(SCORES)) > 1000


def test_subsidiaries_are_rolled_up_to_their_parents_customer(native, salesforce):
    accounts = dict(salesforce.query("select id, parent_id from raw.salesforce_account"))
    mapped = dict(
        salesforce.query(
            "select external_id, customer_id from raw.identity_customer_id_map"
            " where source_system = 'salesforce'"
        )
    )
    children = salesforce.query(
        "select _external_id, customer_id, segment, updated_at from staging.base_crm__customers"
        " where quarantine_reason = 'rolled_up_child_account'"
    )
    depths = []
    for account, customer, _, _ in children:
        assert account not in mapped
        ancestor, depth = account, 0
        while ancestor not in mapped:
            ancestor, depth = accounts[ancestor], depth + 1
        assert customer == mapped[ancestor]
        depths.append(depth)
    assert sorted(set(depths)) == [1, 2]  # children and a grandchild
    assert len(children) == len([a for a, parent in accounts.items() if parent])
    # Each child is newer than its parent and has another segment: had it not been
    # quarantined, it would have won the customer's row (checked equal to native above).
    parents = {customer for _, customer, _, _ in children}
    staged = dict(
        salesforce.query(
            "select customer_id, updated_at from staging.stg_crm__customers"
            f" where customer_id in ({', '.join(repr(c) for c in parents)})"
        )
    )
    assert all(updated > staged[customer] for _, customer, _, updated in children)
    # The parents' scores and data issues are the native ones.
    issues = (
        "select customer_id, has_data_issues from marts.dim_customers"
        f" where customer_id in ({', '.join(repr(c) for c in parents)})"
    )
    assert salesforce.query(issues) and set(salesforce.query(issues)) == set(native.query(issues))
    assert not any(has_issues for _, has_issues in salesforce.query(issues))


def test_an_unmapped_account_is_quarantined_and_every_row_accounted_for(salesforce):
    assert salesforce.query(
        "select customer_id, quarantine_reason, quarantine_column"
        " from staging.base_crm__customers where _external_id = ?",
        [UNMAPPED_ACCOUNT],
    ) == [(None, "unmapped_external_id", "customer_id")]
    assert salesforce.query(
        "select count(*) from data_quality.fct_quarantined_rows"
        " where source_table = 'crm.customers' and external_id = ?",
        [UNMAPPED_ACCOUNT],
    ) == [(1,)]
    raw, staged, quarantined, duplicates = reconciliation(salesforce, "crm.customers")
    landed = salesforce.query("select count(*) from raw.salesforce_account")[0][0]
    assert raw == landed == staged + quarantined + duplicates
    assert staged == COMPANY["customers"]
    # One adapter row per landed row, under the landed row's id.
    assert salesforce.query(
        "select list(_row_id order by _row_id) from staging.adapter_salesforce__crm_customers"
    ) == salesforce.query("select list(_row_id order by _row_id) from raw.salesforce_account")


def test_a_missing_optional_column_reads_as_null(salesforce):
    columns = [
        c
        for (c,) in salesforce.query(
            "select column_name from information_schema.columns"
            " where table_schema = 'raw' and table_name = 'salesforce_account'"
        )
    ]
    assert "billing_country_code" not in columns
    assert "billing_country" in columns
    # every staged customer still has its country, from the name (compared with native above)
    assert salesforce.query(
        "select count(*) from staging.stg_crm__customers where country_code is null"
    ) == [(0,)]


def test_the_layout_is_deterministic_and_has_salesforce_ids(native, salesforce, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    write_layout(native.raw, first, ["salesforce"], COMPANY["seed"])
    write_layout(native.raw, second, ["salesforce"], COMPANY["seed"])
    for spec in ADAPTERS["salesforce"].tables:
        assert (first / spec.file).read_bytes() == (second / spec.file).read_bytes()
    # generate(layout=...) wrote the same owners and contacts from the same company
    for relation in ("salesforce_user", "salesforce_contact"):
        assert landed_table(first, relation).read_bytes() == (
            landed_table(salesforce.raw, relation).read_bytes()
        )
    ids = salesforce.query(
        "select id from raw.salesforce_account union all select owner_id from"
        " raw.salesforce_account where owner_id is not null union all select id from"
        " raw.salesforce_contact"
    )
    assert all(SALESFORCE_ID.match(value) for (value,) in ids if value != UNMAPPED_ACCOUNT)
    customers = {c for (c,) in native.query("select customer_id from staging.stg_crm__customers")}
    assert not customers & {value for (value,) in ids}
    mapped = salesforce.query(
        "select customer_id, count(*) from raw.identity_customer_id_map"
        " where source_system = 'salesforce' group by 1"
    )
    assert {customer for customer, _ in mapped} == customers
    assert {count for _, count in mapped} == {1}
