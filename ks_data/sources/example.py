"""The example bundle ``voorbeeld``: fictitious but plausible series, reproducible from a fixed seed.

Anchored on the real bundle: where the plan gives a value for an area, the example's
expected value in the last year before the plan's start equals it. Everything else is a
made-up national level. Every row is marked ``is_example`` and "Voorbeelddata — fictief".
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ks_data.table.config import Municipality, data_dir
from ks_data.vocab import EXAMPLE_MARK


@dataclass(frozen=True)
class Generator:
    """The example's fictitious parameters, read from ``bundles/voorbeeld/generator.toml``."""
    seed: int
    years: list[int]
    survey_years: list[int]
    retrieved: str
    levels: dict[str, float]
    default_level: float
    per_inhabitant: dict[str, float]
    default_per_inhabitant: float

    @property
    def source(self) -> str:
        return f"{EXAMPLE_MARK} (scripts/make_example.py, seed {self.seed})"


def load_generator(root: Path | None = None) -> Generator:
    path = (root or data_dir()) / "bundles" / "voorbeeld" / "generator.toml"
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    return Generator(int(raw["seed"]), list(range(int(raw["first_year"]), int(raw["last_year"]) + 1)),
                     [int(y) for y in raw["survey_years"]], str(raw["retrieved"]),
                     {k: float(v) for k, v in raw.get("levels", {}).items()}, float(raw["default_level"]),
                     {k: float(v) for k, v in raw.get("per_inhabitant", {}).items()},
                     float(raw["default_per_inhabitant"]))


def make_example(municipality: Municipality, areas: pd.DataFrame, catalogue: pd.DataFrame,
                 anchors: pd.DataFrame, gen: Generator, salt: int | None = None) -> pd.DataFrame:
    """Build the example table for the municipality, its postcode areas, its province and NL.

    ``anchors`` is the real bundle; its values at the baseline label set the expected levels.
    Indicators flagged ``postcode`` in the catalogue get postcode rows that add up to the municipality.
    ``salt`` gives a municipality draws of its own (a coalition's or region's members); without it the draws
    are the seed's, as for every municipality with a configuration of its own.
    """
    rng = np.random.default_rng(gen.seed if salt is None else [gen.seed, salt])
    gm, pv = municipality.code, municipality.province
    pcs = list(municipality.postcode_areas)
    inhabitants = areas["inhabitants"].astype(float)
    pc_share = inhabitants.reindex(pcs).fillna(0).to_numpy()
    pc_share = pc_share / pc_share.sum() if pc_share.sum() else np.full(len(pcs), 1 / max(len(pcs), 1))
    base = anchors[anchors["period_label"] == municipality.baseline_label] if len(anchors) else anchors
    anchor = {(r.indicator_id, r.area_code): r.value / catalogue.at[r.indicator_id, "multiplier"]
              for r in base.itertuples() if pd.notna(r.value)}
    rows: list[dict] = []
    baseline_year = (municipality.plan_start or 2024) - 1
    for ind, meta in catalogue.iterrows():
        per_inhabitant = gen.per_inhabitant.get(meta.denominator, gen.default_per_inhabitant)
        nl = anchor.get((ind, "NL01"), gen.levels.get(ind, gen.default_level))
        level = {"NL01": nl, pv: anchor.get((ind, pv), nl * rng.uniform(0.95, 1.08))}
        # a coalition's or region's members spread around their province, so that together they stay within it
        level[gm] = anchor.get((ind, gm), (nl if salt is None else level[pv]) * rng.uniform(0.9, 1.15))
        # Postcode areas spread around the municipality; the plan's own postcode values anchor theirs.
        pc_level = _postcode_levels(rng, level[gm], pcs, pc_share, {pc: anchor.get((ind, pc)) for pc in pcs})
        slope = rng.uniform(-0.012, 0.006)  # relative change per year, fictitious
        years = gen.survey_years if meta.period_type == "survey" else gen.years
        span = range(min(years) - 4, max(years) + 1) if meta.period_type == "5year" else years

        def expected(p: float, year: int, slope: float = slope) -> float:
            return float(np.clip(p * (1 + slope * (year - baseline_year)), 1e-4, 0.99))

        counts: dict[str, dict[int, tuple[int, int]]] = {}
        for area in ["NL01", pv]:
            n_per_year = inhabitants.get(area, np.nan) * per_inhabitant
            counts[area] = {y: _draw(rng, n_per_year, expected(level[area], y), meta.ci_method) for y in span}
        per_pc = {pc: {} for pc in pcs}
        gm_counts = {}
        for y in span if not pcs else ():  # no postcode areas asked for: the municipality drawn as a whole
            gm_counts[y] = _draw(rng, inhabitants.get(gm, np.nan) * per_inhabitant, expected(level[gm], y),
                                 meta.ci_method)
        for y in span if pcs else ():
            n_total = inhabitants.get(gm, np.nan) * per_inhabitant * rng.uniform(0.94, 1.06)
            ns = rng.multinomial(int(round(n_total)), pc_share)
            xs = [_draw_x(rng, n, expected(pc_level[pc], y), meta.ci_method) for pc, n in zip(pcs, ns)]
            for pc, n, x in zip(pcs, ns, xs):
                per_pc[pc][y] = (x, int(n))
            gm_counts[y] = (sum(xs), int(ns.sum()))
        counts[gm] = gm_counts
        if meta.postcode:
            counts.update(per_pc)
        for area, series in counts.items():
            rows += _rows(ind, area, series, years, meta, gen)
    return pd.DataFrame(rows)


