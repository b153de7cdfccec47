"""Driving dbt from Python: one dbtRunner invocation at a time, failures as UserError."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml

from chs.errors import UserError

PROJECT_DIR = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class DbtTarget:
    """Where a dbt invocation writes: the DuckDB file, dbt's target and log folders."""

    database: Path
    work_dir: Path
    profiles_dir: Path = PROJECT_DIR
    project_dir: Path = PROJECT_DIR
    vars: tuple[tuple[str, str], ...] = ()  # dbt vars of every invocation (source adapters)

    def env(self) -> dict[str, str]:
        return {"CHS_DUCKDB_PATH": str(self.database), "DBT_LOG_PATH": str(self.work_dir / "logs")}


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _release_duckdb() -> None:
    """Close the DuckDB database dbt-duckdb keeps open in this process after an invocation.

    Otherwise a later connection from this process (a report, a test) to the same file is
    refused because its configuration differs from the one dbt left open.
    """
    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    except ImportError:  # another adapter is installed instead
        return
    with DuckDBConnectionManager._LOCK:
        if DuckDBConnectionManager._ENV is not None:
            DuckDBConnectionManager._ENV.close()
        DuckDBConnectionManager.close_all_connections()


def copy_project(destination: Path) -> Path:
    """Copy the dbt project (without virtualenv, build output or data) to `destination`."""
    ignore = shutil.ignore_patterns(
        ".venv*", ".git", "target", "logs", "build", "data", "exports", "*.duckdb"
    )
    shutil.copytree(PROJECT_DIR, destination, ignore=ignore)
    return destination


def ensure_profiles(profiles_dir: Path) -> Path:
    """Make sure `profiles_dir` holds a profiles.yml; copy the example when it does not."""
    profiles = profiles_dir / "profiles.yml"
    if not profiles.exists():
        profiles_dir.mkdir(parents=True, exist_ok=True)
        profiles.write_text((PROJECT_DIR / "profiles.example.yml").read_text())
    return profiles_dir


def run_dbt(args: Sequence[str], target: DbtTarget, quiet: bool = False) -> object:
    """Run one dbt command against `target`; raise UserError naming the command if it fails."""
    from dbt.cli.main import dbtRunner  # imported late: it is slow to import

    ensure_profiles(target.profiles_dir)
    full = [
        *args,
        "--project-dir",
        str(target.project_dir),
        "--profiles-dir",
        str(target.profiles_dir),
        "--target-path",
        str(target.work_dir / "target"),
        "--no-partial-parse",
    ]
    if target.vars:
        full += ["--vars", json.dumps(dict(target.vars))]
    if quiet:
        full = ["--quiet", *full]
    with _environment(target.env()):
        try:
            result = dbtRunner().invoke(full)
        finally:
            _release_duckdb()
    if not result.success:
        detail = f": {result.exception}" if result.exception else " (see the dbt output above)"
        raise UserError(f"dbt {' '.join(args)} failed{detail}")
    return result.result


def project_vars(project_dir: Path = PROJECT_DIR) -> dict:
    """The vars of dbt_project.yml with their defaults, for Python steps that must use the same
    settings as the models (e.g. the churn grace period and the primary horizon)."""
    with (project_dir / "dbt_project.yml").open() as f:
        return dict(yaml.safe_load(f).get("vars") or {})
