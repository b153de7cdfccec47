"""Signal configurations of the generator (chs.generator.signals): planted links, checked input.

Correlations are measured on the written files: weekly usage events counted from the raw
usage_events, latent health from the truth's weekly_health. Customers differ in event volume
by a factor of up to about 20 (segment and a hidden activity multiplier), which swamps the
link between health and events when all customer-weeks are pooled (r about 0.25 at full
strength); the tests therefore remove each customer's own mean first (a within-customer
correlation), and use full weeks only (the first and the churn week of a customer are partial).
"""

from __future__ import annotations

import functools
import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pyarrow.parquet as pq
import pytest
from chs.generator import PROFILES_DIR, SIGNALS_FILE, GeneratorError, generate, load_signals
from chs.generator.catalogue import SEGMENTS
from chs.generator.run import simulate_chunk
from chs.generator.signals import FAMILIES, SEGMENT_KEYS
from chs.generator.window import Window

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
DEFAULT = PROFILES_DIR / "default.json"
PLANTED = PROFILES_DIR / "planted_support_surveys.json"

START = date(2025, 1, 6)
END = START + timedelta(weeks=52, days=-1)
CUSTOMERS = 300

# configurations generated once for the module, by name
CONFIGS = {
    "default": None,
    "planted": PLANTED,
    "usage_delay_4": {"default": {"usage": {"delay_weeks": 4}}},
    "smb_usage_noise": {"segments": {"smb": {"usage": {"strength": 0}}}},
    "enterprise_surveys_noise": {"segments": {"enterprise": {"surveys": {"strength": 0}}}},
}


def _make(root: Path, signals, **kwargs) -> Path:
    args = dict(
        customers=CUSTOMERS,
        start=START.isoformat(),
        end=END.isoformat(),
        seed=42,
        dirt_rate=0.0,
        out=root / "raw",
        truth_out=root / "truth",
        chunk_customers=150,
        quiet=True,
        signals=signals,
    )
    args.update(kwargs)
    generate(**args)
    return root


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("signals")
    return {name: _make(base / name, config) for name, config in CONFIGS.items()}


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.parquet"))}


# ---- weekly events against latent health -----------------------------------------------------


