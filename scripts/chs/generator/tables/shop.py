"""shop/orders: webshop customers' sales of goods, and add-ons bought by SaaS customers.

Order frequency and value follow health; cancellations and returns are more frequent at low
health (health as the orders family sees it, Chunk.seen).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from chs.generator.catalogue import CURRENCIES, FX
from chs.generator.chunk import Chunk, Counters, local_tod
from chs.generator.dirt import ORDER_STATUS_VARIANTS, Dirt
from chs.generator.formatting import fmt_ids, fmt_ts, take
from chs.generator.output import Sink

COMPLETED = 0  # order_status: completed, cancelled, returned


@dataclass(frozen=True)
class _Orders:
    cust: np.ndarray
    time: np.ndarray
    goods: np.ndarray
    amount: np.ndarray
    status: np.ndarray
    ids: pa.Array


def write_orders(ch: Chunk, dirt: Dirt, sinks: dict[str, Sink], ctr: Counters) -> None:
    sinks["orders"].write(_orders_table(ch, dirt, _simulate_orders(ch, ctr)))


def _simulate_orders(ch: Chunk, ctr: Counters) -> _Orders:
    rng = ch.rng
    h = ch.seen.health("orders") / 100
    shop_rate = np.array([1.5, 5.0, 15.0])[ch.segment][:, None] * (h / 0.6) ** 1.5
    addon_rate = 0.012 * np.array([1.0, 2.0, 4.0])[ch.segment][:, None] * (h / 0.6) ** 2
    rate = np.where(ch.webshop[:, None], shop_rate * ch.activity[:, None], addon_rate)
    c, w = ch.weekly_draws(rate)
    t, ok = ch.place_in_week(c, w, local_tod(rng, len(c), 15.0, 4.5))
    c, w, t = c[ok], w[ok], t[ok]
    order = np.lexsort((t, c))
    c, w, t = c[order], w[order], t[order]
    n = len(c)
    hh = h[c, w]
    goods = ch.webshop[c]
    mean = np.array([60.0, 150.0, 400.0])[ch.segment[c]] * (0.7 + 0.6 * hh)
    goods_amt = mean * np.exp(rng.normal(-0.125, 0.5, n))
    addon_amt = np.array([49.0, 99.0, 199.0, 499.0, 999.0])[rng.integers(0, 5, n)]
    amount = np.round(np.where(goods, goods_amt, addon_amt) * FX[ch.currency[c]], 2)
    u = rng.random(n)
    p_cancel = 0.02 + 0.06 * (1 - hh)
    p_return = np.where(goods, 0.03 + 0.05 * (1 - hh), 0.0)
    status = np.where(u < p_cancel, 1, np.where(u < p_cancel + p_return, 2, 0))
    ids = fmt_ids("O", ctr.order + 1 + np.arange(n), 10)
    ctr.order += n
    return _Orders(c, t, goods, amount, status, ids)


def _orders_table(ch: Chunk, dirt: Dirt, o: _Orders) -> pa.Table:
    n, ids = len(o.cust), o.ids
    amount_d = o.amount.copy()
    oor = dirt.mask(n, o.status == COMPLETED)
    amount_d[oor] = -amount_d[oor]
    dirt.record("orders", ids, oor, "amount", "out_of_range")
    t_d = o.time.copy()
    invalid, future = dirt.mask2(n)
    dirt.future("orders", ids, "ordered_at", t_d, future, ch.win.end_sec)
    tbl = pa.table(
        {
            "order_id": ids,
            "customer_id": ch.cust_ids.take(pa.array(o.cust)),
            "ordered_at": fmt_ts(t_d, ch.offset[o.cust]),
            "order_type": take(["add_on", "goods"], o.goods.astype(int)),
            "amount": pa.array(amount_d),
            "currency": take(CURRENCIES, ch.currency[o.cust]),
            "order_status": take(["completed", "cancelled", "returned"], o.status),
        }
    )
    tbl = dirt.invalid_ts("orders", tbl, ids, "ordered_at", invalid)
    tbl = dirt.customer_ids("orders", tbl, ids)
    tbl = dirt.category("orders", tbl, ids, "order_status", dirt.mask(n), ORDER_STATUS_VARIANTS)
    return dirt.duplicates("orders", tbl, ids)
