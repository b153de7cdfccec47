"""Great Expectations gates (scripts/chs/validation/) on a warehouse built by the real pipeline.

The pipeline runs once for the module on a small generated company; every other case is a
copy of its DuckDB file with one thing broken on purpose. What dbt's tests check in the marts
(grain, ranges, accepted bands, bands matching scores, contributions) is tested by dbt, not
here: the mart gate keeps only the comparison with the last publication and the checks no
dbt test makes.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from chs.errors import UserError
from chs.raw_tables import RAW_TABLES
from chs.registry import category_spellings
from chs.validation import ValidationReport, validate_marts, validate_raw
from chs.validation.raw import RAW_CATEGORIES, TIMESTAMP_PATTERN, standardised

ROOT = Path(__file__).resolve().parents[2]
CHUNK_ROWS = 5000  # small, so the larger tables are validated in several chunks


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("validation_pipeline")
    database = tmp / "w.duckdb"
    command = [
        sys.executable,
        "scripts/run_pipeline.py",
        "--customers", "80",
        "--start", "2025-06-02",
        "--end", "2025-10-26",
        "--seed", "3",
        "--raw-dir", str(tmp / "raw"),
        "--truth-dir", str(tmp / "truth"),
        "--database", str(database),
        "--work-dir", str(tmp),
    ]  # fmt: skip
    # Keep validation reports and the publication of this run out of the project's build/.
    pipeline = (ROOT / "scripts" / "run_pipeline.py").read_text()
    for option, folder in (("--report-dir", "validation"), ("--serving-dir", "serving")):
        if option in pipeline:
            command += [option, str(tmp / folder)]
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return database


def _broken_copy(source: Path, target: Path, *statements: str) -> Path:
    shutil.copy(source, target)
    with duckdb.connect(str(target)) as con:
        for statement in statements:
            con.execute(statement)
    return target


def _failures(report: ValidationReport) -> list[tuple[str, str, str, str | None]]:
    return [
        (suite.name, outcome.check, outcome.expectation, outcome.column)
        for suite in report.suite_results
        for outcome in suite.failures
    ]


@pytest.fixture(scope="module")
def empty_mart(warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Marts with no components at all (dbt's tests pass on an empty table)."""
    return _broken_copy(
        warehouse,
        tmp_path_factory.mktemp("empty_mart") / "w.duckdb",
        "delete from marts.fct_customer_health_components",
    )


def test_raw_validation_passes_on_demo_data_and_writes_reports(warehouse, tmp_path):
    report = validate_raw(warehouse, tmp_path / "reports", chunk_rows=CHUNK_ROWS)

    assert report.success, report.summary()
    names = {suite.name for suite in report.suite_results}
    assert {"raw.tables", "raw.surveys_survey_responses", "raw.product_usage_events"} <= names
    assert report.summary().startswith("Validation of the raw data")
    assert "ok   raw.surveys_survey_responses" in report.summary()
    # Results as JSON (this run's file and latest-raw.json) and GX Data Docs.
    assert report.json_path.parent == (tmp_path / "reports").resolve()
    assert report.json_path.name.startswith("validation-raw-")
    saved = json.loads(report.json_path.read_text())
    assert saved["success"] is True
    assert {suite["name"] for suite in saved["suites"]} == names
    assert json.loads((tmp_path / "reports" / "latest-raw.json").read_text()) == saved
    assert report.html_dir == (tmp_path / "reports" / "data_docs").resolve()
    index = (report.html_dir / "index.html").read_text()
    assert "raw.surveys_survey_responses.rows" in index


def test_raw_validation_fails_when_most_scores_are_out_of_range(warehouse, tmp_path):
    broken = _broken_copy(
        warehouse,
        tmp_path / "w.duckdb",
        "update raw.surveys_survey_responses set score = 42 where _row_id % 10 <> 0",
    )
    report = validate_raw(broken, tmp_path / "reports", chunk_rows=CHUNK_ROWS)

    assert not report.success
    assert _failures(report) == [
        ("raw.surveys_survey_responses", "rows", "expect_column_values_to_be_between", "score")
    ]
    summary = report.summary()
    assert "FAIL raw.surveys_survey_responses" in summary
    assert "expect_column_values_to_be_between on column score" in summary
    assert "expected: between -1 and 11, for at least 95% of the non-null values" in summary
    assert "ok   raw.crm_customers" in summary


