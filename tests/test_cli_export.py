"""``python -m ks_data export``: the plan's figures, the example rows, and a lossless round trip."""

import io

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.rates import confint_poisson

from ks_data.table.observations import check_table, load_observations, read_raw, to_text
from tests.conftest import run_cli


def run(*args):
    return run_cli(*args, text=False)


def test_export_csv_prints_the_plan_figures():
    result = run("export", "--format", "csv")
    assert result.returncode == 0
    table = pd.read_csv(io.BytesIO(result.stdout), dtype={"area_code": str})
    big2 = table[(table["indicator_id"] == "big2") & (table["period_label"] == "gepubliceerd 2024")]
    big2 = big2.set_index("area_code")["value"]
    assert big2["GM0597"] == 176.0 and big2["NL01"] == 152.8 and big2["PV28"] == 160.8
    assert big2["2986"] == 229.09 and big2["2987"] == 194.81
    start = table[(table["indicator_id"] == "start_zorg_voor_10wk") & (table["area_code"] == "GM0597")]
    assert start["value"].isna().all()


def test_default_export_is_the_published_view():
    result = run("export", "--bundle", "voorbeeld", "--format", "csv")
    assert result.returncode == 0 and result.stderr == b""
    table = pd.read_csv(io.BytesIO(result.stdout), dtype={"area_code": str})
    counts = table[["numerator", "denominator"]].dropna()
    assert ((counts["numerator"] >= 10) & (counts["denominator"] - counts["numerator"] >= 10)).all()
    hidden = table[table["note"].str.startswith("verborgen", na=False)]
    assert len(hidden) > 0 and hidden[["value", "numerator", "ci_low", "ci_high"]].isna().all().all()
    postcode = table[table["area_code"].str.fullmatch(r"\d{4}")]
    assert (postcode["period_end"] - postcode["period_start"] == 4).all()  # never a single year
    assert check_table(table.astype(str).replace({"nan": ""})) is not None  # itself a valid tidy file


def test_unsuppressed_export_warns_in_dutch():
    result = run("export", "--bundle", "voorbeeld", "--unsuppressed")
    assert result.returncode == 0
    assert "Niet publiceren" in result.stderr.decode() and "minder dan 10" in result.stderr.decode()
    table = pd.read_csv(io.BytesIO(result.stdout))
    assert (table["numerator"] < 10).any()


def test_unsuppressed_export_has_statsmodels_intervals():
    result = run("export", "--bundle", "voorbeeld", "--format", "csv", "--unsuppressed")
    table = pd.read_csv(io.BytesIO(result.stdout), dtype={"area_code": str})
    assert table["is_example"].all() and len(table) > 500
    counted = table[table["numerator"].notna() & table["denominator"].notna()]
    assert len(counted) == len(table)
    assert counted["ci_low"].notna().all()
    wilson = counted[counted["indicator_id"] != "perinatale_sterfte"]
    mult = wilson["unit"].map({"per1000": 1000, "%": 100})
    low, high = proportion_confint(wilson["numerator"], wilson["denominator"], alpha=0.05, method="wilson")
    assert ((wilson["ci_low"] - low * mult).abs() < 1e-9).all()
    assert ((wilson["ci_high"] - high * mult).abs() < 1e-9).all()
    rates = counted[counted["indicator_id"] == "perinatale_sterfte"]
    low, high = confint_poisson(rates["numerator"].to_numpy(), rates["denominator"].to_numpy(), method="exact-c",
                                alpha=0.05)
    low = pd.Series(low, index=rates.index).where(rates["numerator"] > 0, 0.0)
    assert ((rates["ci_low"] - low * 1000).abs() < 1e-9).all()
    # a share cannot lie above its whole denominator: the exact Poisson bound is capped there (0 of 1 birth)
    assert ((rates["ci_high"] - np.minimum(high, 1.0) * 1000).abs() < 1e-9).all()
    assert (high > 1.0).any()  # the example holds such tiny postcode areas, so the cap is exercised


def test_export_filters():
    result = run("export", "--bundle", "voorbeeld", "--indicator", "big2", "--area", "2986")
    table = pd.read_csv(io.BytesIO(result.stdout), dtype={"area_code": str})
    assert set(table["indicator_id"]) == {"big2"} and set(table["area_code"]) == {"2986"}
    assert table["period_label"].tolist() == ["2015–2019", "2020–2024"]


@pytest.mark.parametrize("fmt", ["csv", "parquet", "xlsx"])
def test_export_round_trip(tmp_path, fmt):
    out = tmp_path / f"export.{fmt}"
    assert run("export", "--bundle", "voorbeeld", "--format", fmt, "--out", str(out), "--unsuppressed").returncode == 0
    back = check_table(read_raw(out))
    original = load_observations("voorbeeld")
    # Excel keeps 15 significant digits; everything else must come back exactly.
    pd.testing.assert_frame_equal(to_text(back), to_text(original), check_dtype=False, check_exact=False, rtol=1e-13)


def test_unknown_bundle_is_a_clear_error():
    result = run("export", "--bundle", "bestaat_niet")
    assert result.returncode == 2 and "bestaat_niet" in result.stderr.decode()
    assert "Traceback" not in result.stderr.decode()
