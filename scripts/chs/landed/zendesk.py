"""The tables a connector lands for this vendor (placeholder)."""

from __future__ import annotations

from chs.landed import Adapter

ADAPTER = Adapter(
    vendor="zendesk",
    domain_var="support_source",
    provides={},
    tables=(),
)
