"""Subscription periods: contract terms, renewals, upgrades, downgrades and the end at churn.

A period ends when the term renews, when seats or plan change, or when the customer churns.
Terms completed before the window are included, so every history starts with a `new` period.
Upgrades and downgrades follow health and its trend as the commercial family sees them
(Chunk.seen); churn, and so the end of the last period, follows the true health.
The result is ``Chunk.periods``: arrays with one entry per period, sorted by customer and
start (keys cust, start, end (-1: still open), renew, plan, seats, change, mrr).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from chs.generator.catalogue import FX, PLAN_PRICE
from chs.generator.window import DAY, add_months

if TYPE_CHECKING:
    from chs.generator.chunk import Chunk

# values of `change` (indices into CHANGE_TYPES)
NEW, RENEWAL, UPGRADE, DOWNGRADE = 0, 1, 2, 3


class _Periods:
    """Collects the periods as they close, customer by customer mask."""

    KEYS = ("cust", "start", "end", "renew", "plan", "seats", "change")

    def __init__(self, n: int) -> None:
        self.n = n
        self.rows: dict[str, list[np.ndarray]] = {k: [] for k in self.KEYS}

    def emit(self, mask, start, end, renew, plan, seats, change) -> None:
        """Close a period for each customer in ``mask``; other arguments are per customer."""
        idx = np.flatnonzero(mask)
        if not len(idx):
            return
        self.rows["cust"].append(idx)
        for key, val in zip(self.KEYS[1:], (start, end, renew, plan, seats, change), strict=True):
            arr = np.broadcast_to(np.asarray(val), (self.n,))
            self.rows[key].append(np.asarray(arr[idx], dtype=np.int64))

    def sorted(self) -> dict[str, np.ndarray]:
        cat = {k: np.concatenate(v) if v else np.zeros(0, np.int64) for k, v in self.rows.items()}
        order = np.lexsort((cat["start"], cat["cust"]))
        return {k: v[order] for k, v in cat.items()}


@dataclass
class _Contract:
    """The current (open) period of each customer while the weeks are simulated."""

    plan: np.ndarray
    seats: np.ndarray
    start: np.ndarray  # second the period started
    change: np.ndarray  # how it started
    renew_day: np.ndarray
    last_change_week: np.ndarray
    done: np.ndarray  # churned: no period is open


@dataclass(frozen=True)
class _WeeklyDraws:
    """Random draws per customer and week for plan changes."""

    up_u: np.ndarray
    kind_u: np.ndarray
    day_u: np.ndarray
    change_tod: np.ndarray


def simulate_subscriptions(ch: Chunk) -> None:
    """Fill in the chunk's subscription periods and its seats and user pool per week."""
    rng, n, W = ch.rng, ch.n, ch.win.n_weeks
    plan, seats = _initial_contracts(rng, ch.segment)
    discount = rng.uniform(0, np.where(ch.segment == 2, 0.35, 0.2))
    tod = ch.signup_sec % DAY
    periods = _Periods(n)
    contract = _terms_before_window(ch, periods, plan, seats, tod)
    draws = _WeeklyDraws(
        up_u=rng.random((n, W)),
        kind_u=rng.random((n, W, 3)),
        day_u=rng.integers(0, 7, (n, W)),
        change_tod=rng.integers(7 * 3600, 19 * 3600, (n, W)),
    )
    curve = ch.seen.curve("commercial")
    trend = np.zeros_like(curve)
    trend[:, 8:] = curve[:, 8:] - curve[:, :-8]
    seats_week = np.empty((n, W), dtype=np.int64)
    for k in range(W):
        ws = int(ch.win.week_start_day(k))  # absolute day of Monday
        renewed = _renew(ch, periods, contract, ws, tod)
        _end_at_churn(ch, periods, contract, k)
        _change_plan(ch, periods, contract, draws, trend, k, ws, renewed)
        seats_week[:, k] = contract.seats
    c = contract
    periods.emit(~c.done, c.start, -1, c.renew_day, c.plan, c.seats, c.change)
    ch.periods = p = periods.sorted()
    p["mrr"] = np.round(
        p["seats"] * PLAN_PRICE[p["plan"]] * FX[ch.currency[p["cust"]]] * (1 - discount[p["cust"]]),
        2,
    )
    ch.seats_week = seats_week
    ch.users_week = np.clip(seats_week, 1, 60)


