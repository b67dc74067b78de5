"""The plan's related indicators by group: the municipality's latest figure beside NL and the province."""

import pandas as pd
import pytest

from ks_data.views.monitor import Monitor
from ks_data.views.related import related, related_groups
from ks_data.vocab import GROUPS


@pytest.fixture(scope="module")
def example():
    return Monitor.load("voorbeeld")


def test_a_group_holds_its_indicators_latest_figures_with_nl_and_the_province(example):
    group = related(example, "werk en inkomen")
    assert set(group["indicator_id"]) == {"kinderen_uitkeringsgezin", "schulden_19_45", "zwangeren_schulden",
                                          "geboren_gezin_schulden", "kinderen_armoede"}
    for r in group.itertuples():
        latest = example.latest(r.indicator_id, "GM0597", "NL01")
        assert r.period_label == latest["period_label"]
        assert r.nl == latest["benchmark_value"] or (pd.isna(r.nl) and pd.isna(latest["benchmark_value"]))
        pv = example.value_for(r.indicator_id, "PV28", r.period_label)
        assert r.pv == pv["value"] or (pd.isna(r.pv) and (pv is None or pd.isna(pv["value"])))


def test_groups_come_in_the_plans_order_and_leave_out_the_core_figures(example):
    groups = related_groups(example)
    assert groups == [g for g in GROUPS if g in groups] and len(groups) == 3
    assert "perinatale kerncijfers" not in groups
    core = set(example.catalogue.index[example.catalogue["core"]])
    for g in groups:
        assert not core & set(related(example, g)["indicator_id"])
