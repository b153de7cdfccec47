"""Lint-only stand-in for dbt's `adapter` in Jinja: dispatch picks the DuckDB or default macro.

Loaded by sqlfluff's jinja templater (library_path) when scripts/lint_macros.py lints the SQL
of the project's macros; dbt itself never reads this file.
"""

from __future__ import annotations

from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context


@pass_context
def dispatch(context: Context, macro_name: str, macro_namespace: str | None = None) -> Any:
    """The implementation dbt-duckdb would pick: duckdb__<name>, else default__<name>."""
    for prefix in ("duckdb__", "default__"):
        macro = context.get(f"{prefix}{macro_name}")
        if macro is not None:
            return macro
    raise LookupError(f"no duckdb__ or default__ implementation of {macro_name}")


def get_columns_in_relation(relation: Any) -> list[Any]:
    """No warehouse while linting: a relation has no columns to look up."""
    return []
