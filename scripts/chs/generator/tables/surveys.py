"""surveys/survey_responses: quarterly NPS campaigns and continuous CSAT, both following health.

Scores follow health as the surveys family sees it (Chunk.seen). Which customers answer, when
and how often does not depend on health, so a change of this family's signal changes scores
only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from chs.generator.chunk import Chunk, Counters, local_tod
from chs.generator.dirt import Dirt
from chs.generator.formatting import fmt_ids, fmt_ts, fmt_user_ids, take
from chs.generator.output import Sink
from chs.generator.window import DAY

NPS, CSAT = 0, 1  # survey_type


@dataclass(frozen=True)
class _Responses:
    cust: np.ndarray
    time: np.ndarray
    survey_type: np.ndarray
    score: np.ndarray
    channel: np.ndarray  # 0 email, 1 in_app
    respondent: np.ndarray  # user number
    ids: pa.Array


def write_surveys(ch: Chunk, dirt: Dirt, sinks: dict[str, Sink], ctr: Counters) -> None:
    sinks["survey_responses"].write(_responses_table(ch, dirt, _simulate_responses(ch, ctr)))


def _nps(ch: Chunk) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Quarterly campaigns; about half of the customers never answer, Enterprise answers with
    several respondents. Returns (customer, week, second, score) per response."""
    rng, win, n_c = ch.rng, ch.win, ch.n
    W = win.n_weeks
    propensity = np.where(rng.random(n_c) < 0.5, 0.0, rng.uniform(0.4, 0.9, n_c))
    campaign = (np.arange(W) % 13 == 2)[None, :]
    invited = campaign & ch.active_week & (rng.random((n_c, W)) < propensity[:, None])
    extra = np.array([0.2, 0.8, 2.0])[ch.segment][:, None]
    per_cw = np.where(invited, 1 + rng.poisson(np.broadcast_to(extra, (n_c, W))), 0).ravel()
    flat = np.repeat(np.arange(per_cw.size, dtype=np.int64), per_cw)
    nc, nw = flat // W, flat % W
    nday = nw * 7 - win.start_wd + 1 + np.minimum(rng.exponential(3.0, len(nc)), 20).astype(int)
    n_sec = (win.start_day + nday) * DAY + local_tod(rng, len(nc), 11.0, 3.0)
    n_sec = n_sec - ch.offset[nc] * 60
    h = ch.seen.health("surveys")[nc, nw]
    n_score = np.clip(np.round(h / 10 + 0.8 + rng.normal(0, 1.6, len(nc))), 0, 10)
    return nc, nw, n_sec, n_score


def _csat(ch: Chunk) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Continuous in-app and post-interaction surveys: (customer, week, second, score)."""
    rng, W = ch.rng, ch.win.n_weeks
    rate = 0.08 * np.array([1.0, 2.0, 4.0])[ch.segment][:, None] * np.ones((1, W))
    cc, cw = ch.weekly_draws(rate)
    c_sec, c_ok = ch.place_in_week(cc, cw, local_tod(rng, len(cc), 14.0, 3.0))
    hc = ch.seen.health("surveys")[cc, cw] / 100
    c_score = np.clip(np.round(1 + 4 * hc**0.8 + rng.normal(0, 0.7, len(cc))), 1, 5)
    return cc[c_ok], cw[c_ok], c_sec[c_ok], c_score[c_ok]


def _simulate_responses(ch: Chunk, ctr: Counters) -> _Responses:
    rng, win = ch.rng, ch.win
    nc, nw, n_sec, n_score = _nps(ch)
    cc, cw, c_sec, c_score = _csat(ch)
    c = np.concatenate([nc, cc])
    w = np.concatenate([nw, cw])
    t = np.concatenate([n_sec, c_sec])
    stype = np.concatenate([np.full(len(nc), NPS), np.full(len(cc), CSAT)])
    score = np.concatenate([n_score, c_score]).astype(np.int64)
    ok = (t >= ch.act_start[c]) & (t < ch.act_end[c]) & (t >= win.start_sec) & (t < win.end_sec)
    c, w, t, stype, score = c[ok], w[ok], t[ok], stype[ok], score[ok]
    order = np.lexsort((stype, t, c))
    c, w, t, stype, score = c[order], w[order], t[order], stype[order], score[order]
    n = len(c)
    chan = np.where(stype == NPS, rng.random(n) < 0.25, rng.random(n) < 0.8).astype(int)
    resp_user = (rng.random(n) * ch.users_week[c, w]).astype(np.int64) + 1
    ids = fmt_ids("R", ctr.response + 1 + np.arange(n), 10)
    ctr.response += n
    return _Responses(c, t, stype, score, chan, resp_user, ids)


def _responses_table(ch: Chunk, dirt: Dirt, r: _Responses) -> pa.Table:
    n, ids = len(r.cust), r.ids
    oor = dirt.mask(n)
    hi_side = dirt.rng.random(n) < 0.5
    score_d = np.where(oor & (r.survey_type == NPS), np.where(hi_side, 11, -1), r.score)
    score_d = np.where(oor & (r.survey_type == CSAT), np.where(hi_side, 6, 0), score_d)
    dirt.record("survey_responses", ids, oor, "score", "out_of_range")
    t_d = r.time.copy()
    invalid, future = dirt.mask2(n)
    dirt.future("survey_responses", ids, "responded_at", t_d, future, ch.win.end_sec)
    tbl = pa.table(
        {
            "response_id": ids,
            "customer_id": ch.cust_ids.take(pa.array(r.cust)),
            "respondent_id": fmt_user_ids(ch.cust_no[r.cust], r.respondent),
            "survey_type": take(["nps", "csat"], r.survey_type),
            "score": pa.array(score_d),
            "responded_at": fmt_ts(t_d, ch.offset[r.cust]),
            "survey_channel": take(["email", "in_app"], r.channel),
        }
    )
    tbl = dirt.invalid_ts("survey_responses", tbl, ids, "responded_at", invalid)
    tbl = dirt.customer_ids("survey_responses", tbl, ids)
    return dirt.duplicates("survey_responses", tbl, ids)
