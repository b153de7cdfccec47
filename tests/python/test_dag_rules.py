"""The DAG's one-way rules, read from the models' own SQL: sources -> staging -> intermediate
-> marts, and a mart never reads another mart's business logic (dimensions excepted)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
MODELS = PROJECT / "models"
REF = re.compile(r"\bref\(\s*'([a-z0-9_]+)'\s*\)")
SOURCE = re.compile(r"\bsource\(")


def _models() -> dict[str, Path]:
    return {path.stem: path.relative_to(MODELS) for path in MODELS.rglob("*.sql")}


def _layer(path: Path) -> str:
    return path.parts[0]


def _refs(path: Path) -> set[str]:
    return set(REF.findall((MODELS / path).read_text()))


MODEL_PATHS = _models()


def test_the_rules_see_every_layer():
    layers = {_layer(path) for path in MODEL_PATHS.values()}
    assert layers == {"staging", "intermediate", "marts"}
    # The parser finds refs: the weekly mart reads the intermediate score.
    assert "int_customer_health_weekly" in _refs(MODEL_PATHS["fct_customer_health_weekly"])


@pytest.mark.parametrize(
    "name", sorted(n for n, p in MODEL_PATHS.items() if _layer(p) == "intermediate")
)
def test_intermediate_models_read_only_staging_and_intermediate(name):
    path = MODEL_PATHS[name]
    assert not SOURCE.search((MODELS / path).read_text()), f"{name} reads a source"
    upstream = {ref: MODEL_PATHS[ref] for ref in _refs(path) if ref in MODEL_PATHS}
    marts = sorted(ref for ref, ref_path in upstream.items() if _layer(ref_path) == "marts")
    assert not marts, f"{name} (intermediate) reads marts {marts}"


@pytest.mark.parametrize("name", sorted(n for n, p in MODEL_PATHS.items() if _layer(p) == "marts"))
def test_marts_read_no_other_fact_mart(name):
    path = MODEL_PATHS[name]
    assert not SOURCE.search((MODELS / path).read_text()), f"{name} reads a source"
    facts = sorted(
        ref
        for ref in _refs(path)
        if ref in MODEL_PATHS and _layer(MODEL_PATHS[ref]) == "marts" and not ref.startswith("dim_")
    )
    assert not facts, f"{name} reads the marts {facts}"


@pytest.mark.parametrize(
    "name", sorted(n for n, p in MODEL_PATHS.items() if _layer(p) == "staging")
)
def test_staging_models_read_no_later_layer(name):
    upstream = [MODEL_PATHS[ref] for ref in _refs(MODEL_PATHS[name]) if ref in MODEL_PATHS]
    assert all(_layer(ref_path) == "staging" for ref_path in upstream), name
