"""Running GX on frames DuckDB computes, with row-level checks streamed in chunks.

Row-level expectations (nulls, ranges, allowed values, types, formats) run chunk by chunk on a
stream of Arrow record batches (`chunk_rows` rows each), so memory stays bounded however large
the table. The per-chunk GX results are combined into one result per expectation: element,
missing and unexpected counts are added up and `mostly` is decided on the totals, so a chunk's
failure fails the expectation only when the whole table does.

Suites, results and Data Docs live in a file-backed GX project in the report folder (`gx/`,
`data_docs/`), never in the repository.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import great_expectations as gx
import great_expectations.expectations as gxe
import pandas as pd
import pyarrow as pa
from great_expectations.core import ExpectationSuiteValidationResult, ExpectationValidationResult
from great_expectations.core.run_identifier import RunIdentifier
from great_expectations.data_context.types.base import ProgressBarsConfig
from great_expectations.data_context.types.resource_identifiers import (
    ExpectationSuiteIdentifier,
    ValidationResultIdentifier,
)

from chs.validation.checks import Check

SAMPLE_ROWS = 20  # unexpected values (and rows of a failing aggregate frame) kept in the report
DATA_DOCS_SITE = "chs_data_docs"


def _pandas_dtype(arrow_type: pa.DataType) -> object | None:
    """Nullable pandas dtypes, so a column's dtype does not depend on the chunk's nulls."""
    if pa.types.is_integer(arrow_type):
        return pd.Int64Dtype()
    if pa.types.is_boolean(arrow_type):
        return pd.BooleanDtype()
    if (
        pa.types.is_string(arrow_type)
        or pa.types.is_large_string(arrow_type)
        or pa.types.is_string_view(arrow_type)
    ):
        return pd.StringDtype()
    return None


def _to_pandas(data: pa.RecordBatch | pa.Table, offset: int = 0) -> pd.DataFrame:
    frame = data.to_pandas(types_mapper=_pandas_dtype)
    # Row positions across the whole stream, so GX's unexpected indexes point at real rows.
    frame.index = pd.RangeIndex(offset, offset + len(frame))
    return frame


def stream_frames(
    con: duckdb.DuckDBPyConnection, check: Check, chunk_rows: int
) -> Iterator[pd.DataFrame]:
    """The check's frame: whole, or in chunks of `chunk_rows` rows when the check is chunked."""
    result = con.execute(check.sql, list(check.params))
    if not check.chunked:
        yield _to_pandas(result.to_arrow_table())
        return
    reader = result.to_arrow_reader(chunk_rows)
    offset = 0
    for batch in reader:
        if batch.num_rows == 0:
            continue
        yield _to_pandas(batch, offset)
        offset += batch.num_rows
    if offset == 0:  # an empty table still gets its expectations evaluated
        yield _to_pandas(reader.schema.empty_table())


@dataclass
class _Tally:
    """One expectation's results over the chunks of a frame."""

    first: ExpectationValidationResult
    counted: bool = False  # a column-map expectation with element/unexpected counts
    success: bool = True
    result: dict[str, Any] = field(default_factory=dict)
    exception_info: dict[str, Any] | None = None
    element_count: int = 0
    missing_count: int = 0
    unexpected_count: int = 0
    partial_unexpected_list: list[Any] = field(default_factory=list)
    partial_unexpected_index_list: list[Any] = field(default_factory=list)
    partial_unexpected_counts: dict[str, list[Any]] = field(default_factory=dict)

    def add(self, chunk: ExpectationValidationResult) -> None:
        info = chunk.exception_info or {}
        if info.get("raised_exception") and self.exception_info is None:
            self.exception_info = info
        result = chunk.result or {}
        if "unexpected_count" in result:
            self.counted = True
            self.element_count += result.get("element_count") or 0
            self.missing_count += result.get("missing_count") or 0
            self.unexpected_count += result.get("unexpected_count") or 0
            room = SAMPLE_ROWS - len(self.partial_unexpected_list)
            self.partial_unexpected_list += list(result.get("partial_unexpected_list") or [])[:room]
            room = SAMPLE_ROWS - len(self.partial_unexpected_index_list)
            indexes = result.get("partial_unexpected_index_list") or []
            self.partial_unexpected_index_list += list(indexes)[:room]
            for item in result.get("partial_unexpected_counts") or []:
                key = repr(item["value"])
                if key in self.partial_unexpected_counts:
                    self.partial_unexpected_counts[key][1] += item["count"]
                elif len(self.partial_unexpected_counts) < SAMPLE_ROWS:
                    self.partial_unexpected_counts[key] = [item["value"], item["count"]]
        elif not self.result or (self.success and not chunk.success):
            self.result = dict(result)  # e.g. observed_value: kept from the first failing chunk
        self.success = self.success and bool(chunk.success)

    def finish(self) -> ExpectationValidationResult:
        config = self.first.expectation_config
        success = self.success
        result = self.result
        if self.counted:
            # Decide `mostly` on the totals, as GX would on the whole table.
            nonmissing = self.element_count - self.missing_count
            mostly = config.kwargs.get("mostly")
            mostly = 1.0 if mostly is None else float(mostly)
            share_ok = nonmissing == 0 or (nonmissing - self.unexpected_count) / nonmissing >= (
                mostly
            )
            success = share_ok if self.exception_info is None else False
            result = {
                "element_count": self.element_count,
                "unexpected_count": self.unexpected_count,
                "unexpected_percent": percent(self.unexpected_count, nonmissing),
                "partial_unexpected_list": self.partial_unexpected_list,
                "partial_unexpected_index_list": self.partial_unexpected_index_list,
                "partial_unexpected_counts": [
                    {"value": value, "count": count}
                    for value, count in self.partial_unexpected_counts.values()
                ],
            }
            if config.type != "expect_column_values_to_not_be_null":
                result["missing_count"] = self.missing_count
                result["missing_percent"] = percent(self.missing_count, self.element_count)
                result["unexpected_percent_total"] = percent(
                    self.unexpected_count, self.element_count
                )
                result["unexpected_percent_nonmissing"] = result["unexpected_percent"]
        elif self.exception_info is not None:
            success = False
        return ExpectationValidationResult(
            success=success,
            expectation_config=config,
            result=result,
            meta=self.first.meta,
            exception_info=self.exception_info
            or {"raised_exception": False, "exception_traceback": None, "exception_message": None},
        )


