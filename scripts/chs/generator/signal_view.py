"""What each behaviour family of one chunk sees of the latent health (chs.generator.signals).

The table writers and the plan changes read health through ``Chunk.seen`` instead of
``Chunk.health``. A family whose links are all strength 1 / delay 0 gets the chunk's own
arrays, so the default configuration reproduces the generator without one byte for byte.
Any other family mixes the (delayed, scaled) health with a shadow series (health.shadow_health)
drawn from its own random stream, seeded from (seed, family, chunk index): nothing here draws
from the chunk's clean stream. Churn, and the truth tables, keep the true health.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from chs.generator.health import shadow_health
from chs.generator.signals import FAMILIES, SEGMENT_KEYS, Signals

if TYPE_CHECKING:
    from chs.generator.chunk import Chunk

_NOISE_TAG = 0x516  # sets the shadow streams apart from the children of SeedSequence(seed)


class SignalView:
    """Per-family health, curve and pre-churn stress of one chunk, computed once when asked."""

    def __init__(self, ch: Chunk, signals: Signals, seed: int, chunk_index: int) -> None:
        self._ch = ch
        self._signals = signals
        self._entropy = (int(seed), int(chunk_index))
        self._seen: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def health(self, family: str) -> np.ndarray:
        """(customers, weeks) health 0-100 that the family's behaviour follows."""
        if self._signals.is_identity(family):
            return self._ch.health
        return self._curve_and_health(family)[1]

    def curve(self, family: str) -> np.ndarray:
        """The same for the noise-free archetype curve (its trend drives plan changes)."""
        if self._signals.is_identity(family):
            return self._ch.curve
        return self._curve_and_health(family)[0]

    def stress(self, family: str, looming: np.ndarray) -> np.ndarray:
        """A pre-churn mask (Chunk.support_stress, payment_stress) as the family shows it:
        delayed like the health and scaled by the strength, so strength 0 shows nothing."""
        if self._signals.is_identity(family):
            return looming
        strength, delay = self._links(family)
        return _lagged(looming, delay) * strength[:, None]

    def _links(self, family: str) -> tuple[np.ndarray, np.ndarray]:
        """Strength and delay of each customer, by its segment."""
        links = [self._signals.link(s, family) for s in range(len(SEGMENT_KEYS))]
        strength = np.array([link.strength for link in links])[self._ch.segment]
        delay = np.array([link.delay_weeks for link in links], dtype=np.int64)[self._ch.segment]
        return strength, delay

    def _curve_and_health(self, family: str) -> tuple[np.ndarray, np.ndarray]:
        if family not in self._seen:
            ch = self._ch
            seed, chunk_index = self._entropy
            seq = np.random.SeedSequence([seed, _NOISE_TAG, FAMILIES.index(family), chunk_index])
            rng = np.random.Generator(np.random.PCG64(seq))
            shadow_curve, shadow = shadow_health(rng, ch.first_week, ch.win.n_weeks)
            strength, delay = self._links(family)
            self._seen[family] = (
                _mix(ch.curve, shadow_curve, strength, delay),
                _mix(ch.health, shadow, strength, delay),
            )
        return self._seen[family]


def _lagged(x: np.ndarray, delay: np.ndarray) -> np.ndarray:
    """``x[c, t - delay[c]]``; weeks before the first take the first week's value."""
    idx = np.maximum(np.arange(x.shape[1])[None, :] - delay[:, None], 0)
    return np.take_along_axis(x, idx, axis=1)


def _mix(
    true: np.ndarray, shadow: np.ndarray, strength: np.ndarray, delay: np.ndarray
) -> np.ndarray:
    """clip(50 + s (true[t - d] - 50) + (1 - min(s, 1)) (shadow[t] - 50), 0, 100) per customer;
    customers whose link is the identity keep their true values exactly."""
    s = strength[:, None]
    seen = 50 + s * (_lagged(true, delay) - 50) + (1 - np.minimum(s, 1)) * (shadow - 50)
    seen = np.clip(seen, 0, 100)
    keep = (strength == 1) & (delay == 0)
    seen[keep] = true[keep]
    return seen
