"""The hidden truth: outcomes per customer and weekly latent health (dbt never reads it)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from chs.generator.catalogue import (
    ARCHETYPES,
    BUSINESS_TYPES,
    CHURN_REASONS,
    COUNTRY_CODES,
    SEGMENTS,
)
from chs.generator.chunk import Chunk
from chs.generator.formatting import fmt_date, take, take_nullable
from chs.generator.output import Sink
from chs.generator.window import DAY


def write_truth(ch: Chunk, sinks: dict[str, Sink]) -> None:
    sinks["customer_truth"].write(_customer_truth(ch))
    sinks["weekly_health"].write(_weekly_health(ch))


def _customer_truth(ch: Chunk) -> pa.Table:
    """One row per customer: archetype, health at start, end and lowest, churn."""
    n, W, win = ch.n, ch.win.n_weeks, ch.win
    idx = np.arange(n)
    act = ch.active_week
    h_act = np.where(act, ch.health, np.nan)
    last_week = np.minimum(ch.churn_week, W - 1)
    initial = ch.health[idx, np.minimum(ch.first_week, W - 1)]
    final = ch.health[idx, last_week]
    min_h = np.nanmin(np.where(act.any(axis=1)[:, None], h_act, 100.0), axis=1)
    recovered = ~ch.churned & (min_h < 40) & (final >= 50)
    churn_abs = win.start_day + ch.churn_day
    return pa.table(
        {
            "customer_id": ch.cust_ids,
            "archetype": take(ARCHETYPES, ch.archetype),
            "segment": take(SEGMENTS, ch.segment),
            "business_type": take(BUSINESS_TYPES, ch.webshop.astype(int)),
            "country_code": take(COUNTRY_CODES, ch.country),
            "signup_date": fmt_date(ch.signup_sec // DAY),
            "initial_health": pa.array(np.round(initial, 2)),
            "final_health": pa.array(np.round(final, 2)),
            "min_health": pa.array(np.round(min_h, 2)),
            "churned": pa.array(ch.churned),
            "churn_date": fmt_date(churn_abs, ch.churned),
            "churn_reason": take_nullable(CHURN_REASONS, ch.churn_reason),
            "recovered_from_risk": pa.array(recovered),
        }
    )


def _weekly_health(ch: Chunk) -> pa.Table:
    """One row per customer and week; latent health is null while not active."""
    n, W, win = ch.n, ch.win.n_weeks, ch.win
    idx = np.arange(n)
    cw = np.repeat(idx, W)
    ww = np.tile(np.arange(W), n)
    active = ch.active_week.ravel()
    return pa.table(
        {
            "customer_id": ch.cust_ids.take(pa.array(cw)),
            "week_start": fmt_date(win.week_start_day(ww)),
            "latent_health": pa.array(np.round(ch.health.ravel(), 2), mask=~active),
            "is_active": pa.array(active),
        }
    )
