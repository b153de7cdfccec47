"""The simulated time window and calendar arithmetic on days since 1970-01-01."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

DAY = 86_400
YEAR = 365 * DAY


@dataclass(frozen=True)
class Window:
    start_day: int  # days since epoch of --start
    n_days: int  # days in [start, end]
    start_wd: int  # weekday of start (Monday = 0)
    n_weeks: int

    @classmethod
    def between(cls, start: date, end: date) -> Window:
        """The window from the first to the last day, both inclusive."""
        start_day = (start - date(1970, 1, 1)).days
        n_days = (end - start).days + 1
        start_wd = start.weekday()
        return cls(start_day, n_days, start_wd, (start_wd + n_days + 6) // 7)

    @property
    def start_sec(self) -> int:
        return self.start_day * DAY

    @property
    def end_sec(self) -> int:
        """Exclusive end: midnight UTC after --end."""
        return (self.start_day + self.n_days) * DAY

    def week_start_day(self, w: np.ndarray | int) -> np.ndarray:
        return self.start_day - self.start_wd + 7 * np.asarray(w)


def add_months(days: np.ndarray, months: int | np.ndarray) -> np.ndarray:
    """Calendar month arithmetic on days since epoch (day of month clipped to month length)."""
    d = np.asarray(days, dtype=np.int64).astype("datetime64[D]")
    m = d.astype("datetime64[M]")
    dom = (d - m.astype("datetime64[D]")).astype(np.int64)
    m2 = m + np.asarray(months, dtype=np.int64)
    first = m2.astype("datetime64[D]").astype(np.int64)
    length = (m2 + 1).astype("datetime64[D]").astype(np.int64) - first
    return first + np.minimum(dom, length - 1)
