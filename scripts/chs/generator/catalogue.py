"""Reference data of the simulated company: countries, segments, plans, archetypes, features, names.

Changing any value here changes the generated data (and so the demo's published marts).
"""

from __future__ import annotations

import numpy as np

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
