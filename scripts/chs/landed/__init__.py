"""Source adapters: the tables connectors such as Fivetran land for other systems, and which
tables of the raw contract (chs.raw_tables) each adapter delivers.

A company whose billing runs on Stripe does not export our `billing/subscriptions` file: its
connector lands Stripe's own tables. The adapter models (models/staging/adapters/<vendor>/)
reshape those into the raw contract, switched on per domain by a dbt var (`billing_source:
stripe`); the base models then check, quarantine and reconcile them like native rows. Here,
per vendor: the dbt var, the landed tables with their columns (what the loader loads and the
generator writes) and, for each raw-contract table the adapter delivers, the landed tables
whose rows it is made of. macros/adapters/<vendor>_adapter.sql holds the same `provides` for
dbt; each vendor's tests/python/test_adapter_<vendor>.py keeps the two equal.

A layout names a set of vendors: `fivetran` is the simulated company as a Fivetran user has it
(Salesforce, Stripe, Zendesk and Segment), `native` the raw contract itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from chs.errors import UserError
from chs.raw_tables import RAW_TABLES, RawTable


@dataclass(frozen=True)
class Adapter:
    vendor: str  # dbt source name, models/staging/adapters/<vendor>/, value of the domain var
    domain_var: str  # the dbt var that switches the adapter on: billing_source
    provides: dict[str, tuple[str, ...]]  # 'billing.payments' -> ('stripe.charge', ...)
    tables: tuple[RawTable, ...]  # the landed tables (RawTable(source=vendor, ...))

    def __post_init__(self) -> None:
        contract = {spec.name for spec in RAW_TABLES}
        landed = {spec.name for spec in self.tables}
        for table, parts in self.provides.items():
            if table not in contract or not set(parts) <= landed:
                raise ValueError(f"{self.vendor}: {table} <- {parts} names an unknown table")


def _adapters() -> dict[str, Adapter]:
    from chs.landed import salesforce, segment, stripe, zendesk

    return {
        a.vendor: a for a in (salesforce.ADAPTER, stripe.ADAPTER, zendesk.ADAPTER, segment.ADAPTER)
    }


ADAPTERS: dict[str, Adapter] = _adapters()
LAYOUTS: dict[str, tuple[str, ...]] = {
    "native": (),
    "fivetran": ("salesforce", "stripe", "zendesk", "segment"),
}


def vendors_of(layout: str) -> tuple[str, ...]:
    """The vendors of a layout name (`fivetran`) or of a comma-separated list (`stripe,zendesk`)."""
    if layout in LAYOUTS:
        return LAYOUTS[layout]
    vendors = tuple(name.strip().lower() for name in layout.split(",") if name.strip())
    unknown = [name for name in vendors if name not in ADAPTERS]
    if unknown or not vendors:
        choices = ", ".join([*LAYOUTS, *ADAPTERS])
        raise UserError(
            f"layout {layout!r}: unknown {', '.join(unknown) or 'name'} (choose {choices})"
        )
    seen: dict[str, str] = {}
    for name in vendors:
        other = seen.setdefault(ADAPTERS[name].domain_var, name)
        if other != name:
            raise UserError(
                f"layout {layout!r}: {other} and {name} both set {ADAPTERS[name].domain_var}"
            )
    return vendors


def provided_by(vendors: Iterable[str]) -> dict[str, Adapter]:
    """Raw-contract tables (`billing.invoices`) delivered by the adapters of `vendors`."""
    return {table: ADAPTERS[v] for v in vendors for table in ADAPTERS[v].provides}


def tables_to_load(vendors: Iterable[str]) -> tuple[RawTable, ...]:
    """What the loader loads: the raw-contract tables no adapter delivers, then the landed ones."""
    vendors = tuple(vendors)
    provided = provided_by(vendors)
    native = tuple(spec for spec in RAW_TABLES if spec.name not in provided)
    return native + tuple(spec for v in vendors for spec in ADAPTERS[v].tables)


def dbt_vars(vendors: Iterable[str]) -> dict[str, str]:
    """The dbt vars that switch the adapters of `vendors` on."""
    return {ADAPTERS[v].domain_var: v for v in vendors}
