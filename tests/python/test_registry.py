"""The rules Python reads from the seeds (scripts/chs/registry.py), worked out by hand.

The expected values below were read off seeds/indicator_catalogue.csv, seeds/score_bands.csv
and seeds/category_aliases.csv; the temporary seeds check the ordering rules on their own.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from chs.errors import UserError
from chs.registry import NOT_SCORED, bands, category_spellings, families, indicator_keys


def _seeds(tmp_path: Path, **files: str) -> Path:
    (tmp_path / "seeds").mkdir()
    for name, text in files.items():
        (tmp_path / "seeds" / f"{name}.csv").write_text(text)
    return tmp_path


def test_families_in_order_of_first_appearance():
    assert families() == ["usage", "support", "surveys", "billing", "orders", "commercial"]


def test_indicator_keys_in_catalogue_order():
    keys = indicator_keys()
    # 8 usage + 5 support + 3 surveys + 3 billing + 3 orders + 4 commercial indicators.
    assert len(keys) == 26
    assert keys[:2] == ["active_days_28d", "active_users_28d"]
    assert keys[8] == "tickets_90d_per_10_seats"  # the first support indicator
    assert keys[-1] == "has_churned_before"
    assert len(set(keys)) == len(keys)


def test_bands_from_lowest_min_score_then_not_scored():
    assert bands() == ["red", "yellow", "green", NOT_SCORED]
    assert NOT_SCORED == "not_scored"


def test_bands_are_ordered_by_min_score_as_a_number(tmp_path):
    # As text, "100" < "40" < "5"; as numbers 5 < 40 < 100.
    project = _seeds(tmp_path, score_bands="band,min_score\ntop,100\nlow,5\nmid,40\n")
    assert bands(project) == ["low", "mid", "top", "not_scored"]


def test_families_keep_first_appearance_not_alphabetical_order(tmp_path):
    project = _seeds(
        tmp_path, indicator_catalogue="indicator_key,family\nb1,zeta\na1,alpha\nb2,zeta\n"
    )
    assert families(project) == ["zeta", "alpha"]
    assert indicator_keys(project) == ["b1", "a1", "b2"]


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
