"""The plan's target: the latest period against the baseline period.

"At least stabilisation" means: the latest period is not significantly worse than the
baseline. Proportions: Newcombe's interval of the difference (statsmodels); rates: the exact
conditional interval of the ratio (a Clopper–Pearson interval on the binomial split of the
events). Where counts are missing, the values are compared and the verdict is indicative.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

DECREASED, STABLE, INCREASED, TOO_FEW = "gedaald", "stabiel", "gestegen", "onvoldoende gegevens"


@dataclass(frozen=True)
class TargetResult:
    change: str
    on_target: bool | None = None  # None: no target for this indicator, or not assessable
    indicative: bool = False
    low: float | None = None  # interval of the difference (unit of the indicator) or of the ratio
    high: float | None = None
    measure: str = ""  # "verschil" or "verhouding"
    baseline: pd.Series | None = None
    latest: pd.Series | None = None
    reason: str = ""

    @property
    def label(self) -> str:
        """Dutch wording: 'gestegen – doel niet gehaald', 'stabiel (indicatief, geen aantallen)'."""
        text = self.change
        if self.on_target is False:
            text += " – doel niet gehaald"
        if self.indicative:
            text += " (indicatief, geen aantallen)"
        return text


def pick_periods(series: pd.DataFrame, baseline_label: str, plan_start: int | None) -> tuple[pd.Series | None, pd.Series | None]:
    """Baseline: the row published as the plan's baseline, else the last period ending before the plan.

    Latest: the row with the latest known period end after the baseline.
    """
    series = series[series["value"].notna()]
    base = series[series["period_label"] == baseline_label]
    if base.empty and plan_start is not None:
        before = series[series["period_end"].notna() & (series["period_end"] < plan_start)]
        base = before.sort_values("period_end").tail(1)
    baseline = base.iloc[0] if len(base) else None
    dated = series[series["period_end"].notna()]
    if baseline is not None and pd.notna(baseline["period_end"]):
        dated = dated[dated["period_end"] > baseline["period_end"]]
    elif baseline is not None:
        dated = dated[dated.index != baseline.name]
    latest = dated.sort_values("period_end").iloc[-1] if len(dated) else None
    return baseline, latest


def target_verdict(series: pd.DataFrame, *, polarity: str, ci_method: str, multiplier: float,
                   rule: str, baseline_label: str, plan_start: int | None) -> TargetResult:
    baseline, latest = pick_periods(series, baseline_label, plan_start)
    if baseline is None or latest is None:
        why = "geen basiswaarde" if baseline is None else "nog geen periode na de basiswaarde"
        return TargetResult(TOO_FEW, baseline=baseline, latest=latest, reason=why)
    if (pd.notna(baseline["period_end"]) and pd.notna(latest["period_start"])
            and latest["period_start"] <= baseline["period_end"]):
        return TargetResult(TOO_FEW, baseline=baseline, latest=latest,
                            reason="de perioden overlappen; wacht op een periode die niet overlapt")
    has_counts = all(pd.notna(r[c]) for r in (baseline, latest) for c in ("numerator", "denominator"))
    if has_counts:
        low, high, measure, null = _interval(baseline, latest, ci_method, multiplier)
        change = DECREASED if high < null else INCREASED if low > null else STABLE
        indicative = False
    else:
        low = high = None
        measure, indicative = "", True
        diff = latest["value"] - baseline["value"]
        change = DECREASED if diff < 0 else INCREASED if diff > 0 else STABLE
    worse = INCREASED if polarity == "lower" else DECREASED
    on_target = None if rule == "volgen" else change != worse
    return TargetResult(change, on_target, indicative, low, high, measure, baseline, latest)


def _interval(baseline: pd.Series, latest: pd.Series, ci_method: str, multiplier: float) -> tuple[float, float, str, float]:
    x1, n1 = float(latest["numerator"]), float(latest["denominator"])
    x0, n0 = float(baseline["numerator"]), float(baseline["denominator"])
    if ci_method == "poisson_exact":
        # Conditional on all events, the latest period's share is binomial; its exact interval
        # translates into one for the rate ratio latest/baseline.
        total = x1 + x0
        if total == 0:
            return 0.0, float("inf"), "verhouding", 1.0
        lo, hi = proportion_confint(x1, total, alpha=0.05, method="beta")
        def ratio(share: float) -> float:
            return share / (1 - share) * (n0 / n1) if share < 1 else float("inf")

        return ratio(float(lo)), ratio(float(hi)), "verhouding", 1.0
    lo, hi = confint_proportions_2indep(x1, n1, x0, n0, method="newcomb", compare="diff")
    return float(lo) * multiplier, float(hi) * multiplier, "verschil", 0.0
