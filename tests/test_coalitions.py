"""Coalitions of several municipalities, regions and similar municipalities: configuration, figures, pages."""

from __future__ import annotations

import shutil
import textwrap

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from ks_data.publish.groups import group_rows
from ks_data.publish.publication import Publication
from ks_data.table.areas import load_areas
from ks_data.table.config import ConfigError, load_municipality, load_regions
from ks_data.table.similar import similar_group
from ks_data.views.area_tables import member_table, postcode_table
from ks_data.views.monitor import Monitor
from ks_data.views.trend_lines import trend_lines
from tests.conftest import DATA, ROOT

MEMBERS = ("GM0263", "GM0297")


@pytest.fixture(scope="module")
def example() -> Publication:
    return Publication("voorbeeld")


def test_the_bommelerwaard_is_two_municipalities_with_their_postcode_areas():
    coalition = load_municipality("bommelerwaard")
    areas = load_areas()
    assert coalition.members == MEMBERS and coalition.province == "PV25" and coalition.is_coalition
    expected = set(areas.index[(areas["level"] == "postcode") & areas["parent_code"].isin(MEMBERS)])
    assert set(coalition.postcode_areas) == expected and len(expected) == 23
    assert areas.at["bommelerwaard", "level"] == "coalitie" and areas.at["GG4607", "parent_code"] == "PV28"
    ridderkerk = load_municipality("GM0597")
    assert ridderkerk.region == "GG4607" and not ridderkerk.is_coalition
    assert len(load_regions()[0]["GG4607"].members) == 15  # the 13 of 2024, Voorne aan Zee as its three of 2020


def test_a_coalition_figure_is_the_sum_of_its_members_and_only_when_all_have_counts(example):
    obs = example.observations
    rows = obs[obs["area_code"].isin(list(MEMBERS))]
    summed = group_rows(rows, example.catalogue, {"bommelerwaard": MEMBERS})
    big2 = rows[(rows["indicator_id"] == "big2") & (rows["period_label"] == "2024")]
    mine = summed[(summed["indicator_id"] == "big2") & (summed["period_label"] == "2024")].iloc[0]
    assert mine["numerator"] == big2["numerator"].sum() and mine["denominator"] == big2["denominator"].sum()
    assert mine["value"] == round(mine["numerator"] / mine["denominator"] * 1000, 1)
    assert mine["ci_low"] < mine["value"] < mine["ci_high"]
    # one member without counts for 2024: the coalition has no figure for 2024, the other years stand
    gap = rows.drop(index=big2.index[:1])
    again = group_rows(gap, example.catalogue, {"bommelerwaard": MEMBERS})
    labels = set(again.loc[again["indicator_id"] == "big2", "period_label"].astype(str))
    assert "2024" not in labels and "2023" in labels


def test_the_coalition_view_has_pooled_figures_members_and_postcode_areas(example):
    monitor = Monitor.load("voorbeeld", "bommelerwaard", publication=example)
    assert monitor.municipality.name == "Bommelerwaard" and monitor.labels["bommelerwaard"] == "Bommelerwaard"
    own = monitor.series("big2", "bommelerwaard")
    assert own["value"].notna().sum() >= 5
    members = member_table(monitor, "big2")
    assert set(members["area_code"]) == set(MEMBERS) and members.attrs["period_label"] == "2024"
    assert np.isfinite(members.attrs["p0"])  # the funnel's centre: the coalition's own 2024 figure
    postcodes = postcode_table(monitor, "big2")
    assert len(postcodes) == 23 and postcodes.attrs["period_label"] == "2020–2024"
    names = [name for name, _, _ in trend_lines(monitor, "big2", "bommelerwaard", with_postcodes=True)]
    assert {"Maasdriel", "Zaltbommel", "Gelderland", "Nederland"} <= set(names)
    pc_lines = [name for name, _, _ in trend_lines(monitor, "big2", postcodes["area_code"].iloc[0])]
    assert "Bommelerwaard" in pc_lines  # a postcode area: its municipality, then the coalition


def test_ridderkerk_is_compared_with_its_region(example):
    monitor = Monitor.load("voorbeeld", "GM0597", publication=example)
    lines = {name: rows for name, role, rows in trend_lines(monitor, "big2", "GM0597") if role == "regio"}
    assert list(lines) == ["GGD-regio Rotterdam-Rijnmond"]
    region = lines["GGD-regio Rotterdam-Rijnmond"]
    assert region["value"].notna().sum() >= 5 and region["source_detail"].astype(str).str.contains("Rotterdam").all()
    judged = monitor.series("big2", "GM0597", "GG4607")
    assert judged["benchmark_value"].notna().any() and (judged["verdict"].astype(str) != "").all()


def test_similar_municipalities_are_the_nearest_by_size_and_urbanity():
    group = similar_group(("GM0597",))
    assert len(group) == 10 and "GM0597" not in group.index
    assert group["distance"].is_monotonic_increasing
    inhabitants = 46670
    assert group["inhabitants"].between(inhabitants / 2, inhabitants * 2).all()
    together = similar_group(MEMBERS)
    assert not set(MEMBERS) & set(together.index)


def _copy(tmp_path, monkeypatch):
    root = tmp_path / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns(".cache", "nationaal"))
    monkeypatch.setenv("KS_DATA_DIR", str(root))
    return root


