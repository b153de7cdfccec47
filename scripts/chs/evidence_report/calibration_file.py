"""The weight calibration's output (`make calibrate`: build/calibration/calibration.json).

Only the parts the report shows are read; a file that is there but cannot be read as that
format is a UserError naming the file and the first thing missing, never a traceback.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from chs.errors import UserError

HOLDOUT_MEASURES = (
    "auc",
    "auc_ci",
    "top_decile_lift",
    "lift_ci",
    "red_churn_rate_ratio",
    "churners_red_share",
)


@dataclass(frozen=True)
class ProposedWeight:
    segment: str
    indicator_key: str
    family: str
    current_weight: float
    proposed_weight: float


@dataclass(frozen=True)
class Calibration:
    path: Path
    horizon_weeks: int
    weights: list[ProposedWeight]
    bands: dict[str, dict[str, float]]  # "current"/"proposed" -> band -> min_score
    holdout: dict[str, dict[str, object]]  # "current"/"proposed" -> measure -> value
    no_signal_indicators: list[str] = field(default_factory=list)
    alerts: list[dict[str, object]] = field(default_factory=list)


def _require(mapping: object, key: str, where: str, path: Path) -> object:
    if not isinstance(mapping, dict) or key not in mapping:
        raise UserError(f"{path}: not a calibration file ({where} has no '{key}')")
    return mapping[key]


def read_calibration(path: Path) -> Calibration | None:
    """The calibration at `path`, or None when there is no such file."""
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserError(f"{path}: cannot read as JSON ({exc})") from None
    horizon = _require(data, "horizon_weeks", "the file", path)
    weights = []
    for number, row in enumerate(_require(data, "weights", "the file", path)):
        where = f"weights[{number}]"
        try:
            weights.append(
                ProposedWeight(
                    segment=str(_require(row, "segment", where, path)),
                    indicator_key=str(_require(row, "indicator_key", where, path)),
                    family=str(row.get("family") or ""),
                    current_weight=float(_require(row, "current_weight", where, path)),
                    proposed_weight=float(_require(row, "proposed_weight", where, path)),
                )
            )
        except (TypeError, ValueError):
            raise UserError(f"{path}: {where} has a weight that is not a number") from None
    bands = {}
    for version, rows in (data.get("bands") or {}).items():
        bands[version] = {
            str(_require(row, "band", f"bands.{version}", path)): float(
                _require(row, "min_score", f"bands.{version}", path)
            )
            for row in rows
        }
    holdout = {}
    for version, measures in (data.get("holdout") or {}).items():
        if not isinstance(measures, dict):
            raise UserError(f"{path}: not a calibration file (holdout.{version} is no object)")
        holdout[version] = {key: measures.get(key) for key in HOLDOUT_MEASURES}
    return Calibration(
        path=path,
        horizon_weeks=int(horizon),
        weights=weights,
        bands=bands,
        holdout=holdout,
        no_signal_indicators=[str(key) for key in data.get("no_signal_indicators") or []],
        alerts=[row for row in data.get("alerts") or [] if isinstance(row, dict)],
    )
