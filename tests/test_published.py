"""The published municipality view: blanked where hidden, the decisions of its province followed, verdicts only
on what is shown, implied counts protecting without being used as counts."""

from __future__ import annotations

import numpy as np
import pytest

from ks_data.publish.publication import Publication
from ks_data.publish.published import BLANKED, export_table, numeric_rows
from ks_data.table.config import load_municipality


@pytest.fixture(scope="module")
def example():
    pub = Publication("voorbeeld")
    mun = load_municipality("GM0597")
    return pub, mun, pub.view(mun)


def test_hidden_cells_are_blank_and_say_why(example):
    _, _, view = example
    hidden = view.table[view.table["suppressed"]]
    assert len(hidden) > 10
    assert hidden[BLANKED].isna().all().all() and (hidden["hidden"] != "").all()
    assert "hidden_kind" not in view.table and "hidden_small" not in view.table  # which half holds: never out
    for judged in view.compared.values():
        assert (judged.loc[judged["suppressed"], "verdict"].astype(str) == "niet te beoordelen").all()


def test_the_view_follows_its_province_decisions_cell_by_cell(example):
    pub, mun, view = example
    decided = pub.decisions_for(mun)
    own = view.table[view.table["area_code"].astype(str) != "NL01"]  # NL is above every province's audit
    mine = own.set_index(["indicator_id", "area_code", "period_label"])["suppressed"]
    mine.index = mine.index.set_levels([lvl.astype(str) for lvl in mine.index.levels])
    common = decided.index.intersection(mine.index)
    assert len(common) == len(mine)  # every cell is decided by the joint audit
    assert (mine.reindex(common).to_numpy() == decided.reindex(common).to_numpy()).all()


def test_exports_carry_no_hidden_number(example):
    pub, mun, view = example
    out = export_table(view)
    hidden = out["suppressed"]
    assert out.loc[hidden, ["value", "numerator", "ci_low", "ci_high"]].isna().all().all()
    numeric = numeric_rows(view.table[view.table["suppressed"]], lambda c: c)
    assert numeric[["Waarde", "Teller", "95%-ondergrens"]].isna().all().all()
    assert (numeric["Toelichting"] != "").all()


def test_raw_counts_stay_inside_the_data_layer_and_implied_counts_are_not_counts(example):
    _, _, view = example
    raw = view.raw
    assert raw["numerator"].notna().sum() >= view.table["numerator"].notna().sum()
    implied = raw["note"].astype(str).str.contains("afgeleid uit waarde en noemer")
    assert raw.loc[implied, "numerator"].isna().all() if implied.any() else np.isfinite(raw["value"].dropna()).all()


def test_a_statistic_over_a_hidden_count_is_shown_only_when_every_allowed_count_gives_it(example):
    _, mun, view = example
    raw = view.raw
    rows = raw[(raw["area_code"] == mun.code) & raw["suppressed"] & ~raw["derived"].astype(bool)
               & raw["denominator"].notna()]
    indicator = rows["indicator_id"].astype(str).iloc[0]
    rows = raw[(raw["indicator_id"] == indicator) & (raw["area_code"] == mun.code) & ~raw["derived"].astype(bool)]
    hidden = rows.index[rows["suppressed"]][:1]
    ranges = view.exact_audit(indicator).set_index("cell")
    assert ranges.at[hidden[0], "values"] >= 2  # a protected count may take several values
    # what does not depend on the hidden count may be shown; the hidden count itself may not
    assert view.same_for_every_allowed_count(indicator, rows, hidden, lambda t: "altijd", "altijd")
    own = rows.at[hidden[0], "numerator"]
    assert not view.same_for_every_allowed_count(indicator, rows, hidden, lambda t: t.at[hidden[0], "numerator"], own)
    # too many combinations to try: not shown
    assert not view.same_for_every_allowed_count(indicator, rows, hidden, lambda t: "altijd", "altijd", limit=1)
