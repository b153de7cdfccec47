"""Export new health alerts for CRM and e-mail tools as CSV and JSON lines.

    python scripts/export_alerts.py --database build/customer_health.duckdb --out-dir exports

The export is chs.export: each run sends only the alerts it has not sent before.
"""

from __future__ import annotations

from chs.errors import run_cli
from chs.export import main

if __name__ == "__main__":
    run_cli(main)
