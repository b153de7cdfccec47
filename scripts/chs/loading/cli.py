"""Command-line options of the load, shared by scripts/load_raw.py and scripts/run_pipeline.py."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from chs.loading.csv_files import CsvOptions
from chs.loading.warehouse import LoadResult
from chs.raw_tables import RAW_TABLES


def add_load_arguments(parser: argparse.ArgumentParser) -> None:
    optional = ", ".join(spec.relation for spec in RAW_TABLES if not spec.required)
    parser.add_argument(
        "--disable-source",
        action="append",
        default=[],
        metavar="RELATION",
        help=f"treat an optional raw table as absent even if delivered (repeatable): {optional}",
    )
    parser.add_argument(
        "--csv-delimiter", default=",", help="field delimiter of CSV files (default ','; 'tab')"
    )
    parser.add_argument(
        "--csv-encoding",
        default="utf-8",
        help="encoding of CSV files (default utf-8; e.g. latin-1, cp1252)",
    )


def csv_options(args: argparse.Namespace) -> CsvOptions:
    return CsvOptions(delimiter=args.csv_delimiter, encoding=args.csv_encoding)


def result_lines(results: Sequence[LoadResult], indent: str = "") -> list[str]:
    """One line per raw table: rows, status and what the user should know about its input."""
    lines = []
    for result in results:
        notes = []
        if result.status == "absent":
            notes.append("not delivered: loaded as an empty table")
        elif result.status == "disabled":
            notes.append("switched off with --disable-source: loaded as an empty table")
        else:
            notes.append(f"{result.file_format}: {result.source_files}")
        if result.provided_by != "native":
            notes.insert(0, f"delivered by the {result.provided_by} adapter")
        if result.renamed_columns:
            pairs = ", ".join(f"{name} -> {column}" for name, column in result.renamed_columns)
            notes.append(f"columns renamed to the contract's: {pairs}")
        if result.extra_columns:
            notes.append(f"extra columns kept in raw, unused: {', '.join(result.extra_columns)}")
        lines.append(
            f"{indent}{result.relation:<28}{result.rows:>12,} rows  {result.status:<9}"
            f"  ({'; '.join(notes)})"
        )
    return lines


def absent_line(results: Sequence[LoadResult]) -> str | None:
    """'absent sources: support.tickets, shop.orders (...)', or None when all are present."""
    # the identity map is no source of indicators: without it, adapters have nothing to map
    absent = [r.spec.name for r in results if not r.is_present and r.spec.source != "identity"]
    if not absent:
        return None
    return f"absent sources: {', '.join(absent)} (their indicators are missing, not zero)"
