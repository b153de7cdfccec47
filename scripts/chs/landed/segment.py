"""The tables a connector lands for this vendor (placeholder)."""

from __future__ import annotations

from chs.landed import Adapter

ADAPTER = Adapter(
    vendor="segment",
    domain_var="events_source",
    provides={},
    tables=(),
)