def test_raw_mostly_is_decided_on_the_whole_table_not_per_chunk(warehouse, tmp_path):
    # The first chunk of usage events is mostly broken, the table as a whole only a little:
    # 3,000 bad timestamps and 2,000 missing customer ids in about 38,000 rows.
    broken = _broken_copy(
        warehouse,
        tmp_path / "w.duckdb",
        "update raw.product_usage_events set occurred_at = 'garbage' where _row_id <= 3000",
        "update raw.product_usage_events set customer_id = null where _row_id <= 2000",
    )
    with duckdb.connect(str(broken), read_only=True) as con:
        rows, bad = con.execute(
            "select count(*), count(*) filter (where not regexp_full_match(occurred_at, ?))"
            " from raw.product_usage_events",
            [TIMESTAMP_PATTERN],
        ).fetchone()
    assert rows > 4 * CHUNK_ROWS

    report = validate_raw(broken, tmp_path / "reports", chunk_rows=CHUNK_ROWS)

    assert report.success, report.summary()
    events = next(s for s in report.suite_results if s.name == "raw.product_usage_events")
    regex = next(
        o for o in events.outcomes if o.column == "occurred_at" and "regex" in o.expectation
    )
    # Counts are added up over the chunks: exactly what DuckDB counts over the table.
    assert regex.result["result"]["unexpected_count"] == bad
    assert regex.result["result"]["element_count"] == rows


def test_raw_categories_are_read_as_staging_reads_them_from_the_seed(warehouse, tmp_path):
    # Every business_type in another spelling (staging matches lower(trim(value))), and most
    # segments a value seeds/category_aliases.csv does not know.
    broken = _broken_copy(
        warehouse,
        tmp_path / "w.duckdb",
        "update raw.crm_customers set business_type = ' ' || upper(business_type) || '  '",
        "update raw.crm_customers set segment = 'Platinum' where _row_id % 10 <> 0",
    )
    report = validate_raw(broken, tmp_path / "reports", chunk_rows=CHUNK_ROWS)

    assert _failures(report) == [
        ("raw.crm_customers", "rows", "expect_column_values_to_be_in_set", "lower(trim(segment))")
    ]
    assert "e.g. platinum" in report.summary()

    # The seed is the only list of spellings: adding one there is all the raw gate needs.
    project = tmp_path / "project"
    shutil.copytree(ROOT / "seeds", project / "seeds")
    with (project / "seeds" / "category_aliases.csv").open("a") as handle:
        handle.write("segment,platinum,enterprise\n")
    report = validate_raw(broken, tmp_path / "reports", chunk_rows=CHUNK_ROWS, project_dir=project)
    assert report.success, report.summary()


def test_raw_categories_are_wired_to_the_seed_categories_staging_joins():
    """RAW_CATEGORIES names, per closed raw column (checked with category_checks, not
    open_category_checks), the category its base model joins the seed with."""
    joined: dict[str, dict[str, str]] = {}
    for path in (ROOT / "models" / "staging").glob("**/*.sql"):
        sql = path.read_text()
        closed = set(re.findall(r"(?<!open_)category_checks\(\s*'(\w+)'", sql))
        joins = re.findall(r"category_alias_join\(\s*'(\w+)'\s*,\s*'(\w+)'", sql)
        joins = [(column, category) for column, category in joins if column in closed]
        if joins:
            (source, table) = re.findall(r"(?:source|raw_table)\(\s*'(\w+)'\s*,\s*'(\w+)'", sql)[0]
            joined.setdefault(f"{source}_{table}", {}).update(joins)
    assert joined == RAW_CATEGORIES
    columns = {spec.relation: spec.columns for spec in RAW_TABLES}
    categories = category_spellings()
    for relation, wired in RAW_CATEGORIES.items():
        assert set(wired) <= set(columns[relation])
        assert set(wired.values()) <= set(categories)
    assert standardised("segment") == "lower(trim(segment))"


def test_marts_validation_passes_and_matches_itself_as_previous_run(warehouse, tmp_path):
    report = validate_marts(
        warehouse, tmp_path / "reports", previous=warehouse, chunk_rows=CHUNK_ROWS
    )

    assert report.success, report.summary()
    assert [suite.name for suite in report.suite_results] == [
        "marts.tables",
        "marts.fct_customer_health_weekly",
        "marts.fct_customer_health_current",
        "marts.fct_customer_health_components",
        "marts.distribution_vs_previous",
    ]
    # One measure per band of seeds/score_bands.csv plus not_scored, and the customers.
    comparison = report.suite_results[-1]
    assert [(o.expectation, o.observed) for o in comparison.outcomes][0] == (
        "expect_table_row_count_to_equal",
        "5 rows",
    )
    assert (tmp_path / "reports" / "latest-marts.json").is_file()
    assert (report.html_dir / "index.html").is_file()


