"""The scoring and staging rules Python needs, read from the project's seeds (never copied).

dbt loads the same files as seeds, so SQL and Python share one definition:
- seeds/score_bands.csv: the colour bands (a score takes the band with the highest min_score
  at or below it);
- seeds/category_aliases.csv: the spellings of each categorical value staging accepts, matched
  on lower(trim(raw value)).
"""

from __future__ import annotations

import csv
from pathlib import Path

from chs.dbt import PROJECT_DIR
from chs.errors import UserError

# The band of a week without a score. It is not a row of score_bands.csv: the scoring model
# writes it when no band applies (models/intermediate/scoring/int_customer_health_weekly.sql).
NOT_SCORED = "not_scored"


def _rows(project_dir: Path, seed: str, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """The rows of seeds/<seed>.csv, refused in one line when the file or a column is missing."""
    path = project_dir / "seeds" / f"{seed}.csv"
    try:
        with path.open(newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [column for column in columns if column not in (reader.fieldnames or [])]
            if missing:
                raise UserError(f"{path}: missing column(s) {', '.join(missing)}")
            return list(reader)
    except OSError as exc:
        raise UserError(f"{path}: cannot read the seed ({exc.strerror})") from None


def bands(project_dir: Path = PROJECT_DIR) -> list[str]:
    """Band names from the lowest min_score to the highest, then NOT_SCORED."""
    path = project_dir / "seeds" / "score_bands.csv"
    rows = _rows(project_dir, "score_bands", ("band", "min_score"))
    try:
        ordered = sorted(rows, key=lambda row: float(row["min_score"]))
    except ValueError as exc:
        raise UserError(f"{path}: min_score is not a number ({exc})") from None
    return [row["band"] for row in ordered] + [NOT_SCORED]


def category_spellings(project_dir: Path = PROJECT_DIR) -> dict[str, list[str]]:
    """Accepted raw spellings (lower case, trimmed) of each category, in seed order."""
    rows = _rows(project_dir, "category_aliases", ("category", "raw_value", "standard_value"))
    spellings: dict[str, list[str]] = {}
    for row in rows:
        spellings.setdefault(row["category"], []).append(row["raw_value"])
    return spellings
