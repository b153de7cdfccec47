"""Synthetic raw-data generator for the customer_health dbt project.

Simulates a hidden weekly latent health per customer and derives every raw source table from it
(CRM, billing, product usage, support, shop, surveys). After clean generation, deliberate data
quality problems ("dirt") are injected at a configurable rate and recorded in a manifest.

Output layout:
    <out>/crm/customers.parquet
    <out>/billing/subscriptions.parquet, invoices.parquet, payments.parquet
    <out>/product/usage_events.parquet, features.parquet
    <out>/support/tickets.parquet
    <out>/shop/orders.parquet
    <out>/surveys/survey_responses.parquet
    <truth-out>/customer_truth.parquet, weekly_health.parquet, dirt_manifest.parquet

The same arguments always produce byte-identical files. Work is done in chunks of customers;
each chunk gets its own random streams (spawned from one SeedSequence) and is written to every
table before the next chunk starts, so memory stays bounded. See docs/raw_data.md.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

DEFAULT_START = "2024-11-18"
DEFAULT_END = "2026-11-15"
MAX_CUSTOMERS = 8_999_999  # ids C9xxxxxx are reserved for unknown-customer dirt
EVENT_SLICE_ROWS = 1_000_000
DAY = 86_400
YEAR = 365 * DAY

# --------------------------------------------------------------------------------------------
# Reference data
# --------------------------------------------------------------------------------------------

# code, fixed UTC offset in minutes, currency, weight, e-mail TLD, legal forms
COUNTRIES: list[tuple[str, int, str, float, str, tuple[str, ...]]] = [
    ("US", -300, "USD", 0.25, "com", ("Inc.", "LLC", "Corp.")),
    ("DE", 60, "EUR", 0.15, "de", ("GmbH", "AG", "GmbH & Co. KG")),
    ("GB", 0, "GBP", 0.12, "co.uk", ("Ltd", "PLC", "& Sons")),
    ("FR", 60, "EUR", 0.07, "fr", ("SARL", "SAS")),
    ("NL", 60, "EUR", 0.06, "nl", ("B.V.",)),
    ("ES", 60, "EUR", 0.05, "es", ("S.L.", "S.A.")),
    ("SE", 60, "EUR", 0.04, "se", ("AB",)),
    ("CA", -300, "USD", 0.06, "ca", ("Inc.", "Ltd.")),
    ("BR", -180, "USD", 0.05, "com.br", ("Ltda.",)),
    ("IN", 330, "USD", 0.06, "in", ("Pvt Ltd",)),
    ("JP", 540, "USD", 0.04, "jp", ("K.K.",)),
    ("AU", 600, "USD", 0.05, "com.au", ("Pty Ltd",)),
]
COUNTRY_CODES = [c[0] for c in COUNTRIES]
COUNTRY_OFFSET_MIN = np.array([c[1] for c in COUNTRIES], dtype=np.int64)
CURRENCIES = ["EUR", "USD", "GBP"]
COUNTRY_CURRENCY = np.array([CURRENCIES.index(c[2]) for c in COUNTRIES], dtype=np.int64)
COUNTRY_P = np.array([c[3] for c in COUNTRIES]) / sum(c[3] for c in COUNTRIES)
FX = np.array([1.0, 1.1, 0.85])  # EUR, USD, GBP per EUR list price

SEGMENTS = ["SMB", "Mid-Market", "Enterprise"]
SEGMENT_P = [0.70, 0.25, 0.05]
BUSINESS_TYPES = ["saas", "webshop"]
PLANS = ["starter", "growth", "scale", "enterprise"]
PLAN_PRICE = np.array([19.0, 39.0, 59.0, 89.0])  # EUR per seat and month
CHANGE_TYPES = ["new", "renewal", "upgrade", "downgrade"]
CSM_OWNERS = [f"csm_{i:02d}" for i in range(1, 13)]

ARCHETYPES = [
    "healthy_stable",
    "growing",
    "slow_decline_churn",
    "sudden_drop_churn",
    "dip_and_recover",
    "volatile",
    "stagnant_low",
]
ARCHETYPE_P = [0.33, 0.15, 0.12, 0.07, 0.13, 0.12, 0.08]
CHURN_REASONS = [
    "poor_adoption",
    "support_experience",
    "price",
    "budget_cuts",
    "competitor",
    "payment_problems",
]
# churn reason probabilities per archetype (rows follow ARCHETYPES, columns CHURN_REASONS)
CHURN_REASON_P = np.array(
    [
        [0.20, 0.15, 0.25, 0.20, 0.10, 0.10],
        [0.10, 0.15, 0.25, 0.25, 0.15, 0.10],
        [0.45, 0.10, 0.15, 0.05, 0.20, 0.05],
        [0.10, 0.25, 0.05, 0.30, 0.15, 0.15],
        [0.25, 0.20, 0.20, 0.10, 0.15, 0.10],
        [0.25, 0.20, 0.15, 0.10, 0.15, 0.15],
        [0.35, 0.10, 0.30, 0.10, 0.05, 0.10],
    ]
)
REASON_SUPPORT = CHURN_REASONS.index("support_experience")
REASON_PAYMENT = CHURN_REASONS.index("payment_problems")

# feature_key, name, category, is_key, released_on, base weight, health slope, adoption share
FEATURES: list[tuple[str, str, str, bool, str, float, float, float]] = [
    ("dashboard_view", "Dashboard", "core", False, "2019-03-01", 20.0, 0.0, 1.0),
    ("search", "Search", "core", False, "2019-03-01", 10.0, 0.0, 1.0),
    ("record_edit", "Edit Records", "core", False, "2019-03-01", 14.0, 0.0, 1.0),
    ("record_create", "Create Records", "core", False, "2019-03-01", 9.0, 0.0, 1.0),
    ("comments", "Comments", "collaboration", False, "2019-09-15", 6.0, 0.2, 0.9),
    ("file_upload", "File Upload", "core", False, "2019-09-15", 4.0, 0.0, 0.8),
    ("notifications", "Notifications", "core", False, "2020-02-01", 5.0, 0.0, 0.9),
    ("mobile_app", "Mobile App", "platform", False, "2020-06-10", 4.0, 0.3, 0.6),
    ("calendar_view", "Calendar View", "planning", False, "2020-10-01", 3.0, 0.2, 0.6),
    ("kanban_board", "Kanban Board", "planning", False, "2021-01-20", 3.0, 0.3, 0.6),
    ("data_import", "Data Import", "data", False, "2019-03-01", 1.5, -0.3, 0.7),
    ("data_export", "Data Export", "data", False, "2019-03-01", 1.5, -0.9, 0.8),
    ("user_management", "User Management", "admin", False, "2019-03-01", 1.0, 0.0, 0.9),
    ("billing_settings", "Billing Settings", "admin", False, "2019-03-01", 0.6, -1.0, 0.9),
    ("account_settings", "Account Settings", "admin", False, "2019-03-01", 1.0, -0.5, 1.0),
    ("help_center", "Help Center", "support", False, "2019-03-01", 1.5, -1.5, 0.9),
    ("templates", "Templates", "productivity", False, "2021-05-04", 2.0, 0.4, 0.6),
    ("audit_log", "Audit Log", "admin", False, "2022-02-14", 0.8, 0.2, 0.4),
    ("workflow_automation", "Workflow Automation", "automation", True, "2021-09-01", 6.0, 1.5, 0.9),
    ("report_builder", "Report Builder", "analytics", True, "2020-04-01", 5.0, 1.0, 0.85),
    ("integrations_sync", "Integrations Sync", "platform", True, "2020-11-11", 4.0, 1.0, 0.75),
    (
        "team_collaboration",
        "Team Collaboration",
        "collaboration",
        True,
        "2021-03-03",
        5.0,
        1.0,
        0.8,
    ),
    ("alerts_rules", "Alerts & Rules", "automation", True, "2022-06-01", 3.0, 1.2, 0.7),
    ("api_access", "API Access", "platform", True, "2022-10-05", 3.0, 1.0, 0.5),
]
N_FEATURES = len(FEATURES)
GATED_FEATURE = FEATURES.index(next(f for f in FEATURES if f[0] == "workflow_automation"))
HEALTH_BINS = 20  # feature mix is precomputed per customer and 5-point health bin

NAME_STEMS: list[tuple[str, str]] = [
    ("Müller", "mueller"),
    ("Schmidt", "schmidt"),
    ("O'Brien", "obrien"),
    ("García", "garcia"),
    ("Nørgaard", "norgaard"),
    ("Zhang", "zhang"),
    ("Blue Harbor", "blueharbor"),
    ("Northwind", "northwind"),
    ("Acme", "acme"),
    ("Silverline", "silverline"),
    ("Bright", "bright"),
    ("Tanaka", "tanaka"),
    ("Patel", "patel"),
    ("Kowalski", "kowalski"),
    ("Dubois", "dubois"),
    ("Andersson", "andersson"),
    ("Smith", "smith"),
    ("Oliveira", "oliveira"),
    ("Evergreen", "evergreen"),
    ("Redwood", "redwood"),
    ("Summit", "summit"),
    ("Ålesund", "alesund"),
    ("Crème", "creme"),
    ("Łódź", "lodz"),
    ("Fjord", "fjord"),
    ("Sakura", "sakura"),
    ("Mapleleaf", "mapleleaf"),
    ("Kangaroo", "kangaroo"),
    ("Rio Verde", "rioverde"),
    ("Ganesh", "ganesh"),
]
NAME_NOUNS = [
    "Analytics",
    "Logistics",
    "Foods",
    "Software",
    "Labs",
    "Design",
    "Retail",
    "Outdoor",
    "Health",
    "Systems",
    "Media",
    "Studio",
    "Supply",
    "Ventures",
    "Consulting",
    "Apparel",
]
SPECIAL_NAMES = [
    "Müller GmbH",
    "Café Sesta",
    "O'Brien & Sons",
    'The "Best" Widgets Co.',
    "Société Générale de Logiciels",
    "Smørrebrød & Co",
    "株式会社サンプル",
    "Zürich Tech AG",
]
SQL_NAME = "Robert'); drop table x;--"
FIRST_NAMES = [
    "anna",
    "ben",
    "carla",
    "david",
    "emma",
    "felix",
    "grace",
    "hiro",
    "isabel",
    "jonas",
    "kavya",
    "lucas",
    "mia",
    "noah",
    "olivia",
    "priya",
    "quinn",
    "rafael",
    "sofia",
    "tom",
]

# --------------------------------------------------------------------------------------------
# Dirt catalogue
# --------------------------------------------------------------------------------------------

DIRT_KINDS = [
    "duplicate_row",
    "missing_customer_id",
    "unknown_customer_id",
    "out_of_range",
    "invalid_timestamp",
    "future_timestamp",
    "refund_sign",
    "category_variant",
    "late_arriving",
]
INVALID_TIMESTAMPS = [
    "31/02/2025 25:61",
    "not a date",
    "",
    "2025-13-45T10:00:00Z",
    "0000-00-00 00:00:00",
    "N/A",
    "2025-02-30",
    "1700000000",
]
SEGMENT_VARIANTS = {
    "SMB": ["smb", "Smb ", " SMB"],
    "Mid-Market": [" mid market", "midmarket", "Mid Market", "MID-MARKET"],
    "Enterprise": ["ENTERPRISE ", "enterprise", " Enterprise"],
}
BUSINESS_TYPE_VARIANTS = {"saas": ["SaaS", "SAAS", " saas"], "webshop": ["Webshop ", "WebShop"]}
PRIORITY_VARIANTS = {
    "low": ["LOW", " low"],
    "normal": ["Normal", "NORMAL "],
    "high": ["HIGH", "High "],
    "urgent": ["URGENT", "Urgent"],
}
CHANNEL_VARIANTS = {
    "email": ["E-mail", "EMAIL", "e-mail "],
    "chat": ["Chat", "CHAT "],
    "phone": ["Phone", " phone"],
    "portal": ["Portal", "PORTAL"],
}
PLAN_VARIANTS = {p: [p.capitalize(), p.upper() + " "] for p in PLANS}
ORDER_STATUS_VARIANTS = {
    "completed": ["Completed", "COMPLETED "],
    "cancelled": ["Canceled", "CANCELLED"],
    "returned": ["Returned", "returned "],
}

# --------------------------------------------------------------------------------------------
# Output schemas
# --------------------------------------------------------------------------------------------

S, I64, F64, B = pa.string(), pa.int64(), pa.float64(), pa.bool_()

RAW_TABLES: dict[str, tuple[str, list[tuple[str, pa.DataType]]]] = {
    "customers": (
        "crm",
        [
            ("customer_id", S),
            ("customer_name", S),
            ("contact_email", S),
            ("country_code", S),
            ("segment", S),
            ("business_type", S),
            ("signup_at", S),
            ("csm_owner", S),
            ("updated_at", S),
        ],
    ),
    "subscriptions": (
        "billing",
        [
            ("subscription_id", S),
            ("customer_id", S),
            ("plan_name", S),
            ("seats", I64),
            ("mrr_amount", F64),
            ("currency", S),
            ("started_at", S),
            ("ended_at", S),
            ("renews_on", S),
            ("change_type", S),
        ],
    ),
    "invoices": (
        "billing",
        [
            ("invoice_id", S),
            ("customer_id", S),
            ("subscription_id", S),
            ("issued_at", S),
            ("due_on", S),
            ("amount", F64),
            ("currency", S),
            ("invoice_status", S),
        ],
    ),
    "payments": (
        "billing",
        [
            ("payment_id", S),
            ("invoice_id", S),
            ("customer_id", S),
            ("attempted_at", S),
            ("amount", F64),
            ("currency", S),
            ("payment_status", S),
        ],
    ),
    "usage_events": (
        "product",
        [
            ("event_id", I64),
            ("customer_id", S),
            ("user_id", S),
            ("feature_key", S),
            ("occurred_at", S),
            ("received_at", S),
        ],
    ),
    "features": (
        "product",
        [
            ("feature_key", S),
            ("feature_name", S),
            ("feature_category", S),
            ("is_key_feature", B),
            ("released_on", S),
        ],
    ),
    "tickets": (
        "support",
        [
            ("ticket_id", S),
            ("customer_id", S),
            ("opened_at", S),
            ("first_response_at", S),
            ("resolved_at", S),
            ("priority", S),
            ("ticket_status", S),
            ("channel", S),
            ("is_escalated", B),
            ("satisfaction_rating", I64),
        ],
    ),
    "orders": (
        "shop",
        [
            ("order_id", S),
            ("customer_id", S),
            ("ordered_at", S),
            ("order_type", S),
            ("amount", F64),
            ("currency", S),
            ("order_status", S),
        ],
    ),
    "survey_responses": (
        "surveys",
        [
            ("response_id", S),
            ("customer_id", S),
            ("respondent_id", S),
            ("survey_type", S),
            ("score", I64),
            ("responded_at", S),
            ("survey_channel", S),
        ],
    ),
}
TRUTH_TABLES: dict[str, list[tuple[str, pa.DataType]]] = {
    "customer_truth": [
        ("customer_id", S),
        ("archetype", S),
        ("segment", S),
        ("business_type", S),
        ("country_code", S),
        ("signup_date", S),
        ("initial_health", F64),
        ("final_health", F64),
        ("min_health", F64),
        ("churned", B),
        ("churn_date", S),
        ("churn_reason", S),
        ("recovered_from_risk", B),
    ],
    "weekly_health": [
        ("customer_id", S),
        ("week_start", S),
        ("latent_health", F64),
        ("is_active", B),
    ],
    "dirt_manifest": [
        ("table", S),
        ("row_key", S),
        ("column", S),
        ("dirt_kind", S),
    ],
}
# columns that hold unique-ish values; everything else is dictionary encoded
_NO_DICTIONARY = {
    "customer_name",
    "contact_email",
    "subscription_id",
    "invoice_id",
    "payment_id",
    "event_id",
    "ticket_id",
    "order_id",
    "response_id",
    "row_key",
    "latent_health",
    "amount",
    "mrr_amount",
}


class GeneratorError(ValueError):
    """Invalid generator arguments."""


# --------------------------------------------------------------------------------------------
# Vectorised formatting helpers
# --------------------------------------------------------------------------------------------


_PAIRS = np.array([[48 + i // 10, 48 + i % 10] for i in range(100)], dtype=np.uint8)


def _put_digits(buf: np.ndarray, col: int, values: np.ndarray, width: int) -> None:
    """Write zero-padded decimal digits of ``values`` into ``buf[:, col:col+width]``."""
    v = np.asarray(values, dtype=np.int64)
    i = width
    while i >= 2:
        buf[:, col + i - 2 : col + i] = _PAIRS[v % 100]
        v = v // 100
        i -= 2
    if i == 1:
        buf[:, col] = 48 + v % 10


def _ascii_table(rows: list[str]) -> np.ndarray:
    """Fixed-width ASCII strings as an (n, width) uint8 matrix."""
    return np.frombuffer("".join(rows).encode("ascii"), dtype=np.uint8).reshape(len(rows), -1)


# "HH:MM:SS" for every second of the day, and "+HH:MM" for offsets from -12:00 to +14:00
_TOD = _ascii_table(
    [f"{h:02d}:{m:02d}:{s:02d}" for h in range(24) for m in range(60) for s in range(60)]
)
_OFFSET_MIN = -720
_SUFFIX = _ascii_table(
    [
        f"{'-' if o < 0 else '+'}{abs(o) // 60:02d}:{abs(o) % 60:02d}"
        for o in range(_OFFSET_MIN, 841)
    ]
)
_USER3 = _ascii_table([f"{i:03d}" for i in range(1000)])


def _fixed_strings(buf: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """Turn an (n, width) uint8 matrix of ASCII bytes into an Arrow string array."""
    n, width = buf.shape
    offsets = np.arange(0, (n + 1) * width, width, dtype=np.int32)
    data = np.ascontiguousarray(buf).reshape(-1)
    validity = None
    null_count = 0
    if valid is not None and not bool(np.all(valid)):
        validity = pa.py_buffer(np.packbits(valid.astype(bool), bitorder="little"))
        null_count = int(n - np.count_nonzero(valid))
    return pa.Array.from_buffers(
        pa.string(), n, [validity, pa.py_buffer(offsets), pa.py_buffer(data)], null_count
    )


def _civil(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Split days since 1970-01-01 into (year, month, day)."""
    days = np.asarray(days, dtype=np.int64)
    months = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    first = months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    return months // 12 + 1970, months % 12 + 1, days - first + 1


