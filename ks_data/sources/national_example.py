"""A national-size example table: every postcode area, municipality and province and NL, every indicator.

Fictitious and deterministic (fixed seed), for measuring the monitor at national scale. Counts are
drawn for postcode areas and summed upwards, so a municipality's counts are the sum of its postcode
areas', a province's the sum of its municipalities' and NL's the sum of the provinces'. Every row is
marked as example data. Built with whole-array NumPy operations (no per-row Python), so 1.4 million
rows take a few seconds.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ks_data.sources.example import load_generator
from ks_data.table.areas import load_areas
from ks_data.table.catalogue import load_catalogue
from ks_data.table.schema import COLUMNS
from ks_data.vocab import EXAMPLE_MARK

SEED = 20261123
FIRST_YEAR, LAST_YEAR = 2005, 2024
SOURCE = f"{EXAMPLE_MARK} (landelijk, ks_data/sources/national_example.py, seed {SEED})"


def _sum_up(counts: np.ndarray, parent: np.ndarray, n_parents: int) -> np.ndarray:
    """Rows of ``counts`` (areas × years) added into their parents' rows."""
    out = np.zeros((n_parents, counts.shape[1]))
    np.add.at(out, parent, counts)
    return out


def _national_levels(catalogue: pd.DataFrame, root=None) -> dict[str, float]:
    """Expected proportions near the real national figures where the real bundle has them (the rest is made up)."""
    from ks_data.table.observations import load_observations

    try:
        real = load_observations("echt", root)
    except (OSError, ValueError):  # without a real bundle every level is the generator's fictitious one
        return {}
    nl = real[(real["area_code"] == "NL01") & real["value"].notna()].sort_values("period_end", na_position="first")
    last = nl.groupby("indicator_id", observed=True)["value"].last()
    return {ind: float(v) / float(catalogue.at[ind, "multiplier"]) for ind, v in last.items()
            if ind in catalogue.index and 0 < float(v) < float(catalogue.at[ind, "multiplier"])}


def _five_year_sums(counts: np.ndarray) -> np.ndarray:
    """Sums over every window of five consecutive years (columns), for each row."""
    running = np.concatenate([np.zeros((counts.shape[0], 1)), np.cumsum(counts, axis=1)], axis=1)
    return running[:, 5:] - running[:, :-5]


