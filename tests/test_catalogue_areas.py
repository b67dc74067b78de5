"""The catalogue, the area registry and the municipality configuration agree with each other and with DATA.md."""

from ks_data.table.areas import load_areas
from ks_data.table.catalogue import GROUPS, load_catalogue
from ks_data.table.config import load_municipality, load_settings, municipality_codes

# id → (unit, polarity, group), as DATA.md lists them
EXPECTED = {
    "big2": ("per1000", "lower", "perinatale kerncijfers"),
    "perinatale_sterfte": ("per1000", "lower", "perinatale kerncijfers"),
    "start_zorg_voor_10wk": ("%", "higher", "perinatale kerncijfers"),
    "roken_vrouwen_19_45": ("%", "lower", "fysieke en mentale gezondheid"),
    "stress_19_45": ("%", "lower", "fysieke en mentale gezondheid"),
    "psychische_problemen_19_45": ("%", "lower", "fysieke en mentale gezondheid"),
    "zwangeren_psychische_problemen": ("%", "lower", "fysieke en mentale gezondheid"),
    "ouders_psychische_problemen": ("%", "lower", "fysieke en mentale gezondheid"),
    "tienermoeders": ("%", "lower", "gezinssituatie"),
    "eenoudergezinnen": ("%", "lower", "gezinssituatie"),
    "geboren_zeer_kwetsbaar": ("%", "lower", "gezinssituatie"),
    "kinderen_uitkeringsgezin": ("%", "lower", "werk en inkomen"),
    "schulden_19_45": ("%", "lower", "werk en inkomen"),
    "zwangeren_schulden": ("%", "lower", "werk en inkomen"),
    "geboren_gezin_schulden": ("%", "lower", "werk en inkomen"),
    "kinderen_armoede": ("%", "lower", "werk en inkomen"),
}


def test_catalogue_has_every_indicator_with_unit_polarity_and_group():
    cat = load_catalogue()
    assert set(cat.index) == set(EXPECTED)
    for ind, (unit, polarity, group) in EXPECTED.items():
        assert (cat.at[ind, "unit"], cat.at[ind, "polarity"], cat.at[ind, "group"]) == (unit, polarity, group), ind
    assert cat["definition"].str.len().min() > 20
    assert set(cat["group"]) == set(GROUPS)
    assert cat.loc["perinatale_sterfte", "period_type"] == "5year"
    assert cat.loc["perinatale_sterfte", "ci_method"] == "poisson_exact"
    assert cat["core"].sum() == 3


def test_registry_chain_from_postcode_to_nl():
    areas = load_areas()
    assert areas.at["NL01", "level"] == "land"
    assert (areas["level"] == "provincie").sum() == 12
    assert (areas["level"] == "gemeente").sum() == 345
    assert (areas["level"] == "postcode").sum() == 4067
    assert areas.at["GM0597", "parent_code"] == "PV28"
    assert areas.at["PV28", "name"] == "Zuid-Holland"
    # every parent exists
    parents = areas.loc[areas["parent_code"] != "", "parent_code"]
    assert parents.isin(areas.index).all()


def test_ridderkerk_postcode_areas_and_inhabitants_match_data_md():
    areas = load_areas()
    expected = {"2981": 3195, "2982": 6595, "2983": 9550, "2984": 3240, "2985": 4700, "2986": 8120,
                "2987": 7670, "2988": 2810, "2989": 790}
    mun = load_municipality("GM0597")
    assert list(mun.postcode_areas) == list(expected)
    for pc, inhabitants in expected.items():
        assert areas.at[pc, "parent_code"] == "GM0597"
        assert areas.at[pc, "inhabitants"] == inhabitants
    assert sum(expected.values()) == 46670
    assert mun.postcode_label("2986") == "2986 Drievliet/Crezeepolder"
    assert mun.postcode_label("2981") == "Postcode 2981"


def test_every_configured_municipality_is_consistent_with_the_registry():
    areas = load_areas()
    cat = load_catalogue()
    assert load_settings().default_municipality in municipality_codes()
    for code in municipality_codes():
        mun = load_municipality(code)
        assert areas.at[code, "parent_code"] == mun.province
        for pc in mun.postcode_areas:
            assert areas.at[pc, "parent_code"] == code
        assert set(mun.targets) - {"default"} <= set(cat.index)
        for target in mun.targets.values():  # a target needs the margin the coalition chose
            assert target.rule == "volgen" or (target.rule == "stabilisatie" and 0 < target.margin < 1)
        assert all(m.source for m in mun.review_moments)  # every review moment says where it is fixed


def test_boundaries_cover_the_registry_postcode_areas():
    import json

    from tests.conftest import DATA
    geo = json.loads((DATA / "geo" / "pc4.geojson").read_text())
    ids = {f["id"] for f in geo["features"]}
    areas = load_areas()
    assert ids == set(areas.index[areas["level"] == "postcode"])
    assert "© Centraal Bureau voor de Statistiek, © ESRI Nederland" in (DATA / "geo" / "README.md").read_text()
