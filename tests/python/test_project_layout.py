"""The raw contract is defined once, in scripts/chs/raw_tables.py; what restates it agrees.

The generator writes its raw files with the contract's schemas (tests/python/test_generator.py
checks the files). dbt needs its own sources yml and people read docs/raw_data.md: both are
checked here against the contract, and the documented truth tables against the generator's.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import yaml
from chs.generator import TRUTH_TABLES
from chs.loading.warehouse import PRESENCE, PRESENCE_COLUMNS
from chs.raw_tables import COLUMN_TYPES, LOADER_COLUMNS, RAW_TABLES

PROJECT = Path(__file__).resolve().parents[2]
# DuckDB type of a raw column after loading, for sources that declare a data_type
DUCKDB_TYPES = {"string": "varchar", "int64": "bigint", "double": "double", "bool": "boolean"}


def _sources() -> dict[tuple[str, str], dict]:
    """Every table of models/staging/*/_*__sources.yml by (source, table)."""
    tables = {}
    for path in (PROJECT / "models" / "staging").glob("*/_*__sources.yml"):
        for source in yaml.safe_load(path.read_text())["sources"]:
            for table in source["tables"]:
                tables[(source["name"], table["name"])] = table
    return tables


def _documented_columns() -> dict[str, list[tuple[str, str]]]:
    """The `| column | type | description |` tables of docs/raw_data.md by their heading."""
    tables: dict[str, list[tuple[str, str]]] = {}
    heading, rows = None, None
    for line in (PROJECT / "docs" / "raw_data.md").read_text().splitlines():
        if line.startswith("#"):
            heading, rows = line.lstrip("#").strip().removesuffix(".parquet"), None
        elif line.startswith("| column | type |") and heading:
            rows = tables.setdefault(heading, [])
        elif line.startswith("|") and rows is not None:
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            if not set(cells[0]) <= {"-", " "}:
                rows.extend((column, cells[1]) for column in cells[0].split(", "))
        else:
            rows = None
    return tables


def _arrow_name(documented: str) -> str:
    """'timestamp string (Z)' and 'date string' are strings in the files."""
    return "string" if "string" in documented.split() else documented


def test_contract_names_and_types_are_well_formed():
    assert len({spec.table for spec in RAW_TABLES}) == len(RAW_TABLES)  # the generator's keys
    assert len({spec.relation for spec in RAW_TABLES}) == len(RAW_TABLES)
    for spec in RAW_TABLES:
        assert len(set(spec.columns)) == len(spec.columns), spec.relation
        assert spec.key in spec.columns
        assert not set(spec.columns) & set(LOADER_COLUMNS), spec.relation
    for kind in COLUMN_TYPES:
        assert str(pa.type_for_alias(kind)) == kind


def test_dbt_sources_declare_every_raw_table():
    declared = {key: table["identifier"] for key, table in _sources().items()}
    # The loader's own record of what it loaded is a source of the models too.
    presence = declared.pop(("loader", "source_presence"))
    assert presence == PRESENCE
    assert declared == {(spec.source, spec.table): spec.relation for spec in RAW_TABLES}


def test_dbt_source_of_the_presence_table_lists_the_loaders_columns():
    columns = [column["name"] for column in _sources()[("loader", "source_presence")]["columns"]]
    assert columns == [name for name, _ in PRESENCE_COLUMNS]


def test_dbt_sources_declare_only_contract_columns():
    sources = _sources()
    for spec in RAW_TABLES:
        allowed = {column: DUCKDB_TYPES[kind] for column, kind in spec.fields}
        for column in sources[(spec.source, spec.table)].get("columns", []):
            name = column["name"]
            assert name in allowed or name in LOADER_COLUMNS, (spec.relation, name)
            if "data_type" in column and name in allowed:
                assert column["data_type"].lower() == allowed[name], (spec.relation, name)


def test_docs_list_the_contract_columns_and_types():
    documented = _documented_columns()
    for spec in RAW_TABLES:
        columns = [(c, _arrow_name(t)) for c, t in documented[f"{spec.source}/{spec.table}"]]
        assert columns == list(spec.fields), spec.file


def test_docs_list_the_truth_columns_and_types():
    documented = _documented_columns()
    for name, schema in TRUTH_TABLES.items():
        columns = [(c, _arrow_name(t)) for c, t in documented[name]]
        assert columns == [(f.name, str(f.type)) for f in schema], name


def test_docs_mark_the_required_and_the_optional_tables():
    """Under each table's heading, docs/raw_data.md says **Required.** or **Optional.**"""
    lines = (PROJECT / "docs" / "raw_data.md").read_text().splitlines()
    for spec in RAW_TABLES:
        after = lines[lines.index(f"### {spec.stem}") + 1 :]
        first = next(line for line in after if line.strip())
        assert first == ("**Required.**" if spec.required else "**Optional.**"), spec.stem
