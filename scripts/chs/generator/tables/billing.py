"""billing/subscriptions, billing/invoices and billing/payments.

Subscriptions are the periods of subscriptions.py. Invoices are monthly while subscribed;
payment attempts (up to four, until one succeeds), failures, late payments and refunds are
all more likely when health is low and shortly before a payment_problems churn (both as the
billing family sees them, Chunk.seen: the pre-churn effects scale with its strength).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from chs.generator.catalogue import CHANGE_TYPES, CURRENCIES, PLANS
from chs.generator.chunk import Chunk, Counters
from chs.generator.dirt import PLAN_VARIANTS, Dirt
from chs.generator.formatting import fmt_date, fmt_ids, fmt_ts, take
from chs.generator.output import Sink
from chs.generator.window import DAY, Window, add_months

PAID, OPEN, VOID = 0, 1, 2  # invoice_status
SUCCEEDED, FAILED, REFUNDED = 0, 1, 2  # payment_status


@dataclass(frozen=True)
class _Invoices:
    period: np.ndarray  # index into Chunk.periods
    cust: np.ndarray
    issue: np.ndarray  # second of issue
    due_day: np.ndarray
    amount: np.ndarray
    status: np.ndarray
    ids: pa.Array


@dataclass(frozen=True)
class _Attempts:
    """Payment attempts made before the window ends."""

    invoice: np.ndarray  # index into the invoices
    time: np.ndarray
    succeeded: np.ndarray


@dataclass(frozen=True)
class _Payments:
    invoice: np.ndarray  # index into _Invoices
    time: np.ndarray
    amount: np.ndarray
    status: np.ndarray
    ids: pa.Array


def write_subscriptions(ch: Chunk, dirt: Dirt, sinks: dict[str, Sink], ctr: Counters) -> pa.Array:
    """Write the chunk's subscription periods; returns their ids (for the invoices)."""
    p = ch.periods
    n = len(p["cust"])
    ids = fmt_ids("S", ctr.subscription + 1 + np.arange(n), 9)
    ctr.subscription += n
    c = p["cust"]
    seats = p["seats"].copy()
    mrr = p["mrr"].copy()
    start = p["start"].copy()
    # out of range: negative seats or negative mrr
    oor = dirt.mask(n)
    neg_seats = oor & (dirt.rng.random(n) < 0.5)
    seats[neg_seats] = -seats[neg_seats]
    mrr[oor & ~neg_seats] = -mrr[oor & ~neg_seats]
    dirt.record("subscriptions", ids, neg_seats, "seats", "out_of_range")
    dirt.record("subscriptions", ids, oor & ~neg_seats, "mrr_amount", "out_of_range")
    invalid, future = dirt.mask2(n)
    dirt.future("subscriptions", ids, "started_at", start, future, ch.win.end_sec)
    tbl = pa.table(
        {
            "subscription_id": ids,
            "customer_id": ch.cust_ids.take(pa.array(c)),
            "plan_name": take(PLANS, p["plan"]),
            "seats": pa.array(seats),
            "mrr_amount": pa.array(mrr),
            "currency": take(CURRENCIES, ch.currency[c]),
            "started_at": fmt_ts(start),
            "ended_at": fmt_ts(np.maximum(p["end"], 0), None, p["end"] >= 0),
            "renews_on": fmt_date(p["renew"]),
            "change_type": take(CHANGE_TYPES, p["change"]),
        }
    )
    tbl = dirt.invalid_ts("subscriptions", tbl, ids, "started_at", invalid)
    tbl = dirt.customer_ids("subscriptions", tbl, ids)
    tbl = dirt.category("subscriptions", tbl, ids, "plan_name", dirt.mask(n), PLAN_VARIANTS)
    tbl = dirt.duplicates("subscriptions", tbl, ids)
    sinks["subscriptions"].write(tbl)
    return ids


def write_billing(
    ch: Chunk, dirt: Dirt, sinks: dict[str, Sink], ctr: Counters, subscription_ids: pa.Array
) -> None:
    """Write the chunk's invoices and payments."""
    inv, pay = _simulate_billing(ch, ctr)
    sinks["invoices"].write(_invoices_table(ch, dirt, inv, subscription_ids))
    sinks["payments"].write(_payments_table(ch, dirt, inv, pay))