def _date_table(first: int, last: int) -> np.ndarray:
    """YYYY-MM-DD bytes for every day in [first, last]."""
    days = np.arange(first, last + 1, dtype=np.int64)
    y, m, d = _civil(days)
    buf = np.empty((len(days), 10), dtype=np.uint8)
    _put_digits(buf, 0, y, 4)
    buf[:, 4] = buf[:, 7] = ord("-")
    _put_digits(buf, 5, m, 2)
    _put_digits(buf, 8, d, 2)
    return buf


def _fmt_ts(
    sec: np.ndarray, offset_min: np.ndarray | None = None, valid: np.ndarray | None = None
) -> pa.Array:
    """ISO-8601 strings: UTC with 'Z' when offset_min is None, else local time with +HH:MM."""
    sec = np.asarray(sec, dtype=np.int64)
    n = len(sec)
    if offset_min is None:
        local, width = sec, 20
    else:
        off = np.asarray(offset_min, dtype=np.int64)
        local, width = sec + off * 60, 25
    buf = np.empty((n, width), dtype=np.uint8)
    if n:
        days = local // DAY
        first = int(days.min())
        buf[:, :10] = _date_table(first, int(days.max()))[days - first]
        buf[:, 10] = ord("T")
        buf[:, 11:19] = _TOD[local - days * DAY]
        if offset_min is None:
            buf[:, 19] = ord("Z")
        else:
            buf[:, 19:25] = _SUFFIX[off - _OFFSET_MIN]
    return _fixed_strings(buf, valid)


