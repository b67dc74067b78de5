"""The national view: every municipality protected once, the same decisions in each municipality's own view,
a page that compares them with the Netherlands, and municipalities served without a configuration of their own."""

from __future__ import annotations

import os
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from ks_data.publish.audit import unsafe
from ks_data.publish.linked import Structure, audit_views
from ks_data.publish.national import own_periods, province_municipalities
from ks_data.publish.publication import Publication
from ks_data.sources.national_example import write_bundle
from ks_data.table.areas import load_areas
from ks_data.table.catalogue import load_catalogue
from ks_data.table.config import load_municipality, load_settings
from ks_data.views.monitor import Monitor
from tests.conftest import DATA, ROOT

FRACTION = 0.05  # the first 17 municipalities of the registry (Groningen, Fryslân): a second to build


@pytest.fixture(scope="module")
def national_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("national") / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns(".cache", "nationaal", "*.lock"))
    write_bundle(root / "bundles" / "nationaal", FRACTION, root)
    return root


@pytest.fixture
def national(national_dir, monkeypatch):
    monkeypatch.setenv("KS_DATA_DIR", str(national_dir))
    return national_dir


@pytest.fixture(scope="module")
def view(national_dir):
    os.environ["KS_DATA_DIR"] = str(national_dir)
    try:
        publication = Publication("nationaal", national_dir)
        return publication, publication.national()
    finally:
        del os.environ["KS_DATA_DIR"]


def test_no_hidden_count_can_be_worked_back_from_the_province_and_its_views_together(national, view):
    publication, nat = view
    settings, areas = load_settings(), load_areas()
    table = nat.table
    assert table["suppressed"].any() and (~table["suppressed"]).any()
    for province in sorted(set(table.loc[table["level"] == "gemeente", "province"])):
        protected = publication.province(province)
        members = province_municipalities(areas, province)
        structure = Structure(province, {c: m.postcode_areas for c, m in members.items()})
        # every cell any view of the province publishes, audited together
        result, disagree = audit_views([protected], structure, load_catalogue(), settings)
        assert (result["kind"] == "primary").sum() > 10 and disagree.empty
        assert unsafe(result, settings.min_hidden_range).empty, province
        # and what the page shows is blank exactly where the protection hides
        shown = table[table["province"] == province].set_index(["indicator_id", "area_code", "period_label"])
        mine = own_periods(protected, areas).set_index(["indicator_id", "area_code", "period_label"])
        hidden = shown["suppressed"].reindex(mine.index)
        assert (hidden.to_numpy() == mine["suppressed"].to_numpy()).all()
        assert shown.loc[shown["suppressed"], ["value", "numerator", "ci_low", "ci_high"]].isna().all().all()


def test_a_municipality_view_agrees_with_the_national_view(national, view):
    _, nat = view
    table = nat.table
    for code in ["GM0014", "GM0037"]:  # Groningen (large) and Stadskanaal
        own = Monitor.load("nationaal", code).published
        own = own[(own["area_code"] == code) & ~own["derived"].astype(bool)]
        theirs = table[table["area_code"] == code].set_index(["indicator_id", "period_label"])["suppressed"]
        mine = own.set_index(["indicator_id", "period_label"])["suppressed"]
        assert (mine.reindex(theirs.index).to_numpy() == theirs.to_numpy()).all(), code


def test_an_unconfigured_municipality_is_served_from_the_registry(national):
    mun = load_municipality("GM0014")
    assert not mun.configured and mun.name == "Groningen" and mun.province == "PV20"
    assert len(mun.postcode_areas) > 30 and mun.target("big2").rule == "volgen"


def test_the_national_page_compares_every_municipality_and_opens_one(national, view):
    _, nat = view
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["bundel"] = "nationaal"
    at.run()
    at.switch_page("pages/landelijk.py").run()
    assert not at.exception and not at.error
    expected = len(nat.municipalities("big2", nat.periods("big2")[-1]))
    table = at.table[0].value
    assert len(table) == expected == 17
    assert any("17 gemeenten" in m.value for m in at.markdown)
    # sorting by name puts the table in alphabetical order
    at.selectbox(key="landelijk_sortering").set_value("naam").run()
    names = list(at.table[0].value.index)
    assert names == sorted(names)
    # a province narrows the view
    at.selectbox(key="landelijk_regio").set_value("PV21").run()
    assert 0 < len(at.table[0].value) < 17
    at.selectbox(key="landelijk_open").set_value("GM0088").run()  # Schiermonnikoog, in Fryslân
    at.button(key="landelijk_openen").click().run()
    assert not at.exception
    assert at.session_state["_open_gemeente"] == "GM0088"
    # AppTest runs a page switched to from a script without app.py (a browser runs the app: see the browser
    # test), so the hand-over is checked on a fresh run of the app
    fresh = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    fresh.query_params["bundel"] = "nationaal"
    fresh.session_state["_open_gemeente"] = "GM0088"
    fresh.run()
    assert any("Schiermonnikoog" in t.value.replace("\u00ad", "") for t in fresh.title)
    assert fresh.selectbox(key="gemeente").value == "GM0088"


def test_every_page_serves_an_unconfigured_municipality(national):
    from ks_ui.shell import PAGES

    for path, _ in PAGES:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.query_params["bundel"] = "nationaal"
        at.query_params["gemeente"] = "GM0037"
        at.run()
        assert at.selectbox(key="gemeente").value == "GM0037"
        if path != PAGES[0][0]:
            at.switch_page(path).run()
        assert not at.exception, (path, at.exception)
        assert not at.error, (path, [e.value for e in at.error])
        assert not any("Ridderkerk" in m.value for m in at.markdown), path


def test_a_netherlands_of_another_definition_is_no_centre_for_the_municipality_funnel(view):
    obs, national = view
    period = national.periods("big2")[-1]
    assert national.municipalities("big2", period).attrs["p0"] > 0  # the same definition: NL is the centre
    table = national.table.copy()
    nl = (table["area_code"] == "NL01") & (table["indicator_id"] == "big2") & (table["period_label"] == period)
    table["definition"] = table["definition"].astype(object).where(~nl, "22 weken in plaats van 24")
    other = type(national)(table, national.catalogue, national.areas)
    rows = other.municipalities("big2", period)
    assert rows.attrs["p0"] != rows.attrs["p0"]  # NaN: no funnel centre, so no municipality is placed against it
    assert (rows["funnel"] == "").all() and other.funnel_data("big2", period)[0].empty
