"""Export new health alerts for CRM and e-mail tools as CSV and JSON lines.

    python scripts/export_alerts.py --out-dir exports

The export is chs.export: it reads the current publication (build/serving), never the build
warehouse, and each run sends only the alerts it has not sent before. `--database FILE` reads
another DuckDB file; not the default: a build that failed validation may hold alerts that were
never published.
"""

from __future__ import annotations

from chs.errors import run_cli
from chs.export import main

if __name__ == "__main__":
    run_cli(main)
