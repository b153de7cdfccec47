"""Sections on whether the score works: ROC and lift per score model, churn by band, and
the calibration of the learned churn probability."""

from __future__ import annotations

import duckdb

from chs.evidence_report import plots, queries
from chs.evidence_report.curves import Curves, curves
from chs.evidence_report.model import Plot, Section, Table, count, num, pct

METHOD_ORDER = {queries.HEALTH_SCORE: 0, queries.CHURN_RISK: 1}


def method_label(method: str, version: str, current: str | None) -> str:
    if method == queries.HEALTH_SCORE:
        state = "in force" if version == current else "earlier"
        return f"health score {version} ({state})"
    if method == "baseline_inactivity":
        return "baseline: days since last activity"
    return f"{method.replace('_', ' ')} {version}"


def _ordered(pairs: list[tuple[str, str]], current: str | None) -> list[tuple[str, str]]:
    return sorted(pairs, key=lambda p: (METHOD_ORDER.get(p[0], 2), p[1] != current, p[0], p[1]))


def discrimination(con: duckdb.DuckDBPyConnection, horizon: int, current: str | None) -> Section:
    """ROC and lift per scoring method and version, with the backtest's AUC and lift."""
    levels = queries.risk_levels(con, horizon)
    summary = queries.backtest_summary(con, horizon)
    pairs = _ordered(
        list(levels[["scoring_method", "model_version"]].drop_duplicates().itertuples(False)),
        current,
    )
    drawn: dict[str, Curves] = {}
    for method, version in pairs:
        rows = levels[(levels["scoring_method"] == method) & (levels["model_version"] == version)]
        curve = curves(rows)
        if curve is not None:
            drawn[method_label(method, version, current)] = curve
    rows, facts = [], []
    for method, version in pairs:
        label = method_label(method, version, current)
        found = summary[
            (summary["scoring_method"] == method) & (summary["model_version"] == version)
        ]
        pooled = found[found["origins"] == "pooled"].to_dict("records")
        latest = found[found["origins"] == "latest"].to_dict("records")
        pooled, latest = (pooled or [{}])[0], (latest or [{}])[0]
        curve = drawn.get(label)
        auc_pooled = pooled.get("auc", curve.auc if curve else None)
        rows.append(
            (
                label,
                num(auc_pooled),
                num(latest.get("auc")),
                num(pooled.get("top_decile_lift"), 2),
                num(latest.get("top_decile_lift"), 2),
                num(pooled.get("arr_auc")),
                count(pooled.get("churn_events")),
                count(pooled.get("customer_weeks", curve.customer_weeks if curve else None)),
            )
        )
        if pooled:
            facts.append(
                f"{label}: AUC {num(auc_pooled)} over all windows, {num(latest.get('auc'))} in"
                f" the latest window; the riskiest tenth churned"
                f" {num(pooled.get('top_decile_lift'), 2)} times as often as the average"
                " customer-week."
            )
        else:
            facts.append(
                f"{label}: AUC {num(auc_pooled)} over all windows, from its backtest origins"
                " (not yet in marts.fct_score_backtest)."
            )
    table = Table(
        header=(
            "method",
            "AUC pooled",
            "AUC latest window",
            "top-decile lift pooled",
            "top-decile lift latest",
            "ARR AUC pooled",
            "churn events",
            "customer-weeks",
        ),
        rows=tuple(rows),
        caption=f"marts.fct_score_backtest: horizon {horizon} weeks, every segment",
    )
    return Section(
        id="discrimination",
        title="Does the score rank churners first?",
        intro=(
            f"Every scored customer-week whose next {horizon} weeks are known is a backtest"
            " origin: did the customer churn within them? Each method ranks the origins by"
            " its risk; a better method puts the churners first."
        ),
        plots=(
            Plot(
                id="fig-roc",
                kind="roc_lift",
                title=f"ROC per score model (churn within {horizon} weeks)",
                caption="Read: the higher a line runs above the dashed diagonal, the better the"
                " method separates churners from retained customers; AUC 0.5 is chance, 1.0"
                " perfect.",
                image=plots.png_data_uri(plots.roc(drawn)),
                alt="ROC curves of the scoring methods",
                facts=tuple(facts),
                table=table,
            ),
            Plot(
                id="fig-lift",
                kind="roc_lift",
                title="Lift per score model",
                caption="Read: flag the riskiest x% of customer-weeks; the line is how many"
                " times the base churn rate they churned at (dotted: the top 10%).",
                image=plots.png_data_uri(plots.lift(drawn)),
                alt="Lift curves of the scoring methods",
            ),
        ),
    )


