"""The plan beside the figures: its facts load, registrations show what was recorded and nothing else."""

from __future__ import annotations

import pytest

from ks_data.table.config import ConfigError, load_municipality
from ks_data.views.plan import (
    NOT_RECORDED,
    action_status,
    activity_counts,
    budget_against_spending,
    half_years,
    load_plan,
    load_registrations,
)
from tests.conftest import copy_data

HEADER = "half_year,kind,id,status,count,spent_eur,note,recorded_by,recorded_on\n"


@pytest.fixture
def root(tmp_path):
    return copy_data(tmp_path, history=False)


def test_the_plan_file_holds_the_plans_facts_with_their_place():
    mun = load_municipality("GM0597")
    plan = load_plan(mun)
    assert len(plan.objectives) == 3 and len(plan.actions) >= 12 and (plan.actions["where"] != "").all()
    costs = plan.budget[plan.budget["kind"] == "kosten"]
    assert costs["planned_eur"].notna().all() and set(costs["year"]) == {2024, 2025, 2026}
    assert half_years(mun) == ["2024-H1", "2024-H2", "2025-H1", "2025-H2", "2026-H1", "2026-H2"]


def test_without_registrations_everything_is_missing_not_zero():
    mun = load_municipality("GM0597")
    plan, regs = load_plan(mun), load_registrations(mun)
    assert regs.empty
    status = action_status(plan, regs, half_years(mun))
    assert (status["2025-H1"] == NOT_RECORDED).all()
    assert activity_counts(plan, regs, half_years(mun))["2025-H1"].isna().all()
    assert budget_against_spending(plan, regs)["Besteed volgens registratie (euro)"].isna().all()


def test_recorded_status_counts_and_spending_are_shown_and_the_latest_record_wins(root):
    mun = load_municipality("GM0597", root)
    plan = load_plan(mun, root)
    activity = plan.activities["id"].iloc[0]
    cost = plan.budget[plan.budget["kind"] == "kosten"].iloc[0]
    (root / "gemeenten" / "GM0597" / "registraties.csv").write_text(
        HEADER + f"2025-H1,actie,A1.1,gestart,,,,test,2025-07-01\n"
        f"2025-H1,actie,A1.1,loopt,,,correctie,test,2025-07-15\n"
        f"2025-H1,activiteit,{activity},,12,,,test,2025-07-01\n"
        f"2025-H1,besteding,{cost['year']}/{cost['item']},,,1500,,test,2025-07-01\n", encoding="utf-8")
    regs = load_registrations(mun, root)
    status = action_status(plan, regs, half_years(mun)).set_index("Actie")
    assert status.loc["A1.1", "2025-H1"] == "loopt" and status.loc["A1.1", "2025-H2"] == NOT_RECORDED
    counts = activity_counts(plan, regs, half_years(mun)).set_index("Activiteit")
    title = plan.activities["title"].iloc[0]
    assert counts.loc[title, "2025-H1"] == 12 and counts.isna().loc[title, "2024-H2"]
    budget = budget_against_spending(plan, regs)
    row = budget[(budget["Jaar"] == str(cost["year"])) & (budget["Post"] == cost["item"])
                 & (budget["Soort"] == "kosten")].iloc[0]
    assert row["Besteed volgens registratie (euro)"] == 1500 and row["Gepland (euro)"] == cost["planned_eur"]


def test_a_bad_registration_file_is_refused_with_its_lines(root):
    mun = load_municipality("GM0597", root)
    (root / "gemeenten" / "GM0597" / "registraties.csv").write_text(
        HEADER + "2025-3,actie,A1.1,bezig,,,,test,2025-07-01\n2025-H1,activiteit,x,,twaalf,,,test,2025-07-01\n",
        encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_registrations(mun, root)
    text = str(err.value)
    assert "regel 2: half_year" in text and "regel 2: status" in text and "regel 3: count" in text
