"""The evidence report on a small generated warehouse, opened in headless Chromium.

A company of 250 customers over 15 months is generated, loaded and built with dbt, so the
backtest has churns to rank. Chromium (Debian's package: `make chromium`, which `make test`
runs) loads the written page from disk with the network off; the page's own render check
counts the plots that rendered, and the test reads that count from the dumped DOM: it must
equal the plots the page promised, covering every promised kind. A company this small trains
no churn-risk model (too few churns per checkpoint), so the calibration plot is exercised by
adding a churn_risk method to a copy of the warehouse, the way the trained model joins the
backtest.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from chs.dbt import DbtTarget, run_dbt
from chs.errors import UserError
from chs.evidence_report import build_report, primary_horizon, queries
from chs.evidence_report.analysis import FEATURE_ADOPTION, compiled_analysis
from chs.evidence_report.calibration_file import read_calibration
from chs.evidence_report.curves import curves
from chs.evidence_report.model import KINDS
from chs.generator import generate
from chs.loading import load_raw
from matplotlib.image import imread

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CALIBRATION = FIXTURES / "calibration_fixture.json"
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)
# A monotone map of the score's risk onto a probability: the churn risk of the fixture.
CHURN_RISK_VIEW = """
alter view intermediate.int_backtest_scored_origins rename to int_backtest_scored_origins_built;
create view intermediate.int_backtest_scored_origins as
select * from intermediate.int_backtest_scored_origins_built
union all by name
select * replace (
    'churn_risk' as scoring_method,
    'fixture-logistic' as model_version,
    cast(null as varchar) as band,
    1 / (1 + exp(-(risk_value - 60) / 8)) as risk_value
)
from intermediate.int_backtest_scored_origins_built
where scoring_method = 'health_score';
"""


def chromium() -> str:
    """Chromium's path; fails (never skips) when it is not installed."""
    path = os.environ.get("CHS_CHROMIUM", "/usr/bin/chromium")
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        pytest.fail(
            f"headless Chromium not found at {path}: run `make chromium` (apt-get install -y"
            " chromium; `make test` and CI install it) or set CHS_CHROMIUM to its path"
        )
    return path


