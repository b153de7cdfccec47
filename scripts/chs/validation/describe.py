"""GX results in words: what an expectation expected, what it observed, sample rows."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
from great_expectations.core import ExpectationValidationResult

from chs.validation.checks import FRAME_LIMIT
from chs.validation.gx import SAMPLE_ROWS, percent


def _number(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def expected_text(config: Any) -> str:
    """What an expectation (its GX configuration) asks for, in words."""
    kwargs = config.kwargs
    kind = config.type
    if kind == "expect_column_values_to_be_between":
        low, high = kwargs.get("min_value"), kwargs.get("max_value")
        if low is not None and high is not None:
            text = f"between {_number(low)} and {_number(high)}"
        elif low is not None:
            text = f">= {_number(low)}"
        else:
            text = f"<= {_number(high)}"
    elif kind == "expect_column_values_to_be_in_set":
        text = "one of " + ", ".join(map(str, kwargs.get("value_set") or []))
    elif kind == "expect_column_values_to_not_be_null":
        text = "not null"
    elif kind == "expect_column_values_to_match_regex":
        text = f"matching {kwargs.get('regex')}"
    elif kind == "expect_column_values_to_be_in_type_list":
        text = "dtype one of " + ", ".join(kwargs.get("type_list") or [])
    elif kind == "expect_table_row_count_to_equal":
        text = f"exactly {kwargs.get('value')} rows"
    elif kind == "expect_column_distinct_values_to_contain_set":
        text = "values include " + ", ".join(map(str, kwargs.get("value_set") or []))
    elif kind == "expect_table_columns_to_match_set":
        text = "columns include " + ", ".join(kwargs.get("column_set") or [])
    else:
        text = json.dumps({k: v for k, v in kwargs.items() if k != "batch_id"}, default=str)
    mostly = kwargs.get("mostly")
    if mostly is not None and mostly < 1:
        text += f", for at least {mostly:.0%} of the non-null values"
    return text


def observed_text(result: ExpectationValidationResult, chunked: bool) -> str:
    """What GX observed, in words: counts on a chunked frame, values on a small one."""
    info = result.exception_info or {}
    if info.get("raised_exception"):
        message = (info.get("exception_message") or "").strip().splitlines()
        return f"error: {message[-1] if message else 'exception while validating'}"
    config = result.expectation_config
    details = result.result or {}
    if "unexpected_count" in details:
        unexpected = details["unexpected_count"]
        if config.type == "expect_column_values_to_not_be_null":
            total = details.get("element_count", 0)
            return f"{unexpected:,} of {total:,} values null ({percent(unexpected, total):.1f}%)"
        nonmissing = details.get("element_count", 0) - details.get("missing_count", 0)
        values = details.get("partial_unexpected_list") or []
        if not chunked and nonmissing == 1 and values:
            return _number(values[0])
        if not chunked:  # a small aggregate frame: its rows are in the sample
            shown = ", ".join(_number(value) for value in values[:5])
            return f"{shown} ({unexpected:,} of {nonmissing:,} rows unexpected)"
        text = (
            f"{unexpected:,} of {nonmissing:,} non-null values unexpected"
            f" ({percent(unexpected, nonmissing):.1f}%)"
        )
        if values:
            text += ", e.g. " + ", ".join(_number(value) for value in values[:5])
        return text
    observed = details.get("observed_value")
    if config.type == "expect_table_columns_to_match_set":
        missing = [c for c in config.kwargs.get("column_set") or [] if c not in (observed or [])]
        return "missing columns: " + ", ".join(missing) if missing else "all present"
    if config.type == "expect_column_distinct_values_to_contain_set":
        missing = details.get("partial_missing_list") or []
        return "missing: " + ", ".join(map(str, missing)) if missing else "all present"
    if config.type == "expect_table_row_count_to_equal":
        more = " (or more)" if observed == FRAME_LIMIT else ""
        return f"{observed} row{'' if observed == 1 else 's'}{more}"
    return _number(observed)


def _plain(value: Any) -> Any:
    """A frame value as plain JSON: None, numbers, strings, ISO dates."""
    if value is None or (not isinstance(value, (list, dict, str)) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp) and value == value.normalize():
        return value.date().isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def sample_rows(frame: pd.DataFrame | None) -> list[dict[str, Any]]:
    """The first rows of a small aggregate frame, as plain JSON values."""
    if frame is None:
        return []
    return [
        {column: _plain(value) for column, value in row.items()}
        for row in frame.head(SAMPLE_ROWS).to_dict(orient="records")
    ]
