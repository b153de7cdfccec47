"""The SQL of a dbt analysis, compiled by dbt against the warehouse the report reads.

The weak-spots plot runs analyses/feature_adoption_by_band.sql as dbt compiles it, so its
rule (active customers, the latest complete week, a trailing 28 days) is written once, in
SQL. dbt's target and log folders go to a temporary folder: the last build's target/ (dbt
docs, manifest) is left as it was.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from chs.dbt import PROJECT_DIR, DbtTarget, run_dbt
from chs.errors import UserError

FEATURE_ADOPTION = "feature_adoption_by_band"


def compiled_analysis(
    name: str,
    database: Path,
    project_dir: Path = PROJECT_DIR,
    vars: tuple[tuple[str, str], ...] = (),
) -> str:
    """The compiled SQL of the analysis `name` for the DuckDB file `database`."""
    with tempfile.TemporaryDirectory(prefix="chs-report-") as work:
        target = DbtTarget(
            database=database.resolve(),
            work_dir=Path(work),
            profiles_dir=project_dir if (project_dir / "profiles.yml").exists() else Path(work),
            project_dir=project_dir,
            vars=vars,
        )
        result = run_dbt(["compile", "--select", name, "--log-level", "none"], target, quiet=True)
    nodes = [
        node_result.node
        for node_result in getattr(result, "results", [])
        if node_result.node.resource_type == "analysis" and node_result.node.name == name
    ]
    if not nodes or not nodes[0].compiled_code:
        raise UserError(f"dbt compile gave no SQL for the analysis {name}")
    return nodes[0].compiled_code.strip().rstrip(";")