def band_churn(con: duckdb.DuckDBPyConnection, horizon: int, current: str | None) -> Section:
    """Churn rate per band of each score model version, and the alert rules' record."""
    bands = queries.bands(con)
    outcomes = queries.band_outcomes(con, horizon)
    outcomes = outcomes[outcomes["scoring_method"] == queries.HEALTH_SCORE]
    versions = [
        v
        for _, v in _ordered(
            [(queries.HEALTH_SCORE, v) for v in outcomes["model_version"].unique()], current
        )
    ][::-1]
    labels = {v: method_label(queries.HEALTH_SCORE, v, current) for v in versions}
    facts, rows = [], []
    worst = bands[-1] if bands else "red"
    for version in versions[::-1]:
        of_version = outcomes[outcomes["model_version"] == version].set_index("band")
        if worst in of_version.index:
            red = of_version.loc[worst]
            facts.append(
                f"{labels[version]}: {worst} customer-weeks churned at {pct(red['churn_rate'])},"
                f" {num(red['churn_rate_ratio'], 1)} times the base rate of"
                f" {pct(red['base_churn_rate'])}; {pct(red['churners_in_band_share'], 0)} of"
                f" churners were {worst} in their last {horizon} weeks, a median"
                f" {num(red['median_lead_days'], 0)} days before churning."
            )
        for band in bands:
            if band in of_version.index:
                row = of_version.loc[band]
                rows.append(
                    (
                        labels[version],
                        band,
                        pct(row["share_of_customer_weeks"]),
                        pct(row["churn_rate"]),
                        num(row["churn_rate_ratio"], 2),
                        pct(row["churners_in_band_share"]),
                        num(row["median_lead_days"], 0),
                    )
                )
    alerts = queries.alert_outcomes(con, horizon)
    alerts = alerts[alerts["model_version"] == current]
    alert_table = Table(
        header=(
            "rule",
            "severity",
            "alerts raised",
            "precision",
            "recall",
            "x base rate",
            "median lead days",
        ),
        rows=tuple(
            (
                r.rule_key,
                r.severity,
                count(r.alerts_raised),
                pct(r.alert_precision),
                pct(r.alert_recall),
                num(r.churn_rate_ratio, 2),
                num(r.median_lead_days, 0),
            )
            for r in alerts.itertuples()
        ),
        caption="Alert rules of the score in force (marts.fct_score_backtest_alerts): precision"
        f" = alerts followed by churn within {horizon} weeks; recall = churners alerted before.",
    )
    return Section(
        id="bands",
        title="Do the bands mean what they say?",
        intro="Red should churn far more often than the base rate, green far less.",
        plots=(
            Plot(
                id="fig-band-churn",
                kind="band_churn",
                title=f"Churn rate by band (within {horizon} weeks)",
                caption="Read: bar height is the share of the band's customer-weeks followed by"
                " churn; the label is that rate over the base rate (dashed line).",
                image=plots.png_data_uri(plots.band_churn(outcomes, bands, labels)),
                alt="Churn rate per band",
                facts=tuple(facts),
                table=Table(
                    header=(
                        "score model",
                        "band",
                        "customer-weeks",
                        "churn rate",
                        "x base rate",
                        "churners in band",
                        "median lead days",
                    ),
                    rows=tuple(rows),
                    caption="marts.fct_score_backtest_bands, all windows pooled",
                ),
            ),
        ),
        tables=(alert_table,),
    )


def calibration(con: duckdb.DuckDBPyConnection, horizon: int) -> Section:
    """The learned churn probability against the churn observed, per risk decile."""
    intro = (
        f"The churn risk is a probability of churning within {horizon} weeks. Calibrated, the"
        " customers given 20% churn about one time in five."
    )
    deciles = queries.reliability(con, horizon)
    if deciles is None or deciles.empty:
        return Section(
            id="calibration",
            title="Is the churn probability calibrated?",
            intro=intro,
            notes=(
                "No customer-week of this warehouse has a churn risk: no risk model was"
                " trained (a checkpoint needs var churn_risk_min_churns churns with a known"
                " outcome), or the build has no churn risk at all. The plot appears here once"
                " a model has been trained.",
            ),
        )
    weeks = deciles["customer_weeks"].to_numpy(dtype=float)
    brier = float((deciles["brier_part"] * weeks).sum() / weeks.sum())
    predicted = float((deciles["mean_predicted"] * weeks).sum() / weeks.sum())
    observed = float((deciles["observed_rate"] * weeks).sum() / weeks.sum())
    gaps = (deciles["observed_rate"] - deciles["mean_predicted"]).abs()
    widest = deciles.loc[gaps.idxmax()]
    facts = (
        f"Mean predicted churn risk {pct(predicted)} against {pct(observed)} observed, over"
        f" {count(weeks.sum())} customer-weeks; Brier score {num(brier, 4)}.",
        f"Widest gap: decile {int(widest['decile'])}, predicted"
        f" {pct(widest['mean_predicted'])}, observed {pct(widest['observed_rate'])}.",
    )
    return Section(
        id="calibration",
        title="Is the churn probability calibrated?",
        intro=intro,
        plots=(
            Plot(
                id="fig-calibration",
                kind="calibration",
                title=f"Calibration of the churn risk (within {horizon} weeks)",
                caption="Read: each point is a tenth of the customer-weeks by predicted risk;"
                " on the dashed diagonal the prediction matches the churn observed.",
                image=plots.png_data_uri(plots.reliability(deciles)),
                alt="Reliability curve of the churn risk",
                facts=facts,
            ),
        ),
    )