def test_marts_validation_fails_on_an_empty_mart(empty_mart, tmp_path):
    report = validate_marts(empty_mart, tmp_path / "reports", chunk_rows=CHUNK_ROWS)

    assert _failures(report) == [
        (
            "marts.fct_customer_health_components",
            "profile",
            "expect_column_values_to_be_between",
            "row_count",
        ),
    ]
    summary = report.summary()
    assert "FAIL marts.fct_customer_health_components" in summary
    assert "expected: >= 1" in summary


def test_marts_validation_fails_when_bands_moved_against_previous(warehouse, tmp_path):
    # In the previous publication, half of the latest week's green customers were red.
    previous = _broken_copy(
        warehouse,
        tmp_path / "previous.duckdb",
        "update marts.fct_customer_health_weekly set health_band = 'red'"
        " where health_band = 'green' and hash(customer_id) % 2 = 0"
        " and week_start = (select max(week_start) from marts.fct_customer_health_weekly)",
    )
    report = validate_marts(warehouse, tmp_path / "reports", previous=previous)

    assert _failures(report) == [
        (
            "marts.distribution_vs_previous",
            "comparison",
            "expect_column_values_to_be_between",
            "relative_move",
        )
    ]
    comparison = report.suite_results[-1].failures[0]
    moved = {row["measure"]: row["relative_move"] for row in comparison.sample}
    assert moved["green_share_latest_week"] > 0.5
    assert moved["red_share_latest_week"] > 0.5
    assert moved["yellow_share_latest_week"] == 0
    assert moved["not_scored_share_latest_week"] == 0
    assert moved["customers_in_current_mart"] == 0


def test_marts_validation_fails_when_the_latest_week_moves_back(warehouse, tmp_path):
    # The previous publication ran two weeks further: every week of it two weeks later, so
    # the bands and customers match but this build's latest week is two weeks earlier.
    previous = _broken_copy(
        warehouse,
        tmp_path / "previous.duckdb",
        "update marts.fct_customer_health_weekly set week_start = week_start + interval 14 day",
    )
    report = validate_marts(warehouse, tmp_path / "reports", previous=previous)

    assert _failures(report) == [
        (
            "marts.distribution_vs_previous",
            "latest_week",
            "expect_column_values_to_be_between",
            "weeks_moved",
        )
    ]
    assert report.suite_results[-1].failures[0].sample == [{"weeks_moved": -2}]


@pytest.mark.parametrize(
    "change",
    [
        "delete from marts.fct_customer_health_current where hash(customer_id) % 2 = 0",
        "insert into marts.fct_customer_health_current"
        " select * from marts.fct_customer_health_current",
    ],
    ids=["previous_has_half", "previous_has_double"],
)
def test_marts_validation_fails_when_customers_moved_against_previous(warehouse, tmp_path, change):
    previous = _broken_copy(warehouse, tmp_path / "previous.duckdb", change)
    report = validate_marts(warehouse, tmp_path / "reports", previous=previous)

    assert _failures(report) == [
        (
            "marts.distribution_vs_previous",
            "comparison",
            "expect_column_values_to_be_between",
            "relative_move",
        )
    ]
    comparison = report.suite_results[-1].failures[0]
    moved = {row["measure"]: row["relative_move"] for row in comparison.sample}
    assert moved["red_share_latest_week"] == 0
    assert moved["green_share_latest_week"] == 0
    assert moved["customers_in_current_mart"] > 0.5


def test_usage_errors_raise_user_error(warehouse, tmp_path):
    with pytest.raises(UserError, match="does not exist"):
        validate_raw(tmp_path / "missing.duckdb", tmp_path / "reports")
    with pytest.raises(UserError, match="previous"):
        validate_marts(warehouse, tmp_path / "reports", previous=tmp_path / "missing.duckdb")


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "scripts/validate.py", *args, "--quiet"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )


def test_cli_exits_1_with_a_readable_summary_on_a_broken_file(empty_mart, tmp_path):
    run = _cli("marts", "--database", str(empty_mart), "--report-dir", str(tmp_path))

    assert run.returncode == 1
    assert "Traceback" not in run.stdout + run.stderr
    assert "FAIL marts.fct_customer_health_components" in run.stdout
    assert "row_count" in run.stdout
    assert (tmp_path / "latest-marts.json").is_file()


def test_cli_exits_0_on_a_good_file_and_1_on_a_missing_one(warehouse, tmp_path):
    run = _cli("raw", "--database", str(warehouse), "--report-dir", str(tmp_path))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Validation of the raw data" in run.stdout
    assert "passed" in run.stdout

    missing = _cli(
        "raw", "--database", str(tmp_path / "nope.duckdb"), "--report-dir", str(tmp_path)
    )
    assert missing.returncode == 1
    assert missing.stderr.strip().startswith("error: ")
    assert "Traceback" not in missing.stderr
