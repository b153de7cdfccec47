"""What a validation run reports: one outcome per expectation, grouped into suites."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class ExpectationOutcome:
    """One expectation's combined result, in words and as GX reported it."""

    check: str  # the frame it ran on: columns, rows, profile, comparison, ...
    expectation: str  # GX expectation type, e.g. expect_column_values_to_be_between
    column: str | None
    success: bool
    observed: str
    expected: str
    result: dict[str, Any] = field(default_factory=dict)
    sample: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "expectation": self.expectation,
            "column": self.column,
            "success": self.success,
            "observed": self.observed,
            "expected": self.expected,
            "result": self.result,
            "sample": self.sample,
        }


@dataclass(frozen=True)
class SuiteResult:
    """All expectations about one table (or one comparison), across the frames they ran on."""

    name: str
    outcomes: list[ExpectationOutcome]

    @property
    def success(self) -> bool:
        return all(outcome.success for outcome in self.outcomes)

    @property
    def failures(self) -> list[ExpectationOutcome]:
        return [outcome for outcome in self.outcomes if not outcome.success]


@dataclass
class ValidationReport:
    stage: str
    database: Path
    suite_results: list[SuiteResult]
    success: bool
    json_path: Path
    html_dir: Path

    def summary(self) -> str:
        """Failing suites with each failed expectation (observed vs expected); passing: a line."""
        failed = [suite for suite in self.suite_results if not suite.success]
        verdict = "passed" if self.success else "FAILED"
        lines = [
            f"Validation of the {self.stage} data in {self.database}: {verdict}"
            f" ({len(self.suite_results) - len(failed)} of {len(self.suite_results)} suites passed)"
        ]
        for suite in failed:
            lines.append(
                f"FAIL {suite.name}: {len(suite.failures)} of {len(suite.outcomes)}"
                " expectations failed"
            )
            for outcome in suite.failures:
                column = f" on column {outcome.column}" if outcome.column else ""
                lines.append(f"  - {outcome.expectation}{column} [{outcome.check}]")
                lines.append(f"      observed: {outcome.observed}")
                lines.append(f"      expected: {outcome.expected}")
                for row in outcome.sample[:5]:
                    values = ", ".join(f"{key}={value}" for key, value in row.items())
                    lines.append(f"      e.g. {values}")
        for suite in self.suite_results:
            if suite.success:
                lines.append(f"ok   {suite.name} ({len(suite.outcomes)} expectations)")
        lines.append(f"Results:   {self.json_path}")
        lines.append(f"Data Docs: {self.html_dir / 'index.html'}")
        return "\n".join(lines)


def write_report(
    stage: str,
    database: Path,
    suites: list[SuiteResult],
    report_dir: Path,
    html_dir: Path,
    run_time: datetime,
) -> ValidationReport:
    """Write the run's results as JSON (this run's file and latest-<stage>.json)."""
    success = all(suite.success for suite in suites)
    stamp = run_time.strftime("%Y%m%dT%H%M%SZ")
    json_path = report_dir / f"validation-{stage}-{stamp}.json"
    serial = 1
    while json_path.exists():  # two runs within one second
        serial += 1
        json_path = report_dir / f"validation-{stage}-{stamp}-{serial}.json"
    document = {
        "stage": stage,
        "database": str(database),
        "run_time": run_time.isoformat(),
        "success": success,
        "data_docs": str(html_dir / "index.html"),
        "suites": [
            {
                "name": suite.name,
                "success": suite.success,
                "expectations": [outcome.as_dict() for outcome in suite.outcomes],
            }
            for suite in suites
        ],
    }
    text = json.dumps(document, indent=2, default=str) + "\n"
    json_path.write_text(text)
    (report_dir / f"latest-{stage}.json").write_text(text)
    return ValidationReport(stage, database, suites, success, json_path, html_dir)
