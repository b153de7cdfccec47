"""Segment as its warehouse destination lands it (and Fivetran's Segment connector): one row
per `track` call in `tracks` and per `group` call in `groups`, timestamps typed in UTC.

product.usage_events is made of `tracks` rows, one adapter row each: the message id is the
event id, the standardised `event` name the feature, `timestamp` (Segment's skew-corrected
event time) the moment it happened. `groups` only says which account (group) each user belongs
to, a lookup, so it is not part of `provides`. A call without a user id is anonymous and names
no customer (its `anonymous_id`, a device id, is not read). `event_text` is not landed by
every pipeline, hence optional; so is `uuid_ts`, the destination's load time. Only the columns
the adapter reads are kept, plus that system column.
"""

from __future__ import annotations

from chs.landed import Adapter
from chs.raw_tables import STRING, TIMESTAMP, RawTable

TRACKS = RawTable(
    "segment",
    "tracks",
    "id",
    (
        ("id", STRING),
        ("user_id", STRING),
        ("event", STRING),
        ("event_text", STRING),
        ("timestamp", TIMESTAMP),
        ("received_at", TIMESTAMP),
        ("uuid_ts", TIMESTAMP),
    ),
    required=True,
    activity_at="timestamp",
    optional=("event_text", "uuid_ts"),
)
GROUPS = RawTable(
    "segment",
    "groups",
    "id",
    (
        ("id", STRING),
        ("user_id", STRING),
        ("group_id", STRING),
        ("timestamp", TIMESTAMP),
        ("received_at", TIMESTAMP),
        ("uuid_ts", TIMESTAMP),
    ),
    optional=("uuid_ts",),
)

ADAPTER = Adapter(
    vendor="segment",
    domain_var="events_source",
    provides={"product.usage_events": ("segment.tracks",)},
    tables=(TRACKS, GROUPS),
)
