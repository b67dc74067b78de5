"""The plan's target: the latest period against the baseline, as a non-inferiority question.

"At least stabilisation, possibly a decrease" does not mean "no significant change": with
~450 births a year a large rise is rarely significant. The coalition chooses a margin per
indicator (the largest rise, as a fraction of the baseline, that still counts as stable); the
verdict then reads the 95% interval of the change (where lower is better; mirrored otherwise):

- the whole interval below 0: improved, target met;
- its upper end below the margin: not risen, target met (if the whole interval is above 0 the
  figure did rise, and the verdict says so: risen, but within the margin, target met);
- the whole interval above 0: risen, target not met;
- otherwise: uncertain, a rise larger than the margin cannot be ruled out.

Proportions use Newcombe's interval of the difference (statsmodels); rates the exact
conditional interval of the ratio (Clopper–Pearson on the binomial split of the events),
with the margin as a ratio 1 ± margin. Without counts there is no verdict, only a labelled
indicative comparison. Indicators the plan only follows get the change, never a target word.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from ks_data.vocab import CHANGE_WORDS, NOT_YET, RULE_FOLLOW, TARGET_WORDS

STATUSES = ("improved", "held", "within_margin", "worsened", "uncertain", "not_yet", "followed")


@dataclass(frozen=True)
class TargetResult:
    status: str  # one of STATUSES
    text: str  # the Dutch verdict, e.g. "geen stijging groter dan de marge — doel gehaald"
    low: float | None = None  # 95% interval of the difference (unit of the indicator) or of the ratio
    high: float | None = None
    measure: str = ""  # "verschil" or "verhouding"
    margin: float | None = None  # the margin on the same scale as low/high (absolute difference, or ratio)
    margin_fraction: float | None = None  # as configured: a fraction of the baseline
    baseline: pd.Series | None = None
    latest: pd.Series | None = None
    reason: str = ""  # why there is no verdict
    indicative: str = ""  # a comparison of values without counts, labelled as such

    @property
    def on_target(self) -> bool | None:
        return {"improved": True, "held": True, "within_margin": True, "worsened": False}.get(self.status)

    @property
    def label(self) -> str:
        return f"{self.text} — {self.reason}" if self.reason else self.text


def pick_periods(series: pd.DataFrame, baseline_label: str,
                 plan_start: int | None) -> tuple[pd.Series | None, pd.Series | None]:
    """Baseline: the row published as the plan's baseline, else the last period ending before the plan.

    Latest: the most recent dated row after the baseline that lies wholly within the plan's run (starts
    in or after its first year): a 5-year window 2020-2024 holds four years before the plan and says
    next to nothing about it.
    """
    # masks on the few columns needed, one row taken at the end (the rows are wide)
    hidden = series["suppressed"].astype(bool) if "suppressed" in series else pd.Series(False, index=series.index)
    known = (series["value"].notna() | hidden).to_numpy()
    end = series["period_end"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    start = series["period_start"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    labels = series["period_label"].astype(str).to_numpy()
    order = np.lexsort((start, end))  # by end, then start; undated (NaN) last
    base_pos = [i for i in range(len(series)) if known[i] and labels[i] == baseline_label][:1]
    if not base_pos and plan_start is not None:
        base_pos = [i for i in order if known[i] and end[i] < plan_start][-1:]
    baseline = series.iloc[base_pos[0]] if base_pos else None
    ok = known & ~np.isnan(end)
    if plan_start is not None:
        ok &= start >= plan_start
    if baseline is not None and not np.isnan(end[base_pos[0]]):
        ok &= end > end[base_pos[0]]
    elif baseline is not None:
        ok[base_pos[0]] = False
    last = [i for i in order if ok[i]]
    latest = series.iloc[last[-1]] if last else None
    return baseline, latest


def _hidden(row: pd.Series) -> bool:
    return bool(row.get("suppressed", False))


def target_verdict(series: pd.DataFrame, *, polarity: str, ci_method: str, multiplier: float, rule: str,
                   margin: float | None, baseline_label: str, plan_start: int | None) -> TargetResult:
    """The verdict for one indicator and area; ``series`` holds its rows (``suppressed`` if known)."""
    baseline, latest = pick_periods(series, baseline_label, plan_start)
    follow = rule == RULE_FOLLOW

    def not_yet(reason: str, indicative: str = "") -> TargetResult:
        return TargetResult("not_yet", NOT_YET, margin_fraction=None if follow else margin, baseline=baseline,
                            latest=latest, reason=reason, indicative=indicative)

    if baseline is None:
        return not_yet("geen basiswaarde")
    if latest is None:
        since = f" (vanaf {plan_start})" if plan_start else ""
        return not_yet(f"nog geen periode geheel binnen de looptijd van het plan{since}")
    if (pd.notna(baseline["period_end"]) and pd.notna(latest["period_start"])
            and latest["period_start"] <= baseline["period_end"]):
        return not_yet("de perioden overlappen; wacht op een periode die niet overlapt met de basis")
    if str(baseline.get("definition", "") or "") != str(latest.get("definition", "") or ""):
        return not_yet("de laatste periode heeft een andere definitie dan de basis (breuk in de reeks)")
    if _hidden(baseline) or _hidden(latest):
        return not_yet("de basis of de laatste periode is verborgen (kleine aantallen)")
    if not all(pd.notna(r[c]) for r in (baseline, latest) for c in ("numerator", "denominator")):
        diff = latest["value"] - baseline["value"]
        word = CHANGE_WORDS["up"] if diff > 0 else CHANGE_WORDS["down"] if diff < 0 else "gelijk"
        return not_yet("geen aantallen, dus geen toets",
                       indicative=f"indicatief (geen aantallen): waarde {word}")
    low, high, measure, null = _interval(baseline, latest, ci_method, multiplier)
    if follow:
        change = "up" if low > null else "down" if high < null else "none"
        return TargetResult("followed", f"{CHANGE_WORDS[change]} (gevolgd, geen doel)", low, high, measure,
                            baseline=baseline, latest=latest)
    if margin is None:
        return not_yet("geen marge ingesteld in de configuratie van de gemeente")
    bound = null + margin * (float(baseline["value"]) if measure == "verschil" else 1.0)
    if polarity == "higher":  # mirror: a fall is the unfavourable direction
        bound = 2 * null - bound
        status = ("improved" if low > null else ("within_margin" if high < null else "held") if low > bound
                  else "worsened" if high < null else "uncertain")
    else:
        status = ("improved" if high < null else ("within_margin" if low > null else "held") if high < bound
                  else "worsened" if low > null else "uncertain")
    return TargetResult(status, TARGET_WORDS[polarity][status], low, high, measure, bound, margin,
                        baseline=baseline, latest=latest)


def _interval(baseline: pd.Series, latest: pd.Series, ci_method: str,
              multiplier: float) -> tuple[float, float, str, float]:
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
