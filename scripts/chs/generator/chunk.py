"""One chunk of customers: who they are, and the hidden state every raw table is drawn from.

A chunk is simulated in this order, all from the chunk's clean random stream: customer
attributes and signups (here), weekly latent health and churn (health.py), then subscription
periods (subscriptions.py). The table writers (tables/) draw the rest from the same stream.
Behaviour follows health as the signal configuration has each family see it (Chunk.seen).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from chs.generator.catalogue import (
    ARCHETYPE_P,
    ARCHETYPES,
    COUNTRIES,
    COUNTRY_CURRENCY,
    COUNTRY_OFFSET_MIN,
    COUNTRY_P,
    CSM_OWNERS,
    SEGMENT_P,
)
from chs.generator.formatting import fmt_ids
from chs.generator.window import DAY, Window

if TYPE_CHECKING:
    from chs.generator.signal_view import SignalView


@dataclass
class Counters:
    """Running id counters across chunks."""

    subscription: int = 0
    invoice: int = 0
    payment: int = 0
    event: int = 0
    ticket: int = 0
    order: int = 0
    response: int = 0


def local_tod(
    rng: np.random.Generator, k: int, mean_h: float = 13.5, sd_h: float = 2.8
) -> np.ndarray:
    """Local time of day in seconds: mostly business hours, some spread over the day."""
    business = rng.random(k) < 0.85
    t = np.where(business, rng.normal(mean_h * 3600, sd_h * 3600, k), rng.uniform(0, DAY, k))
    return np.clip(t, 0, DAY - 1).astype(np.int64)


def categorical(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One draw per row of an (n, k) probability matrix."""
    cum = np.cumsum(probs, axis=1)
    cum /= cum[:, -1:]
    u = rng.random(len(probs))
    return np.minimum((u[:, None] > cum).sum(axis=1), probs.shape[1] - 1)


class Chunk:
    """All simulated state for one chunk of customers (arrays of one row per customer).

    Times are seconds (``*_sec``) or days (``*_day``) since 1970-01-01 unless noted; weeks are
    indices into the window's weeks. health.py and subscriptions.py fill in the attributes
    declared below the constructor's own.
    """

    # health.py: latent health and churn
    curve: np.ndarray  # (customers, weeks) archetype shape without noise
    health: np.ndarray  # (customers, weeks) latent health 0-100
    churned: np.ndarray
    churn_day: np.ndarray  # relative to the window start; n_days when not churned
    churn_week: np.ndarray  # n_weeks when not churned
    churn_sec: np.ndarray  # window end when not churned
    act_end: np.ndarray  # end of activity (churn or window end)
    churn_reason: np.ndarray  # index into CHURN_REASONS, -1 when not churned
    active_week: np.ndarray  # (customers, weeks) signed up and not churned before the week
    support_stress: np.ndarray  # (customers, weeks) a support_experience churn is looming
    payment_stress: np.ndarray  # (customers, weeks) a payment_problems churn is looming
    # run.py: what each behaviour family sees of the health (signal_view.py); behaviour reads
    # health, curve and stress through it, churn and the truth read the fields above
    seen: SignalView
    # subscriptions.py: contract periods
    periods: dict[str, np.ndarray]  # one entry per subscription period, see subscriptions.py
    seats_week: np.ndarray  # (customers, weeks) licensed seats
    users_week: np.ndarray  # (customers, weeks) size of the user pool

    def __init__(self, win: Window, lo: int, hi: int, rng: np.random.Generator) -> None:
        self.win = win
        self.rng = rng
        self.n = hi - lo
        self.cust_no = np.arange(lo + 1, hi + 1, dtype=np.int64)
        self.cust_ids = fmt_ids("C", self.cust_no, 7)
        self._draw_attributes()
        self._draw_signups()

    def _draw_attributes(self) -> None:
        rng, n = self.rng, self.n
        self.segment = rng.choice(3, n, p=SEGMENT_P)
        self.webshop = rng.random(n) < 0.35
        self.country = rng.choice(len(COUNTRIES), n, p=COUNTRY_P)
        self.offset = COUNTRY_OFFSET_MIN[self.country]
        self.currency = COUNTRY_CURRENCY[self.country]
        self.csm = rng.integers(0, len(CSM_OWNERS), n)
        self.archetype = rng.choice(len(ARCHETYPES), n, p=ARCHETYPE_P)
        self.activity = np.exp(rng.normal(0, 0.35, n))  # per-customer activity multiplier

    def _draw_signups(self) -> None:
        """Signups fall between two years before the window and eight weeks before its end."""
        win = self.win
        lo_sec = win.start_sec - 730 * DAY
        hi_sec = win.end_sec - DAY - 56 * DAY
        self.signup_sec = self.rng.integers(lo_sec, max(hi_sec, lo_sec + 1), self.n)
        self.signup_day = self.signup_sec // DAY - win.start_day  # relative, may be negative
        self.first_day = np.maximum(self.signup_day, 0)
        self.first_week = (self.first_day + win.start_wd) // 7
        self.act_start = np.maximum(self.signup_sec, win.start_sec)

    def week_of_day(self, d: np.ndarray) -> np.ndarray:
        return np.clip((d + self.win.start_wd) // 7, 0, self.win.n_weeks - 1)

    def weekly_draws(self, rate: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Poisson counts per customer-week; returns (customer index, week) per item."""
        rate = np.where(self.active_week, rate, 0.0)
        counts = self.rng.poisson(rate).ravel()
        flat = np.repeat(np.arange(counts.size, dtype=np.int64), counts)
        W = self.win.n_weeks
        return flat // W, flat % W

    def place_in_week(
        self, c: np.ndarray, w: np.ndarray, tod: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Local day within the week plus local time -> UTC instant; mask of valid items."""
        win = self.win
        day = w * 7 - win.start_wd + self.rng.integers(0, 7, len(c))
        sec = (win.start_day + day) * DAY + tod - self.offset[c] * 60
        ok = (sec >= self.act_start[c]) & (sec < self.act_end[c])
        ok &= (sec >= win.start_sec) & (sec < win.end_sec)
        return sec, ok
