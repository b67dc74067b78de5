"""Coalitions and regions under the one joint audit: their figures are one more relation over the same counts.

A province of many small counts (the national example restricted to Flevoland, denominators shrunk) with a
coalition of two small municipalities and a region of three: a coalition's figure minus a shown member gives the
other member exactly, so the audit has to see the coalition's figures with everything else.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from ks_data.publish.audit import unsafe
from ks_data.publish.disclosure import primary
from ks_data.publish.linked import Structure, audit_views
from ks_data.publish.national import protect_province, province_municipalities
from ks_data.publish.publication import Publication
from ks_data.publish.published import prepared
from ks_data.sources.national_example import write_bundle
from ks_data.table.areas import load_areas
from ks_data.table.observations import load_observations
from ks_data.views.area_tables import member_table
from ks_data.views.monitor import Monitor
from tests.conftest import DATA

PROVINCE = "PV24"
COALITION = ("GM0184", "GM0171")  # Urk and Noordoostpolder: small counts
REGION = ("GM0050", "GM0303", "GM0995")  # Zeewolde, Dronten, Lelystad (a made-up test region)


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    root = tmp_path_factory.mktemp("groups") / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns(".cache", "nationaal", "*.lock"))
    (root / "coalities" / "noordoost.toml").write_text(
        'name = "Noordoost"\nmembers = ["GM0184", "GM0171"]\n', encoding="utf-8")
    with open(root / "regios.toml", "a", encoding="utf-8") as handle:
        handle.write('\n[[regio]]\ncode = "GG0001"\nname = "Testregio Flevoland"\n'
                     'members = ["GM0050", "GM0303", "GM0995"]\n')
    write_bundle(root / "bundles" / "nationaal", 1.0, root, (PROVINCE,), 0.3)
    obs = load_observations("nationaal", root)
    return root, obs, Publication("nationaal", root, obs)


def structure(areas) -> Structure:
    members = province_municipalities(areas, PROVINCE)
    return Structure(PROVINCE, {c: m.postcode_areas for c, m in members.items()},
                     {"noordoost": COALITION, "GG0001": REGION}, frozenset({"noordoost"}))


def test_the_groups_have_figures_and_small_members(province):
    _, obs, publication = province
    groups = publication.group_rows()
    assert {"noordoost", "GG0001"} <= set(groups["area_code"].astype(str))
    members = obs[obs["area_code"].isin(list(COALITION)) & obs["numerator"].notna()]
    assert (members["numerator"] < 10).mean() > 0.05  # members with hidden counts beside a shown coalition


def test_without_the_groups_in_the_audit_their_figures_give_counts_away(province):
    root, obs, publication = province
    areas = load_areas(root)
    alone = protect_province(obs, publication.catalogue, areas, publication.settings, PROVINCE)
    naive = primary(prepared(publication.group_rows(), publication.catalogue).assign(derived=False),
                    publication.settings.suppression_threshold)  # the groups shown as their own counts allow
    result, _ = audit_views([alone, naive], structure(areas), publication.catalogue, publication.settings)
    assert len(unsafe(result, publication.settings.min_hidden_range)) > 0


def test_with_them_no_hidden_count_is_narrower_than_five_values(province):
    root, _, publication = province
    areas = load_areas(root)
    protected = publication.province(PROVINCE)
    assert {"noordoost", "GG0001"} <= set(protected["area_code"].astype(str))
    result, disagree = audit_views([protected], structure(areas), publication.catalogue, publication.settings)
    assert unsafe(result, publication.settings.min_hidden_range).empty and disagree.empty
    assert (result["kind"] == "primary").sum() > 50  # much is hidden, and every such count stays wide


def test_what_the_views_publish_together_gives_nothing_away(province):
    """The coalition's view, every municipality's own view and the national view, side by side (the checker needs
    every cell's true count, so every municipality's view is given)."""
    root, _, publication = province
    areas = load_areas(root)
    codes = ["noordoost", *province_municipalities(areas, PROVINCE)]
    views = {code: Monitor.load("nationaal", code, root, publication=publication) for code in codes}
    coalition = views["noordoost"]
    assert set(member_table(coalition, "big2")["area_code"]) == set(COALITION)
    tables = [mon.view.raw for mon in views.values()] + [publication.national().table]
    result, disagree = audit_views(tables, structure(areas), publication.catalogue, publication.settings)
    assert disagree.empty, disagree.head()
    assert unsafe(result, publication.settings.min_hidden_range).empty
    shown = pd.concat([mon.view.table for mon in views.values()])
    assert shown["area_code"].astype(str).isin(["noordoost", "GG0001"]).any()
