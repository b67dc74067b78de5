"""Disclosure over linked tables: a province of many small counts, every municipality built as the app builds it.

The national example restricted to Flevoland (PV24, six municipalities) with every denominator shrunk, so many
counts fall between 0 and 12: the case where views built from the national decisions gave counts away.
"""

from __future__ import annotations

import shutil

import pytest

from ks_data.publish.audit import unsafe
from ks_data.publish.linked import Structure, audit_views
from ks_data.publish.national import province_municipalities
from ks_data.publish.publication import Publication
from ks_data.sources.national_example import write_bundle
from ks_data.table.areas import load_areas
from ks_data.table.config import load_settings
from ks_data.table.observations import load_observations
from ks_data.views.monitor import Monitor
from tests.conftest import DATA

PROVINCE = "PV24"
SCALE = 0.3  # a third of the real denominators: many counts below 12


@pytest.fixture(scope="module")
def small_province(tmp_path_factory):
    root = tmp_path_factory.mktemp("linked") / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns(".cache", "nationaal", "*.lock"))
    write_bundle(root / "bundles" / "nationaal", 1.0, root, (PROVINCE,), SCALE)
    obs = load_observations("nationaal", root)
    areas = load_areas(root)
    members = list(areas.index[(areas["level"] == "gemeente") & (areas["parent_code"] == PROVINCE)])
    return root, obs, areas, members


@pytest.fixture(scope="module")
def publication(small_province):
    root, obs, _, _ = small_province
    return Publication("nationaal", root, obs)


@pytest.fixture(scope="module")
def views(small_province, publication):
    """Every municipality's view, built as the app builds it (through the bundle's publication)."""
    root, _, _, members = small_province
    return {code: Monitor.load("nationaal", code, root, publication=publication) for code in members}


def joint_audit(publication, views, areas):
    """What a reader can put side by side: every municipality's view and the national view, audited together."""
    members = province_municipalities(areas, PROVINCE)
    structure = Structure(PROVINCE, {c: m.postcode_areas for c, m in members.items()})
    tables = [mon.view.raw for mon in views.values()] + [publication.national().table]
    return audit_views(tables, structure, publication.catalogue, publication.settings)


def test_the_generated_province_has_many_small_counts(small_province):
    _, obs, _, members = small_province
    own = obs[obs["area_code"].isin(members) & obs["numerator"].notna()]
    assert len(members) == 6
    assert (own["numerator"] <= 12).mean() > 0.1  # the case the protection has to work for


def test_no_municipality_view_has_an_unsafe_cell_by_its_own_audit(views, small_province):
    settings = load_settings(small_province[0])
    assert sum(int(mon.view.table["suppressed"].sum()) for mon in views.values()) > 100  # much is hidden
    for code, mon in views.items():
        narrow = unsafe(mon.view.audit, settings.min_hidden_range)
        assert narrow.empty, (code, narrow[["indicator_id", "area_code", "period_label", "values"]].head())


def test_a_view_that_its_own_audit_finds_unsafe_is_refused_not_published():
    # A is small and hidden; the municipality and B are fixed as shown by a wider view, so A = 50 − 47 exactly
    # and nothing may be hidden to protect it: the view is refused, never returned as published.
    import pandas as pd

    from ks_data.publish.disclosure import UnsafeView, protect
    from ks_data.table.config import Municipality

    rows = pd.DataFrame({"indicator_id": "big2", "area_code": ["GM9990", "9991", "9992"],
                         "period_start": 2020, "period_end": 2024, "period_label": "2020–2024",
                         "numerator": [50.0, 3.0, 47.0], "denominator": [400.0, 100.0, 300.0], "derived": False})
    rows[["period_start", "period_end"]] = rows[["period_start", "period_end"]].astype("Int64")
    mun = Municipality(code="GM9990", name="Proef", province="PV99", postcode_areas=("9991", "9992"))
    decided = pd.Series([False, False], index=pd.MultiIndex.from_tuples(
        [("big2", "GM9990", "2020–2024"), ("big2", "9992", "2020–2024")]))
    with pytest.raises(UnsafeView, match="9991"):
        protect(rows, mun, load_settings(), decided)
    view, _ = protect(rows, mun, load_settings())  # free to choose, it hides B beside A
    assert view["suppressed"].tolist() == [False, True, True]


def test_no_hidden_count_can_be_worked_back_from_all_views_together(publication, views, small_province):
    # Case 1 of the linked-tables issue: the province's block minus the municipalities' blocks (each on its own
    # view) gave e.g. tienermoeders GM0050 2020–2024 exactly. Audited over every view at once, nothing narrow.
    result, disagree = joint_audit(publication, views, small_province[2])
    assert disagree.empty  # every view shows or hides a cell alike
    assert (result["kind"] == "primary").sum() > 1000
    narrow = unsafe(result, load_settings(small_province[0]).min_hidden_range)
    assert narrow.empty, narrow[["indicator_id", "area_code", "period_label", "low", "high"]].head()


def test_a_postcode_area_missing_a_year_leaves_no_small_rest_to_subtract(small_province, tmp_path):
    # Case 2: a postcode area without one year gets no block; the municipality minus the other areas' blocks is
    # then that area plus the rest. Small, it must be protected like any small count.
    root, obs, areas, members = small_province
    code = members[0]
    pcs = list(areas.index[(areas["level"] == "postcode") & (areas["parent_code"] == code)])
    block = obs[obs["area_code"].isin(pcs) & (obs["indicator_id"] == "tienermoeders")
                & obs["period_end"].between(2020, 2024)]
    smallest = block.groupby("area_code", observed=True)["numerator"].sum().idxmin()
    gone = block.index[(block["area_code"] == smallest) & (block["period_end"] == 2022)]
    assert block.loc[block["area_code"] == smallest, "numerator"].sum() < 10  # a small rest once it is missing
    thinner = obs.drop(index=gone)
    pub = Publication("nationaal", root, thinner)
    views = {c: Monitor.load("nationaal", c, root, publication=pub) for c in members}
    result, _ = joint_audit(pub, views, areas)
    rest = result[(result["area_code"] == f"_rest:{code}") & (result["indicator_id"] == "tienermoeders")
                  & (result["period_label"] == "2020–2024")]
    assert rest["kind"].tolist() == ["primary"]  # the rest is audited as a small hidden count
    assert unsafe(result, load_settings(root).min_hidden_range).empty
