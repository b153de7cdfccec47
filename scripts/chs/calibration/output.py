"""The calibration's files: proposed seeds ready to copy, the weight diff, and the evidence."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pandas as pd

from chs.calibration.data import CalibrationData
from chs.dbt import PROJECT_DIR


def _clean(value: object) -> object:
    """JSON without NaN: a measure that cannot be computed is null."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _seed_order(data: CalibrationData) -> pd.DataFrame:
    """Rows in the order of seeds/indicator_weights.csv, so that accepting the proposal is a
    diff of changed weights only; the warehouse's order when the file lists other rows."""
    loaded = data.current_weights[["segment", "indicator_key"]]
    seed = PROJECT_DIR / "seeds" / "indicator_weights.csv"
    if seed.is_file():
        in_file = pd.read_csv(seed, dtype=str)[["segment", "indicator_key"]]
        if sorted(map(tuple, in_file.to_numpy())) == sorted(map(tuple, loaded.to_numpy())):
            return in_file
    return loaded


def write_outputs(
    out_dir: Path, data: CalibrationData, proposed: pd.DataFrame, result: dict
) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    order = _seed_order(data)
    seeds = order.merge(proposed, on=["segment", "indicator_key"], how="left")
    with (out_dir / "indicator_weights.csv").open("w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["segment", "indicator_key", "weight"])
        for r in seeds.itertuples():
            writer.writerow([r.segment, r.indicator_key, f"{r.weight:.4f}".rstrip("0").rstrip(".")])
    descriptions = dict(
        zip(data.current_bands["band"], data.current_bands["description"], strict=True)
    )
    with (out_dir / "score_bands.csv").open("w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["band", "min_score", "description"])
        for band in result["bands"]["proposed"]:
            writer.writerow(
                [band["band"], int(band["min_score"]), descriptions.get(band["band"], "")]
            )
    with (out_dir / "weights_diff.csv").open("w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(
            ["segment", "indicator_key", "family", "current_weight", "proposed_weight", "change"]
        )
        for w in result["weights"]:
            change = w["proposed_weight"] - w["current_weight"]
            writer.writerow(
                [
                    w["segment"],
                    w["indicator_key"],
                    w["family"],
                    f"{w['current_weight']:.4f}",
                    f"{w['proposed_weight']:.4f}",
                    f"{change:+.4f}",
                ]
            )
    (out_dir / "calibration.json").write_text(
        json.dumps(_clean(result), indent=2, sort_keys=True) + "\n"
    )
    (out_dir / "SUMMARY.txt").write_text(summary(result) + "\n")


def _ci(values: list[float] | None) -> str:
    return f"[{values[0]:.3f}, {values[1]:.3f}]" if values else ""


def _row(label: str, cur: dict, pro: dict, key: str, ci: str | None = None) -> str:
    """One measure of the held-out comparison: current, proposed and their difference."""
    cells = [f"  {label:<18}"]
    for side in (cur, pro):
        text = _num(side[key])
        if ci:
            text += " " + _ci(side.get(ci))
        cells.append(f"{text:<24}")
    if ci:
        cells.append(_ci(pro.get(ci.replace("_ci", "_difference_ci"))))
    return "".join(cells).rstrip()


def summary(result: dict) -> str:
    """The calibration in a few lines, for the terminal and SUMMARY.txt."""
    h = result["holdout"]
    cur, pro = h["current"], h["proposed"]
    new = {b["band"]: b["min_score"] for b in result["bands"]["proposed"]}
    old = {b["band"]: b["min_score"] for b in result["bands"]["current"]}
    train, held = result["train"], result["holdout_period"]
    lines = [
        f"horizon {result['horizon_weeks']} weeks; trained on {train['first_week']} .."
        f" {train['last_week']} ({train['churn_events']} churns); held out"
        f" {held['first_week']} .. {held['last_week']} ({held['churn_events']} churns,"
        f" base churn rate {held['base_churn_rate']:.3f})",
        f"  {'held-out':<18}{'current':<24}{'proposed':<24}proposed - current",
        _row("AUC", cur, pro, "auc", "auc_ci"),
        _row("top-decile lift", cur, pro, "top_decile_lift", "lift_ci"),
        _row("red share", cur, pro, "red_share"),
        _row("red churn / base", cur, pro, "red_churn_rate_ratio"),
        _row("churners red", cur, pro, "churners_red_share"),
        f"bands: yellow from {old.get('yellow'):g} -> {new['yellow']:g},"
        f" green from {old.get('green'):g} -> {new['green']:g}",
        _risk_line(h.get("churn_risk") or {}),
        "no evidence of signal: " + (", ".join(result["no_signal_indicators"]) or "none"),
    ]
    for a in result["alerts"]:
        lines.append(
            f"alert {a['rule_key']}: threshold {a['threshold']:g} precision {_num(a['precision'])}"
            f" recall {_num(a['recall'])}; suggested {a['suggested_threshold']:g}"
            f" (precision {_num(a['suggested_precision'])},"
            f" recall {_num(a['suggested_recall'])})"
        )
    lines.append("accept: cp <out>/indicator_weights.csv <out>/score_bands.csv seeds/ and rebuild")
    return "\n".join(lines)


def _risk_line(risk: dict) -> str:
    if not risk.get("customer_weeks"):
        return "learned churn risk: not in this build (no trained model for the held-out weeks)"
    return (
        f"learned churn risk on {risk['customer_weeks']:,} held-out weeks: AUC {_num(risk['auc'])}"
        f" against {_num(risk['proposed_auc'])} of the proposed weights (difference"
        f" {_ci(risk.get('auc_difference_ci'))}), top-decile lift {_num(risk['top_decile_lift'])}"
        f" against {_num(risk['proposed_top_decile_lift'])}"
    )


def _num(value: float | None) -> str:
    return (
        "n/a"
        if value is None or (isinstance(value, float) and math.isnan(value))
        else f"{value:.3f}"
    )
