"""The example bundle ``voorbeeld``: fictitious but plausible series, reproducible from a fixed seed.

Anchored on the real bundle: where the plan gives a value for an area, the example's
expected value in the last year before the plan's start equals it. Everything else is a
made-up national level. Every row is marked ``is_example`` and "Voorbeelddata — fictief".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ks_data.config import Municipality

SEED = 20240510
YEARS = list(range(2015, 2025))
SURVEY_YEARS = [2016, 2020, 2022]
RETRIEVED = "2026-11-22"
SOURCE = f"Voorbeelddata — fictief (scripts/make_example.py, seed {SEED})"

# Fictitious national levels (proportions) for indicators the plan gives no national value for.
FALLBACK_LEVEL = {"start_zorg_voor_10wk": 0.70, "kinderen_armoede": 0.10}
# Fictitious population sizes per year for the municipality; NL and province scale by inhabitants.
DENOMINATOR_PER_INHABITANT = {
    "births": 450 / 46670, "survey": 700 / 46670, "parents": 3500 / 46670, "girls_15_19": 1400 / 46670,
    "households": 21000 / 46670, "children": 8300 / 46670, "adults_19_45": 14000 / 46670,
}
DENOMINATOR_KIND = {
    "big2": "births", "perinatale_sterfte": "births", "start_zorg_voor_10wk": "births",
    "roken_vrouwen_19_45": "survey", "stress_19_45": "survey", "psychische_problemen_19_45": "survey",
    "zwangeren_psychische_problemen": "births", "ouders_psychische_problemen": "parents",
    "tienermoeders": "girls_15_19", "eenoudergezinnen": "households", "geboren_zeer_kwetsbaar": "births",
    "kinderen_uitkeringsgezin": "children", "schulden_19_45": "adults_19_45", "zwangeren_schulden": "births",
    "geboren_gezin_schulden": "births", "kinderen_armoede": "children",
}
POSTCODE_INDICATORS = {"big2", "start_zorg_voor_10wk", "perinatale_sterfte", "eenoudergezinnen",
                       "kinderen_uitkeringsgezin", "kinderen_armoede"}


def make_example(municipality: Municipality, areas: pd.DataFrame, catalogue: pd.DataFrame,
                 anchors: pd.DataFrame, seed: int = SEED) -> pd.DataFrame:
    """Build the example table for the municipality, its postcode areas, its province and NL.

    ``anchors`` is the real bundle; its values at the baseline label set the expected levels.
    """
    rng = np.random.default_rng(seed)
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
        kind = DENOMINATOR_KIND[ind]
        nl = anchor.get((ind, "NL01"), FALLBACK_LEVEL.get(ind, 0.05))
        level = {"NL01": nl, pv: anchor.get((ind, pv), nl * rng.uniform(0.95, 1.08)),
                 gm: anchor.get((ind, gm), nl * rng.uniform(0.9, 1.15))}
        # Postcode areas spread around the municipality; the plan's own postcode values anchor theirs.
        pc_level = _postcode_levels(rng, level[gm], pcs, pc_share, {pc: anchor.get((ind, pc)) for pc in pcs})
        slope = rng.uniform(-0.012, 0.006)  # relative change per year, fictitious
        years = SURVEY_YEARS if meta.period_type == "survey" else YEARS
        span = range(min(years) - 4, max(years) + 1) if meta.period_type == "5year" else years

        def expected(p: float, year: int, slope: float = slope) -> float:
            return float(np.clip(p * (1 + slope * (year - baseline_year)), 1e-4, 0.99))

        counts: dict[str, dict[int, tuple[int, int]]] = {}
        for area in ["NL01", pv]:
            n_per_year = inhabitants.get(area, np.nan) * DENOMINATOR_PER_INHABITANT[kind]
            counts[area] = {y: _draw(rng, n_per_year, expected(level[area], y), meta.ci_method) for y in span}
        per_pc = {pc: {} for pc in pcs}
        gm_counts = {}
        for y in span:
            n_total = inhabitants.get(gm, np.nan) * DENOMINATOR_PER_INHABITANT[kind] * rng.uniform(0.94, 1.06)
            ns = rng.multinomial(int(round(n_total)), pc_share)
            xs = [_draw_x(rng, n, expected(pc_level[pc], y), meta.ci_method) for pc, n in zip(pcs, ns)]
            for pc, n, x in zip(pcs, ns, xs):
                per_pc[pc][y] = (x, int(n))
            gm_counts[y] = (sum(xs), int(ns.sum()))
        counts[gm] = gm_counts
        if ind in POSTCODE_INDICATORS:
            counts.update(per_pc)
        for area, series in counts.items():
            rows += _rows(ind, area, series, years, meta)
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


def _rows(ind: str, area: str, series: dict[int, tuple[int, int]], years: list[int], meta) -> list[dict]:
    pooled = meta.period_type == "5year"
    out = []
    for y in years:
        window = range(y - 4, y + 1) if pooled else [y]
        x = sum(series[w][0] for w in window)
        n = sum(series[w][1] for w in window)
        if n == 0:
            continue
        digits = 2 if x / n * meta.multiplier < 1 else 1
        out.append({
            "indicator_id": ind, "area_code": area,
            "period_start": window[0], "period_end": y,
            "period_label": f"{window[0]}–{y}" if pooled else str(y),
            "value": round(x / n * meta.multiplier, digits), "unit": meta.unit,
            "numerator": x, "denominator": n, "ci_low": "", "ci_high": "",
            "source": SOURCE, "source_detail": "gegenereerd met vaste seed; geen echte cijfers",
            "retrieved": RETRIEVED, "is_example": "true", "note": "Voorbeelddata — fictief",
        })
    return out
