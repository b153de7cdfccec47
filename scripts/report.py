"""Write the evidence report, one self-contained HTML page (no server, no network).

    python scripts/report.py                       # build/report/index.html
    python scripts/report.py --horizon-weeks 8 --out build/report-8w

It reads the build warehouse (--database, read-only) and, when `make calibrate` wrote one,
build/calibration/calibration.json; chs.evidence_report has the queries, plots and page.
"""

from __future__ import annotations

from chs.errors import run_cli
from chs.evidence_report.cli import main

if __name__ == "__main__":
    run_cli(main)