def _initial_contracts(rng: np.random.Generator, seg: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Plan and seats at signup, by segment."""
    n = len(seg)
    plan = np.where(
        seg == 0,
        (rng.random(n) < 0.4).astype(int),
        np.where(seg == 1, 1 + (rng.random(n) < 0.45), 2 + (rng.random(n) < 0.6)),
    ).astype(np.int64)
    seats_mu = np.array([np.log(5), np.log(30), np.log(150)])[seg]
    seats = np.exp(rng.normal(seats_mu, 0.55)).round().astype(np.int64)
    seats = np.clip(seats, np.array([1, 8, 40])[seg], np.array([25, 150, 1500])[seg])
    return plan, seats


def _terms_before_window(
    ch: Chunk, periods: _Periods, plan: np.ndarray, seats: np.ndarray, tod: np.ndarray
) -> _Contract:
    """Emit the yearly terms completed before the window (same plan; anniversaries of signup)."""
    n = ch.n
    signup_abs_day = ch.signup_sec // DAY
    term_day = signup_abs_day.copy()
    term_k = np.zeros(n, dtype=np.int64)
    for _ in range(3):
        nxt = add_months(signup_abs_day, 12 * (term_k + 1))
        roll = nxt * DAY + tod <= ch.win.start_sec
        change = np.where(term_k == 0, NEW, RENEWAL)
        periods.emit(roll, term_day * DAY + tod, nxt * DAY + tod, nxt, plan, seats, change)
        term_day = np.where(roll, nxt, term_day)
        term_k = term_k + roll
    return _Contract(
        plan=plan,
        seats=seats,
        start=term_day * DAY + tod,
        change=np.where(term_k == 0, NEW, RENEWAL),
        renew_day=add_months(term_day, 12),
        last_change_week=np.full(n, -100),
        done=np.zeros(n, dtype=bool),
    )


def _renew(ch: Chunk, periods: _Periods, c: _Contract, ws: int, tod: np.ndarray) -> np.ndarray:
    """Renew the terms that end in the week starting on day ``ws``; returns who renewed."""
    win = ch.win
    ren = ~c.done & (c.renew_day >= ws) & (c.renew_day < ws + 7)
    ren &= c.renew_day < win.start_day + ch.churn_day
    ren &= c.renew_day < win.start_day + win.n_days
    ren_sec = c.renew_day * DAY + tod
    periods.emit(ren, c.start, ren_sec, c.renew_day, c.plan, c.seats, c.change)
    c.start = np.where(ren, ren_sec, c.start)
    c.change = np.where(ren, RENEWAL, c.change)
    c.renew_day = np.where(ren, add_months(c.renew_day, 12), c.renew_day)
    return ren


def _end_at_churn(ch: Chunk, periods: _Periods, c: _Contract, k: int) -> None:
    """The current period of customers churning in week ``k`` ends; nothing follows."""
    churning = ~c.done & ch.churned & (ch.churn_week == k)
    periods.emit(churning, c.start, ch.churn_sec, c.renew_day, c.plan, c.seats, c.change)
    c.done |= churning


def _change_plan(
    ch: Chunk,
    periods: _Periods,
    c: _Contract,
    draws: _WeeklyDraws,
    trend: np.ndarray,
    k: int,
    ws: int,
    renewed: np.ndarray,
) -> None:
    """Upgrades of healthy, improving customers and downgrades of declining ones in week k."""
    win = ch.win
    h = ch.seen.health("commercial")[:, k]
    p_up = np.where((h > 60) & (trend[:, k] >= 1.0), 0.04, np.where(h > 72, 0.004, 0.0))
    p_down = np.where((h < 45) & (trend[:, k] <= -2.0), 0.05, np.where(h < 38, 0.004, 0))
    up_u, kind_u = draws.up_u[:, k], draws.kind_u[:, k]
    up = up_u < p_up
    down = (up_u >= p_up) & (up_u < p_up + p_down)
    cday = ws + draws.day_u[:, k]
    csec = cday * DAY + draws.change_tod[:, k]
    ok = ~c.done & ~renewed & (k - c.last_change_week >= 6) & (k >= ch.first_week + 2)
    ok &= (csec > c.start) & (csec < ch.churn_sec) & (csec >= win.start_sec)
    ok &= csec < win.end_sec
    seats, plan = c.seats, c.plan
    grow = np.maximum(1, np.round(seats * (0.1 + 0.4 * kind_u[:, 0]))).astype(np.int64)
    shrink = np.maximum(1, np.round(seats * (0.1 + 0.3 * kind_u[:, 0]))).astype(np.int64)
    bump = kind_u[:, 1] < 0.3
    new_seats = np.where(up, seats + grow, np.where(down, np.maximum(seats - shrink, 1), seats))
    new_plan = np.where(up & bump, np.minimum(plan + 1, 3), plan)
    new_plan = np.where(down & bump, np.maximum(plan - 1, 0), new_plan)
    changed = ok & (up | down) & ((new_seats != seats) | (new_plan != plan))
    periods.emit(changed, c.start, csec, c.renew_day, plan, seats, c.change)
    c.plan = np.where(changed, new_plan, plan)
    c.seats = np.where(changed, new_seats, seats)
    c.start = np.where(changed, csec, c.start)
    c.change = np.where(changed, np.where(up, UPGRADE, DOWNGRADE), c.change)
    c.renew_day = np.where(changed, add_months(cday, 12), c.renew_day)
    c.last_change_week = np.where(changed, k, c.last_change_week)
