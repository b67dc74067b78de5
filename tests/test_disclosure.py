"""Disclosure control: the audit's ranges, the published view, and bundles built to break it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ks_data.publish.audit import audit, unsafe
from ks_data.table.config import load_settings
from ks_data.views.monitor import Monitor
from tests.conftest import obs, run_cli, write_observations

FLOOR = 5


def cells(rows):
    frame = pd.DataFrame(rows, columns=["indicator_id", "area_code", "period_start", "period_end", "period_label",
                                        "numerator", "denominator", "suppressed", "hidden_kind", "hidden_small"])
    frame[["period_start", "period_end"]] = frame[["period_start", "period_end"]].astype("Int64")
    return frame


def test_audit_ranges_match_a_hand_calculation():
    # municipality 15 = A + B; A is hidden as small (≤ 9), B hidden to protect it. The attacker knows how figures
    # are hidden (the README's model), so B, hidden only to protect A, is known to be ≥ 10 (and ≤ 100 − 10):
    # B in 10..15, hence A in 0..5; both 6 values. Only A is sensitive.
    view = cells([("big2", "GM9990", 2024, 2024, "2024", 15.0, 200.0, False, "", False),
                  ("big2", "9991", 2024, 2024, "2024", np.nan, 100.0, True, "primary", True),
                  ("big2", "9992", 2024, 2024, "2024", np.nan, 100.0, True, "secondary", False)])
    result = audit(view, "GM9990", ["9991", "9992"], threshold=10).set_index("area_code")
    assert (result.at["9991", "low"], result.at["9991", "high"]) == pytest.approx((0, 5))
    assert (result.at["9992", "low"], result.at["9992", "high"]) == pytest.approx((10, 15))
    assert result["values"].tolist() == [6, 6]
    assert result["kind"].tolist() == ["primary", "secondary"]
    # with 12 instead of 15, B would be 10..12 and A 0..2: three values, a sensitive cell not protected
    view.loc[0, "numerator"] = 12.0
    narrow = unsafe(audit(view, "GM9990", ["9991", "9992"], threshold=10), FLOOR)
    assert narrow["area_code"].tolist() == ["9991"]


def test_audit_bounds_the_rest_of_the_municipality_by_its_denominator():
    # The reviewer's case: postcode areas do not add up to the municipality. The rest's denominator is
    # 2282 − 2280 = 2, so its count is 0..2, and a hidden area (391..394 − 390 shown) is narrowed to 2..4.
    view = cells([("big2", "GM9990", 2020, 2024, "2020–2024", 394.0, 2282.0, False, "", False),
                  ("big2", "9991", 2020, 2024, "2020–2024", 390.0, 2243.0, False, "", False),
                  ("big2", "9992", 2020, 2024, "2020–2024", np.nan, 37.0, True, "primary", True)])
    result = audit(view, "GM9990", ["9991", "9992"], threshold=10, rest_indicators={"big2"})
    assert (result["low"].iloc[0], result["high"].iloc[0]) == pytest.approx((2, 4))


def test_audit_finds_the_subtraction_across_periods():
    # The attack of the issue: yearly counts of an area shown, the pooled block shown, one year hidden.
    rows = [("big2", "9991", y, y, str(y), float(c), 60.0, False, "", False)
            for y, c in zip(range(2020, 2025), [12, 0, 11, 14, 13]) if y != 2021]
    rows.append(("big2", "9991", 2021, 2021, "2021", np.nan, 60.0, True, "primary", True))
    rows.append(("big2", "9991", 2020, 2024, "2020–2024", 56.0, 300.0, False, "", False))
    result = audit(cells(rows), "GM9990", ["9991"], threshold=10)
    assert result["values"].tolist() == [1]  # 56 − 12 − 11 − 14 − 13 = 6, exactly
    assert result["low"].iloc[0] == pytest.approx(6) and result["high"].iloc[0] == pytest.approx(6)


def test_example_bundle_protects_every_hidden_count():
    monitor = Monitor.load("voorbeeld")
    table = monitor.published
    assert table["suppressed"].any()
    assert monitor.view.audit["values"].min() >= FLOOR
    # no postcode area is ever published for a single year
    pcs = table[table["area_code"].isin(monitor.municipality.postcode_areas) & table["period_end"].notna()]
    assert ((pcs["period_end"] - pcs["period_start"]) == load_settings().postcode_block_years - 1).all()
    hidden = table[table["suppressed"]]
    assert hidden[["value", "numerator", "ci_low", "ci_high"]].isna().all().all()
    assert (hidden["hidden"].str.startswith("verborgen (")).all()
    for against, judged in monitor.view.compared.items():
        assert (judged.loc[judged["suppressed"], "verdict"] == "niet te beoordelen").all(), against


def adversarial(root, seed: int) -> None:
    """A municipality with six postcode areas and many counts between 0 and 12, yearly and 5-year windows."""
    rng = np.random.default_rng(seed)
    pcs = [f"999{i}" for i in range(1, 7)]
    areas = pd.read_csv(root / "areas.csv", dtype=str)
    extra = [{"area_code": pc, "name": "Verzonnenstad", "level": "postcode", "parent_code": "GM9990",
              "inhabitants": "100"} for pc in pcs[2:]]
    pd.concat([areas, pd.DataFrame(extra)]).to_csv(root / "areas.csv", index=False)
    config = (root / "gemeenten" / "GM9990.toml").read_text()
    (root / "gemeenten" / "GM9990.toml").write_text(config.replace('postcode_areas = ["9991", "9992"]',
                                                                   f"postcode_areas = {pcs!r}".replace("'", '"')))
    years = range(2011, 2025)
    # half the areas so small that even five years stay below the threshold
    top = {pc: 3 if i % 2 else 13 for i, pc in enumerate(pcs)}
    big2 = {(pc, y): (int(rng.integers(0, top[pc])), int(rng.integers(20, 70))) for pc in pcs for y in years}
    deaths = {(pc, y): (int(rng.integers(0, 4)), int(rng.integers(20, 70))) for pc in pcs for y in years}
    rows = []

    def add(ind, area, start, end, x, n):
        rows.append(obs(ind, area, f"{x / n * 1000:.1f}", end, str(x), str(n), is_example="true",
                        period_start=str(start), period_label=str(end) if start == end else f"{start}–{end}"))

    for y in range(2015, 2025):
        for pc in pcs:
            add("big2", pc, y, y, *big2[pc, y])
        add("big2", "GM9990", y, y, sum(big2[pc, y][0] for pc in pcs), sum(big2[pc, y][1] for pc in pcs))
        add("big2", "NL01", y, y, 15000, 100000)
        add("big2", "PV22", y, y, 3000, 20000)
        window = range(y - 4, y + 1)
        for pc in pcs:
            add("perinatale_sterfte", pc, y - 4, y, sum(deaths[pc, w][0] for w in window),
                sum(deaths[pc, w][1] for w in window))
        add("perinatale_sterfte", "GM9990", y - 4, y, sum(deaths[pc, w][0] for pc in pcs for w in window),
            sum(deaths[pc, w][1] for pc in pcs for w in window))
    write_observations(root, "voorbeeld", rows, is_example=True)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_adversarial_bundle_cannot_be_narrowed(second_municipality, seed):
    adversarial(second_municipality, seed)
    monitor = Monitor.load("voorbeeld")
    assert monitor.published["suppressed"].sum() > 10  # the bundle really is full of small counts
    assert monitor.view.audit["values"].min() >= FLOOR, monitor.view.audit.head()


def test_audit_command_reports_the_narrowest_cell():
    result = run_cli("audit", "--bundle", "voorbeeld")
    assert result.returncode == 0, result.stderr
    assert "smalste klein aantal:" in result.stdout and "In orde" in result.stdout
    import re

    widths = [int(n) for line in result.stdout.splitlines() if line.strip().startswith("smalste")
              for n in re.findall(r"(\d+) mogelijke waarden", line)]
    assert len(widths) == 2 and min(widths) >= FLOOR  # Ridderkerk and the Bommelerwaard coalition


def test_complementary_suppression_is_needed_and_applied(second_municipality):
    # Without the audit loop (primary suppression only) the adversarial bundle leaks; with it, it does not.
    from ks_data.publish import disclosure
    from ks_data.table.catalogue import load_catalogue
    from ks_data.table.config import load_municipality
    from ks_data.table.observations import load_observations

    leaks = []
    for seed in range(1, 6):
        adversarial(second_municipality, seed) if seed == 1 else _reseed(second_municipality, seed)
        settings, mun, catalogue = load_settings(), load_municipality("GM9990"), load_catalogue()
        table = disclosure.pool_postcodes(load_observations("voorbeeld"), catalogue, mun, settings)
        first = disclosure.primary(table, settings.suppression_threshold)
        naive = audit(disclosure._published_counts(first), mun.code, list(mun.postcode_areas), 10)
        leaks.append(naive["values"].min() < FLOOR)
        protected, final = disclosure.protect(table, mun, settings)
        assert final["values"].min() >= FLOOR
        if leaks[-1]:
            assert (protected["hidden_kind"] == "secondary").any()
    assert any(leaks)  # primary suppression alone is not enough on some of these bundles


def _reseed(root, seed):
    """Rewrite only the observations of an adversarial folder with another seed."""
    pcs_config = (root / "gemeenten" / "GM9990.toml").read_text()
    (root / "gemeenten" / "GM9990.toml").write_text(pcs_config.replace(
        'postcode_areas = ["9991", "9992", "9993", "9994", "9995", "9996"]', 'postcode_areas = ["9991", "9992"]'))
    areas = pd.read_csv(root / "areas.csv", dtype=str)
    areas[~areas["area_code"].isin(["9993", "9994", "9995", "9996"])].to_csv(root / "areas.csv", index=False)
    adversarial(root, seed)


def test_primary_suppression_covers_the_complement_and_reads_the_threshold():
    from ks_data.publish.disclosure import primary

    frame = pd.DataFrame({"numerator": [4.0, 55.0, 30.0, np.nan], "denominator": [40.0, 60.0, 60.0, 50.0]})
    marked = primary(frame, 10)
    assert marked["suppressed"].tolist() == [True, True, False, False]
    assert marked["hidden_small"].tolist() == [True, False, False, False]  # 55 of 60: the rest (5) is small
    assert "minder dan 10" in marked.loc[0, "suppression_reason"]
    assert primary(frame, 5)["suppressed"].tolist() == [True, False, False, False]
    assert "minder dan 5" in primary(frame, 5).loc[0, "suppression_reason"]


def test_postcode_blocks_are_fixed_and_complete(second_municipality):
    from ks_data.publish.disclosure import block_of
    from ks_data.table.config import Settings

    settings = Settings("GM9990", "echt", postcode_block_years=5, postcode_block_start=2000)
    assert block_of(2021, settings) == (2020, 2024) and block_of(2019, settings) == (2015, 2019)
    monitor = Monitor.load("voorbeeld")  # the fixture's example has 2019–2024: only 2020–2024 is complete
    pcs = monitor.published[monitor.published["area_code"].isin(["9991", "9992"])]
    assert pcs["period_label"].tolist() == ["2020–2024", "2020–2024"]
    municipality = monitor.published[(monitor.published["area_code"] == "GM9990")
                                     & (monitor.published["period_label"] == "2020–2024")]
    assert municipality["numerator"].iloc[0] == sum(30 + 2 * i for i in range(1, 6))  # summed from its years


def test_a_value_with_its_denominator_counts_as_a_count(second_municipality):
    # the reviewer's case: no numerator, but value × denominator gives the count away (0,57% of 1396 = 8)
    write_observations(second_municipality, "voorbeeld", [
        obs("tienermoeders", "GM9990", "0.57", 2022, "", "1396", is_example="true"),
        obs("big2", "9991", "166.7", 2023, "", "12", is_example="true"),
        obs("big2", "GM9990", "150.0", 2023, "30", "200", is_example="true")], is_example=True)
    table = Monitor.load("voorbeeld").published
    teens = table[table["indicator_id"] == "tienermoeders"]
    assert teens["suppressed"].all() and teens["value"].isna().all()
    assert not ((table["area_code"] == "9991") & (table["period_end"] == 2023)).any()  # a single postcode year is never published


# ---- cases from the second review: data that validates but is shaped to slip past the protection ----

@pytest.fixture
def example_copy(tmp_path, monkeypatch):
    import shutil

    from tests.conftest import DATA

    root = tmp_path / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns(".cache", "nationaal"))
    monkeypatch.setenv("KS_DATA_DIR", str(root))
    path = root / "bundles" / "voorbeeld" / "observations.csv"
    return root, path, pd.read_csv(path, dtype=str, keep_default_na=False)


def safe(monitor) -> bool:
    from ks_data.publish.audit import unsafe

    return unsafe(monitor.view.audit, FLOOR).empty


def rows_of(obs, ind, area, label):
    return (obs["indicator_id"] == ind) & (obs["area_code"] == area) & (obs["period_label"] == label)


def test_contradictory_postcode_areas_hide_the_indicator_instead_of_passing(example_copy):
    root, path, obs = example_copy
    obs.loc[rows_of(obs, "big2", "2981", "2015"), ["numerator", "denominator", "value"]] = ["29", "40", "725.0"]
    obs.to_csv(path, index=False)
    monitor = Monitor.load("voorbeeld")
    assert safe(monitor)
    block = monitor.published[(monitor.published["indicator_id"] == "big2")
                              & (monitor.published["period_label"] == "2020–2024")
                              & monitor.published["area_code"].str.fullmatch(r"\d{4}")]
    shown = block[~block["suppressed"]]
    gm = monitor.value_for("big2", "GM0597", "2020–2024")
    if len(shown) and not gm["suppressed"]:  # whatever is shown, the hidden rest is not one small number
        hidden = block[block["suppressed"]]
        assert len(hidden) != 1 or gm["numerator"] - shown["numerator"].sum() >= 10


def test_undated_rows_with_counts_are_audited(example_copy):
    root, path, obs = example_copy
    extra = []
    counts = {"GM0597": (341, 2000), "2989": (4, 40), **{str(pc): (42, 245) for pc in range(2981, 2989)}}
    for area, (x, n) in counts.items():
        extra.append({**obs.iloc[0].to_dict(), "area_code": area, "period_start": "", "period_end": "",
                      "period_label": "gepubliceerd 2024", "value": f"{x / n * 1000:.1f}", "numerator": "",
                      "denominator": str(n)})
    pd.concat([obs, pd.DataFrame(extra)]).to_csv(path, index=False)
    monitor = Monitor.load("voorbeeld")
    assert safe(monitor)
    plan = monitor.published[(monitor.published["indicator_id"] == "big2")
                             & (monitor.published["period_label"] == "gepubliceerd 2024")].set_index("area_code")
    assert plan.at["2989", "suppressed"] and plan["suppressed"].sum() >= 2  # not the small one alone


def test_a_small_rest_of_the_municipality_is_protected(example_copy):
    root, path, obs = example_copy
    config = (root / "gemeenten" / "GM0597.toml").read_text(encoding="utf-8")
    (root / "gemeenten" / "GM0597.toml").write_text(config.replace('"2988", "2989"]', '"2988"]'), encoding="utf-8")
    monitor = Monitor.load("voorbeeld")
    assert safe(monitor)
    table = monitor.published
    for label in ["2015–2019", "2020–2024"]:
        block = table[(table["indicator_id"] == "big2") & (table["period_label"] == label)].set_index("area_code")
        pcs = [p for p in monitor.municipality.postcode_areas if p in block.index]
        if not block.loc[["GM0597", *pcs], "suppressed"].any():
            rest = block.at["GM0597", "numerator"] - block.loc[pcs, "numerator"].sum()
            assert rest >= 10, (label, rest)


def test_single_postcode_years_are_never_published_even_without_counts(example_copy):
    root, path, obs = example_copy
    obs.loc[rows_of(obs, "big2", "2981", "2021"), ["numerator", "denominator"]] = ["", ""]
    obs.to_csv(path, index=False)
    table = Monitor.load("voorbeeld").published
    pc = table[table["area_code"] == "2981"]
    assert not (pc["period_start"] == pc["period_end"]).any()


def test_counts_implied_by_rounded_values_protect_but_are_no_counts_for_statistics(example_copy):
    root, path, obs = example_copy
    mine = (obs["indicator_id"] == "kinderen_armoede") & (obs["area_code"] == "GM0597")
    obs.loc[mine, "numerator"] = ""
    obs.loc[mine, "value"] = obs.loc[mine, "value"].astype(float).round(0).astype(int).astype(str)
    obs.to_csv(path, index=False)
    monitor = Monitor.load("voorbeeld")
    rows = monitor.series("kinderen_armoede", "GM0597")
    assert rows["numerator"].isna().all() and rows["ci_low"].isna().all()
    assert monitor.trend("kinderen_armoede").marker == "niet getoetst"


def test_a_window_still_narrow_with_a_sibling_hidden_hides_its_own_neighbouring_window_next():
    # Rolling 5-year windows: a municipality's window that stays narrow after a sibling of the same window
    # was hidden is given away by its own neighbouring windows; hiding sibling after sibling would not help.
    from ks_data.publish.disclosure import _candidates
    from ks_data.table.config import Municipality

    province = Municipality(code="PV99", name="P", province="NL01", postcode_areas=("GM1", "GM2", "GM3"))
    rows = []
    for area in ["PV99", "GM1", "GM2", "GM3"]:
        for start in [2005, 2006, 2007]:
            rows.append({"indicator_id": "perinatale_sterfte", "area_code": area, "period_start": start,
                         "period_end": start + 4, "period_label": f"{start}–{start + 4}", "numerator": 30.0,
                         "suppressed": False, "derived": False})
    view = pd.DataFrame(rows, index=[f"c{i}" for i in range(len(rows))])
    me = view.index[(view["area_code"] == "GM1") & (view["period_start"] == 2006)][0]
    view.loc[me, "suppressed"] = True
    first = _candidates(view, me, province).iloc[0]
    assert (first["area_code"], first["period_start"]) in {("GM2", 2006), ("GM3", 2006)}  # a sibling first
    sibling = view.index[(view["area_code"] == "GM2") & (view["period_start"] == 2006)][0]
    view.loc[sibling, "suppressed"] = True
    first = _candidates(view, me, province).iloc[0]
    assert first["area_code"] == "GM1" and first["period_start"] in {2005, 2007}  # then its own neighbour
