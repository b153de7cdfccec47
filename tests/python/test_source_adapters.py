"""The source-adapter switches: layout names, the domain vars, and the required-table guard."""

from __future__ import annotations

import shutil

import pytest
from chs.dbt import DbtTarget, run_dbt
from chs.errors import UserError
from chs.landed import ADAPTERS, LAYOUTS, dbt_vars, tables_to_load, vendors_of
from chs.raw_tables import RAW_TABLES


def test_layout_names_and_vendor_lists():
    assert vendors_of("native") == ()
    assert vendors_of("fivetran") == ("salesforce", "stripe", "zendesk", "segment")
    assert vendors_of("Stripe, zendesk") == ("stripe", "zendesk")
    assert dbt_vars(["stripe", "segment"]) == {
        "billing_source": "stripe",
        "events_source": "segment",
    }
    with pytest.raises(UserError, match="unknown shopify"):
        vendors_of("stripe,shopify")


def test_every_layout_vendor_is_an_adapter_with_its_own_domain():
    for vendors in LAYOUTS.values():
        assert set(vendors) <= set(ADAPTERS)
        assert len({ADAPTERS[v].domain_var for v in vendors}) == len(vendors)


def test_a_delivered_table_is_loaded_from_the_vendor_instead():
    native = {spec.name for spec in tables_to_load(())}
    assert native == {spec.name for spec in RAW_TABLES}
    for vendor, adapter in ADAPTERS.items():
        loaded = {spec.name for spec in tables_to_load([vendor])}
        assert not set(adapter.provides) & loaded
        assert {spec.name for spec in adapter.tables} <= loaded


@pytest.fixture
def fixture_copy(fixture_build, tmp_path):
    """A private copy of the built fixture warehouse, for builds with other vars."""
    database = tmp_path / "warehouse.duckdb"
    shutil.copyfile(fixture_build["database"], database)
    return DbtTarget(database=database, work_dir=tmp_path, profiles_dir=tmp_path / "profiles")


def test_switching_off_a_required_table_fails_the_build(fixture_copy):
    run_dbt(["build", "--select", "stg_loader__source_presence+1"], fixture_copy, quiet=True)
    switched = DbtTarget(
        **{**fixture_copy.__dict__, "vars": (("disabled_sources", ["crm_customers"]),)}
    )
    with pytest.raises(UserError, match="failed"):
        run_dbt(
            ["build", "--select", "stg_loader__source_presence", "assert_required_tables_present"],
            switched,
            quiet=True,
        )


def test_an_unknown_vendor_in_a_domain_var_is_a_compile_error(fixture_copy):
    target = DbtTarget(**{**fixture_copy.__dict__, "vars": (("billing_source", "chargebee"),)})
    with pytest.raises(UserError, match="chargebee cannot deliver billing"):
        run_dbt(["compile", "--select", "base_billing__invoices"], target, quiet=True)
