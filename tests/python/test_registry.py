"""The rules Python reads from the seeds (scripts/chs/registry.py), worked out by hand.

The expected values below were read off seeds/score_bands.csv and
seeds/category_aliases.csv; the temporary seeds check the ordering rules on their own.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from chs.errors import UserError
from chs.registry import NOT_SCORED, bands, category_spellings


def _seeds(tmp_path: Path, **files: str) -> Path:
    (tmp_path / "seeds").mkdir()
    for name, text in files.items():
        (tmp_path / "seeds" / f"{name}.csv").write_text(text)
    return tmp_path


def test_bands_from_lowest_min_score_then_not_scored():
    assert bands() == ["red", "yellow", "green", NOT_SCORED]
    assert NOT_SCORED == "not_scored"


def test_bands_are_ordered_by_min_score_as_a_number(tmp_path):
    # As text, "100" < "40" < "5"; as numbers 5 < 40 < 100.
    project = _seeds(tmp_path, score_bands="band,min_score\ntop,100\nlow,5\nmid,40\n")
    assert bands(project) == ["low", "mid", "top", "not_scored"]


def test_category_spellings_per_category_in_seed_order():
    spellings = category_spellings()
    assert sorted(spellings) == [
        "business_type",
        "invoice_status",
        "order_status",
        "order_type",
        "payment_status",
        "plan",
        "segment",
        "subscription_change",
        "survey_channel",
        "survey_type",
        "ticket_channel",
        "ticket_priority",
        "ticket_satisfaction_label",
        "ticket_status",
    ]
    assert spellings["segment"] == [
        "smb",
        "small business",
        "mid-market",
        "mid market",
        "midmarket",
        "mid_market",
        "enterprise",
    ]
    assert spellings["ticket_priority"] == ["low", "normal", "medium", "high", "urgent"]
    assert spellings["order_status"] == ["completed", "cancelled", "canceled", "returned"]


def test_a_missing_seed_or_column_is_one_clear_error(tmp_path):
    with pytest.raises(UserError, match=r"score_bands\.csv: cannot read the seed"):
        bands(tmp_path)
    project = _seeds(tmp_path, score_bands="name,min_score\nred,0\n")
    with pytest.raises(UserError, match=r"score_bands\.csv: missing column\(s\) band"):
        bands(project)
    (project / "seeds" / "score_bands.csv").write_text("band,min_score\nred,zero\n")
    with pytest.raises(UserError, match="min_score is not a number"):
        bands(project)