def _invoice_schedule(ch: Chunk) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Monthly issue times on each period's start day of month, within period and window.

    Returns (period, issue second, issue day, customer), sorted by customer and issue time.
    """
    win, p = ch.win, ch.periods
    k = np.arange(13)
    per = np.repeat(np.arange(len(p["cust"])), len(k))
    kk = np.tile(k, len(p["cust"]))
    start_day = p["start"][per] // DAY
    tod = p["start"][per] % DAY
    issue_day = add_months(start_day, kk)
    issue = issue_day * DAY + tod
    end = np.where(p["end"][per] >= 0, p["end"][per], win.end_sec)
    keep = (issue >= p["start"][per]) & (issue < end) & (issue >= win.start_sec)
    keep &= issue < win.end_sec
    per, issue, issue_day = per[keep], issue[keep], issue_day[keep]
    c = p["cust"][per]
    order = np.lexsort((issue, c))
    return per[order], issue[order], issue_day[order], c[order]


def _simulate_billing(ch: Chunk, ctr: Counters) -> tuple[_Invoices, _Payments]:
    rng, win = ch.rng, ch.win
    per, issue, issue_day, c = _invoice_schedule(ch)
    n = len(per)
    inv_ids = fmt_ids("INV", ctr.invoice + 1 + np.arange(n), 10)
    ctr.invoice += n
    due_days = np.where(ch.segment[c] == 0, 14, 30)
    amount = ch.periods["mrr"][per]
    wk = ch.week_of_day(issue_day - win.start_day)
    stress = 1 - ch.seen.health("billing")[c, wk] / 100
    pay_stress = ch.seen.stress("billing", ch.payment_stress)[c, wk]
    void = rng.random(n) < 0.01
    att = _payment_attempts(rng, win, issue, due_days, stress, pay_stress, void)
    paid = np.zeros(n, dtype=bool)
    paid[att.invoice[att.succeeded]] = True
    status = np.where(void, VOID, np.where(paid, PAID, OPEN))
    ri, r_time, r_amount = _refunds(rng, win, att, paid, amount, stress)
    inv = _Invoices(per, c, issue, issue_day + due_days, amount, status, inv_ids)
    pay_inv = np.concatenate([att.invoice, ri])
    pay_time = np.concatenate([att.time, r_time])
    pay_amount = np.concatenate([amount[att.invoice], r_amount])
    pay_status = np.concatenate(
        [np.where(att.succeeded, SUCCEEDED, FAILED), np.full(len(ri), REFUNDED)]
    )
    order = np.lexsort((pay_status, pay_time, c[pay_inv]))
    m = len(pay_inv)
    pay_ids = fmt_ids("PAY", ctr.payment + 1 + np.arange(m), 10)
    ctr.payment += m
    pay = _Payments(pay_inv[order], pay_time[order], pay_amount[order], pay_status[order], pay_ids)
    return inv, pay


def _payment_attempts(
    rng: np.random.Generator,
    win: Window,
    issue: np.ndarray,
    due_days: np.ndarray,
    stress: np.ndarray,
    pay_stress: np.ndarray,
    void: np.ndarray,
) -> _Attempts:
    """First attempt early or late, then retries 3-5 days apart after failures."""
    n = len(issue)
    p_late = np.clip(0.04 + 0.55 * stress**2 + 0.3 * pay_stress, 0, 0.95)
    late = rng.random(n) < p_late
    first = np.where(
        late,
        issue + due_days * DAY + rng.integers(DAY, 35 * DAY, n),
        issue + (rng.random(n) * 0.6 * due_days * DAY).astype(np.int64),
    )
    p_fail = np.clip(0.03 + 0.4 * stress**2 + 0.5 * pay_stress, 0, 0.95)
    fails = rng.random((n, 4)) < p_fail[:, None]
    success_at = np.where(fails.all(axis=1), 4, np.argmax(~fails, axis=1))
    n_att = np.where(void, 0, np.minimum(success_at + 1, 4))
    gaps = rng.integers(3 * DAY, 5 * DAY, (n, 4))
    gaps[:, 0] = 0
    att_time = first[:, None] + np.cumsum(gaps, axis=1)
    j = np.arange(4)[None, :]
    att_mask = (j < n_att[:, None]) & (att_time < win.end_sec)
    ai, aj = np.nonzero(att_mask)
    return _Attempts(ai, att_time[ai, aj], aj == success_at[ai])


def _refunds(
    rng: np.random.Generator,
    win: Window,
    att: _Attempts,
    paid: np.ndarray,
    amount: np.ndarray,
    stress: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Full or partial refunds of paid invoices: (invoice, time, negative amount)."""
    n = len(paid)
    refund = paid & (rng.random(n) < 0.012 + 0.03 * stress)
    ri = np.flatnonzero(refund)
    succ_time = np.zeros(n, dtype=np.int64)
    succ_time[att.invoice[att.succeeded]] = att.time[att.succeeded]
    r_time = succ_time[ri] + rng.integers(DAY, 30 * DAY, len(ri))
    r_amount = -np.round(
        amount[ri] * np.where(rng.random(len(ri)) < 0.7, 1.0, rng.random(len(ri))), 2
    )
    r_keep = r_time < win.end_sec
    return ri[r_keep], r_time[r_keep], r_amount[r_keep]


