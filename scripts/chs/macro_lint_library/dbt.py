"""Lint-only stand-ins for the dbt cross-database macros the project's macros call.

Each renders what dbt-duckdb renders, so the macro around it parses as DuckDB SQL. Loaded by
sqlfluff's jinja templater (library_path) when scripts/lint_macros.py lints the project's
macros; dbt itself never reads this file.
"""

from __future__ import annotations


def type_string() -> str:
    return "varchar"


def type_bigint() -> str:
    return "bigint"


def dateadd(datepart: str, interval: object, from_date_or_timestamp: str) -> str:
    return f"date_add({from_date_or_timestamp}, interval ({interval}) {datepart})"


def datediff(first_date: str, second_date: str, datepart: str) -> str:
    return f"date_diff('{datepart}', {first_date}, {second_date})"


def date_trunc(datepart: str, date: str) -> str:
    return f"date_trunc('{datepart}', {date})"


def type_boolean() -> str:
    return "boolean"


def type_timestamp() -> str:
    return "timestamp"
