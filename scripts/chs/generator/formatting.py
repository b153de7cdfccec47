"""Vectorised formatting of ids, dates and ISO-8601 timestamps into Arrow string arrays.

Strings are assembled as fixed-width byte matrices (numpy) rather than formatted row by row.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from chs.generator.window import DAY

_PAIRS = np.array([[48 + i // 10, 48 + i % 10] for i in range(100)], dtype=np.uint8)


def _put_digits(buf: np.ndarray, col: int, values: np.ndarray, width: int) -> None:
    """Write zero-padded decimal digits of ``values`` into ``buf[:, col:col+width]``."""
    v = np.asarray(values, dtype=np.int64)
    i = width
    while i >= 2:
        buf[:, col + i - 2 : col + i] = _PAIRS[v % 100]
        v = v // 100
        i -= 2
    if i == 1:
        buf[:, col] = 48 + v % 10


def _ascii_table(rows: list[str]) -> np.ndarray:
    """Fixed-width ASCII strings as an (n, width) uint8 matrix."""
    return np.frombuffer("".join(rows).encode("ascii"), dtype=np.uint8).reshape(len(rows), -1)


# "HH:MM:SS" for every second of the day, and "+HH:MM" for offsets from -12:00 to +14:00
_TOD = _ascii_table(
    [f"{h:02d}:{m:02d}:{s:02d}" for h in range(24) for m in range(60) for s in range(60)]
)
_OFFSET_MIN = -720
_SUFFIX = _ascii_table(
    [
        f"{'-' if o < 0 else '+'}{abs(o) // 60:02d}:{abs(o) % 60:02d}"
        for o in range(_OFFSET_MIN, 841)
    ]
)
_USER3 = _ascii_table([f"{i:03d}" for i in range(1000)])


def _fixed_strings(buf: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """Turn an (n, width) uint8 matrix of ASCII bytes into an Arrow string array."""
    n, width = buf.shape
    offsets = np.arange(0, (n + 1) * width, width, dtype=np.int32)
    data = np.ascontiguousarray(buf).reshape(-1)
    validity = None
    null_count = 0
    if valid is not None and not bool(np.all(valid)):
        validity = pa.py_buffer(np.packbits(valid.astype(bool), bitorder="little"))
        null_count = int(n - np.count_nonzero(valid))
    return pa.Array.from_buffers(
        pa.string(), n, [validity, pa.py_buffer(offsets), pa.py_buffer(data)], null_count
    )


def _civil(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Split days since 1970-01-01 into (year, month, day)."""
    days = np.asarray(days, dtype=np.int64)
    months = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    first = months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    return months // 12 + 1970, months % 12 + 1, days - first + 1


def _date_table(first: int, last: int) -> np.ndarray:
    """YYYY-MM-DD bytes for every day in [first, last]."""
    days = np.arange(first, last + 1, dtype=np.int64)
    y, m, d = _civil(days)
    buf = np.empty((len(days), 10), dtype=np.uint8)
    _put_digits(buf, 0, y, 4)
    buf[:, 4] = buf[:, 7] = ord("-")
    _put_digits(buf, 5, m, 2)
    _put_digits(buf, 8, d, 2)
    return buf


def fmt_ts(
    sec: np.ndarray, offset_min: np.ndarray | None = None, valid: np.ndarray | None = None
) -> pa.Array:
    """ISO-8601 strings: UTC with 'Z' when offset_min is None, else local time with +HH:MM."""
    sec = np.asarray(sec, dtype=np.int64)
    n = len(sec)
    if offset_min is None:
        local, width = sec, 20
    else:
        off = np.asarray(offset_min, dtype=np.int64)
        local, width = sec + off * 60, 25
    buf = np.empty((n, width), dtype=np.uint8)
    if n:
        days = local // DAY
        first = int(days.min())
        buf[:, :10] = _date_table(first, int(days.max()))[days - first]
        buf[:, 10] = ord("T")
        buf[:, 11:19] = _TOD[local - days * DAY]
        if offset_min is None:
            buf[:, 19] = ord("Z")
        else:
            buf[:, 19:25] = _SUFFIX[off - _OFFSET_MIN]
    return _fixed_strings(buf, valid)


def fmt_date(days: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """YYYY-MM-DD strings from days since 1970-01-01."""
    days = np.asarray(days, dtype=np.int64)
    if not len(days):
        return _fixed_strings(np.empty((0, 10), dtype=np.uint8), valid)
    first = int(days.min())
    return _fixed_strings(_date_table(first, int(days.max()))[days - first], valid)


def fmt_ids(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """Prefix followed by zero-padded numbers, e.g. C0000001."""
    p = prefix.encode()
    buf = np.empty((len(numbers), len(p) + width), dtype=np.uint8)
    buf[:, : len(p)] = np.frombuffer(p, dtype=np.uint8)
    _put_digits(buf, len(p), numbers, width)
    return _fixed_strings(buf)


def fmt_user_ids(cust_no: np.ndarray, user_no: np.ndarray) -> pa.Array:
    """User ids of the form C0000001-U001."""
    cust_no = np.asarray(cust_no, dtype=np.int64)
    buf = np.empty((len(cust_no), 13), dtype=np.uint8)
    if len(cust_no):
        first = int(cust_no.min())
        span = int(cust_no.max()) - first + 1
        tab = np.empty((span, 8), dtype=np.uint8)
        tab[:, 0] = ord("C")
        _put_digits(tab, 1, np.arange(first, first + span), 7)
        buf[:, :8] = tab[cust_no - first]
        buf[:, 8] = ord("-")
        buf[:, 9] = ord("U")
        buf[:, 10:13] = _USER3[user_no]
    return _fixed_strings(buf)


def take(values: list[str], idx: np.ndarray) -> pa.Array:
    """The strings of ``values`` at the positions ``idx``."""
    return pa.array(values, type=pa.string()).take(pa.array(np.asarray(idx, dtype=np.int64)))


def take_nullable(values: list[str], idx: np.ndarray) -> pa.Array:
    """Like take, with null where idx is negative."""
    idx = np.asarray(idx, dtype=np.int64)
    return pc.if_else(pa.array(idx >= 0), take(values, np.maximum(idx, 0)), None)
