"""What a report is made of: sections of plots, each with the numbers to read next to it.

Text here is plain; chs.evidence_report.html escapes it. A plot's `kind` names which of the
report's promised plot kinds it is (KINDS), so a test can check that all of them rendered.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

KINDS = (
    "roc_lift",
    "band_churn",
    "calibration",
    "weights",
    "score_distribution",
    "band_movements",
    "drivers",
    "weak_spots",
)


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""


@dataclass(frozen=True)
class Plot:
    id: str
    kind: str
    title: str
    caption: str  # one line: how to read the plot
    image: str  # data: URI of the PNG
    alt: str
    facts: tuple[str, ...] = ()  # the key numbers, one sentence each
    table: Table | None = None


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    intro: str
    plots: tuple[Plot, ...] = ()
    notes: tuple[str, ...] = ()  # e.g. why a plot is missing and how to get it
    tables: tuple[Table, ...] = field(default_factory=tuple)


def pct(value: object, digits: int = 1) -> str:
    """A share (0-1) as a percentage; an en dash when missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "\u2013"
    return f"{100 * float(value):.{digits}f}%"


def num(value: object, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "\u2013"
    return f"{float(value):.{digits}f}"


def count(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "\u2013"
    return f"{int(value):,}"