def national_example(fraction: float = 1.0, root=None, only_provinces: tuple[str, ...] = (),
                     scale: float = 1.0) -> pd.DataFrame:
    """The table in the tidy schema; ``fraction`` < 1 keeps that share of the municipalities (for growth tests).

    ``only_provinces`` keeps only those provinces' municipalities; ``scale`` < 1 shrinks every denominator, so
    that many counts are small (for tests of disclosure control on many small counts).
    """
    rng = np.random.default_rng(SEED)
    gen, catalogue, areas = load_generator(root), load_catalogue(root), load_areas(root)
    years = np.arange(FIRST_YEAR, LAST_YEAR + 1)
    municipalities = areas[areas["level"] == "gemeente"]
    if only_provinces:
        municipalities = municipalities[municipalities["parent_code"].isin(list(only_provinces))]
    if fraction < 1:
        municipalities = municipalities.iloc[: max(1, round(len(municipalities) * fraction))]
    postcodes = areas[(areas["level"] == "postcode") & areas["parent_code"].isin(municipalities.index)]
    provinces = areas[(areas["level"] == "provincie") & areas.index.isin(municipalities["parent_code"])]
    mun_of_pc = municipalities.index.get_indexer(postcodes["parent_code"])
    prov_of_mun = provinces.index.get_indexer(municipalities["parent_code"])
    inhabitants = postcodes["inhabitants"].fillna(0).astype(float).to_numpy()
    # fictitious differences between places: a municipality effect and a postcode effect on the log-odds
    mun_effect = rng.normal(0, 0.15, len(municipalities))
    pc_effect = mun_effect[mun_of_pc] + rng.normal(0, 0.2, len(postcodes))
    codes = np.concatenate([postcodes.index, municipalities.index, provinces.index, ["NL01"]])
    parts = []
    anchors = _national_levels(catalogue, root)
    for ind, meta in catalogue.iterrows():
        level = anchors.get(ind, gen.levels.get(ind, gen.default_level))
        per_inhabitant = gen.per_inhabitant.get(meta["denominator"], gen.default_per_inhabitant)
        trend = rng.normal(0, 0.01)
        logit = (np.log(level / (1 - level)) + pc_effect[:, None] + trend * (years - years[0])[None, :])
        chance = 1 / (1 + np.exp(-logit))
        denominator = rng.poisson(np.maximum(inhabitants * per_inhabitant * scale, 1)[:, None] * np.ones(len(years)))
        numerator = rng.binomial(denominator, chance)
        den_mun = _sum_up(denominator, mun_of_pc, len(municipalities))
        num_mun = _sum_up(numerator, mun_of_pc, len(municipalities))
        den_prov, num_prov = _sum_up(den_mun, prov_of_mun, len(provinces)), _sum_up(num_mun, prov_of_mun, len(provinces))
        den = np.vstack([denominator, den_mun, den_prov, den_prov.sum(axis=0, keepdims=True)])
        num = np.vstack([numerator, num_mun, num_prov, num_prov.sum(axis=0, keepdims=True)])
        if meta["period_type"] == "5year":  # five years taken together, as the indicator is published
            den, num = _five_year_sums(den), _five_year_sums(num)
            ends = years[4:]
            starts = ends - 4
            labels = [f"{s}–{e}" for s, e in zip(starts, ends)]
        else:
            starts = ends = years
            labels = [str(y) for y in years]
        n_areas, n_periods = den.shape
        with np.errstate(divide="ignore", invalid="ignore"):
            value = np.where(den > 0, num / den * float(meta["multiplier"]), np.nan)
        parts.append(pd.DataFrame({
            "indicator_id": ind, "area_code": np.repeat(codes, n_periods),
            "period_start": np.tile(starts, n_areas), "period_end": np.tile(ends, n_areas),
            "period_label": np.tile(labels, n_areas), "value": np.round(value.ravel(), 1),
            "unit": meta["unit"], "numerator": num.ravel(), "denominator": den.ravel()}))
    table = pd.concat(parts, ignore_index=True)
    table = table[table["denominator"] > 0].reset_index(drop=True)
    table["ci_low"], table["ci_high"], table["note"], table["definition"] = np.nan, np.nan, "", ""
    table["source"], table["retrieved"], table["is_example"] = SOURCE, gen.retrieved, True
    table["source_detail"] = "gegenereerd met vaste seed; geen echte cijfers"
    return table[COLUMNS]


def write_csv(table: pd.DataFrame, path) -> None:
    """The table as the bundle's text file, written by Arrow (a pandas writer takes ~10× longer at this size)."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    out = table.copy()
    for col in ["numerator", "denominator", "period_start", "period_end"]:
        out[col] = out[col].astype("int64")
    out["is_example"] = "true"
    # values with their one decimal written out: a bare "188" would read as a figure given without decimals
    value = out["value"].to_numpy(float)
    out["value"] = np.where(np.isnan(value), "", np.char.mod("%.1f", np.nan_to_num(value)))
    pcsv.write_csv(pa.Table.from_pandas(out, preserve_index=False), str(path),
                   pcsv.WriteOptions(quoting_style="needed"))


def write_bundle(folder, fraction: float = 1.0, root=None, only_provinces: tuple[str, ...] = (),
                 scale: float = 1.0) -> int:
    """Write the example as a bundle folder (``bundle.toml`` and ``observations.csv``); returns the row count."""
    from pathlib import Path

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    table = national_example(fraction, root, only_provinces, scale)
    (folder / "bundle.toml").write_text(
        f'title = "{EXAMPLE_MARK} (landelijk)"\nis_example = true\n'
        f'description = "Verzonnen reeksen {FIRST_YEAR}–{LAST_YEAR} voor alle gemeenten en postcodegebieden '
        f'(vaste seed {SEED}), om de monitor op landelijke schaal te meten. Geen echte cijfers."\n', encoding="utf-8")
    write_csv(table, folder / "observations.csv")
    return len(table)
