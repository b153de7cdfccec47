"""Shared fixtures: real DuckDB files and real dbt runs in temporary folders."""

from __future__ import annotations

import pytest
from chs.dbt import DbtTarget, run_dbt
from chs.loading import load_raw
from raw_fixture import write_fixture


@pytest.fixture(scope="session")
def fixture_build(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The hand-written raw fixture, loaded and built with `dbt build`."""
    root = tmp_path_factory.mktemp("fixture_build")
    expected = write_fixture(root / "raw")
    database = root / "warehouse.duckdb"
    load_raw(root / "raw", database)
    target = DbtTarget(database=database, work_dir=root, profiles_dir=root / "profiles")
    run_dbt(["build"], target, quiet=True)
    return {"root": root, "database": database, "expected": expected, "target": target}
