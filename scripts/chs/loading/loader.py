"""load_raw: find, check and load the raw tables of a company's export."""

from __future__ import annotations

import tempfile
from collections.abc import Collection, Sequence
from datetime import UTC, datetime
from pathlib import Path

from chs.errors import UserError
from chs.landed import provided_by, tables_to_load
from chs.loading.csv_files import CsvOptions
from chs.loading.inputs import TableInput, find_input
from chs.loading.tables import CheckedTable, check_table
from chs.loading.warehouse import LoadResult, write_load
from chs.raw_tables import RAW_TABLES, RawTable


def resolve_disabled(disabled: Collection[str]) -> set[str]:
    """Relations switched off by the user (`support_tickets` or `support.tickets`)."""
    if isinstance(disabled, str):  # one name, not its letters
        disabled = [disabled]
    by_name = {spec.relation: spec for spec in RAW_TABLES}
    by_name |= {spec.name: spec for spec in RAW_TABLES}
    found: set[str] = set()
    for name in disabled:
        spec = by_name.get(name)
        if spec is None:
            known = ", ".join(spec.relation for spec in RAW_TABLES if not spec.required)
            raise UserError(f"cannot disable {name!r}: not a raw table (optional ones: {known})")
        if spec.required:
            raise UserError(f"cannot disable {spec.relation}: {spec.name} is required")
        found.add(spec.relation)
    return found


def _required_input(raw_dir: Path, spec: RawTable, found: TableInput | None) -> None:
    if spec.required and found is None:
        raise UserError(
            f"{raw_dir / spec.stem}.parquet: missing raw file for required table {spec.name}"
            f" (give {spec.table}.parquet, {spec.table}.csv or a folder {spec.table}/ of parts)"
        )


def _required_rows(spec: RawTable, table: CheckedTable) -> None:
    if spec.required and table.rows == 0:
        what = "the file has" if table.input.folder is None else "the parts have"
        raise UserError(f"{table.input.label}: {what} no rows; {spec.name} cannot be empty")


def load_raw(
    raw_dir: Path,
    database: Path,
    schema: str = "raw",
    loaded_at: datetime | None = None,
    *,
    disabled: Collection[str] = (),
    csv: CsvOptions | None = None,
    vendors: Sequence[str] = (),
) -> list[LoadResult]:
    """Load every raw table of `raw_dir` into `schema` of the DuckDB file `database`.

    Each table is a Parquet file, a CSV file or a folder of parts (chs.loading.inputs).
    `vendors` names source adapters (chs.landed): the tables they deliver are not read from
    the raw contract's files but from the vendor's landed tables (`<raw_dir>/stripe/...`).
    Optional tables not delivered, and those in `disabled`, are created empty and recorded
    absent in `<schema>._source_presence`. Every input is checked before the warehouse is
    opened; the load itself is one transaction. Returns one result per raw table.
    """
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise UserError(f"{raw_dir}: raw data folder does not exist")
    switched_off = resolve_disabled(disabled)
    csv = csv or CsvOptions()
    specs = tables_to_load(vendors)
    provided = {
        name: (adapter.vendor, adapter.provides[name])
        for name, adapter in provided_by(vendors).items()
    }
    for name, (_, parts) in provided.items():  # a table switched off: its landed ones too
        if name.replace(".", "_") in switched_off:
            switched_off |= {part.replace(".", "_") for part in parts}
    inputs: dict[str, TableInput] = {}
    for spec in specs:
        if spec.relation in switched_off:
            continue  # treated as absent: its files, if any, are not even looked at
        found = find_input(raw_dir, spec)
        _required_input(raw_dir, spec, found)
        if found is not None:
            inputs[spec.relation] = found
    loaded_at = (loaded_at or datetime.now(UTC)).replace(tzinfo=None, microsecond=0)
    with tempfile.TemporaryDirectory(prefix="chs-load-") as scratch:
        checked = {}
        for relation, found in inputs.items():
            checked[relation] = check_table(raw_dir, found, csv, Path(scratch))
            _required_rows(found.spec, checked[relation])
        return write_load(Path(database), schema, loaded_at, checked, switched_off, specs, provided)