@functools.cache
def _weekly(
    root: Path, table: str = "product/usage_events", at: str = "occurred_at"
) -> dict[str, np.ndarray]:
    """Customers x weeks: rows of the raw table (its UTC week), latent health, full weeks; and
    the segment of each customer."""
    con = duckdb.connect()
    con.execute("SET TimeZone='UTC'")
    rows = con.execute(
        f"""
        with events as (
            select customer_id,
                   cast(date_trunc('week', timezone('UTC', {at}::timestamptz)) as date)
                       as week_start,
                   count(*) as n
            from '{root}/raw/{table}.parquet' group by all
        )
        select w.customer_id, c.segment, coalesce(e.n, 0), coalesce(w.latent_health, 'nan'),
               w.is_active
        from '{root}/truth/weekly_health.parquet' w
        inner join '{root}/truth/customer_truth.parquet' c using (customer_id)
        left join events e
          on e.customer_id = w.customer_id and e.week_start = w.week_start::date
        order by w.customer_id, w.week_start
        """
    ).fetchall()
    customers = len({r[0] for r in rows})
    shape = (customers, len(rows) // customers)
    active = np.array([r[4] for r in rows]).reshape(shape)
    # full weeks: active, after the customer's first active week (and the window's first week),
    # before its last active week unless that is the window's last week (a churn week)
    first = np.argmax(active, axis=1)
    last = shape[1] - 1 - np.argmax(active[:, ::-1], axis=1)
    week = np.arange(shape[1])[None, :]
    full = active & (week > first[:, None]) & (week > 0)
    full &= (week < last[:, None]) | (last[:, None] == shape[1] - 1)
    return {
        "events": np.array([r[2] for r in rows], dtype=float).reshape(shape),
        "health": np.array([r[3] for r in rows], dtype=float).reshape(shape),
        "full": full,
        "segment": np.array([r[1] for r in rows]).reshape(shape)[:, 0],
    }


def _within_r(x: np.ndarray, y: np.ndarray, ok: np.ndarray, lag: int = 0) -> float:
    """Correlation of x[c, t] with y[c, t - lag] over customer-weeks where both are ``ok``,
    after subtracting each customer's mean of the pairs."""
    W = x.shape[1]
    x, y = x[:, lag:], y[:, : W - lag]
    ok = ok[:, lag:] & ok[:, : W - lag]
    keep = ok.sum(axis=1) >= 2
    x, y, ok = x[keep], y[keep], ok[keep]
    n = ok.sum(axis=1, keepdims=True)
    xd = x - np.where(ok, x, 0).sum(axis=1, keepdims=True) / n
    yd = y - np.where(ok, y, 0).sum(axis=1, keepdims=True) / n
    return float(np.corrcoef(xd[ok], yd[ok])[0, 1])


def _events_vs_health(root: Path, lag: int = 0, segment: str | None = None) -> float:
    w = _weekly(root)
    ok = w["full"] if segment is None else w["full"] & (w["segment"] == segment)[:, None]
    return _within_r(w["events"], w["health"], ok, lag)


# ---- (a) the default profile is the generator without one ------------------------------------


def test_default_profile_gives_the_same_files_as_no_profile(tmp_path: Path) -> None:
    small = dict(customers=150, end=(START + timedelta(weeks=26, days=-1)).isoformat())
    small |= dict(dirt_rate=0.05, chunk_customers=60)
    without = _files(_make(tmp_path / "none", None, **small))
    profile = _files(_make(tmp_path / "profile", DEFAULT, **small))
    assert len(without) == 12 and without.keys() == profile.keys()
    for name in without:
        assert without[name] == profile[name], name
    recorded = json.loads((tmp_path / "profile" / "truth" / SIGNALS_FILE).read_text())
    unset = json.loads((tmp_path / "none" / "truth" / SIGNALS_FILE).read_text())
    assert recorded["segments"] == unset["segments"]


def test_truth_records_the_effective_configuration_and_the_raw_data_does_not(runs) -> None:
    recorded = json.loads((runs["smb_usage_noise"] / "truth" / SIGNALS_FILE).read_text())
    assert list(recorded["segments"]) == list(SEGMENT_KEYS)
    for seg, links in recorded["segments"].items():
        assert list(links) == list(FAMILIES)
        expected = 0.0 if seg == "smb" else 1.0
        assert links["usage"] == {"strength": expected, "delay_weeks": 0}, seg
        assert links["support"] == {"strength": 1.0, "delay_weeks": 0}, seg
    # the record is itself a configuration that gives the same run
    assert load_signals(recorded) == load_signals(CONFIGS["smb_usage_noise"])
    assert not list((runs["smb_usage_noise"] / "raw").rglob("*.json"))


def test_churn_and_the_truth_follow_the_true_health_whatever_the_signals(runs) -> None:
    default = _files(runs["default"])
    for name in CONFIGS:
        files = _files(runs[name])
        for table in ("customer_truth", "weekly_health"):
            assert files[f"truth/{table}.parquet"] == default[f"truth/{table}.parquet"], name
    assert (
        _files(runs["planted"])["raw/product/usage_events.parquet"]
        != (default["raw/product/usage_events.parquet"])
    )


# ---- (b) strength ------------------------------------------------------------------------------


def test_usage_at_strength_zero_carries_no_health(runs) -> None:
    with_signal = _events_vs_health(runs["default"])
    noise = _events_vs_health(runs["planted"])
    assert with_signal > 0.4, with_signal
    assert abs(noise) < 0.1, noise


def test_planted_profile_strengthens_support_and_surveys(runs) -> None:
    """Survey scores and weekly tickets follow health more closely at strength 1.6."""

    def links(root: Path) -> tuple[float, float]:
        con = duckdb.connect()
        con.execute("SET TimeZone='UTC'")
        nps = con.execute(
            f"""
            select corr(s.score, w.latent_health)
            from '{root}/raw/surveys/survey_responses.parquet' s
            inner join '{root}/truth/weekly_health.parquet' w
              on w.customer_id = s.customer_id
             and w.week_start::date = cast(date_trunc('week',
                     timezone('UTC', s.responded_at::timestamptz)) as date)
            where s.survey_type = 'nps'
            """
        ).fetchone()[0]
        w = _weekly(root, "support/tickets", "opened_at")
        return nps, _within_r(w["events"], -w["health"], w["full"])  # tickets rise as it falls

    default_nps, default_tickets = links(runs["default"])
    planted_nps, planted_tickets = links(runs["planted"])
    assert planted_nps > default_nps + 0.05, (default_nps, planted_nps)
    assert planted_tickets > default_tickets, (default_tickets, planted_tickets)
    assert default_tickets > 0.05


# ---- (c) delay ---------------------------------------------------------------------------------


def test_usage_delayed_four_weeks_follows_health_four_weeks_later(runs) -> None:
    by_lag = {lag: _events_vs_health(runs["usage_delay_4"], lag) for lag in range(9)}
    assert max(by_lag, key=by_lag.get) == 4, by_lag
    assert by_lag[4] > by_lag[0] + 0.1, by_lag
    undelayed = {lag: _events_vs_health(runs["default"], lag) for lag in (0, 4)}
    assert undelayed[0] > undelayed[4] + 0.1, undelayed


# ---- (d) per-segment overrides -----------------------------------------------------------------


def test_segment_override_changes_only_that_segment(runs) -> None:
    """Survey scores are drawn after everything else and which customers answer does not
    depend on health, so an Enterprise override changes Enterprise scores and nothing else."""
    default, override = _files(runs["default"]), _files(runs["enterprise_surveys_noise"])
    responses = "raw/surveys/survey_responses.parquet"
    for name in default:
        if name != responses:
            assert default[name] == override[name], name
    a = pq.read_table(runs["default"] / responses).to_pylist()
    b = pq.read_table(runs["enterprise_surveys_noise"] / responses).to_pylist()
    segment = dict(
        duckdb.sql(
            f"select customer_id, segment from '{runs['default']}/truth/customer_truth.parquet'"
        ).fetchall()
    )
    assert len(a) == len(b)
    changed = [x for x, y in zip(a, b, strict=True) if x != y]
    assert changed and {segment[x["customer_id"]] for x in changed} == {SEGMENTS[2]}
    for x, y in zip(a, b, strict=True):
        assert {k: v for k, v in x.items() if k != "score"} == {
            k: v for k, v in y.items() if k != "score"
        }


def test_segment_override_of_usage_removes_the_signal_in_that_segment_only(runs) -> None:
    """Other segments keep their link; their rows are equally distributed but not identical,
    because the chunk's random stream is shared and event counts use a varying number of draws."""
    smb, others = SEGMENTS[0], SEGMENTS[1:]
    root, default = runs["smb_usage_noise"], runs["default"]
    # SMB customers have few events a week, so their weekly counts are noisier
    assert _events_vs_health(default, segment=smb) > 0.3
    assert abs(_events_vs_health(root, segment=smb)) < 0.1
    for seg in others:
        kept, before = _events_vs_health(root, segment=seg), _events_vs_health(default, segment=seg)
        assert kept > 0.5 and abs(kept - before) < 0.1, (seg, before, kept)


# ---- the signal view on one simulated chunk --------------------------------------------------


def _chunk(signals, seed: int = 5):
    win = Window.between(START, END)
    rng = np.random.Generator(np.random.PCG64(seed))
    return simulate_chunk(win, 0, 400, rng, load_signals(signals), (seed, 0))


def test_seen_health_follows_the_formula() -> None:
    ch = _chunk({"default": {"support": {"strength": 1.6, "delay_weeks": 3}}})
    seen, h = ch.seen.health("support"), ch.health
    expected = np.clip(50 + 1.6 * (h[:, np.maximum(np.arange(h.shape[1]) - 3, 0)] - 50), 0, 100)
    np.testing.assert_allclose(seen, expected)
    assert ch.seen.health("usage") is ch.health and ch.seen.curve("commercial") is ch.curve


def test_strength_zero_is_noise_and_drops_the_pre_churn_stress() -> None:
    signals = {"default": {"support": {"strength": 0}, "billing": {"strength": 0.5}}}
    ch = _chunk(signals)
    again = _chunk(signals)
    seen = ch.seen.health("support")
    np.testing.assert_array_equal(seen, again.seen.health("support"))  # its own seeded stream
    assert abs(np.corrcoef(seen.ravel(), ch.health.ravel())[0, 1]) < 0.1
    # a similar marginal distribution: mean and spread within a fifth of the true ones
    assert abs(seen.mean() - ch.health.mean()) < 0.2 * ch.health.mean()
    assert abs(seen.std() - ch.health.std()) < 0.2 * ch.health.std()
    assert ch.support_stress.any() and ch.payment_stress.any()
    assert not ch.seen.stress("support", ch.support_stress).any()
    np.testing.assert_array_equal(
        ch.seen.stress("billing", ch.payment_stress), 0.5 * ch.payment_stress
    )


# ---- (e) invalid configurations ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"defaults": {}}, 'unknown key "defaults" (expected one of description, default,'),
        ({"default": {"usag": {}}}, 'unknown family "usag" in default'),
        ({"segments": {"Enterprise": {}}}, 'unknown segment "Enterprise" in segments'),
        ({"default": {"usage": {"strenght": 1}}}, 'unknown key "strenght" in default.usage'),
        (
            {"default": {"usage": {"strength": -0.5}}},
            "default.usage.strength must be a number >= 0",
        ),
        (
            {"default": {"usage": {"strength": "1"}}},
            'default.usage.strength must be a number >= 0, got "1"',
        ),
        (
            {"default": {"usage": {"strength": True}}},
            "default.usage.strength must be a number >= 0, got true",
        ),
        (
            {"segments": {"smb": {"billing": {"delay_weeks": 1.5}}}},
            "segments.smb.billing.delay_weeks must be a whole number of weeks >= 0, got 1.5",
        ),
        (
            {"default": {"orders": {"delay_weeks": -2}}},
            "default.orders.delay_weeks must be a whole",
        ),
        ({"default": {"surveys": 1}}, "default.surveys must be a JSON object, got 1"),
        ({"description": 3}, "description must be a string"),
    ],
)
def test_invalid_configuration_is_refused_with_one_line(config, message: str, tmp_path) -> None:
    with pytest.raises(GeneratorError) as caught:
        _make(tmp_path, config, customers=5)
    assert str(caught.value).startswith(f"signals: {message}"), str(caught.value)
    assert "\n" not in str(caught.value)
    assert not list(tmp_path.rglob("*.parquet"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (None, ": no such file"),
        ("[]", ": the configuration must be a JSON object, got []"),
        ('{"default": {', ": not valid JSON (Expecting property name"),
        ('{"default": {"usage": {"strength": NaN}}}', ": NaN is not a number JSON allows"),
        ('{"segments": {"smb": {"usage": {"strength": -1}}}}', "segments.smb.usage.strength must"),
    ],
)
def test_cli_refuses_an_invalid_file_with_one_line(text, message: str, tmp_path: Path) -> None:
    config = tmp_path / "signals.json"
    if text is not None:
        config.write_text(text)
    res = subprocess.run(
        [
            sys.executable,
            str(SCRIPTS / "generate_data.py"),
            "--signals",
            str(config),
            "--out",
            str(tmp_path / "raw"),
            "--truth-out",
            str(tmp_path / "truth"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert res.returncode == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    assert lines[0].startswith(f"error: --signals {config}") and message in lines[0], lines[0]
    assert not (tmp_path / "raw").exists() and not (tmp_path / "truth").exists()


def test_pipeline_checks_the_signals_before_it_runs(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"segments": {"enterprise": {"support": {"strength": -1}}}}')
    for extra in ([], ["--skip-generate"]):
        res = subprocess.run(
            [sys.executable, str(SCRIPTS / "run_pipeline.py"), "--signals", str(bad), *extra,
             "--raw-dir", str(tmp_path / "raw"), "--truth-dir", str(tmp_path / "truth"),
             "--database", str(tmp_path / "w.duckdb"), "--work-dir", str(tmp_path)],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert res.returncode == 1
        assert "Traceback" not in res.stderr and len(res.stderr.strip().splitlines()) == 1
        assert "enterprise.support.strength" in res.stderr or "--skip-generate" in res.stderr
        assert not list(tmp_path.rglob("*.parquet")) and not (tmp_path / "w.duckdb").exists()


def test_shipped_profiles_load() -> None:
    default = load_signals(DEFAULT)
    assert all(default.is_identity(fam) for fam in FAMILIES)
    planted = load_signals(PLANTED)
    for seg in range(len(SEGMENT_KEYS)):
        assert planted.link(seg, "usage").strength == 0
        assert planted.link(seg, "support").strength == planted.link(seg, "surveys").strength > 1
        for fam in ("billing", "orders", "commercial"):
            assert planted.link(seg, fam).is_identity