def _invoices_table(ch: Chunk, dirt: Dirt, inv: _Invoices, subscription_ids: pa.Array) -> pa.Table:
    n, ids = len(inv.period), inv.ids
    issue_d = inv.issue.copy()
    invalid, future = dirt.mask2(n)
    dirt.future("invoices", ids, "issued_at", issue_d, future, ch.win.end_sec)
    # late-arriving payment: a succeeded payment exists but the invoice still shows 'open'
    stale = dirt.mask(n, inv.status == PAID)
    status_d = np.where(stale, OPEN, inv.status)
    dirt.record("invoices", ids, stale, "invoice_status", "late_arriving")
    tbl = pa.table(
        {
            "invoice_id": ids,
            "customer_id": ch.cust_ids.take(pa.array(inv.cust)),
            "subscription_id": subscription_ids.take(pa.array(inv.period)),
            "issued_at": fmt_ts(issue_d),
            "due_on": fmt_date(inv.due_day),
            "amount": pa.array(inv.amount),
            "currency": take(CURRENCIES, ch.currency[inv.cust]),
            "invoice_status": take(["paid", "open", "void"], status_d),
        }
    )
    tbl = dirt.invalid_ts("invoices", tbl, ids, "issued_at", invalid)
    tbl = dirt.customer_ids("invoices", tbl, ids)
    return dirt.duplicates("invoices", tbl, ids)


def _payments_table(ch: Chunk, dirt: Dirt, inv: _Invoices, pay: _Payments) -> pa.Table:
    m, ids = len(pay.invoice), pay.ids
    c = inv.cust[pay.invoice]
    time_d = pay.time.copy()
    invalid, future = dirt.mask2(m)
    dirt.future("payments", ids, "attempted_at", time_d, future, ch.win.end_sec)
    flip = dirt.mask(m, pay.status == REFUNDED)
    amount_d = np.where(flip, -pay.amount, pay.amount)
    dirt.record("payments", ids, flip, "amount", "refund_sign")
    tbl = pa.table(
        {
            "payment_id": ids,
            "invoice_id": inv.ids.take(pa.array(pay.invoice)),
            "customer_id": ch.cust_ids.take(pa.array(c)),
            "attempted_at": fmt_ts(time_d),
            "amount": pa.array(amount_d),
            "currency": take(CURRENCIES, ch.currency[c]),
            "payment_status": take(["succeeded", "failed", "refunded"], pay.status),
        }
    )
    tbl = dirt.invalid_ts("payments", tbl, ids, "attempted_at", invalid)
    tbl = dirt.customer_ids("payments", tbl, ids)
    return dirt.duplicates("payments", tbl, ids)
