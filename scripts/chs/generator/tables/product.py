"""product/features (the catalogue) and product/usage_events, the largest table.

Events per customer-day are Poisson: segment rate x activity x health factor x weekday factor.
The user pool and the feature mix follow health (as the usage family sees it, Chunk.seen);
events are written in slices of EVENT_SLICE_ROWS rows to bound memory.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from chs.generator.catalogue import FEATURES, GATED_FEATURE, HEALTH_BINS, N_FEATURES
from chs.generator.chunk import Chunk, Counters, local_tod
from chs.generator.dirt import Dirt
from chs.generator.formatting import fmt_ts, fmt_user_ids
from chs.generator.output import Sink
from chs.generator.window import DAY

EVENT_SLICE_ROWS = 1_000_000


def features_table() -> pa.Table:
    """The feature catalogue: reference data, the same for every seed, without dirt."""
    return pa.table(
        {
            "feature_key": [f[0] for f in FEATURES],
            "feature_name": [f[1] for f in FEATURES],
            "feature_category": [f[2] for f in FEATURES],
            "is_key_feature": [f[3] for f in FEATURES],
            "released_on": [f[4] for f in FEATURES],
        }
    )


@dataclass(frozen=True)
class _Events:
    """Clean events of a chunk, sorted by customer and time."""

    cust: np.ndarray
    occurred: np.ndarray  # second it happened
    received: np.ndarray  # second the collector received it
    user: np.ndarray  # user number within the customer
    feature: np.ndarray  # index into FEATURES


def write_events(ch: Chunk, dirt: Dirt, sinks: dict[str, Sink], ctr: Counters) -> None:
    c, de = _event_days(ch)
    c, de, occ, rec = _event_times(ch, c, de)
    user, feat = _users_and_features(ch, c, ch.week_of_day(de))
    del de
    events = _Events(c, occ, rec, user, feat)
    for s in range(0, len(c), EVENT_SLICE_ROWS):
        sl = slice(s, min(len(c), s + EVENT_SLICE_ROWS))
        sinks["usage_events"].write(_events_slice(ch, dirt, ctr, events, sl))


def _event_days(ch: Chunk) -> tuple[np.ndarray, np.ndarray]:
    """(customer, day in the window) of every event, from Poisson counts per customer-day."""
    win = ch.win
    D = win.n_days
    d = np.arange(D)
    weekday = (win.start_day + d + 3) % 7
    wd_factor = np.array([1.15, 1.2, 1.2, 1.15, 1.0, 0.35, 0.3])[weekday]
    seg_lambda = np.array([2.0, 6.0, 15.0])[ch.segment] * ch.activity
    hf = 0.15 + 1.6 * (ch.seen.health("usage") / 100) ** 1.3
    week = ch.week_of_day(d)
    active = (d[None, :] >= ch.first_day[:, None]) & (d[None, :] <= ch.churn_day[:, None])
    lam = seg_lambda[:, None] * hf[:, week] * wd_factor[None, :] * active
    counts = ch.rng.poisson(lam).ravel()
    del lam
    flat = np.repeat(np.arange(counts.size, dtype=np.int64), counts)
    return (flat // D).astype(np.int64), flat % D


def _event_times(
    ch: Chunk, c: np.ndarray, de: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Occurrence (local business hours) and receipt times; keeps events inside activity and
    window, sorted by customer and time. Returns (customer, day, occurred, received)."""
    rng, win = ch.rng, ch.win
    occ = (win.start_day + de) * DAY + local_tod(rng, len(c)) - ch.offset[c] * 60
    lag = np.minimum(np.ceil(np.exp(rng.normal(np.log(20), 1.2, len(c)))), 6 * 3600)
    rec = occ + lag.astype(np.int64)
    del lag
    keep = (occ >= ch.act_start[c]) & (occ < ch.act_end[c]) & (occ >= win.start_sec)
    keep &= rec < win.end_sec
    c, de, occ, rec = c[keep], de[keep], occ[keep], rec[keep]
    del keep
    order = np.argsort(c * (1 << 36) + (occ - win.start_sec), kind="stable")
    return c[order], de[order], occ[order], rec[order]


