"""Matching a file's columns with the contract's.

A contract column is found by its exact name first. When it is missing but exactly one
column has the same name up to case and surrounding spaces (`Customer_ID`, `customer_id `),
that column is renamed to the contract's name and the loader reports the renaming: exports
from other systems capitalise freely, and refusing them would only make people rename by
hand. Two such candidates are ambiguous and refused. Other columns are kept as they are
(extra columns, unused by the models), unless they would clash in DuckDB, whose column names
are case-insensitive: two names that differ only in case, or a loader column's name
(`_row_id`...), are refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from chs.errors import UserError
from chs.raw_tables import LOADER_COLUMNS, RawTable


@dataclass(frozen=True)
class ColumnMatch:
    """Each file column with its name in the raw table, in file order."""

    columns: tuple[tuple[str, str], ...]  # (name in the file, name in the raw table)
    extra: tuple[str, ...]  # file columns not in the contract
    renamed: tuple[tuple[str, str], ...]  # (name in the file, contract name)


def _folded(name: str) -> str:
    return name.strip().lower()


def match_columns(spec: RawTable, names: Sequence[str], label: str, hint: str = "") -> ColumnMatch:
    """Match `names` (a file's columns) with the contract of `spec`, or raise a UserError."""
    target = {name: name for name in names if name in spec.columns}
    missing, ambiguous = [], []
    for column in spec.columns:
        if column in target.values():
            continue
        found = [n for n in names if n not in target and _folded(n) == column]
        if len(found) == 1:
            target[found[0]] = column
        elif found:
            ambiguous.append(f"{column} (found {' and '.join(found)})")
        elif column not in spec.optional:
            missing.append(column)
    if ambiguous:
        raise UserError(
            f"{label}: more than one spelling of column(s) {'; '.join(ambiguous)}; keep one"
        )
    if missing:
        raise UserError(f"{label}: missing column(s) {', '.join(missing)}{hint}")
    columns = tuple((name, target.get(name, name)) for name in names)
    seen: dict[str, str] = {}
    for _, column in columns:
        if column.lower() in seen or column.lower() in LOADER_COLUMNS:
            other = seen.get(column.lower(), "the loader's own column")
            raise UserError(
                f"{label}: column {column} clashes with {other} (names are compared"
                " case-insensitively); rename or drop one"
            )
        seen[column.lower()] = column
    return ColumnMatch(
        columns=columns,
        extra=tuple(name for name in names if name not in target),
        renamed=tuple((name, column) for name, column in target.items() if name != column),
    )
