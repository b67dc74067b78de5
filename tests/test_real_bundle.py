"""The real baseline: every figure of appendix 3 exactly as DATA.md lists it; missing stays missing."""

import math

import pytest

from ks_data.table.observations import load_observations

PLAN = {  # indicator: {area: value}
    "big2": {"GM0597": 176.0, "NL01": 152.8, "PV28": 160.8, "2986": 229.09, "2987": 194.81},
    "perinatale_sterfte": {"GM0597": 4.2, "NL01": 4.6, "PV28": 4.7},
    "roken_vrouwen_19_45": {"GM0597": 18.9, "NL01": 18.3},
    "stress_19_45": {"GM0597": 24.6, "NL01": 21.4},
    "psychische_problemen_19_45": {"GM0597": 11.6, "NL01": 12.4},
    "zwangeren_psychische_problemen": {"GM0597": 10.6, "NL01": 9.3},
    "ouders_psychische_problemen": {"GM0597": 15.5, "NL01": 14.7},
    "tienermoeders": {"GM0597": 0.68, "NL01": 0.29, "PV28": 0.39},
    "eenoudergezinnen": {"GM0597": 8.4, "NL01": 7.3},  # the province only as "gelijk aan": a statement
    "geboren_zeer_kwetsbaar": {"GM0597": 4.4, "NL01": 4.6},
    "kinderen_uitkeringsgezin": {"GM0597": 7, "NL01": 6, "PV28": 8},
    "schulden_19_45": {"GM0597": 2.1, "NL01": 1.9},
    "zwangeren_schulden": {"GM0597": 3.1, "NL01": 1.7},
    "geboren_gezin_schulden": {"GM0597": 4.2, "NL01": 3},
    "kinderen_armoede": {"GM0597": 12},
}


PLAN_SOURCE = "Projectplan Kansrijke Start Ridderkerk 2024–2026, bijlage 3"
# Real figures imported later, each with its own source (data/imports/, history in bundles/echt/history/)
IMPORTED = {("big2", "NL01", "2012"): 163.0, ("big2", "NL01", "2020"): 150.0, ("big2", "NL01", "2021"): 148.0}


@pytest.fixture(scope="module")
def everything():
    table = load_observations("echt")
    table["area_code"] = table["area_code"].astype(str)
    table["indicator_id"] = table["indicator_id"].astype(str)
    return table


@pytest.fixture(scope="module")
def real(everything):
    return everything[everything["source"] == PLAN_SOURCE]


def value(real, ind, area):
    rows = real[(real["indicator_id"] == ind) & (real["area_code"] == area)]
    return rows["value"].tolist()


@pytest.mark.parametrize("ind,area,expected", [(i, a, v) for i, d in PLAN.items() for a, v in d.items()])
def test_every_plan_figure_is_present_exactly(real, ind, area, expected):
    assert value(real, ind, area) == [expected]


def test_nothing_more_than_the_plan_gives(real):
    given = real[real["value"].notna()]
    assert len(given) == sum(len(v) for v in PLAN.values())


def test_missing_stays_missing(real):
    start = real[(real["indicator_id"] == "start_zorg_voor_10wk")]
    assert start["value"].isna().all()
    assert "lager dan het landelijk gemiddelde" in start["note"].iloc[0]
    others = real[(real["indicator_id"] == "big2") & real["area_code"].isin(["2981", "2985", "2989"])]
    assert others["value"].isna().all() and len(others) == 3
    assert not (real["value"] == 0).any()
    assert value(real, "roken_vrouwen_19_45", "PV28") == []  # the plan gives no province figure
    # "gelijk aan het gemiddelde in de provincie" is a statement, not the number 8,4 for Zuid-Holland
    single = real[(real["indicator_id"] == "eenoudergezinnen") & (real["area_code"] == "PV28")]
    assert single["value"].isna().all() and "gelijk aan het provinciaal gemiddelde" in single["note"].iloc[0]


def test_imported_real_figures_carry_their_own_source(everything):
    imported = everything[everything["source"] != PLAN_SOURCE]
    found = {(r.indicator_id, r.area_code, str(r.period_label)): r.value for r in imported.itertuples()}
    assert found == IMPORTED
    assert imported["source_detail"].str.contains("https://").all() and imported["note"].str.contains("%").all()
    assert (imported["decimals"] == 0).all()  # 14,8% is 148 per 1000: no more precise than published


def test_provenance_and_unit_correction(real):
    assert len(real) > 40
    assert not real["is_example"].any()
    assert (real["retrieved"] != "").all()
    mortality = real[(real["indicator_id"] == "perinatale_sterfte") & (real["area_code"] == "NL01")].iloc[0]
    assert mortality["unit"] == "per1000" and "procent" in mortality["note"]
    poverty = real[real["indicator_id"] == "kinderen_armoede"].iloc[0]
    assert poverty["numerator"] == 1001 and math.isnan(poverty["denominator"]) and poverty["period_end"] == 2019
    assert "Armoedemonitor 2019" in poverty["source_detail"]
    # no counts in the plan, so no intervals were made up
    assert real.loc[real["indicator_id"] == "big2", "ci_low"].isna().all()