@pytest.mark.parametrize("members, says", [
    ('["GM0263", "GM9999"]', "onbekende gemeente(n) GM9999"),
    ('["GM0263", "GM0263"]', "GM0263 staan meer dan eens"),
    ('["GM0263", "GM0597"]', "meer dan één provincie"),
    ("[]", "ontbreekt of is leeg"),
])
def test_a_broken_coalition_file_is_a_dutch_error_and_the_rest_keeps_working(tmp_path, monkeypatch, members, says):
    root = _copy(tmp_path, monkeypatch)
    (root / "coalities" / "kapot.toml").write_text(f'name = "Kapot"\nmembers = {members}\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=says.replace("(", r"\(").replace(")", r"\)")):
        load_municipality("kapot")
    assert "kapot" not in Publication("voorbeeld").groups()  # left out of the joint protection, others kept
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    assert not at.exception and not at.error
    warning = " ".join(w.value for w in at.sidebar.warning).replace("\\", "")  # shown escaped as Markdown
    assert "Coalitie 'kapot' kan niet worden geopend" in warning and says in warning
    link = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)  # a link opens a new session
    link.query_params["coalitie"] = "bommelerwaard"
    link.run()
    assert not link.exception and "Bommelerwaard" in " ".join(m.value for m in link.markdown)


def test_a_region_not_in_the_regions_file_is_refused(tmp_path, monkeypatch):
    root = _copy(tmp_path, monkeypatch)
    (root / "coalities" / "elders.toml").write_text(textwrap.dedent('''
        name = "Elders"
        members = ["GM0263"]
        region = "GG9999"
    '''), encoding="utf-8")
    with pytest.raises(ConfigError, match="regio GG9999 staat niet"):
        load_municipality("elders")
    (root / "regios.toml").write_text('[[regio]]\ncode = "GG0001"\nname = "Half"\nmembers = ["GM0263", "GM0597"]\n',
                                      encoding="utf-8")
    regions, problems = load_regions(root)
    assert regions == {} and "meer dan één provincie" in problems[0]
    with pytest.raises(ConfigError, match="regio GG4607 staat niet"):  # Ridderkerk names a region now broken
        load_municipality("GM0597")


def test_the_coalition_opens_from_a_link_on_every_page():
    from ks_ui.shell import PAGES

    for path, title in PAGES:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
        at.query_params["bundel"] = "voorbeeld"
        at.query_params["coalitie"] = "bommelerwaard"
        at.run()
        if path != PAGES[0][0]:
            at.switch_page(path).run()
        assert not at.exception and not at.error, (title, at.exception, [e.value for e in at.error])
        if title != "Landelijk beeld":  # that page shows every municipality, not one coalition
            assert any("Coalitie Bommelerwaard" in c.value for c in at.caption), title


def test_the_members_level_shows_maasdriel_and_zaltbommel():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["bundel"] = "voorbeeld"
    at.query_params["coalitie"] = "bommelerwaard"
    at.run()
    at.switch_page("pages/postcodegebieden.py").run()
    table = at.table[0].value
    assert set(table.index) == {"Maasdriel", "Zaltbommel"}
    assert any(c.startswith("Oordeel t.o.v. Bommelerwaard") for c in table.columns)
    at.radio(key="pc_niveau").set_value("postcodegebieden").run()
    assert len(at.table[0].value) == 23 and not at.exception


def test_the_similar_page_lists_the_group_with_a_rank():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["bundel"] = "voorbeeld"
    at.run()
    at.switch_page("pages/vergelijkbaar.py").run()
    assert not at.exception and not at.error
    table = at.table[0].value
    assert len(table) == 10 and "Barendrecht" in table.index
    assert table.loc["Barendrecht", "Waarde 2024"].endswith("per 1000")  # a region member: in the example data
    text = " ".join(m.value for m in at.markdown)
    assert "Plaats " in text and "(1 = laagste waarde, de gunstigste)" in text
    assert "geen cijfer" in text  # nine of ten have no figure in the example: no group figure, said why
    pd.testing.assert_index_equal(table.index, pd.Index(similar_group(("GM0597",))["name"], name="Gemeente"))


def test_the_joint_audit_command_checks_every_province_with_its_groups():
    from tests.conftest import run_cli

    done = run_cli("audit", "--bundle", "voorbeeld", "--joint")
    assert done.returncode == 0, done.stderr
    assert "PV25:" in done.stdout and "PV28:" in done.stdout and "te smal: 0" in done.stdout
    assert "coalities en regio's inbegrepen" in done.stdout


def test_a_fixed_group_with_every_figure_shown_gets_a_summed_figure_and_a_verdict(tmp_path, monkeypatch):
    from ks_data.views.similar import Similar

    root = _copy(tmp_path, monkeypatch)
    path = root / "gemeenten" / "GM0597.toml"
    group = ["GM0489", "GM0502", "GM0599", "GM0606"]  # region members: in the example data
    path.write_text(path.read_text(encoding="utf-8").replace('region = "GG4607"\n',
                                                             f'region = "GG4607"\nsimilar = {group!r}\n'
                                                             .replace("'", '"')), encoding="utf-8")
    publication = Publication("voorbeeld", root)
    monitor = Monitor.load("voorbeeld", "GM0597", root, publication=publication)
    similar = Similar.build(publication, monitor.municipality)
    assert similar.chosen_by == "ingesteld" and list(similar.group.index) == group
    rows, summary = similar.compare(monitor, "big2")
    assert summary["period_label"] == "2024" and not rows["suppressed"].any()
    total = summary["group_row"]
    assert total["numerator"] == rows["numerator"].sum() and total["denominator"] == rows["denominator"].sum()
    assert total["value"] == round(total["numerator"] / total["denominator"] * 1000, 1)
    assert summary["verdict"] in {"beter", "vergelijkbaar", "slechter", "duidelijk beter", "duidelijk slechter"}
    assert 1 <= summary["rank"] <= summary["ranked"] == 5
