"""Hidden weekly latent health (0-100) of each customer, and the churn that follows from it.

Each archetype gives a shape over the weeks in which the customer exists; AR(1) noise is added
on top. A customer churns when health stays below 25 for three weeks, or by chance while below
38; the churn reason shapes support and payment behaviour in the weeks before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from chs.generator.catalogue import (
    ARCHETYPE_P,
    ARCHETYPES,
    CHURN_REASON_P,
    REASON_PAYMENT,
    REASON_SUPPORT,
)
from chs.generator.chunk import categorical
from chs.generator.window import DAY

if TYPE_CHECKING:
    from chs.generator.chunk import Chunk

# A shape takes uniform draws u (customers, 6), weeks since signup tau (customers, weeks) and
# the customer's span of weeks (customers, 1), and returns the curve (customers, weeks or 1).
Shape = Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]


def _flat(low: float, width: float) -> Shape:
    return lambda u, tau, span: (low + width * u[:, 0])[:, None]


def _growing(u: np.ndarray, tau: np.ndarray, span: np.ndarray) -> np.ndarray:
    base = 40 + 20 * u[:, 0]
    rise = 20 + 15 * u[:, 1]
    return base[:, None] + rise[:, None] * np.minimum(tau / span, 1.0)


def _slow_decline(u: np.ndarray, tau: np.ndarray, span: np.ndarray) -> np.ndarray:
    base = 55 + 20 * u[:, 0]
    onset = 0.5 * u[:, 1][:, None] * span
    dur = (0.3 + 0.8 * u[:, 2])[:, None] * span
    floor = 5 + 15 * u[:, 3]
    frac = np.clip((tau - onset) / dur, 0, 1)
    return base[:, None] - (base - floor)[:, None] * frac


def _sudden_drop(u: np.ndarray, tau: np.ndarray, span: np.ndarray) -> np.ndarray:
    base = 60 + 20 * u[:, 0]
    onset = (0.1 + 0.9 * u[:, 1])[:, None] * span
    level = 10 + 12 * u[:, 2]
    frac = np.clip((tau - onset) / 2.0, 0, 1)
    return base[:, None] - (base - level)[:, None] * frac


def _dip_and_recover(u: np.ndarray, tau: np.ndarray, span: np.ndarray) -> np.ndarray:
    base = 60 + 15 * u[:, 0]
    centre = (0.2 + 0.5 * u[:, 1])[:, None] * span
    half = (3 + 8 * u[:, 2])[:, None]
    low = 32 + 10 * u[:, 3]
    depth = np.clip(1 - np.abs(tau - centre) / half, 0, 1)
    return base[:, None] - (base - low)[:, None] * depth


SHAPES: dict[str, Shape] = {
    "healthy_stable": _flat(65, 23),
    "growing": _growing,
    "slow_decline_churn": _slow_decline,
    "sudden_drop_churn": _sudden_drop,
    "dip_and_recover": _dip_and_recover,
    "volatile": _flat(42, 23),
    "stagnant_low": _flat(30, 14),
}
# AR(1) noise per archetype: (stationary standard deviation, autocorrelation)
NOISE: dict[str, tuple[float, float]] = {"volatile": (9.0, 0.8), "stagnant_low": (4.0, 0.7)}
DEFAULT_NOISE = (3.0, 0.7)


def simulate_health(ch: Chunk) -> None:
    """Fill in the chunk's latent health, churn and the weeks its churn reason shows."""
    ch.curve = _archetype_curves(ch.rng, ch.archetype, ch.first_week, ch.win.n_weeks)
    noise = _ar1_noise(ch.rng, ch.archetype, ch.win.n_weeks)
    ch.health = np.clip(ch.curve + noise, 0, 100)
    _simulate_churn(ch)
    _mark_active_and_stress_weeks(ch)


def shadow_health(
    rng: np.random.Generator, first_week: np.ndarray, W: int
) -> tuple[np.ndarray, np.ndarray]:
    """Curve and latent health of independent shadow customers with the same signup weeks.

    The archetype is drawn anew, so the series has the marginal distribution and the weekly
    persistence of real health but carries nothing of it: the noise a behaviour family sees
    in place of health when its signal is weakened (chs.generator.signal_view).
    """
    archetype = rng.choice(len(ARCHETYPES), len(first_week), p=ARCHETYPE_P)
    curve = _archetype_curves(rng, archetype, first_week, W)
    return curve, np.clip(curve + _ar1_noise(rng, archetype, W), 0, 100)


