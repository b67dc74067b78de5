"""The coalition's registrations, entered on the page: checked against the plan, corrected by a newer one, undone."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from ks_data.passwords import hash_password
from ks_data.table.config import load_municipality
from ks_data.views import registrations as reg
from ks_data.views.plan import action_status, half_years, load_plan, load_registrations
from tests.conftest import ROOT, copy_data

SECRET = "een lang geheim wachtwoord"


def plain(text: str) -> str:
    return text.replace("\\", "")  # shown escaped as Markdown


@pytest.fixture
def root(tmp_path, monkeypatch):
    return copy_data(tmp_path, monkeypatch)


def test_record_correct_and_undo(root):
    mun = load_municipality("GM0597", root)
    plan = load_plan(mun, root)
    action = plan.actions["id"].iloc[0]
    reg.record(mun, plan, {"kind": "actie", "half_year": "2024-H2", "id": action, "status": "gestart"}, "Anna", root)
    reg.record(mun, plan, {"kind": "actie", "half_year": "2024-H2", "id": action, "status": "loopt",
                           "note": "met  de   wijkteams"}, "Bram", root)
    regs = load_registrations(mun, root)
    assert regs.loc[regs["id"] == action, "status"].tolist() == ["loopt"]  # the newer one counts
    assert action_status(plan, regs, half_years(mun)).loc[0, "2024-H2"] == "loopt"
    cost = next(iter(reg.items(plan, "besteding")))
    reg.record(mun, plan, {"kind": "besteding", "half_year": "2025-H1", "id": cost, "spent_eur": "€ 1.500"}, "Anna",
               root)
    assert load_registrations(mun, root).set_index("id").at[cost, "spent_eur"] == 1500
    undone = reg.undo(mun, "Anna", root)
    assert undone["id"] == cost and cost not in set(load_registrations(mun, root)["id"])
    undone = reg.undo(mun, "Anna", root)  # then the correction: the first registration counts again
    assert undone["status"] == "loopt" and undone["note"] == "met de wijkteams"
    assert load_registrations(mun, root).set_index("id").at[action, "status"] == "gestart"
    assert [e["action"] for e in reg.history(mun, root)] == ["registratie"] * 3 + ["ongedaan"] * 2
    assert [e["who"] for e in reg.history(mun, root)][:2] == ["Anna", "Bram"]


@pytest.mark.parametrize("entry, says", [
    ({"kind": "actie", "half_year": "2019-H1", "id": "A1.1", "status": "loopt"}, "valt niet binnen het plan"),
    ({"kind": "actie", "half_year": "2024-H2", "id": "A9.9", "status": "loopt"}, "staat niet in het plan"),
    ({"kind": "actie", "half_year": "2024-H2", "id": "A1.1", "status": "bijna"}, "Status moet een van"),
    ({"kind": "besteding", "half_year": "2024-H2", "id": "2024/x", "spent_eur": "10"}, "staat niet in het plan"),
    ({"kind": "activiteit", "half_year": "2024-H2", "id": None, "count": "-3"}, "geheel getal van 0 of meer"),
    ({"kind": "activiteit", "half_year": "2024-H2", "id": None, "count": "2,5"}, "geheel getal van 0 of meer"),
    ({"kind": "iets", "half_year": "2024-H2", "id": "A1.1"}, "Soort moet een van"),
])
def test_bad_registrations_are_refused_in_dutch_and_nothing_is_written(root, entry, says):
    mun = load_municipality("GM0597", root)
    plan = load_plan(mun, root)
    if entry["id"] is None:
        entry = {**entry, "id": next(iter(reg.items(plan, "activiteit")))}
    path = root / "gemeenten" / "GM0597" / "registraties.csv"
    before = path.read_bytes()
    with pytest.raises(reg.RegistrationError, match=says):
        reg.record(mun, plan, entry, "Anna", root)
    assert path.read_bytes() == before and reg.history(mun, root) == []


def test_undo_removes_nothing_that_was_not_added_here(root):
    mun = load_municipality("GM0597", root)
    plan = load_plan(mun, root)
    with pytest.raises(reg.RegistrationError, match="geen registratie om ongedaan"):
        reg.undo(mun, "Anna", root)
    reg.record(mun, plan, {"kind": "actie", "half_year": "2024-H2", "id": "A1.1", "status": "gestart"}, "Anna", root)
    path = root / "gemeenten" / "GM0597" / "registraties.csv"
    with open(path, "a", encoding="utf-8") as handle:  # a row added by hand since
        handle.write("2025-H1,actie,A1.2,loopt,,,,hand,2026-01-01T00:00:00Z\n")
    before = path.read_bytes()
    with pytest.raises(reg.RegistrationError, match="met de hand gewijzigd"):
        reg.undo(mun, "Anna", root)
    assert path.read_bytes() == before


def test_an_editor_registers_on_the_page_and_undoes_with_a_confirmation(root):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.secrets["editors"] = {"password_hash": hash_password(SECRET, iterations=1000)}
    at.run()
    at.switch_page("pages/bijwerken.py").run()
    at.text_input(key="auth_name").input("Anna de Vries")
    at.text_input(key="auth_password").input(SECRET)
    at.button[0].click().run()
    at.selectbox(key="reg_half_year").set_value("2025-H1")
    at.selectbox(key="reg_status").set_value("afgerond")
    at.text_input(key="reg_note").input("<b>klaar</b>")
    next(b for b in at.button if b.label == "Registratie vastleggen").click().run()
    assert not at.exception and any("Vastgelegd: 2025-H1, actie A1.1" in plain(s.value) for s in at.success)
    regs = load_registrations(load_municipality("GM0597", root), root)
    assert regs[["half_year", "id", "status", "recorded_by"]].values.tolist() == [
        ["2025-H1", "A1.1", "afgerond", "Anna de Vries"]]
    table = next(t.value for t in at.table if "Wie" in t.value.columns)
    assert table.iloc[0]["Wie"] == "Anna de Vries" and "klaar" in table.iloc[0]["Toelichting"]
    at.button(key="reg_undo").click().run()
    assert any("weghalen?" in w.value for w in at.warning)
    assert len(load_registrations(load_municipality("GM0597", root), root)) == 1  # nothing yet without a yes
    at.button(key="reg_undo_yes").click().run()
    assert any("Ongedaan gemaakt: 2025-H1, actie A1.1" in plain(s.value) for s in at.success)
    assert load_registrations(load_municipality("GM0597", root), root).empty
