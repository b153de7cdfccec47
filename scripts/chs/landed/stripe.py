"""The tables a connector lands for this vendor (placeholder)."""

from __future__ import annotations

from chs.landed import Adapter

ADAPTER = Adapter(
    vendor="stripe",
    domain_var="billing_source",
    provides={},
    tables=(),
)
