"""Where each raw table's data is: one file, a folder of parts, or nothing (absent).

For the table `<source>/<table>` of the raw contract the loader accepts exactly one of
`<source>/<table>.parquet`, `<source>/<table>.csv` (extensions in any case) or a folder
`<source>/<table>/` of parts that are all `.parquet` or all `.csv`, read in sorted file-name
order. Names starting with `.` or `_` inside a folder are ignored (`_SUCCESS`, `.crc` files of
Spark and Hadoop). Any other file named `<table>.<something>` is refused rather than skipped:
a table silently treated as absent because its file had an unexpected extension would score
customers on missing data.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from chs.errors import UserError
from chs.raw_tables import RawTable

PARQUET, CSV = "parquet", "csv"
FORMATS = {".parquet": PARQUET, ".csv": CSV}


@dataclass(frozen=True)
class TableInput:
    """The delivered data of one raw table."""

    spec: RawTable
    file_format: str  # PARQUET or CSV
    parts: tuple[Path, ...]  # in read order; one for a single file
    folder: Path | None = None  # the folder of parts, None for a single file

    @property
    def label(self) -> str:
        """How messages name the input: the file, or the folder with a trailing slash."""
        return f"{self.folder}/" if self.folder else str(self.parts[0])


def _format_of(path: Path, suffix: str) -> str:
    kind = FORMATS.get(suffix.lower())
    if kind is None:
        raise UserError(f"{path}: neither Parquet (.parquet) nor CSV (.csv); rename or remove it")
    return kind


def _folder_input(spec: RawTable, folder: Path) -> TableInput:
    parts = sorted(
        (p for p in folder.iterdir() if not p.name.startswith((".", "_"))),
        key=lambda p: p.name,
    )
    if not parts:
        raise UserError(f"{folder}/: the folder has no parts (.parquet or .csv files)")
    for part in parts:
        if part.is_dir():
            raise UserError(f"{part}/: a folder inside the parts of {spec.name} is not read")
    kinds = {_format_of(part, part.suffix) for part in parts}
    if len(kinds) > 1:
        raise UserError(
            f"{folder}/: parts in two formats ({', '.join(sorted(kinds))});"
            " the parts of one table must all be Parquet or all CSV"
        )
    return TableInput(spec, kinds.pop(), tuple(parts), folder)


def find_input(raw_dir: Path, spec: RawTable) -> TableInput | None:
    """The table's input under `raw_dir`, or None when it was not delivered (no file, no folder).

    Raises a UserError for two candidates, an unknown extension or an unusable folder.
    """
    source_dir = raw_dir / spec.source
    if not source_dir.is_dir():
        return None
    candidates = sorted(
        (p for p in source_dir.iterdir() if p.name.split(".", 1)[0] == spec.table),
        key=lambda p: p.name,
    )
    if len(candidates) > 1:
        names = " and ".join(str(p) + ("/" if p.is_dir() else "") for p in candidates)
        raise UserError(f"two inputs for {spec.name}: {names}; keep exactly one")
    if not candidates:
        return None
    (found,) = candidates
    if found.is_dir():
        return _folder_input(spec, found)
    return TableInput(spec, _format_of(found, found.name[len(spec.table) :]), (found,))
