"""What is validated: a suite is a list of checks, each a frame DuckDB computes plus the
expectations GX validates on it; helpers to write them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import great_expectations.expectations as gxe

FRAME_LIMIT = 1000  # most rows an aggregate frame of offending keys holds


@dataclass(frozen=True)
class Check:
    name: str
    sql: str
    expectations: Callable[[], list[gxe.Expectation]]  # fresh objects for every run
    chunked: bool = False  # stream the frame in chunks (row-level checks on whole tables)
    params: tuple[Any, ...] = ()


@dataclass(frozen=True)
class SuiteSpec:
    name: str
    checks: list[Check]


def between(
    column: str, low: float | None, high: float | None, mostly: float | None = None
) -> gxe.Expectation:
    extra = {} if mostly is None else {"mostly": mostly}  # GX refuses mostly=None
    return gxe.ExpectColumnValuesToBeBetween(column=column, min_value=low, max_value=high, **extra)


def not_null(column: str) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToNotBeNull(column=column)


def no_rows() -> gxe.Expectation:
    return gxe.ExpectTableRowCountToEqual(value=0)


def columns_present(columns: Sequence[str]) -> Callable[[], list[gxe.Expectation]]:
    return lambda: [gxe.ExpectTableColumnsToMatchSet(column_set=list(columns), exact_match=False)]


def quote(name: str) -> str:
    """An SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """An SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def tables_suite(name: str, relations: Sequence[str]) -> SuiteSpec:
    """The tables the other suites read must exist (in the main database, not attached ones)."""
    schemas = ", ".join(sorted({literal(relation.split(".")[0]) for relation in relations}))
    sql = (
        "select table_schema || '.' || table_name as relation from information_schema.tables"
        f" where table_catalog = current_database() and table_schema in ({schemas})"
        " order by 1"
    )
    return SuiteSpec(
        name,
        [
            Check(
                "catalog",
                sql,
                lambda: [
                    gxe.ExpectColumnDistinctValuesToContainSet(
                        column="relation", value_set=list(relations)
                    )
                ],
            )
        ],
    )
