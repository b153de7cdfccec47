"""The tables a connector lands for this vendor (placeholder)."""

from __future__ import annotations

from chs.landed import Adapter

ADAPTER = Adapter(
    vendor="salesforce",
    domain_var="crm_source",
    provides={},
    tables=(),
)
