"""The example bundle: reproducible, marked as example, plausible sizes, anchored on the plan."""

import os
import shutil
import subprocess
import sys

from ks_data.table.observations import load_observations
from tests.conftest import DATA, ROOT


def test_every_row_is_example_and_covers_the_municipality():
    table = load_observations("voorbeeld")
    assert table["is_example"].all()
    assert (table["note"] == "Voorbeelddata — fictief").all()
    areas = set(table["area_code"].astype(str))
    assert {"GM0597", "PV28", "NL01", *[str(pc) for pc in range(2981, 2990)]} <= areas
    big2 = table[(table["indicator_id"] == "big2") & (table["area_code"] == "GM0597")]
    assert sorted(big2["period_end"].tolist()) == list(range(2015, 2025))
    assert big2["denominator"].between(400, 500).all()  # about 450 births a year
    ridderkerk = [str(pc) for pc in range(2981, 2990)]  # the example covers the Bommelerwaard's postcode areas too
    pcs = table[(table["indicator_id"] == "big2") & table["area_code"].astype(str).isin(ridderkerk)]
    assert pcs["denominator"].max() < 150  # a postcode area: tens of births
    # postcode areas add up to the municipality
    by_year = pcs.groupby("period_end")[["numerator", "denominator"]].sum()
    assert (by_year.values == big2.set_index("period_end").sort_index()[["numerator", "denominator"]].values).all()


def test_anchored_on_the_plan_in_the_year_before_the_plan():
    table = load_observations("voorbeeld")
    nl = table[(table["indicator_id"] == "big2") & (table["area_code"] == "NL01") & (table["period_end"] == 2023)]
    assert abs(float(nl["value"].iloc[0]) - 152.8) < 5  # NL is large: close to its expected value


def test_generator_is_deterministic(tmp_path):
    # regenerate into a copy of the data folder: the committed file must come out byte for byte
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy, ignore=shutil.ignore_patterns(".cache", "nationaal"))
    (copy / "bundles" / "voorbeeld" / "observations.csv").unlink()
    subprocess.run([sys.executable, "scripts/make_example.py"], cwd=ROOT, check=True, capture_output=True,
                   env={**os.environ, "KS_DATA_DIR": str(copy)})
    assert (copy / "bundles" / "voorbeeld" / "observations.csv").read_bytes() == \
        (DATA / "bundles" / "voorbeeld" / "observations.csv").read_bytes()


def test_a_new_indicator_is_a_data_change_only(tmp_path):
    # one row in indicators.csv, with a denominator the generator has never heard of: no code change
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy, ignore=shutil.ignore_patterns(".cache", "nationaal"))
    with open(copy / "indicators.csv", "a", encoding="utf-8") as handle:
        handle.write('borstvoeding_3mnd,Borstvoeding na 3 maanden,"Aandeel zuigelingen dat na drie maanden '
                     'borstvoeding krijgt.",%,higher,gezinssituatie,na,year,Voorbeeldbron,wilson,false,'
                     'zuigelingen,1,true\n')
    env = {**os.environ, "KS_DATA_DIR": str(copy)}
    subprocess.run([sys.executable, "scripts/make_example.py"], cwd=ROOT, check=True, capture_output=True, env=env)
    check = subprocess.run([sys.executable, "-c", "from ks_data import Monitor, postcode_table; m = Monitor.load('voorbeeld');"
                            "print(len(m.series('borstvoeding_3mnd', 'GM0597')), len(postcode_table(m, 'borstvoeding_3mnd')))"],
                           cwd=ROOT, capture_output=True, text=True, env=env)
    assert check.stdout.split() == ["10", "9"], check.stderr