def _postcode_levels(rng, total: float, pcs: list[str], share: np.ndarray, fixed: dict) -> dict[str, float]:
    """Levels per postcode area whose birth-weighted mean is the municipality's level.

    Areas with a value in the plan keep it; the others share what is left, with fictitious spread.
    """
    free = [i for i, pc in enumerate(pcs) if fixed[pc] is None]
    out = {pc: fixed[pc] for pc in pcs if fixed[pc] is not None}
    if free:
        rest = total - sum(share[i] * fixed[pcs[i]] for i in range(len(pcs)) if i not in free)
        raw = rng.uniform(0.8, 1.2, size=len(free))
        scale = rest / float(np.sum(share[free] * raw)) if np.sum(share[free] * raw) else 0.0
        out.update({pcs[i]: max(raw[k] * scale, total * 0.3) for k, i in enumerate(free)})
    return out


def _draw_x(rng, n: float, p: float, method: str) -> int:
    return int(rng.poisson(n * p)) if method == "poisson_exact" else int(rng.binomial(int(n), p))


def _draw(rng, n_per_year: float, p: float, method: str) -> tuple[int, int]:
    n = int(round(n_per_year * rng.uniform(0.97, 1.03)))
    return _draw_x(rng, n, p, method), n


def _rows(ind: str, area: str, series: dict[int, tuple[int, int]], years: list[int], meta,
          gen: Generator) -> list[dict]:
    pooled = meta.period_type == "5year"
    out = []
    for y in years:
        window = range(y - 4, y + 1) if pooled else [y]
        x = sum(series[w][0] for w in window)
        n = sum(series[w][1] for w in window)
        if n == 0:
            continue
        digits = int(meta.decimals)
        out.append({
            "indicator_id": ind, "area_code": area,
            "period_start": window[0], "period_end": y,
            "period_label": f"{window[0]}–{y}" if pooled else str(y),
            "value": f"{x / n * meta.multiplier:.{digits}f}", "unit": meta.unit,
            "numerator": x, "denominator": n, "ci_low": "", "ci_high": "",
            "source": gen.source, "source_detail": "gegenereerd met vaste seed; geen echte cijfers",
            "retrieved": gen.retrieved, "is_example": "true", "note": EXAMPLE_MARK,
        })
    return out