def open_in_chromium(page: Path, profile: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args, page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def render_check(dom: str) -> dict[str, str]:
    match = re.search(r'<div id="render-check"([^>]*)>', dom)
    assert match, "the dumped DOM has no render-check element"
    return dict(re.findall(r'([\w-]+)="([^"]*)"', match.group(1)))


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built warehouse of 250 generated customers over 15 months."""
    root = tmp_path_factory.mktemp("evidence_report")
    generate(
        customers=250,
        start=date(2025, 1, 6),
        end=date(2026, 3, 29),
        seed=11,
        dirt_rate=0.02,
        out=root / "raw",
        truth_out=root / "truth",
        quiet=True,
    )
    database = root / "build" / "warehouse.duckdb"
    database.parent.mkdir()
    load_raw(root / "raw", database)
    target = DbtTarget(database=database, work_dir=root, profiles_dir=root / "profiles")
    # The models and seeds only: their tests run in the dbt suite, not here.
    run_dbt(["build", "--exclude-resource-type", "test", "unit_test"], target, quiet=True)
    return database


@pytest.fixture(scope="module")
def adoption_sql(warehouse: Path) -> str:
    return compiled_analysis(FEATURE_ADOPTION, warehouse)


def copy_of(warehouse: Path, folder: Path) -> Path:
    """A copy under the same file name: the views name the database by it."""
    folder.mkdir(parents=True)
    return Path(shutil.copy2(warehouse, folder / warehouse.name))


def test_every_plot_renders_in_chromium(warehouse, adoption_sql, tmp_path):
    database = copy_of(warehouse, tmp_path / "with_risk")
    with duckdb.connect(str(database)) as con:
        con.execute(CHURN_RISK_VIEW)
    page = build_report(database, tmp_path / "report", CALIBRATION, analysis_sql=adoption_sql)
    html = page.read_text()
    promised = re.findall(r'<figure class="plot" id="([^"]+)" data-kind="([^"]+)"', html)
    assert {kind for _, kind in promised} == set(KINDS)
    assert len(promised) == len(KINDS) + 1  # ROC and lift are two plots of one kind
    assert "http://" not in html and "https://" not in html  # nothing to fetch

    dom = open_in_chromium(
        page, tmp_path / "profile", "--dump-dom", "--virtual-time-budget=5000"
    ).stdout
    check = render_check(dom)
    assert int(check["data-expected"]) == len(promised)
    assert int(check["data-rendered"]) == len(promised), check
    assert sorted(check["data-rendered-kinds"].split()) == sorted(k for _, k in promised)

    screenshot = tmp_path / "report.png"
    open_in_chromium(
        page,
        tmp_path / "profile",
        f"--screenshot={screenshot}",
        "--window-size=1280,2400",
        "--virtual-time-budget=5000",
    )
    pixels = imread(screenshot)[..., :3].reshape(-1, 3)
    assert len(np.unique(pixels, axis=0)) > 50  # text and plots, not a blank page


def test_sections_without_churn_risk_or_calibration_say_how_to_get_them(
    warehouse, adoption_sql, tmp_path
):
    first = build_report(
        warehouse, tmp_path / "a", tmp_path / "none.json", analysis_sql=adoption_sql
    )
    html = first.read_text()
    assert "has a churn risk: no risk model was trained" in html
    assert "run `make calibrate`" in html
    kinds = re.findall(r'<figure class="plot" id="[^"]+" data-kind="([^"]+)"', html)
    assert set(kinds) == set(KINDS) - {"calibration"}
    assert 'data-expected="8"' in html

    dom = open_in_chromium(
        first, tmp_path / "profile", "--dump-dom", "--virtual-time-budget=5000"
    ).stdout
    assert render_check(dom)["data-rendered"] == "8"

    second = build_report(
        warehouse, tmp_path / "b", tmp_path / "none.json", analysis_sql=adoption_sql
    )
    assert second.read_bytes() == first.read_bytes()  # deterministic: no clock, fixed images


def test_curves_agree_with_the_backtest_mart(warehouse):
    """The ROC curve's area is the mart's rank AUC: ties enter the curve together."""
    horizon = primary_horizon()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        levels = queries.risk_levels(con, horizon)
        summary = queries.backtest_summary(con, horizon)
    pooled = summary[summary["origins"] == "pooled"]
    assert len(pooled) >= 2
    for row in pooled.itertuples():
        of_method = levels[
            (levels["scoring_method"] == row.scoring_method)
            & (levels["model_version"] == row.model_version)
        ]
        curve = curves(of_method)
        assert curve is not None and row.churn_events > 5
        assert curve.auc == pytest.approx(row.auc, abs=1e-9)
        assert curve.customer_weeks == row.customer_weeks


def test_curves_by_hand():
    """Risk 3: one churned; risk 2: one churned, one retained; risk 1: two retained. Of the
    six churned-retained pairs the riskier is the churned in five, one is a tie: AUC 5.5/6.
    Flagging risk 3 alone (1 of 5 customer-weeks) catches churn at rate 1 over a base rate
    of 2/5: lift 2.5."""
    levels = pd.DataFrame(
        {"risk_value": [1.0, 2.0, 3.0], "positives": [0, 1, 1], "negatives": [2, 1, 0]}
    )
    curve = curves(levels)
    assert curve.auc == pytest.approx(5.5 / 6)
    assert curve.targeted_share.tolist() == pytest.approx([0.2, 0.6, 1.0])
    assert curve.lift.tolist() == pytest.approx([2.5, (2 / 3) / 0.4, 1.0])
    assert curves(levels.assign(positives=0)) is None


def test_churn_risk_from_the_weekly_mart(warehouse, tmp_path):
    """Without a churn_risk backtest method, the weekly mart's churn_risk column is read
    against the backtest's outcomes (here the small company trained no model: all null)."""
    database = copy_of(warehouse, tmp_path / "weekly_risk")
    with duckdb.connect(str(database)) as con:
        trained = con.execute(
            "select count(churn_risk) from marts.fct_customer_health_weekly"
        ).fetchone()[0]
        assert trained == 0
        con.execute(
            "update marts.fct_customer_health_weekly"
            " set churn_risk = 1 / (1 + exp(-(40 - computed_score) / 8))"
        )
        deciles = queries.reliability(con, 12)
    assert deciles["decile"].tolist() == list(range(1, 11))
    assert deciles["mean_predicted"].is_monotonic_increasing
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert queries.reliability(con, 12) is None


def test_other_horizons_and_bad_inputs(warehouse, adoption_sql, tmp_path):
    bad = tmp_path / "calibration.json"
    bad.write_text("{not json")
    with pytest.raises(UserError, match="cannot read as JSON"):
        read_calibration(bad)
    bad.write_text(json.dumps({"horizon_weeks": 12, "weights": [{"segment": "smb"}]}))
    with pytest.raises(UserError, match=r"weights\[0\] has no 'indicator_key'"):
        read_calibration(bad)
    eight = build_report(
        warehouse, tmp_path / "8w", CALIBRATION, horizon_weeks=8, analysis_sql=adoption_sql
    )
    assert "The calibration fitted a horizon of 12 weeks" in eight.read_text()
    with pytest.raises(UserError, match="no backtest at a horizon of 5 weeks"):
        build_report(warehouse, tmp_path / "out", CALIBRATION, horizon_weeks=5)
    with pytest.raises(UserError, match="DuckDB file not found"):
        build_report(tmp_path / "missing.duckdb", tmp_path / "out", CALIBRATION)