def _users_and_features(ch: Chunk, c: np.ndarray, wk: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """User number (skewed draw from a pool that grows with health) and feature per event."""
    rng = ch.rng
    h = ch.seen.health("usage")[c, wk]
    pool = np.maximum(1, np.round(ch.users_week[c, wk] * (0.25 + 0.75 * h / 100)))
    user = (pool * rng.random(len(c)) ** 2).astype(np.int64) + 1
    hbin = np.minimum((h * HEALTH_BINS / 100).astype(np.int64), HEALTH_BINS - 1)
    row = c * HEALTH_BINS + hbin
    del h, pool, hbin
    cdf = _feature_cdf(ch)
    feat = np.searchsorted(cdf, row + rng.random(len(c)), side="right") - row * N_FEATURES
    return user, np.clip(feat, 0, N_FEATURES - 1)


def _feature_cdf(ch: Chunk) -> np.ndarray:
    """Cumulative feature mix per (customer, health bin), flattened and offset by row index."""
    rng, n = ch.rng, ch.n
    base = np.array([f[5] for f in FEATURES])
    slope = np.array([f[6] for f in FEATURES])
    share = np.array([f[7] for f in FEATURES])
    centre = (np.arange(HEALTH_BINS) + 0.5) * (100 / HEALTH_BINS)
    x = (centre - 50) / 50
    weight = base[None, :] * np.exp(slope[None, :] * x[:, None])  # (bins, features)
    gate = 1 / (1 + np.exp(-(centre - 45) / 3))
    weight[:, GATED_FEATURE] *= gate
    breadth = 0.3 + 0.7 * centre / 100  # healthy customers use a broader set of features
    thr = rng.random((n, N_FEATURES))
    adopted = thr[:, None, :] < (breadth[None, :, None] * share[None, None, :])
    adopted[:, :, share >= 1.0] = True
    w = weight[None, :, :] * adopted
    cdf = np.cumsum(w, axis=2)
    cdf /= cdf[:, :, -1:]
    rows = np.arange(n * HEALTH_BINS, dtype=np.float64).reshape(n, HEALTH_BINS, 1)
    return (cdf + rows).ravel()


_FEATURE_KEYS = pa.array([f[0] for f in FEATURES], type=pa.string())


def _events_slice(ch: Chunk, dirt: Dirt, ctr: Counters, events: _Events, sl: slice) -> pa.Table:
    """One slice of the events, with ids and dirt."""
    win, cs = ch.win, events.cust[sl]
    occ_s, rec_s = events.occurred[sl].copy(), events.received[sl].copy()
    k = len(cs)
    ids = pa.array(ctr.event + 1 + np.arange(k, dtype=np.int64))
    ctr.event += k
    invalid, future = dirt.mask2(k)
    dirt.future("usage_events", ids, "occurred_at", occ_s, future, win.end_sec)
    late = dirt.mask(k, ~(invalid | future))
    late_rec = occ_s + dirt.rng.integers(2 * DAY, 20 * DAY, k)
    late &= late_rec < win.end_sec
    rec_s = np.where(late, late_rec, rec_s)
    dirt.record("usage_events", ids, late, "received_at", "late_arriving")
    tbl = pa.table(
        {
            "event_id": ids,
            "customer_id": ch.cust_ids.take(pa.array(cs)),
            "user_id": fmt_user_ids(ch.cust_no[cs], events.user[sl]),
            "feature_key": _FEATURE_KEYS.take(pa.array(events.feature[sl])),
            "occurred_at": fmt_ts(occ_s, ch.offset[cs]),
            "received_at": fmt_ts(rec_s),
        }
    )
    tbl = dirt.invalid_ts("usage_events", tbl, ids, "occurred_at", invalid)
    tbl = dirt.customer_ids("usage_events", tbl, ids)
    return dirt.duplicates("usage_events", tbl, ids)
