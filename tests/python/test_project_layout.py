"""The lists of raw tables kept in three places agree: loader, generator and dbt sources."""

from __future__ import annotations

from pathlib import Path

import generate_data
import yaml
from chs.raw_tables import RAW_TABLES

PROJECT = Path(__file__).resolve().parents[2]


def test_generator_writes_the_columns_the_loader_needs():
    generated = {
        f"{source}/{name}": [column for column, _ in columns]
        for name, (source, columns) in generate_data.RAW_TABLES.items()
    }
    assert set(generated) == {spec.file.removesuffix(".parquet") for spec in RAW_TABLES}
    for spec in RAW_TABLES:
        assert generated[spec.file.removesuffix(".parquet")] == list(spec.columns)


def test_dbt_sources_declare_every_raw_table():
    declared = set()
    for path in (PROJECT / "models" / "staging").glob("*/_*__sources.yml"):
        for source in yaml.safe_load(path.read_text())["sources"]:
            for table in source["tables"]:
                declared.add((source["name"], table["name"], table["identifier"]))
    assert declared == {(spec.source, spec.table, spec.relation) for spec in RAW_TABLES}