def percent(part: int, whole: int) -> float:
    """`part` as a percentage of `whole` (0 for an empty whole)."""
    return 100.0 * part / whole if whole else 0.0


class GxProject:
    """A file-backed GX project in the report folder: suites, results and Data Docs."""

    def __init__(self, report_dir: Path, run_name: str, run_time: datetime) -> None:
        self.html_dir = report_dir / "data_docs"
        self.context = gx.get_context(mode="file", project_root_dir=str(report_dir))
        self.context.enable_analytics(False)
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False)
        self.context.variables.save()
        sites = self.context.get_site_names()
        if "local_site" in sites:  # the default site would write inside gx/uncommitted
            self.context.delete_data_docs_site("local_site")
        if DATA_DOCS_SITE not in sites:
            self.context.add_data_docs_site(
                site_name=DATA_DOCS_SITE,
                site_config={
                    "class_name": "SiteBuilder",
                    "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                    "store_backend": {
                        "class_name": "TupleFilesystemStoreBackend",
                        "base_directory": str(self.html_dir.resolve()),
                    },
                },
            )
        source = self.context.data_sources.add_or_update_pandas("customer_health_frames")
        asset = source.add_dataframe_asset("frames")
        self.batch_definition = asset.add_batch_definition_whole_dataframe("whole_frame")
        self.run_id = RunIdentifier(run_name=run_name, run_time=run_time)

    def validate(
        self, suite_name: str, expectations: list[gxe.Expectation], frames: Iterator[pd.DataFrame]
    ) -> tuple[ExpectationSuiteValidationResult, pd.DataFrame | None, int]:
        """Validate every frame; return the combined result, the last frame and the row count."""
        suite = self.context.suites.add_or_update(
            gx.ExpectationSuite(name=suite_name, expectations=expectations)
        )
        tallies: list[_Tally] = []
        first: ExpectationSuiteValidationResult | None = None
        frame: pd.DataFrame | None = None
        rows = chunks = 0
        for frame in frames:
            batch = self.batch_definition.get_batch(batch_parameters={"dataframe": frame})
            chunk = batch.validate(suite, result_format="SUMMARY")
            if first is None:
                first = chunk
                tallies = [_Tally(first=result) for result in chunk.results]
            for tally, result in zip(tallies, chunk.results, strict=True):
                tally.add(result)
            rows += len(frame)
            chunks += 1
        assert first is not None  # stream_frames yields at least one frame
        results = [tally.finish() for tally in tallies]
        passed = sum(1 for result in results if result.success)
        combined = ExpectationSuiteValidationResult(
            success=passed == len(results),
            results=results,
            suite_name=suite.name,
            statistics={
                "evaluated_expectations": len(results),
                "successful_expectations": passed,
                "unsuccessful_expectations": len(results) - passed,
                "success_percent": percent(passed, len(results)) if results else 100.0,
            },
            meta={**first.meta, "chunks": chunks, "rows": rows},
        )
        if chunks > 1:  # the first chunk's fingerprint does not describe the whole frame
            combined.meta["batch_markers"] = {
                key: value
                for key, value in (first.meta.get("batch_markers") or {}).items()
                if key != "pandas_data_fingerprint"
            }
        combined.meta["run_id"] = self.run_id
        combined.meta["validation_time"] = self.run_id.run_time
        self.context.validation_results_store.store_validation_results(
            suite_validation_result=combined,
            suite_validation_result_identifier=ValidationResultIdentifier(
                expectation_suite_identifier=ExpectationSuiteIdentifier(name=suite.name),
                run_id=self.run_id,
                batch_identifier=f"{rows}-rows-in-{chunks}-chunks",
            ),
            expectation_suite_identifier=ExpectationSuiteIdentifier(name=suite.name),
        )
        return combined, frame, rows

    def build_data_docs(self) -> None:
        self.context.build_data_docs(site_names=[DATA_DOCS_SITE])