def _archetype_curves(
    rng: np.random.Generator, archetype: np.ndarray, first_week: np.ndarray, W: int
) -> np.ndarray:
    """The noise-free health of each customer and week, scaled to the weeks it exists."""
    n = len(archetype)
    w = np.arange(W)[None, :]
    tau = np.maximum(w - first_week[:, None], 0).astype(float)
    span = np.maximum(W - first_week, 1).astype(float)[:, None]
    u = rng.random((n, 6))
    curve = np.empty((n, W))
    for name, shape in SHAPES.items():
        m = archetype == ARCHETYPES.index(name)
        curve[m] = shape(u[m], tau[m], span[m])
    return curve


def _ar1_noise(rng: np.random.Generator, archetype: np.ndarray, W: int) -> np.ndarray:
    """AR(1) noise with stationary standard deviation sigma."""
    n = len(archetype)
    sigma = np.full(n, DEFAULT_NOISE[0])
    phi = np.full(n, DEFAULT_NOISE[1])
    for name, (sd, ac) in NOISE.items():
        m = archetype == ARCHETYPES.index(name)
        sigma[m], phi[m] = sd, ac
    z = rng.standard_normal((n, W))
    noise = np.empty((n, W))
    noise[:, 0] = sigma * z[:, 0]
    innov = sigma * np.sqrt(1 - phi**2)
    for k in range(1, W):
        noise[:, k] = phi * noise[:, k - 1] + innov * z[:, k]
    return noise


def _first_churn_week(
    health: np.ndarray, first_week: np.ndarray, hazard_u: np.ndarray
) -> np.ndarray:
    """Health below 25 for three consecutive weeks, or a small hazard when low; -1: never."""
    n, W = health.shape
    run = np.zeros(n, dtype=np.int64)
    churn_week = np.full(n, -1)
    for k in range(W):
        alive = (k >= first_week) & (churn_week < 0)
        h = health[:, k]
        run = np.where(alive & (h < 25), run + 1, 0)
        settled = k - first_week >= 3
        trig = alive & settled & ((run >= 3) | ((h < 38) & (hazard_u[:, k] < 0.004)))
        churn_week[trig] = k
    return churn_week


def _simulate_churn(ch: Chunk) -> None:
    rng, n, win = ch.rng, ch.n, ch.win
    W = win.n_weeks
    churn_week = _first_churn_week(ch.health, ch.first_week, rng.random((n, W)))
    day_in_week = rng.integers(0, 7, n)
    churn_day = churn_week * 7 - win.start_wd + day_in_week
    churn_day = np.maximum(churn_day, ch.first_day + 8)
    ch.churned = (churn_week >= 0) & (churn_day < win.n_days)
    ch.churn_day = np.where(ch.churned, churn_day, win.n_days)
    ch.churn_week = np.where(ch.churned, (ch.churn_day + win.start_wd) // 7, W)
    churn_tod = rng.integers(8 * 3600, 18 * 3600, n)
    churn_sec = (win.start_day + ch.churn_day) * DAY + churn_tod
    ch.churn_sec = np.where(ch.churned, churn_sec, win.end_sec)
    ch.act_end = ch.churn_sec
    reason = categorical(rng, CHURN_REASON_P[ch.archetype])
    ch.churn_reason = np.where(ch.churned, reason, -1)


def _mark_active_and_stress_weeks(ch: Chunk) -> None:
    """Active weeks, and the weeks in which the churn reason visibly shapes behaviour."""
    wk = np.arange(ch.win.n_weeks)[None, :]
    ch.active_week = (wk >= ch.first_week[:, None]) & (wk <= ch.churn_week[:, None])
    pre = (wk >= ch.churn_week[:, None] - 16) & ch.active_week
    ch.support_stress = pre & (ch.churn_reason == REASON_SUPPORT)[:, None]
    pre = (wk >= ch.churn_week[:, None] - 12) & ch.active_week
    ch.payment_stress = pre & (ch.churn_reason == REASON_PAYMENT)[:, None]