def _fmt_date(days: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """YYYY-MM-DD strings from days since 1970-01-01."""
    days = np.asarray(days, dtype=np.int64)
    if not len(days):
        return _fixed_strings(np.empty((0, 10), dtype=np.uint8), valid)
    first = int(days.min())
    return _fixed_strings(_date_table(first, int(days.max()))[days - first], valid)


def _fmt_ids(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """Prefix followed by zero-padded numbers, e.g. C0000001."""
    p = prefix.encode()
    buf = np.empty((len(numbers), len(p) + width), dtype=np.uint8)
    buf[:, : len(p)] = np.frombuffer(p, dtype=np.uint8)
    _put_digits(buf, len(p), numbers, width)
    return _fixed_strings(buf)


def _fmt_user_ids(cust_no: np.ndarray, user_no: np.ndarray) -> pa.Array:
    """User ids of the form C0000001-U001."""
    cust_no = np.asarray(cust_no, dtype=np.int64)
    buf = np.empty((len(cust_no), 13), dtype=np.uint8)
    if len(cust_no):
        first = int(cust_no.min())
        span = int(cust_no.max()) - first + 1
        tab = np.empty((span, 8), dtype=np.uint8)
        tab[:, 0] = ord("C")
        _put_digits(tab, 1, np.arange(first, first + span), 7)
        buf[:, :8] = tab[cust_no - first]
        buf[:, 8] = ord("-")
        buf[:, 9] = ord("U")
        buf[:, 10:13] = _USER3[user_no]
    return _fixed_strings(buf)


def _take(values: list[str], idx: np.ndarray) -> pa.Array:
    return pa.array(values, type=pa.string()).take(pa.array(np.asarray(idx, dtype=np.int64)))


def _take_nullable(values: list[str], idx: np.ndarray) -> pa.Array:
    """Like _take, with null where idx is negative."""
    idx = np.asarray(idx, dtype=np.int64)
    return pc.if_else(pa.array(idx >= 0), _take(values, np.maximum(idx, 0)), None)


def _add_months(days: np.ndarray, months: int | np.ndarray) -> np.ndarray:
    """Calendar month arithmetic on days since epoch (day of month clipped to month length)."""
    d = np.asarray(days, dtype=np.int64).astype("datetime64[D]")
    m = d.astype("datetime64[M]")
    dom = (d - m.astype("datetime64[D]")).astype(np.int64)
    m2 = m + np.asarray(months, dtype=np.int64)
    first = m2.astype("datetime64[D]").astype(np.int64)
    length = (m2 + 1).astype("datetime64[D]").astype(np.int64) - first
    return first + np.minimum(dom, length - 1)


def _categorical(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One draw per row of an (n, k) probability matrix."""
    cum = np.cumsum(probs, axis=1)
    cum /= cum[:, -1:]
    u = rng.random(len(probs))
    return np.minimum((u[:, None] > cum).sum(axis=1), probs.shape[1] - 1)


# --------------------------------------------------------------------------------------------
# Output sinks
# --------------------------------------------------------------------------------------------


class _Sink:
    """Incremental Parquet writer for one table."""

    def __init__(self, path: Path, columns: list[tuple[str, pa.DataType]]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.schema = pa.schema([pa.field(n, t) for n, t in columns])
        dict_cols = [n for n, t in columns if t == pa.string() and not n.endswith(("_at",))]
        dict_cols = [n for n in dict_cols if n not in _NO_DICTIONARY]
        self.writer = pq.ParquetWriter(
            str(path),
            self.schema,
            compression="zstd",
            use_dictionary=dict_cols,
            write_statistics=True,
        )
        self.rows = 0

    def write(self, table: pa.Table) -> None:
        if table.num_rows:
            self.writer.write_table(table.select(self.schema.names).cast(self.schema))
            self.rows += table.num_rows

    def close(self) -> None:
        self.writer.close()


# --------------------------------------------------------------------------------------------
# Dirt injection
# --------------------------------------------------------------------------------------------


class _Dirt:
    """Draws dirt decisions from a dedicated random stream and records a manifest."""

    def __init__(self, rng: np.random.Generator, rate: float) -> None:
        self.rng = rng
        self.rate = rate
        self.manifest: list[pa.Table] = []

    def mask(self, n: int, eligible: np.ndarray | None = None) -> np.ndarray:
        m = self.rng.random(n) < self.rate
        return m if eligible is None else m & eligible

    def mask2(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Two mutually exclusive masks of the same rate from one draw."""
        u = self.rng.random(n)
        return u < self.rate, (u >= self.rate) & (u < 2 * self.rate)

    def record(
        self, table: str, keys: pa.Array, mask: np.ndarray, column: str | None, kind: str
    ) -> None:
        k = int(np.count_nonzero(mask))
        if not k:
            return
        row_keys = keys.filter(pa.array(mask))
        if row_keys.type != pa.string():
            row_keys = pc.cast(row_keys, pa.string())
        self.manifest.append(
            pa.table(
                {
                    "table": pa.array([table] * k, type=pa.string()),
                    "row_key": row_keys,
                    "column": pa.array([column] * k, type=pa.string()),
                    "dirt_kind": pa.array([kind] * k, type=pa.string()),
                }
            )
        )

    def pick(self, options: list[str], k: int) -> pa.Array:
        return _take(options, self.rng.integers(0, len(options), k))

    def unknown_ids(self, k: int) -> pa.Array:
        return _fmt_ids("C9", self.rng.integers(0, 1_000_000, k), 6)

    def customer_ids(self, table: str, tbl: pa.Table, keys: pa.Array) -> pa.Table:
        """missing_customer_id (null or '') and unknown_customer_id on customer_id."""
        n = tbl.num_rows
        missing, unknown = self.mask2(n)
        col = tbl.column("customer_id").combine_chunks()
        k = int(missing.sum())
        if k:
            empty = self.rng.random(k) < 0.25
            vals = pa.array(np.where(empty, "", None).tolist(), type=pa.string())
            col = pc.replace_with_mask(col, pa.array(missing), vals)
            self.record(table, keys, missing, "customer_id", "missing_customer_id")
        k = int(unknown.sum())
        if k:
            col = pc.replace_with_mask(col, pa.array(unknown), self.unknown_ids(k))
            self.record(table, keys, unknown, "customer_id", "unknown_customer_id")
        return tbl.set_column(tbl.schema.get_field_index("customer_id"), "customer_id", col)

    def invalid_ts(
        self, table: str, tbl: pa.Table, keys: pa.Array, column: str, mask: np.ndarray
    ) -> pa.Table:
        k = int(mask.sum())
        if not k:
            return tbl
        col = pc.replace_with_mask(
            tbl.column(column).combine_chunks(), pa.array(mask), self.pick(INVALID_TIMESTAMPS, k)
        )
        self.record(table, keys, mask, column, "invalid_timestamp")
        return tbl.set_column(tbl.schema.get_field_index(column), column, col)

    def future(
        self, table: str, keys: pa.Array, column: str, sec: np.ndarray, mask: np.ndarray, end: int
    ) -> None:
        """Move the masked instants (in place) to 2-8 years after the window end."""
        sec[mask] = end + self.rng.integers(2 * YEAR, 8 * YEAR, int(mask.sum()))
        self.record(table, keys, mask, column, "future_timestamp")

    def category(
        self,
        table: str,
        tbl: pa.Table,
        keys: pa.Array,
        column: str,
        mask: np.ndarray,
        variants: dict[str, list[str]],
    ) -> pa.Table:
        k = int(mask.sum())
        if not k:
            return tbl
        col = tbl.column(column).combine_chunks()
        current = col.filter(pa.array(mask)).to_pylist()
        picks = self.rng.integers(0, 1_000, k)
        new = [variants[v][p % len(variants[v])] for v, p in zip(current, picks, strict=True)]
        col = pc.replace_with_mask(col, pa.array(mask), pa.array(new, type=pa.string()))
        self.record(table, keys, mask, column, "category_variant")
        return tbl.set_column(tbl.schema.get_field_index(column), column, col)

    def duplicates(self, table: str, tbl: pa.Table, keys: pa.Array) -> pa.Table:
        mask = self.mask(tbl.num_rows)
        if not mask.any():
            return tbl
        self.record(table, keys, mask, None, "duplicate_row")
        return pa.concat_tables([tbl, tbl.filter(pa.array(mask))])

    def manifest_table(self) -> pa.Table | None:
        return pa.concat_tables(self.manifest) if self.manifest else None


# --------------------------------------------------------------------------------------------
# Simulation
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Window:
    start_day: int  # days since epoch of --start
    n_days: int  # days in [start, end]
    start_wd: int  # weekday of start (Monday = 0)
    n_weeks: int

    @property
    def start_sec(self) -> int:
        return self.start_day * DAY

    @property
    def end_sec(self) -> int:
        """Exclusive end: midnight UTC after --end."""
        return (self.start_day + self.n_days) * DAY

    def week_start_day(self, w: np.ndarray | int) -> np.ndarray:
        return self.start_day - self.start_wd + 7 * np.asarray(w)


@dataclass
class _Counters:
    """Running id counters across chunks."""

    subscription: int = 0
    invoice: int = 0
    payment: int = 0
    event: int = 0
    ticket: int = 0
    order: int = 0
    response: int = 0


def _local_tod(
    rng: np.random.Generator, k: int, mean_h: float = 13.5, sd_h: float = 2.8
) -> np.ndarray:
    """Local time of day in seconds: mostly business hours, some spread over the day."""
    business = rng.random(k) < 0.85
    t = np.where(business, rng.normal(mean_h * 3600, sd_h * 3600, k), rng.uniform(0, DAY, k))
    return np.clip(t, 0, DAY - 1).astype(np.int64)


class _Chunk:
    """All simulated state for one chunk of customers."""

    def __init__(self, win: _Window, lo: int, hi: int, rng: np.random.Generator) -> None:
        self.win = win
        self.rng = rng
        n = self.n = hi - lo
        self.cust_no = np.arange(lo + 1, hi + 1, dtype=np.int64)
        self.cust_ids = _fmt_ids("C", self.cust_no, 7)

        # --- attributes
        self.segment = rng.choice(3, n, p=SEGMENT_P)
        self.webshop = rng.random(n) < 0.35
        self.country = rng.choice(len(COUNTRIES), n, p=COUNTRY_P)
        self.offset = COUNTRY_OFFSET_MIN[self.country]
        self.currency = COUNTRY_CURRENCY[self.country]
        self.csm = rng.integers(0, len(CSM_OWNERS), n)
        self.archetype = rng.choice(len(ARCHETYPES), n, p=ARCHETYPE_P)
        self.activity = np.exp(rng.normal(0, 0.35, n))  # per-customer activity multiplier
        lo_sec = win.start_sec - 730 * DAY
        hi_sec = win.end_sec - DAY - 56 * DAY
        self.signup_sec = rng.integers(lo_sec, max(hi_sec, lo_sec + 1), n)
        self.signup_day = self.signup_sec // DAY - win.start_day  # relative, may be negative
        self.first_day = np.maximum(self.signup_day, 0)
        self.first_week = (self.first_day + win.start_wd) // 7
        self.act_start = np.maximum(self.signup_sec, win.start_sec)

        self._simulate_health()
        self._simulate_subscriptions()

    # ---- latent health -----------------------------------------------------------------------
    def _simulate_health(self) -> None:
        rng, n, W = self.rng, self.n, self.win.n_weeks
        w = np.arange(W)[None, :]
        tau = np.maximum(w - self.first_week[:, None], 0).astype(float)
        span = np.maximum(W - self.first_week, 1).astype(float)[:, None]
        a = self.archetype
        u = rng.random((n, 6))
        curve = np.empty((n, W))
        base = np.empty(n)
        sigma = np.full(n, 3.0)
        phi = np.full(n, 0.7)

        def sel(name: str) -> np.ndarray:
            return a == ARCHETYPES.index(name)

        m = sel("healthy_stable")
        base[m] = 65 + 23 * u[m, 0]
        curve[m] = base[m, None]
        m = sel("growing")
        base[m] = 40 + 20 * u[m, 0]
        rise = 20 + 15 * u[m, 1]
        curve[m] = base[m, None] + rise[:, None] * np.minimum(tau[m] / span[m], 1.0)
        m = sel("slow_decline_churn")
        base[m] = 55 + 20 * u[m, 0]
        onset = 0.5 * u[m, 1][:, None] * span[m]
        dur = (0.3 + 0.8 * u[m, 2])[:, None] * span[m]
        floor = 5 + 15 * u[m, 3]
        frac = np.clip((tau[m] - onset) / dur, 0, 1)
        curve[m] = base[m, None] - (base[m] - floor)[:, None] * frac
        m = sel("sudden_drop_churn")
        base[m] = 60 + 20 * u[m, 0]
        onset = (0.1 + 0.9 * u[m, 1])[:, None] * span[m]
        level = 10 + 12 * u[m, 2]
        frac = np.clip((tau[m] - onset) / 2.0, 0, 1)
        curve[m] = base[m, None] - (base[m] - level)[:, None] * frac
        m = sel("dip_and_recover")
        base[m] = 60 + 15 * u[m, 0]
        centre = (0.2 + 0.5 * u[m, 1])[:, None] * span[m]
        half = (3 + 8 * u[m, 2])[:, None]
        low = 32 + 10 * u[m, 3]
        depth = np.clip(1 - np.abs(tau[m] - centre) / half, 0, 1)
        curve[m] = base[m, None] - (base[m] - low)[:, None] * depth
        m = sel("volatile")
        base[m] = 42 + 23 * u[m, 0]
        curve[m] = base[m, None]
        sigma[m], phi[m] = 9.0, 0.8
        m = sel("stagnant_low")
        base[m] = 30 + 14 * u[m, 0]
        curve[m] = base[m, None]
        sigma[m] = 4.0

        # AR(1) noise with stationary standard deviation sigma
        z = rng.standard_normal((n, W))
        noise = np.empty((n, W))
        noise[:, 0] = sigma * z[:, 0]
        innov = sigma * np.sqrt(1 - phi**2)
        for k in range(1, W):
            noise[:, k] = phi * noise[:, k - 1] + innov * z[:, k]
        self.curve = curve
        self.health = np.clip(curve + noise, 0, 100)

        # churn: health below 25 for three consecutive weeks, or a small hazard when low
        hazard_u = rng.random((n, W))
        run = np.zeros(n, dtype=np.int64)
        churn_week = np.full(n, -1)
        for k in range(W):
            alive = (k >= self.first_week) & (churn_week < 0)
            h = self.health[:, k]
            run = np.where(alive & (h < 25), run + 1, 0)
            settled = k - self.first_week >= 3
            trig = alive & settled & ((run >= 3) | ((h < 38) & (hazard_u[:, k] < 0.004)))
            churn_week[trig] = k
        day_in_week = rng.integers(0, 7, n)
        churn_day = churn_week * 7 - self.win.start_wd + day_in_week
        churn_day = np.maximum(churn_day, self.first_day + 8)
        self.churned = (churn_week >= 0) & (churn_day < self.win.n_days)
        self.churn_day = np.where(self.churned, churn_day, self.win.n_days)
        self.churn_week = np.where(self.churned, (self.churn_day + self.win.start_wd) // 7, W)
        churn_tod = rng.integers(8 * 3600, 18 * 3600, n)
        churn_sec = (self.win.start_day + self.churn_day) * DAY + churn_tod
        self.churn_sec = np.where(self.churned, churn_sec, self.win.end_sec)
        self.act_end = self.churn_sec
        self.churn_reason = _categorical(rng, CHURN_REASON_P[self.archetype])
        self.churn_reason = np.where(self.churned, self.churn_reason, -1)
        wk = np.arange(W)[None, :]
        self.active_week = (wk >= self.first_week[:, None]) & (wk <= self.churn_week[:, None])
        # weeks in which the churn reason visibly shapes behaviour
        pre = (wk >= self.churn_week[:, None] - 16) & self.active_week
        self.support_stress = pre & (self.churn_reason == REASON_SUPPORT)[:, None]
        pre = (wk >= self.churn_week[:, None] - 12) & self.active_week
        self.payment_stress = pre & (self.churn_reason == REASON_PAYMENT)[:, None]

    # ---- subscriptions -----------------------------------------------------------------------
    def _simulate_subscriptions(self) -> None:
        rng, n, win = self.rng, self.n, self.win
        W = win.n_weeks
        seg = self.segment
        plan = np.where(
            seg == 0,
            (rng.random(n) < 0.4).astype(int),
            np.where(seg == 1, 1 + (rng.random(n) < 0.45), 2 + (rng.random(n) < 0.6)),
        ).astype(np.int64)
        seats_mu = np.array([np.log(5), np.log(30), np.log(150)])[seg]
        seats = np.exp(rng.normal(seats_mu, 0.55)).round().astype(np.int64)
        seats = np.clip(seats, np.array([1, 8, 40])[seg], np.array([25, 150, 1500])[seg])
        self.discount = rng.uniform(0, np.where(seg == 2, 0.35, 0.2))
        tod = self.signup_sec % DAY
        self.tod = tod
        signup_abs_day = self.signup_sec // DAY

        rows: dict[str, list[np.ndarray]] = {
            k: [] for k in ("cust", "start", "end", "renew", "plan", "seats", "change")
        }

        def emit(mask, start, end, renew, plan_, seats_, change) -> None:
            idx = np.flatnonzero(mask)
            if not len(idx):
                return
            rows["cust"].append(idx)
            for key, val in (
                ("start", start),
                ("end", end),
                ("renew", renew),
                ("plan", plan_),
                ("seats", seats_),
                ("change", change),
            ):
                arr = np.broadcast_to(np.asarray(val), (n,))
                rows[key].append(np.asarray(arr[idx], dtype=np.int64))

        # terms completed before the window (same plan; anniversaries of signup)
        term_day = signup_abs_day.copy()
        term_k = np.zeros(n, dtype=np.int64)
        for _ in range(3):
            nxt = _add_months(signup_abs_day, 12 * (term_k + 1))
            roll = nxt * DAY + tod <= win.start_sec
            emit(
                roll,
                term_day * DAY + tod,
                nxt * DAY + tod,
                nxt,
                plan,
                seats,
                np.where(term_k == 0, 0, 1),
            )
            term_day = np.where(roll, nxt, term_day)
            term_k = term_k + roll
        cur_start = term_day * DAY + tod
        cur_change = np.where(term_k == 0, 0, 1)
        renew_day = _add_months(term_day, 12)
        last_change_week = np.full(n, -100)
        seats_week = np.empty((n, W), dtype=np.int64)
        up_u = rng.random((n, W))
        kind_u = rng.random((n, W, 3))
        day_u = rng.integers(0, 7, (n, W))
        change_tod = rng.integers(7 * 3600, 19 * 3600, (n, W))
        done = np.zeros(n, dtype=bool)
        trend = np.zeros_like(self.curve)
        trend[:, 8:] = self.curve[:, 8:] - self.curve[:, :-8]
        for k in range(W):
            ws = int(win.week_start_day(k))  # absolute day of Monday
            we = ws + 7
            # renewal of the current term
            ren = ~done & (renew_day >= ws) & (renew_day < we)
            ren &= renew_day < win.start_day + self.churn_day
            ren &= renew_day < win.start_day + win.n_days
            ren_sec = renew_day * DAY + tod
            emit(ren, cur_start, ren_sec, renew_day, plan, seats, cur_change)
            cur_start = np.where(ren, ren_sec, cur_start)
            cur_change = np.where(ren, 1, cur_change)
            renew_day = np.where(ren, _add_months(renew_day, 12), renew_day)
            # churn: the current period ends and nothing follows
            ch = ~done & self.churned & (self.churn_week == k)
            emit(ch, cur_start, self.churn_sec, renew_day, plan, seats, cur_change)
            done |= ch
            # upgrades / downgrades
            h = self.health[:, k]
            p_up = np.where((h > 60) & (trend[:, k] >= 1.0), 0.04, np.where(h > 72, 0.004, 0.0))
            p_down = np.where((h < 45) & (trend[:, k] <= -2.0), 0.05, np.where(h < 38, 0.004, 0))
            up = up_u[:, k] < p_up
            down = (up_u[:, k] >= p_up) & (up_u[:, k] < p_up + p_down)
            cday = ws + day_u[:, k]
            csec = cday * DAY + change_tod[:, k]
            ok = ~done & ~ren & (k - last_change_week >= 6) & (k >= self.first_week + 2)
            ok &= (csec > cur_start) & (csec < self.churn_sec) & (csec >= win.start_sec)
            ok &= csec < win.end_sec
            new_seats = seats.copy()
            new_plan = plan.copy()
            grow = np.maximum(1, np.round(seats * (0.1 + 0.4 * kind_u[:, k, 0]))).astype(np.int64)
            shrink = np.maximum(1, np.round(seats * (0.1 + 0.3 * kind_u[:, k, 0]))).astype(np.int64)
            bump = kind_u[:, k, 1] < 0.3
            new_seats = np.where(
                up, seats + grow, np.where(down, np.maximum(seats - shrink, 1), seats)
            )
            new_plan = np.where(up & bump, np.minimum(plan + 1, 3), plan)
            new_plan = np.where(down & bump, np.maximum(plan - 1, 0), new_plan)
            changed = ok & (up | down) & ((new_seats != seats) | (new_plan != plan))
            emit(changed, cur_start, csec, renew_day, plan, seats, cur_change)
            plan = np.where(changed, new_plan, plan)
            seats = np.where(changed, new_seats, seats)
            cur_start = np.where(changed, csec, cur_start)
            cur_change = np.where(changed, np.where(up, 2, 3), cur_change)
            renew_day = np.where(changed, _add_months(cday, 12), renew_day)
            last_change_week = np.where(changed, k, last_change_week)
            seats_week[:, k] = seats
        emit(~done, cur_start, -1, renew_day, plan, seats, cur_change)

        cat = {k: np.concatenate(v) if v else np.zeros(0, np.int64) for k, v in rows.items()}
        order = np.lexsort((cat["start"], cat["cust"]))
        self.periods = {k: v[order] for k, v in cat.items()}
        p = self.periods
        p["mrr"] = np.round(
            p["seats"]
            * PLAN_PRICE[p["plan"]]
            * FX[self.currency[p["cust"]]]
            * (1 - self.discount[p["cust"]]),
            2,
        )
        self.seats_week = seats_week
        self.users_week = np.clip(seats_week, 1, 60)

    # ---- helpers -----------------------------------------------------------------------------
    def week_of_day(self, d: np.ndarray) -> np.ndarray:
        return np.clip((d + self.win.start_wd) // 7, 0, self.win.n_weeks - 1)

    def weekly_draws(self, rate: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Poisson counts per customer-week; returns (customer index, week) per item."""
        rate = np.where(self.active_week, rate, 0.0)
        counts = self.rng.poisson(rate).ravel()
        flat = np.repeat(np.arange(counts.size, dtype=np.int64), counts)
        W = self.win.n_weeks
        return flat // W, flat % W

    def place_in_week(
        self, c: np.ndarray, w: np.ndarray, tod: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Local day within the week plus local time -> UTC instant; mask of valid items."""
        win = self.win
        day = w * 7 - win.start_wd + self.rng.integers(0, 7, len(c))
        sec = (win.start_day + day) * DAY + tod - self.offset[c] * 60
        ok = (sec >= self.act_start[c]) & (sec < self.act_end[c])
        ok &= (sec >= win.start_sec) & (sec < win.end_sec)
        return sec, ok


# --------------------------------------------------------------------------------------------
# Generator
# --------------------------------------------------------------------------------------------


def _parse_date(value: str | date, name: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise GeneratorError(f"{name} must be a date in YYYY-MM-DD format, got {value!r}") from None


def _validate(
    customers: int, start: date, end: date, dirt_rate: float, chunk_customers: int
) -> None:
    if not isinstance(customers, int | np.integer) or customers < 1:
        raise GeneratorError(f"--customers must be at least 1, got {customers}")
    if customers > MAX_CUSTOMERS:
        raise GeneratorError(f"--customers must be at most {MAX_CUSTOMERS}, got {customers}")
    if end <= start:
        raise GeneratorError(f"--end ({end}) must be after --start ({start})")
    if start.year < 1972 or end.year > 2999:
        raise GeneratorError("--start and --end must lie between 1972 and 2999")
    if not 0.0 <= dirt_rate <= 0.5:
        raise GeneratorError(f"--dirt-rate must be between 0 and 0.5, got {dirt_rate}")
    if chunk_customers < 1:
        raise GeneratorError(f"--chunk-customers must be at least 1, got {chunk_customers}")


def _features_table() -> pa.Table:
    return pa.table(
        {
            "feature_key": [f[0] for f in FEATURES],
            "feature_name": [f[1] for f in FEATURES],
            "feature_category": [f[2] for f in FEATURES],
            "is_key_feature": [f[3] for f in FEATURES],
            "released_on": [f[4] for f in FEATURES],
        }
    )


def generate(
    customers: int = 1000,
    start: str | date = DEFAULT_START,
    end: str | date = DEFAULT_END,
    seed: int = 42,
    dirt_rate: float = 0.02,
    out: str | Path = "data/raw",
    truth_out: str | Path = "data/truth",
    chunk_customers: int = 2000,
    quiet: bool = False,
) -> dict[str, int]:
    """Generate all raw tables and truth files; returns row counts per table name."""
    start_d = _parse_date(start, "--start")
    end_d = _parse_date(end, "--end")
    _validate(customers, start_d, end_d, dirt_rate, chunk_customers)
    if seed < 0:
        raise GeneratorError(f"--seed must be non-negative, got {seed}")
    out, truth_out = Path(out), Path(truth_out)
    start_day = (start_d - date(1970, 1, 1)).days
    n_days = (end_d - start_d).days + 1
    start_wd = start_d.weekday()
    win = _Window(start_day, n_days, start_wd, (start_wd + n_days + 6) // 7)

    sinks: dict[str, _Sink] = {}
    for name, (source, cols) in RAW_TABLES.items():
        sinks[name] = _Sink(out / source / f"{name}.parquet", cols)
    for name, cols in TRUTH_TABLES.items():
        sinks[name] = _Sink(truth_out / f"{name}.parquet", cols)

    n_chunks = (customers + chunk_customers - 1) // chunk_customers
    seqs = np.random.SeedSequence(seed).spawn(n_chunks)
    counters = _Counters()
    t0 = time.monotonic()
    try:
        sinks["features"].write(_features_table())
        for ci in range(n_chunks):
            lo = ci * chunk_customers
            hi = min(customers, lo + chunk_customers)
            clean_seq, dirt_seq = seqs[ci].spawn(2)
            chunk = _Chunk(win, lo, hi, np.random.Generator(np.random.PCG64(clean_seq)))
            dirt = _Dirt(np.random.Generator(np.random.PCG64(dirt_seq)), dirt_rate)
            _write_chunk(chunk, dirt, sinks, counters)
            manifest = dirt.manifest_table()
            if manifest is not None:
                sinks["dirt_manifest"].write(manifest)
            if not quiet:
                print(
                    f"chunk {ci + 1}/{n_chunks}  customers {hi}/{customers}  "
                    f"events {sinks['usage_events'].rows / 1e6:.1f}M  "
                    f"elapsed {time.monotonic() - t0:.0f}s",
                    file=sys.stderr,
                    flush=True,
                )
    finally:
        for s in sinks.values():
            s.close()
    return {name: s.rows for name, s in sinks.items()}


def _write_chunk(ch: _Chunk, dirt: _Dirt, sinks: dict[str, _Sink], ctr: _Counters) -> None:
    _write_customers(ch, dirt, sinks)
    _write_subscriptions(ch, dirt, sinks, ctr)
    _write_billing(ch, dirt, sinks, ctr)
    _write_events(ch, dirt, sinks, ctr)
    _write_tickets(ch, dirt, sinks, ctr)
    _write_orders(ch, dirt, sinks, ctr)
    _write_surveys(ch, dirt, sinks, ctr)
    _write_truth(ch, sinks)


# ---- crm -------------------------------------------------------------------------------------


def _customers_table(
    ch: _Chunk,
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
            "country_code": _take(COUNTRY_CODES, ch.country[idx]),
            "segment": _take(SEGMENTS, ch.segment[idx]),
            "business_type": _take(BUSINESS_TYPES, ch.webshop[idx].astype(int)),
            "signup_at": _fmt_ts(signup_sec, None, signup_valid),
            "csm_owner": _take(CSM_OWNERS, csm),
            "updated_at": _fmt_ts(updated_sec),
        }
    )


def _write_customers(ch: _Chunk, dirt: _Dirt, sinks: dict[str, _Sink]) -> None:
    rng, n, win = ch.rng, ch.n, ch.win
    legal_all = [lf for c in COUNTRIES for lf in c[5]]
    legal_start = np.cumsum([0] + [len(c[5]) for c in COUNTRIES])[:-1]
    legal_count = np.array([len(c[5]) for c in COUNTRIES])
    legal = legal_start[ch.country] + rng.integers(0, 1_000, n) % legal_count[ch.country]
    stem = rng.integers(0, len(NAME_STEMS), n)
    noun = rng.integers(0, len(NAME_NOUNS), n)
    generic = pc.binary_join_element_wise(
        _take([s[0] for s in NAME_STEMS], stem),
        _take(NAME_NOUNS, noun),
        _take(legal_all, legal),
        " ",
    )
    special_u = rng.random(n)
    special = _take(SPECIAL_NAMES, rng.integers(0, len(SPECIAL_NAMES), n))
    sql = pa.array([SQL_NAME] * n, type=pa.string())
    names = pc.if_else(
        pa.array(special_u < 0.002), sql, pc.if_else(pa.array(special_u < 0.03), special, generic)
    )
    tld = _take([c[4] for c in COUNTRIES], ch.country)
    slug = pc.binary_join_element_wise(
        _take([s[1] for s in NAME_STEMS], stem), pc.utf8_lower(_take(NAME_NOUNS, noun)), ""
    )
    domain = pc.binary_join_element_wise(slug, tld, ".")
    person = pc.binary_join_element_wise(
        _take(FIRST_NAMES, rng.integers(0, len(FIRST_NAMES), n)),
        _take([s[1] for s in NAME_STEMS], rng.integers(0, len(NAME_STEMS), n)),
        ".",
    )
    emails = pc.binary_join_element_wise(person, domain, "@")
    upd_lo = np.maximum(ch.signup_sec, win.start_sec - 365 * DAY)
    updated = upd_lo + (rng.random(n) * (win.end_sec - 1 - upd_lo)).astype(np.int64)
    churn_upd = np.minimum(ch.churn_sec + rng.integers(0, 3 * DAY, n), win.end_sec - 1)
    updated = np.where(ch.churned, churn_upd, updated)
    ch.updated_sec = updated

    # dirt (decided on the clean rows, applied afterwards)
    idx = np.arange(n)
    keys = ch.cust_ids
    invalid, future = dirt.mask2(n)
    signup = ch.signup_sec.copy()
    dirt.future("customers", keys, "signup_at", signup, future, win.end_sec)
    tbl = _customers_table(ch, idx, names, emails, signup, updated, ch.csm)
    tbl = dirt.invalid_ts("customers", tbl, keys, "signup_at", invalid)
    which = dirt.rng.integers(0, 3, n)
    cat = dirt.mask(n)
    for col, variants, j in (
        ("segment", SEGMENT_VARIANTS, 0),
        ("business_type", BUSINESS_TYPE_VARIANTS, 1),
        ("country_code", None, 2),
    ):
        m = cat & (which == j)
        if variants is not None:
            tbl = dirt.category("customers", tbl, keys, col, m, variants)
        elif m.any():
            codes = tbl.column(col).combine_chunks().filter(pa.array(m)).to_pylist()
            style = dirt.rng.integers(0, 3, len(codes))
            new = [
                (c.lower(), f" {c}", f"{c.lower()} ")[s] for c, s in zip(codes, style, strict=True)
            ]
            arr = pc.replace_with_mask(tbl.column(col).combine_chunks(), pa.array(m), pa.array(new))
            tbl = tbl.set_column(tbl.schema.get_field_index(col), col, arr)
            dirt.record("customers", keys, m, col, "category_variant")
    # duplicates: exact copies or an older version (earlier updated_at, other CSM owner)
    dup = dirt.mask(n)
    older = dup & (dirt.rng.random(n) < 0.5)
    exact = dup & ~older
    dirt.record("customers", keys, dup, None, "duplicate_row")
    parts = [tbl, tbl.filter(pa.array(exact))]
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
    # rows without a customer id (copies of real customers, id nulled)
    miss = dirt.mask(n)
    if miss.any():
        extra = tbl.filter(pa.array(miss))
        extra = extra.set_column(0, "customer_id", pa.nulls(extra.num_rows, pa.string()))
        parts.append(extra)
        dirt.record("customers", keys, miss, "customer_id", "missing_customer_id")
    sinks["customers"].write(pa.concat_tables(parts))


# ---- billing ---------------------------------------------------------------------------------


def _write_subscriptions(ch: _Chunk, dirt: _Dirt, sinks: dict[str, _Sink], ctr: _Counters) -> None:
    p = ch.periods
    n = len(p["cust"])
    p["number"] = ctr.subscription + 1 + np.arange(n)
    ctr.subscription += n
    ids = _fmt_ids("S", p["number"], 9)
    p["ids"] = ids
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
            "plan_name": _take(PLANS, p["plan"]),
            "seats": pa.array(seats),
            "mrr_amount": pa.array(mrr),
            "currency": _take(CURRENCIES, ch.currency[c]),
            "started_at": _fmt_ts(start),
            "ended_at": _fmt_ts(np.maximum(p["end"], 0), None, p["end"] >= 0),
            "renews_on": _fmt_date(p["renew"]),
            "change_type": _take(CHANGE_TYPES, p["change"]),
        }
    )
    tbl = dirt.invalid_ts("subscriptions", tbl, ids, "started_at", invalid)
    tbl = dirt.customer_ids("subscriptions", tbl, ids)
    tbl = dirt.category("subscriptions", tbl, ids, "plan_name", dirt.mask(n), PLAN_VARIANTS)
    tbl = dirt.duplicates("subscriptions", tbl, ids)
    sinks["subscriptions"].write(tbl)


def _write_billing(ch: _Chunk, dirt: _Dirt, sinks: dict[str, _Sink], ctr: _Counters) -> None:
    rng, win, p = ch.rng, ch.win, ch.periods
    n_p = len(p["cust"])
    # monthly invoices on the period's start day-of-month
    k = np.arange(13)
    per = np.repeat(np.arange(n_p), len(k))
    kk = np.tile(k, n_p)
    start_day = p["start"][per] // DAY
    tod = p["start"][per] % DAY
    issue_day = _add_months(start_day, kk)
    issue = issue_day * DAY + tod
    end = np.where(p["end"][per] >= 0, p["end"][per], win.end_sec)
    keep = (issue >= p["start"][per]) & (issue < end) & (issue >= win.start_sec)
    keep &= issue < win.end_sec
    per, issue, issue_day = per[keep], issue[keep], issue_day[keep]
    c = p["cust"][per]
    order = np.lexsort((issue, c))
    per, issue, issue_day, c = per[order], issue[order], issue_day[order], c[order]
    n = len(per)
    inv_no = ctr.invoice + 1 + np.arange(n)
    ctr.invoice += n
    inv_ids = _fmt_ids("INV", inv_no, 10)
    due_days = np.where(ch.segment[c] == 0, 14, 30)
    due_day = issue_day + due_days
    amount = p["mrr"][per]
    wk = ch.week_of_day(issue_day - win.start_day)
    h = ch.health[c, wk]
    stress = 1 - h / 100
    pay_stress = ch.payment_stress[c, wk]
    void = rng.random(n) < 0.01

    # payment attempts: first attempt early or late, then retries after failures
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
    a_time = att_time[ai, aj]
    a_success = aj == success_at[ai]
    paid = np.zeros(n, dtype=bool)
    paid[ai[a_success]] = True
    status = np.where(void, 2, np.where(paid, 0, 1))
    # refunds of paid invoices
    refund = paid & (rng.random(n) < 0.012 + 0.03 * stress)
    ri = np.flatnonzero(refund)
    succ_time = np.zeros(n, dtype=np.int64)
    succ_time[ai[a_success]] = a_time[a_success]
    r_time = succ_time[ri] + rng.integers(DAY, 30 * DAY, len(ri))
    r_amount = -np.round(
        amount[ri] * np.where(rng.random(len(ri)) < 0.7, 1.0, rng.random(len(ri))), 2
    )
    r_keep = r_time < win.end_sec
    ri, r_time, r_amount = ri[r_keep], r_time[r_keep], r_amount[r_keep]

    pay_inv = np.concatenate([ai, ri])
    pay_time = np.concatenate([a_time, r_time])
    pay_amount = np.concatenate([amount[ai], r_amount])
    pay_status = np.concatenate([np.where(a_success, 0, 1), np.full(len(ri), 2)])
    order = np.lexsort((pay_status, pay_time, c[pay_inv]))
    pay_inv, pay_time = pay_inv[order], pay_time[order]
    pay_amount, pay_status = pay_amount[order], pay_status[order]
    m = len(pay_inv)
    pay_no = ctr.payment + 1 + np.arange(m)
    ctr.payment += m
    pay_ids = _fmt_ids("PAY", pay_no, 10)

    # ---- invoices (dirt)
    issue_d = issue.copy()
    invalid, future = dirt.mask2(n)
    dirt.future("invoices", inv_ids, "issued_at", issue_d, future, win.end_sec)
    # late-arriving payment: a succeeded payment exists but the invoice still shows 'open'
    stale = dirt.mask(n, status == 0)
    status_d = np.where(stale, 1, status)
    dirt.record("invoices", inv_ids, stale, "invoice_status", "late_arriving")
    inv = pa.table(
        {
            "invoice_id": inv_ids,
            "customer_id": ch.cust_ids.take(pa.array(c)),
            "subscription_id": p["ids"].take(pa.array(per)),
            "issued_at": _fmt_ts(issue_d),
            "due_on": _fmt_date(due_day),
            "amount": pa.array(amount),
            "currency": _take(CURRENCIES, ch.currency[c]),
            "invoice_status": _take(["paid", "open", "void"], status_d),
        }
    )
    inv = dirt.invalid_ts("invoices", inv, inv_ids, "issued_at", invalid)
    inv = dirt.customer_ids("invoices", inv, inv_ids)
    inv = dirt.duplicates("invoices", inv, inv_ids)
    sinks["invoices"].write(inv)

    # ---- payments (dirt)
    pc_ = c[pay_inv]
    pay_time_d = pay_time.copy()
    invalid, future = dirt.mask2(m)
    dirt.future("payments", pay_ids, "attempted_at", pay_time_d, future, win.end_sec)
    flip = dirt.mask(m, pay_status == 2)
    pay_amount_d = np.where(flip, -pay_amount, pay_amount)
    dirt.record("payments", pay_ids, flip, "amount", "refund_sign")
    pay = pa.table(
        {
            "payment_id": pay_ids,
            "invoice_id": inv_ids.take(pa.array(pay_inv)),
            "customer_id": ch.cust_ids.take(pa.array(pc_)),
            "attempted_at": _fmt_ts(pay_time_d),
            "amount": pa.array(pay_amount_d),
            "currency": _take(CURRENCIES, ch.currency[pc_]),
            "payment_status": _take(["succeeded", "failed", "refunded"], pay_status),
        }
    )
    pay = dirt.invalid_ts("payments", pay, pay_ids, "attempted_at", invalid)
    pay = dirt.customer_ids("payments", pay, pay_ids)
    pay = dirt.duplicates("payments", pay, pay_ids)
    sinks["payments"].write(pay)


# ---- product ---------------------------------------------------------------------------------


def _feature_cdf(ch: _Chunk) -> np.ndarray:
    """Cumulative feature mix per (customer, health bin), flattened and offset by row index."""
    rng, n = ch.rng, ch.n
    base = np.array([f[5] for f in FEATURES])
    slope = np.array([f[6] for f in FEATURES])
    share = np.array([f[7] for f in FEATURES])
    centre = (np.arange(HEALTH_BINS) + 0.5) * (100 / HEALTH_BINS)
    x = (centre - 50) / 50
    weight = base[None, :] * np.exp(slope[None, :] * x[:, None])  # (bins, features)
    gate = 1 / (1 + np.exp(-(centre - 45) / 3))
    weight[:, GATED_FEATURE] *= gate
    breadth = 0.3 + 0.7 * centre / 100  # healthy customers use a broader set of features
    thr = rng.random((n, N_FEATURES))
    adopted = thr[:, None, :] < (breadth[None, :, None] * share[None, None, :])
    adopted[:, :, share >= 1.0] = True
    w = weight[None, :, :] * adopted
    cdf = np.cumsum(w, axis=2)
    cdf /= cdf[:, :, -1:]
    rows = np.arange(n * HEALTH_BINS, dtype=np.float64).reshape(n, HEALTH_BINS, 1)
    return (cdf + rows).ravel()


def _write_events(ch: _Chunk, dirt: _Dirt, sinks: dict[str, _Sink], ctr: _Counters) -> None:
    rng, win = ch.rng, ch.win
    D = win.n_days
    d = np.arange(D)
    weekday = (win.start_day + d + 3) % 7
    wd_factor = np.array([1.15, 1.2, 1.2, 1.15, 1.0, 0.35, 0.3])[weekday]
    seg_lambda = np.array([2.0, 6.0, 15.0])[ch.segment] * ch.activity
    hf = 0.15 + 1.6 * (ch.health / 100) ** 1.3
    week = ch.week_of_day(d)
    active = (d[None, :] >= ch.first_day[:, None]) & (d[None, :] <= ch.churn_day[:, None])
    lam = seg_lambda[:, None] * hf[:, week] * wd_factor[None, :] * active
    counts = rng.poisson(lam).ravel()
    flat = np.repeat(np.arange(counts.size, dtype=np.int64), counts)
    del lam, counts
    c = (flat // D).astype(np.int64)
    de = flat % D
    del flat
    occ = (win.start_day + de) * DAY + _local_tod(rng, len(c)) - ch.offset[c] * 60
    lag = np.minimum(np.ceil(np.exp(rng.normal(np.log(20), 1.2, len(c)))), 6 * 3600)
    rec = occ + lag.astype(np.int64)
    keep = (occ >= ch.act_start[c]) & (occ < ch.act_end[c]) & (occ >= win.start_sec)
    keep &= rec < win.end_sec
    c, de, occ, rec = c[keep], de[keep], occ[keep], rec[keep]
    del keep, lag
    order = np.argsort(c * (1 << 36) + (occ - win.start_sec), kind="stable")
    c, de, occ, rec = c[order], de[order], occ[order], rec[order]
    del order
    wk = ch.week_of_day(de)
    del de
    h = ch.health[c, wk]
    pool = np.maximum(1, np.round(ch.users_week[c, wk] * (0.25 + 0.75 * h / 100)))
    user = (pool * rng.random(len(c)) ** 2).astype(np.int64) + 1
    hbin = np.minimum((h * HEALTH_BINS / 100).astype(np.int64), HEALTH_BINS - 1)
    row = c * HEALTH_BINS + hbin
    del h, pool, hbin, wk
    cdf = _feature_cdf(ch)
    feat = np.searchsorted(cdf, row + rng.random(len(c)), side="right") - row * N_FEATURES
    feat = np.clip(feat, 0, N_FEATURES - 1)
    del row, cdf
    total = len(c)
    feature_keys = pa.array([f[0] for f in FEATURES], type=pa.string())
    for s in range(0, total, EVENT_SLICE_ROWS):
        sl = slice(s, min(total, s + EVENT_SLICE_ROWS))
        cs = c[sl]
        k = len(cs)
        ids = pa.array(ctr.event + 1 + np.arange(k, dtype=np.int64))
        ctr.event += k
        occ_s, rec_s = occ[sl].copy(), rec[sl].copy()
        invalid, future = dirt.mask2(k)
        dirt.future("usage_events", ids, "occurred_at", occ_s, future, win.end_sec)
        late = dirt.mask(k, ~(invalid | future))
        late_rec = occ_s + dirt.rng.integers(2 * DAY, 20 * DAY, k)
        late &= late_rec < win.end_sec
        rec_s = np.where(late, late_rec, rec_s)
        dirt.record("usage_events", ids, late, "received_at", "late_arriving")
        tbl = pa.table(
            {
                "event_id": ids,
                "customer_id": ch.cust_ids.take(pa.array(cs)),
                "user_id": _fmt_user_ids(ch.cust_no[cs], user[sl]),
                "feature_key": feature_keys.take(pa.array(feat[sl])),
                "occurred_at": _fmt_ts(occ_s, ch.offset[cs]),
                "received_at": _fmt_ts(rec_s),
            }
        )
        tbl = dirt.invalid_ts("usage_events", tbl, ids, "occurred_at", invalid)
        tbl = dirt.customer_ids("usage_events", tbl, ids)
        tbl = dirt.duplicates("usage_events", tbl, ids)
        sinks["usage_events"].write(tbl)


# ---- support ---------------------------------------------------------------------------------


def _write_tickets(ch: _Chunk, dirt: _Dirt, sinks: dict[str, _Sink], ctr: _Counters) -> None:
    rng, win = ch.rng, ch.win
    stress_w = 1 - ch.health / 100
    rate = np.array([0.08, 0.25, 0.7])[ch.segment][:, None] * (0.4 + 3.0 * stress_w**2)
    rate = rate * np.where(ch.support_stress, 2.5, 1.0)
    c, w = ch.weekly_draws(rate)
    opened, ok = ch.place_in_week(c, w, _local_tod(rng, len(c), 12.5, 3.0))
    c, w, opened = c[ok], w[ok], opened[ok]
    order = np.lexsort((opened, c))
    c, w, opened = c[order], w[order], opened[order]
    n = len(c)
    s = stress_w[c, w]
    sup = ch.support_stress[c, w]
    pr_logit = np.array([-1.5, 0.0, 1.2, 2.0])[None, :] * s[:, None]
    pr_p = np.array([0.30, 0.45, 0.18, 0.07])[None, :] * np.exp(pr_logit)
    priority = _categorical(rng, pr_p)
    ch_p = np.tile([0.40, 0.30, 0.10, 0.20], (n, 1))
    ch_p[:, 2] += np.where(ch.segment[c] == 2, 0.15, 0.0)
    channel = _categorical(rng, ch_p)
    esc = rng.random(n) < 0.02 + 0.3 * s**2 + 0.1 * (priority == 3) + 0.1 * sup
    resp_h = np.array([10.0, 5.0, 1.5, 0.4])[priority] * (1 + 1.5 * s) * (1 + sup)
    first_resp = opened + (resp_h * 3600 * np.exp(rng.normal(0, 0.8, n))).astype(np.int64) + 60
    res_d = (
        np.array([1.5, 1.0, 0.7, 0.5])[priority] * (1 + 3 * s) * np.where(esc, 2.0, 1.0) * (1 + sup)
    )
    resolved = first_resp + (res_d * DAY * np.exp(rng.normal(0, 0.9, n))).astype(np.int64)
    responded = first_resp < win.end_sec
    is_resolved = responded & (resolved < win.end_sec)
    status = np.where(
        ~responded,
        0,
        np.where(~is_resolved, 1, np.where(resolved >= win.end_sec - 4 * DAY, 2, 3)),
    )
    rated = is_resolved & (rng.random(n) < 0.3)
    rating = np.clip(
        np.round(1.2 + 3.8 * (1 - s) + rng.normal(0, 0.7, n) - 0.8 * esc - 1.0 * sup), 1, 5
    ).astype(np.int64)
    tid_no = ctr.ticket + 1 + np.arange(n)
    ctr.ticket += n
    ids = _fmt_ids("T", tid_no, 9)

    rating_d = rating.copy()
    oor = dirt.mask(n, rated)
    rating_d[oor] = np.where(dirt.rng.random(int(oor.sum())) < 0.5, 0, 7)
    dirt.record("tickets", ids, oor, "satisfaction_rating", "out_of_range")
    opened_d = opened.copy()
    invalid, future = dirt.mask2(n)
    dirt.future("tickets", ids, "opened_at", opened_d, future, win.end_sec)
    off = ch.offset[c]
    tbl = pa.table(
        {
            "ticket_id": ids,
            "customer_id": ch.cust_ids.take(pa.array(c)),
            "opened_at": _fmt_ts(opened_d, off),
            "first_response_at": _fmt_ts(first_resp, off, responded),
            "resolved_at": _fmt_ts(resolved, off, is_resolved),
            "priority": _take(["low", "normal", "high", "urgent"], priority),
            "ticket_status": _take(["open", "pending", "solved", "closed"], status),
            "channel": _take(["email", "chat", "phone", "portal"], channel),
            "is_escalated": pa.array(esc),
            "satisfaction_rating": pa.array(rating_d, mask=~rated),
        }
    )
    tbl = dirt.invalid_ts("tickets", tbl, ids, "opened_at", invalid)
    tbl = dirt.customer_ids("tickets", tbl, ids)
    cat = dirt.mask(n)
    use_channel = dirt.rng.random(n) < 0.5
    tbl = dirt.category("tickets", tbl, ids, "priority", cat & ~use_channel, PRIORITY_VARIANTS)
    tbl = dirt.category("tickets", tbl, ids, "channel", cat & use_channel, CHANNEL_VARIANTS)
    tbl = dirt.duplicates("tickets", tbl, ids)
    sinks["tickets"].write(tbl)


# ---- shop ------------------------------------------------------------------------------------


def _write_orders(ch: _Chunk, dirt: _Dirt, sinks: dict[str, _Sink], ctr: _Counters) -> None:
    rng, win = ch.rng, ch.win
    h = ch.health / 100
    shop_rate = np.array([1.5, 5.0, 15.0])[ch.segment][:, None] * (h / 0.6) ** 1.5
    addon_rate = 0.012 * np.array([1.0, 2.0, 4.0])[ch.segment][:, None] * (h / 0.6) ** 2
    rate = np.where(ch.webshop[:, None], shop_rate * ch.activity[:, None], addon_rate)
    c, w = ch.weekly_draws(rate)
    t, ok = ch.place_in_week(c, w, _local_tod(rng, len(c), 15.0, 4.5))
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
    no = ctr.order + 1 + np.arange(n)
    ctr.order += n
    ids = _fmt_ids("O", no, 10)

    amount_d = amount.copy()
    oor = dirt.mask(n, status == 0)
    amount_d[oor] = -amount_d[oor]
    dirt.record("orders", ids, oor, "amount", "out_of_range")
    t_d = t.copy()
    invalid, future = dirt.mask2(n)
    dirt.future("orders", ids, "ordered_at", t_d, future, win.end_sec)
    tbl = pa.table(
        {
            "order_id": ids,
            "customer_id": ch.cust_ids.take(pa.array(c)),
            "ordered_at": _fmt_ts(t_d, ch.offset[c]),
            "order_type": _take(["add_on", "goods"], goods.astype(int)),
            "amount": pa.array(amount_d),
            "currency": _take(CURRENCIES, ch.currency[c]),
            "order_status": _take(["completed", "cancelled", "returned"], status),
        }
    )
    tbl = dirt.invalid_ts("orders", tbl, ids, "ordered_at", invalid)
    tbl = dirt.customer_ids("orders", tbl, ids)
    tbl = dirt.category("orders", tbl, ids, "order_status", dirt.mask(n), ORDER_STATUS_VARIANTS)
    tbl = dirt.duplicates("orders", tbl, ids)
    sinks["orders"].write(tbl)


# ---- surveys ---------------------------------------------------------------------------------


def _write_surveys(ch: _Chunk, dirt: _Dirt, sinks: dict[str, _Sink], ctr: _Counters) -> None:
    rng, win, n_c = ch.rng, ch.win, ch.n
    W = win.n_weeks
    # NPS: quarterly campaigns; about half of the customers never answer
    propensity = np.where(rng.random(n_c) < 0.5, 0.0, rng.uniform(0.4, 0.9, n_c))
    campaign = (np.arange(W) % 13 == 2)[None, :]
    invited = campaign & ch.active_week & (rng.random((n_c, W)) < propensity[:, None])
    extra = np.array([0.2, 0.8, 2.0])[ch.segment][:, None]
    per_cw = np.where(invited, 1 + rng.poisson(np.broadcast_to(extra, (n_c, W))), 0).ravel()
    flat = np.repeat(np.arange(per_cw.size, dtype=np.int64), per_cw)
    nc, nw = flat // W, flat % W
    nday = nw * 7 - win.start_wd + 1 + np.minimum(rng.exponential(3.0, len(nc)), 20).astype(int)
    n_sec = (win.start_day + nday) * DAY + _local_tod(rng, len(nc), 11.0, 3.0)
    n_sec = n_sec - ch.offset[nc] * 60
    n_score = np.clip(np.round(ch.health[nc, nw] / 10 + 0.8 + rng.normal(0, 1.6, len(nc))), 0, 10)
    # CSAT: continuous in-app and post-interaction surveys
    rate = 0.08 * np.array([1.0, 2.0, 4.0])[ch.segment][:, None] * np.ones((1, W))
    cc, cw = ch.weekly_draws(rate)
    c_sec, c_ok = ch.place_in_week(cc, cw, _local_tod(rng, len(cc), 14.0, 3.0))
    hc = ch.health[cc, cw] / 100
    c_score = np.clip(np.round(1 + 4 * hc**0.8 + rng.normal(0, 0.7, len(cc))), 1, 5)

    c = np.concatenate([nc, cc[c_ok]])
    w = np.concatenate([nw, cw[c_ok]])
    t = np.concatenate([n_sec, c_sec[c_ok]])
    stype = np.concatenate([np.zeros(len(nc), int), np.ones(int(c_ok.sum()), int)])
    score = np.concatenate([n_score, c_score[c_ok]]).astype(np.int64)
    ok = (t >= ch.act_start[c]) & (t < ch.act_end[c]) & (t >= win.start_sec) & (t < win.end_sec)
    c, w, t, stype, score = c[ok], w[ok], t[ok], stype[ok], score[ok]
    order = np.lexsort((stype, t, c))
    c, w, t, stype, score = c[order], w[order], t[order], stype[order], score[order]
    n = len(c)
    chan = np.where(stype == 0, rng.random(n) < 0.25, rng.random(n) < 0.8).astype(int)
    resp_user = (rng.random(n) * ch.users_week[c, w]).astype(np.int64) + 1
    no = ctr.response + 1 + np.arange(n)
    ctr.response += n
    ids = _fmt_ids("R", no, 10)

    score_d = score.copy()
    oor = dirt.mask(n)
    hi_side = dirt.rng.random(n) < 0.5
    score_d = np.where(oor & (stype == 0), np.where(hi_side, 11, -1), score_d)
    score_d = np.where(oor & (stype == 1), np.where(hi_side, 6, 0), score_d)
    dirt.record("survey_responses", ids, oor, "score", "out_of_range")
    t_d = t.copy()
    invalid, future = dirt.mask2(n)
    dirt.future("survey_responses", ids, "responded_at", t_d, future, win.end_sec)
    tbl = pa.table(
        {
            "response_id": ids,
            "customer_id": ch.cust_ids.take(pa.array(c)),
            "respondent_id": _fmt_user_ids(ch.cust_no[c], resp_user),
            "survey_type": _take(["nps", "csat"], stype),
            "score": pa.array(score_d),
            "responded_at": _fmt_ts(t_d, ch.offset[c]),
            "survey_channel": _take(["email", "in_app"], chan),
        }
    )
    tbl = dirt.invalid_ts("survey_responses", tbl, ids, "responded_at", invalid)
    tbl = dirt.customer_ids("survey_responses", tbl, ids)
    tbl = dirt.duplicates("survey_responses", tbl, ids)
    sinks["survey_responses"].write(tbl)


# ---- truth -----------------------------------------------------------------------------------


def _write_truth(ch: _Chunk, sinks: dict[str, _Sink]) -> None:
    n, W, win = ch.n, ch.win.n_weeks, ch.win
    idx = np.arange(n)
    act = ch.active_week
    h_act = np.where(act, ch.health, np.nan)
    last_week = np.minimum(ch.churn_week, W - 1)
    initial = ch.health[idx, np.minimum(ch.first_week, W - 1)]
    final = ch.health[idx, last_week]
    min_h = np.nanmin(np.where(act.any(axis=1)[:, None], h_act, 100.0), axis=1)
    recovered = ~ch.churned & (min_h < 40) & (final >= 50)
    churn_abs = win.start_day + ch.churn_day
    sinks["customer_truth"].write(
        pa.table(
            {
                "customer_id": ch.cust_ids,
                "archetype": _take(ARCHETYPES, ch.archetype),
                "segment": _take(SEGMENTS, ch.segment),
                "business_type": _take(BUSINESS_TYPES, ch.webshop.astype(int)),
                "country_code": _take(COUNTRY_CODES, ch.country),
                "signup_date": _fmt_date(ch.signup_sec // DAY),
                "initial_health": pa.array(np.round(initial, 2)),
                "final_health": pa.array(np.round(final, 2)),
                "min_health": pa.array(np.round(min_h, 2)),
                "churned": pa.array(ch.churned),
                "churn_date": _fmt_date(churn_abs, ch.churned),
                "churn_reason": _take_nullable(CHURN_REASONS, ch.churn_reason),
                "recovered_from_risk": pa.array(recovered),
            }
        )
    )
    cw = np.repeat(idx, W)
    ww = np.tile(np.arange(W), n)
    active = act.ravel()
    sinks["weekly_health"].write(
        pa.table(
            {
                "customer_id": ch.cust_ids.take(pa.array(cw)),
                "week_start": _fmt_date(win.week_start_day(ww)),
                "latent_health": pa.array(np.round(ch.health.ravel(), 2), mask=~active),
                "is_active": pa.array(active),
            }
        )
    )


# --------------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    """Argument parser that reports usage errors on a single line."""

    def error(self, message: str) -> None:  # type: ignore[override]
        print(f"error: {message}", file=sys.stderr)
        raise SystemExit(2)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        description="Generate synthetic raw data (Parquet) for the customer_health dbt project."
    )
    p.add_argument("--customers", type=int, default=1000, help="number of customers (default 1000)")
    p.add_argument(
        "--start", default=DEFAULT_START, help=f"first day, YYYY-MM-DD ({DEFAULT_START})"
    )
    p.add_argument("--end", default=DEFAULT_END, help=f"last day, YYYY-MM-DD ({DEFAULT_END})")
    p.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    p.add_argument(
        "--dirt-rate", type=float, default=0.02, help="rate of each dirt kind, 0-0.5 (0.02)"
    )
    p.add_argument("--out", default="data/raw", help="raw output directory (data/raw)")
    p.add_argument("--truth-out", default="data/truth", help="truth directory (data/truth)")
    p.add_argument(
        "--chunk-customers", type=int, default=2000, help="customers per chunk (default 2000)"
    )
    p.add_argument("--quiet", action="store_true", help="no progress output")
    return p


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    t0 = time.monotonic()
    try:
        counts = generate(
            customers=args.customers,
            start=args.start,
            end=args.end,
            seed=args.seed,
            dirt_rate=args.dirt_rate,
            out=args.out,
            truth_out=args.truth_out,
            chunk_customers=args.chunk_customers,
            quiet=args.quiet,
        )
    except GeneratorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: cannot write output: {exc}", file=sys.stderr)
        return 1
    if not args.quiet:
        total = sum(v for k, v in counts.items() if k in RAW_TABLES)
        print(
            f"wrote {total:,} raw rows in {len(RAW_TABLES)} tables to {args.out} "
            f"in {time.monotonic() - t0:.0f}s",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
