"""Small numbers: primary and secondary suppression, and pooling years for postcode areas."""

import numpy as np
import pandas as pd

from ks_data.areas import load_areas
from ks_data.stats import suppression


def table(counts: dict, year=2024, total=None):
    rows = [{"indicator_id": "big2", "area_code": a, "period_start": year, "period_end": year,
             "period_label": str(year), "value": x / n * 1000, "numerator": float(x), "denominator": float(n),
             "ci_low": np.nan, "ci_high": np.nan, "unit": "per1000"} for a, (x, n) in counts.items()]
    frame = pd.DataFrame(rows)
    for col in ["period_start", "period_end"]:
        frame[col] = frame[col].astype("Int64")
    return frame


def test_one_small_area_cannot_be_worked_back_by_subtraction():
    pcs = {"2981": (12, 60), "2982": (25, 120), "2983": (4, 30), "2986": (20, 80)}
    total = (sum(x for x, _ in pcs.values()), sum(n for _, n in pcs.values()))
    frame = table({**pcs, "GM0597": total})
    marked = suppression.mark_suppression(frame, load_areas(), 10).set_index("area_code")
    assert marked.at["2983", "suppressed"] and "minder dan 10" in marked.at["2983", "suppression_reason"]
    hidden = marked[marked["suppressed"]].index.tolist()
    assert len(hidden) == 2  # the small one and one more, so subtraction reveals neither
    assert marked.at["2981", "suppressed"] and "terugrekenen" in marked.at["2981", "suppression_reason"]
    shown = suppression.apply_suppression(marked.reset_index()).set_index("area_code")
    visible = shown.loc[list(pcs)].query("~suppressed")["numerator"].sum()
    # what a reader can compute for the hidden areas is only their sum, never one of them
    assert total[0] - visible == 12 + 4
    assert shown.loc[hidden, ["value", "numerator", "ci_low"]].isna().all().all()


def test_complement_below_threshold_is_suppressed_too():
    frame = table({"2984": (55, 60)})
    assert suppression.mark_suppression(frame, load_areas(), 10)["suppressed"].tolist() == [True]


def test_threshold_is_configurable_and_no_secondary_without_a_published_total():
    frame = table({"2981": (12, 60), "2983": (4, 30)})
    marked = suppression.mark_suppression(frame, load_areas(), 5)
    assert marked["suppressed"].tolist() == [False, True]
    assert not suppression.mark_suppression(table({"2981": (12, 60)}), load_areas(), 10)["suppressed"].any()


def test_pooling_finds_the_fewest_years_and_says_which():
    years = []
    for y in range(2018, 2025):
        years.append(table({"2981": (4, 40), "2982": (6, 50), "GM0597": (10, 90)}, year=y))
    frame = pd.concat(years, ignore_index=True)
    frame["source"], frame["retrieved"], frame["is_example"] = "test", "2026-01-01", False
    pooled, description = suppression.pool_years(frame, 10, check_areas=["2981", "2982"])
    assert description == "3 jaar samengevoegd (2022–2024)"  # 3 × 4 = 12 ≥ 10 for the smaller area
    latest = pooled[pooled["period_end"] == 2024].set_index("area_code")
    assert latest.at["2981", "numerator"] == 12 and latest.at["2981", "period_label"] == "2022–2024"
    assert latest.at["GM0597", "denominator"] == 270
    assert latest.at["2981", "value"] == round(12 / 120 * 1000, 1)
    assert set(pooled["period_end"]) == {2021, 2024}  # only complete 3-year blocks
