"""support/tickets: more, more urgent and worse-handled tickets when health is low.

Customers about to churn for support_experience get more and worse-handled tickets in their
last 16 weeks (Chunk.support_stress). Health and that stress are read as the support family
sees them (Chunk.seen): the stress effects scale with the family's strength.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from chs.generator.chunk import Chunk, Counters, categorical, local_tod
from chs.generator.dirt import CHANNEL_VARIANTS, PRIORITY_VARIANTS, Dirt
from chs.generator.formatting import fmt_ids, fmt_ts, take
from chs.generator.output import Sink
from chs.generator.window import DAY

PRIORITIES = ["low", "normal", "high", "urgent"]
STATUSES = ["open", "pending", "solved", "closed"]
CHANNELS = ["email", "chat", "phone", "portal"]


@dataclass(frozen=True)
class _Tickets:
    cust: np.ndarray
    opened: np.ndarray
    priority: np.ndarray
    channel: np.ndarray
    escalated: np.ndarray
    first_resp: np.ndarray
    resolved: np.ndarray
    responded: np.ndarray
    is_resolved: np.ndarray
    status: np.ndarray
    rated: np.ndarray
    rating: np.ndarray
    ids: pa.Array


def write_tickets(ch: Chunk, dirt: Dirt, sinks: dict[str, Sink], ctr: Counters) -> None:
    sinks["tickets"].write(_tickets_table(ch, dirt, _simulate_tickets(ch, ctr)))


def _simulate_tickets(ch: Chunk, ctr: Counters) -> _Tickets:
    rng, win = ch.rng, ch.win
    stress_w = 1 - ch.seen.health("support") / 100
    looming = ch.seen.stress("support", ch.support_stress)  # 0-1 at strength <= 1
    rate = np.array([0.08, 0.25, 0.7])[ch.segment][:, None] * (0.4 + 3.0 * stress_w**2)
    rate = rate * (1.0 + 1.5 * looming)
    c, w = ch.weekly_draws(rate)
    opened, ok = ch.place_in_week(c, w, local_tod(rng, len(c), 12.5, 3.0))
    c, w, opened = c[ok], w[ok], opened[ok]
    order = np.lexsort((opened, c))
    c, w, opened = c[order], w[order], opened[order]
    n = len(c)
    s = stress_w[c, w]
    sup = looming[c, w]
    priority, channel, esc = _triage(rng, s, sup, ch.segment[c])
    first_resp, resolved = _handling_times(rng, opened, priority, esc, s, sup)
    responded = first_resp < win.end_sec
    is_resolved = responded & (resolved < win.end_sec)
    status = np.where(
        ~responded,
        0,
        np.where(~is_resolved, 1, np.where(resolved >= win.end_sec - 4 * DAY, 2, 3)),
    )
    rated = is_resolved & (rng.random(n) < 0.3)
    rating = np.clip(
        np.round(1.2 + 3.8 * (1 - s) + rng.normal(0, 0.7, n) - 0.8 * esc - 1.0 * sup), 1, 5
    ).astype(np.int64)
    ids = fmt_ids("T", ctr.ticket + 1 + np.arange(n), 9)
    ctr.ticket += n
    return _Tickets(
        cust=c,
        opened=opened,
        priority=priority,
        channel=channel,
        escalated=esc,
        first_resp=first_resp,
        resolved=resolved,
        responded=responded,
        is_resolved=is_resolved,
        status=status,
        rated=rated,
        rating=rating,
        ids=ids,
    )


def _triage(
    rng: np.random.Generator, s: np.ndarray, sup: np.ndarray, segment: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Priority, channel (Enterprise phones more) and escalation of each ticket."""
    n = len(s)
    pr_logit = np.array([-1.5, 0.0, 1.2, 2.0])[None, :] * s[:, None]
    pr_p = np.array([0.30, 0.45, 0.18, 0.07])[None, :] * np.exp(pr_logit)
    priority = categorical(rng, pr_p)
    ch_p = np.tile([0.40, 0.30, 0.10, 0.20], (n, 1))
    ch_p[:, 2] += np.where(segment == 2, 0.15, 0.0)
    channel = categorical(rng, ch_p)
    esc = rng.random(n) < 0.02 + 0.3 * s**2 + 0.1 * (priority == 3) + 0.1 * sup
    return priority, channel, esc


def _handling_times(
    rng: np.random.Generator,
    opened: np.ndarray,
    priority: np.ndarray,
    esc: np.ndarray,
    s: np.ndarray,
    sup: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """First response and resolution: slower at low priority, under stress and when escalated."""
    n = len(opened)
    resp_h = np.array([10.0, 5.0, 1.5, 0.4])[priority] * (1 + 1.5 * s) * (1 + sup)
    first_resp = opened + (resp_h * 3600 * np.exp(rng.normal(0, 0.8, n))).astype(np.int64) + 60
    res_d = (
        np.array([1.5, 1.0, 0.7, 0.5])[priority] * (1 + 3 * s) * np.where(esc, 2.0, 1.0) * (1 + sup)
    )
    resolved = first_resp + (res_d * DAY * np.exp(rng.normal(0, 0.9, n))).astype(np.int64)
    return first_resp, resolved


def _tickets_table(ch: Chunk, dirt: Dirt, t: _Tickets) -> pa.Table:
    n, ids, win = len(t.cust), t.ids, ch.win
    rating_d = t.rating.copy()
    oor = dirt.mask(n, t.rated)
    rating_d[oor] = np.where(dirt.rng.random(int(oor.sum())) < 0.5, 0, 7)
    dirt.record("tickets", ids, oor, "satisfaction_rating", "out_of_range")
    opened_d = t.opened.copy()
    invalid, future = dirt.mask2(n)
    dirt.future("tickets", ids, "opened_at", opened_d, future, win.end_sec)
    off = ch.offset[t.cust]
    tbl = pa.table(
        {
            "ticket_id": ids,
            "customer_id": ch.cust_ids.take(pa.array(t.cust)),
            "opened_at": fmt_ts(opened_d, off),
            "first_response_at": fmt_ts(t.first_resp, off, t.responded),
            "resolved_at": fmt_ts(t.resolved, off, t.is_resolved),
            "priority": take(PRIORITIES, t.priority),
            "ticket_status": take(STATUSES, t.status),
            "channel": take(CHANNELS, t.channel),
            "is_escalated": pa.array(t.escalated),
            "satisfaction_rating": pa.array(rating_d, mask=~t.rated),
            # Ratings here are 1-5; a help desk that rates good/bad fills this instead.
            "satisfaction_label": pa.nulls(n, pa.string()),
        }
    )
    tbl = dirt.invalid_ts("tickets", tbl, ids, "opened_at", invalid)
    tbl = dirt.customer_ids("tickets", tbl, ids)
    cat = dirt.mask(n)
    use_channel = dirt.rng.random(n) < 0.5
    tbl = dirt.category("tickets", tbl, ids, "priority", cat & ~use_channel, PRIORITY_VARIANTS)
    tbl = dirt.category("tickets", tbl, ids, "channel", cat & use_channel, CHANNEL_VARIANTS)
    return dirt.duplicates("tickets", tbl, ids)
