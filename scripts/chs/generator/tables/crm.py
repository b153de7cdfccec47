"""crm/customers: one row per customer, plus older versions and copies as dirt."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from chs.generator.catalogue import (
    BUSINESS_TYPES,
    COUNTRIES,
    COUNTRY_CODES,
    CSM_OWNERS,
    FIRST_NAMES,
    NAME_NOUNS,
    NAME_STEMS,
    SEGMENTS,
    SPECIAL_NAMES,
    SQL_NAME,
)
from chs.generator.chunk import Chunk
from chs.generator.dirt import BUSINESS_TYPE_VARIANTS, SEGMENT_VARIANTS, Dirt
from chs.generator.formatting import fmt_ts, take
from chs.generator.output import Sink
from chs.generator.window import DAY


def write_customers(ch: Chunk, dirt: Dirt, sinks: dict[str, Sink]) -> None:
    names, stem, noun = _company_names(ch)
    emails = _contact_emails(ch, stem, noun)
    updated = _updated_at(ch)

    # dirt (decided on the clean rows, applied afterwards)
    n, keys = ch.n, ch.cust_ids
    invalid, future = dirt.mask2(n)
    signup = ch.signup_sec.copy()
    dirt.future("customers", keys, "signup_at", signup, future, ch.win.end_sec)
    tbl = _customers_table(ch, np.arange(n), names, emails, signup, updated, ch.csm)
    tbl = dirt.invalid_ts("customers", tbl, keys, "signup_at", invalid)
    tbl = _category_variants(dirt, tbl, keys)
    parts = [tbl, *_duplicates(ch, dirt, tbl, names, emails, signup, updated)]
    parts += _copies_without_id(dirt, tbl, keys)
    sinks["customers"].write(pa.concat_tables(parts))


def _company_names(ch: Chunk) -> tuple[pa.Array, np.ndarray, np.ndarray]:
    """Mostly '<stem> <noun> <legal form>', some special and one SQL-looking name."""
    rng, n = ch.rng, ch.n
    legal_all = [lf for c in COUNTRIES for lf in c[5]]
    legal_start = np.cumsum([0] + [len(c[5]) for c in COUNTRIES])[:-1]
    legal_count = np.array([len(c[5]) for c in COUNTRIES])
    legal = legal_start[ch.country] + rng.integers(0, 1_000, n) % legal_count[ch.country]
    stem = rng.integers(0, len(NAME_STEMS), n)
    noun = rng.integers(0, len(NAME_NOUNS), n)
    generic = pc.binary_join_element_wise(
        take([s[0] for s in NAME_STEMS], stem),
        take(NAME_NOUNS, noun),
        take(legal_all, legal),
        " ",
    )
    special_u = rng.random(n)
    special = take(SPECIAL_NAMES, rng.integers(0, len(SPECIAL_NAMES), n))
    sql = pa.array([SQL_NAME] * n, type=pa.string())
    names = pc.if_else(
        pa.array(special_u < 0.002), sql, pc.if_else(pa.array(special_u < 0.03), special, generic)
    )
    return names, stem, noun


def _contact_emails(ch: Chunk, stem: np.ndarray, noun: np.ndarray) -> pa.Array:
    """first.last@<company slug>.<country tld>"""
    rng, n = ch.rng, ch.n
    tld = take([c[4] for c in COUNTRIES], ch.country)
    slug = pc.binary_join_element_wise(
        take([s[1] for s in NAME_STEMS], stem), pc.utf8_lower(take(NAME_NOUNS, noun)), ""
    )
    domain = pc.binary_join_element_wise(slug, tld, ".")
    person = pc.binary_join_element_wise(
        take(FIRST_NAMES, rng.integers(0, len(FIRST_NAMES), n)),
        take([s[1] for s in NAME_STEMS], rng.integers(0, len(NAME_STEMS), n)),
        ".",
    )
    return pc.binary_join_element_wise(person, domain, "@")


def _updated_at(ch: Chunk) -> np.ndarray:
    """Last change of the CRM record; for churned customers shortly after churn."""
    rng, n, win = ch.rng, ch.n, ch.win
    upd_lo = np.maximum(ch.signup_sec, win.start_sec - 365 * DAY)
    updated = upd_lo + (rng.random(n) * (win.end_sec - 1 - upd_lo)).astype(np.int64)
    churn_upd = np.minimum(ch.churn_sec + rng.integers(0, 3 * DAY, n), win.end_sec - 1)
    return np.where(ch.churned, churn_upd, updated)


def _customers_table(
    ch: Chunk,
    idx: np.ndarray,
    names: pa.Array,
    emails: pa.Array,
    signup_sec: np.ndarray,
    updated_sec: np.ndarray,
    csm: np.ndarray,
    signup_valid: np.ndarray | None = None,
) -> pa.Table:
    return pa.table(
        {
            "customer_id": ch.cust_ids.take(pa.array(idx)),
            "customer_name": names.take(pa.array(idx)),
            "contact_email": emails.take(pa.array(idx)),
            "country_code": take(COUNTRY_CODES, ch.country[idx]),
            "segment": take(SEGMENTS, ch.segment[idx]),
            "business_type": take(BUSINESS_TYPES, ch.webshop[idx].astype(int)),
            "signup_at": fmt_ts(signup_sec, None, signup_valid),
            "csm_owner": take(CSM_OWNERS, csm),
            "updated_at": fmt_ts(updated_sec),
        }
    )


def _category_variants(dirt: Dirt, tbl: pa.Table, keys: pa.Array) -> pa.Table:
    """Respell one of segment, business_type and country_code of the affected rows."""
    n = tbl.num_rows
    which = dirt.rng.integers(0, 3, n)
    cat = dirt.mask(n)
    tbl = dirt.category("customers", tbl, keys, "segment", cat & (which == 0), SEGMENT_VARIANTS)
    tbl = dirt.category(
        "customers", tbl, keys, "business_type", cat & (which == 1), BUSINESS_TYPE_VARIANTS
    )
    return _country_code_variants(dirt, tbl, keys, cat & (which == 2))


def _country_code_variants(dirt: Dirt, tbl: pa.Table, keys: pa.Array, m: np.ndarray) -> pa.Table:
    """Lower case and stray spaces: 'de', ' DE', 'de '."""
    if not m.any():
        return tbl
    col = "country_code"
    codes = tbl.column(col).combine_chunks().filter(pa.array(m)).to_pylist()
    style = dirt.rng.integers(0, 3, len(codes))
    new = [(c.lower(), f" {c}", f"{c.lower()} ")[s] for c, s in zip(codes, style, strict=True)]
    arr = pc.replace_with_mask(tbl.column(col).combine_chunks(), pa.array(m), pa.array(new))
    tbl = tbl.set_column(tbl.schema.get_field_index(col), col, arr)
    dirt.record("customers", keys, m, col, "category_variant")
    return tbl


def _duplicates(
    ch: Chunk,
    dirt: Dirt,
    tbl: pa.Table,
    names: pa.Array,
    emails: pa.Array,
    signup: np.ndarray,
    updated: np.ndarray,
) -> list[pa.Table]:
    """Exact copies, or older versions (earlier updated_at, other CSM owner)."""
    n, keys = ch.n, ch.cust_ids
    dup = dirt.mask(n)
    older = dup & (dirt.rng.random(n) < 0.5)
    exact = dup & ~older
    dirt.record("customers", keys, dup, None, "duplicate_row")
    parts = [tbl.filter(pa.array(exact))]
    if older.any():
        oi = np.flatnonzero(older)
        old_upd = ch.signup_sec[oi] + (
            dirt.rng.random(len(oi)) * np.maximum(updated[oi] - ch.signup_sec[oi], 1)
        ).astype(np.int64)
        old_csm = (ch.csm[oi] + dirt.rng.integers(1, len(CSM_OWNERS), len(oi))) % len(CSM_OWNERS)
        parts.append(
            _customers_table(ch, oi, names, emails, signup[oi], old_upd, old_csm).set_column(
                6, "signup_at", tbl.column("signup_at").take(pa.array(oi))
            )
        )
    return parts


def _copies_without_id(dirt: Dirt, tbl: pa.Table, keys: pa.Array) -> list[pa.Table]:
    """Copies of real customers with the customer id nulled (the real rows stay)."""
    miss = dirt.mask(tbl.num_rows)
    if not miss.any():
        return []
    extra = tbl.filter(pa.array(miss))
    extra = extra.set_column(0, "customer_id", pa.nulls(extra.num_rows, pa.string()))
    dirt.record("customers", keys, miss, "customer_id", "missing_customer_id")
    return [extra]
