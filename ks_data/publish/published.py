"""The one published view of a municipality: what every page, download and export may show.

Built once from the validated observations: postcode areas pooled over fixed blocks, what is hidden
as its province's joint audit decided (:mod:`ks_data.publish.linked`), checked again by the view's own audit
(:mod:`ks_data.publish.disclosure`), then hidden
figures blanked — no value, count, interval, verdict or direction survives for them; only
their denominator and the reason they are hidden. Verdicts against the Netherlands, the
province and the municipality are computed on this view, so a figure compared with a hidden
benchmark gets no verdict either. Statistics that need raw counts (the trend test) use
:attr:`PublishedView.raw`, which never leaves the data layer.
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ks_data.columnar import put_text
from ks_data.publish.disclosure import AUDITED, exact_ranges, pool_postcodes, protect
from ks_data.stats import compare as cmp
from ks_data.stats.intervals import fill_intervals
from ks_data.table.config import Municipality, Settings
from ks_data.vocab import NOT_ASSESSED, UNIT_LABEL, VERDICTS, hidden_text

BLANKED = ["value", "numerator", "ci_low", "ci_high"]
INTERNAL = ["hidden_kind", "hidden_small"]  # would tell which half of the rule holds: never published
IMPLIED_NOTE = "(aantal afgeleid uit waarde en noemer)"


@dataclass
class PublishedView:
    table: pd.DataFrame  # every published cell (hidden ones blanked), with ``hidden`` wording
    compared: dict[str, pd.DataFrame]  # the table with verdicts against each benchmark
    audit: pd.DataFrame  # every hidden count's range given all of the above, worked out until it is wide enough
    raw: pd.DataFrame  # the same cells with their true counts: for tests on raw counts only
    exact: bool = True  # full ranges can be had (exact_audit); a coalition's are only known to be wide enough
    _audited: tuple | None = field(default=None, repr=False)  # (protected AUDITED columns, municipality, settings)
    _ranges: dict = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def exact_audit(self, indicator_id: str) -> pd.DataFrame | None:
        """Every hidden count's full range for one indicator (worked out once, on first use), or None where the
        view has none (a coalition). The build's audit stops at "wide enough", which decides what to hide just as
        well; statistics over a hidden count's possible values (the trend marker) need the whole range."""
        if not self.exact or self._audited is None:
            return None
        with self._lock:
            if indicator_id not in self._ranges:
                self._ranges[indicator_id] = exact_ranges(*self._audited, indicator_id)
            return self._ranges[indicator_id]

    def same_for_every_allowed_count(self, indicator_id: str, rows: pd.DataFrame, hidden: pd.Index, statistic,
                                     outcome, limit: int = 400) -> bool:
        """Whether ``statistic(rows)`` gives ``outcome`` for every count the audit allows each of the ``hidden``
        rows (``rows``: raw cells of this view), so that showing it says nothing the published figures do not.

        False when a range is not known exactly or the combinations exceed ``limit``: then it is not shown.
        """
        ranges = self.exact_audit(indicator_id)
        if ranges is None:
            return False
        audit = ranges.set_index("cell")
        if not set(hidden) <= set(audit.index):
            return False
        allowed = [range(int(np.ceil(audit.at[i, "low"] - 1e-6)), int(np.floor(audit.at[i, "high"] + 1e-6)) + 1)
                   for i in hidden]
        if np.prod([len(r) for r in allowed], dtype=float) > limit:
            return False
        for counts in itertools.product(*allowed):
            trial = rows.copy()
            trial.loc[hidden, "numerator"] = counts
            if statistic(trial) != outcome:
                return False
        return True

    def full_audit(self) -> pd.DataFrame:
        """Every indicator's full ranges together, as one exact audit of the view orders them (the command line's
        report of the narrowest count); the build's audit where the view has no full ranges."""
        indicators = sorted(set(self.audit["indicator_id"].astype(str)))
        parts = [p for p in map(self.exact_audit, indicators) if p is not None and len(p)]
        return pd.concat(parts, ignore_index=True).sort_values("values", kind="stable") if parts else self.audit


def build(obs: pd.DataFrame, catalogue: pd.DataFrame, areas: pd.DataFrame, municipality: Municipality,
          settings: Settings, decided: pd.Series) -> PublishedView:
    """The municipality's (or coalition's) view, following ``decided``: what its province's joint audit decided for
    every cell of it (:class:`ks_data.publish.publication.Publication` builds both), so that no two views can be
    subtracted. ``obs`` holds the rows of the coalition and of the region as well (:mod:`ks_data.publish.groups`).

    A block of years pooled here that the joint audit did not decide (a member of a coalition whose own postcode
    areas have no figure then) is left out: a view publishes nothing the joint audit did not see.
    """
    # on the categories: a national table is large
    obs = prepared(obs[obs["area_code"].isin(["NL01", *municipality.shown_areas])], catalogue)
    pooled = pool_postcodes(obs, catalogue, municipality, settings)
    if len(decided):
        key = pd.MultiIndex.from_frame(pooled[["indicator_id", "area_code", "period_label"]].astype(str))
        pooled = pooled[~(pooled["derived"].astype(bool).to_numpy() & ~key.isin(decided.index))]
    pooled = fill_intervals(pooled.reset_index(drop=True), catalogue)
    # The view's own audit is the safety net of a joint audit that saw more relations than it does. It only has to
    # know that each hidden count's range is wide enough: a narrow one is still worked out exactly, so the same
    # figures are hidden as with full ranges, at a fraction of the linear programs (85% of a view's build). Full
    # ranges are worked out per indicator when a statistic asks (exact_audit); never for a coalition, whose
    # hundreds of postcode areas would take thousands of programs (its statistics then say they cannot be shown).
    exact = not municipality.is_coalition
    protected, audited = protect(pooled, municipality, settings, decided, exact=False)
    table, compared = publish(protected, catalogue, areas, benchmarks_of(municipality))
    return PublishedView(table, compared, audited, compact(without_implied(protected).drop(columns=INTERNAL)), exact,
                         (protected[AUDITED].copy(), municipality, settings) if exact else None)


def benchmarks_of(municipality: Municipality) -> dict[str, str]:
    """What a view's figures are judged against: name → the ``against`` of :func:`ks_data.stats.compare.compare`.

    "gemeente" is what a postcode area is compared with: its municipality, or for a coalition the coalition
    (whose members are judged against it too); a region adds itself under its code."""
    out = {"NL01": "NL01", "provincie": "provincie",
           "gemeente": municipality.code if municipality.is_coalition else "gemeente"}
    if municipality.region:
        out[municipality.region] = municipality.region
    return out


SHARED_TEXT = ["source", "source_detail", "retrieved", "definition"]  # a handful of values over thousands of rows


def compact(table: pd.DataFrame) -> pd.DataFrame:
    """Texts repeated on every row kept once (categories): every cached municipality's view costs less memory."""
    out = table.copy()
    for col in SHARED_TEXT:
        if col in out:
            out[col] = out[col].astype("category")
    return out


def without_implied(protected: pd.DataFrame) -> pd.DataFrame:
    """A count implied by a rounded value protects like a count, but is no count for statistics:
    the source did not give it, and its rounding can be wider than one."""
    out = protected.copy()
    implied = out["numerator_implied"].fillna(False).astype(bool)
    out.loc[implied, "numerator"] = np.nan
    out.loc[implied & out["ci_computed"].fillna(True).astype(bool), ["ci_low", "ci_high"]] = np.nan
    return out


def prepared(obs: pd.DataFrame, catalogue: pd.DataFrame) -> pd.DataFrame:
    """Rows ready for disclosure control: plain text keys, the decimals to show, implied counts filled."""
    obs = obs.copy()
    for col in ["area_code", "indicator_id", "period_label"]:
        obs[col] = obs[col].astype(str)
    if "decimals" not in obs:
        obs["decimals"] = pd.NA
    obs["decimals"] = obs["decimals"].astype("Int64").fillna(obs["indicator_id"].map(catalogue["decimals"]))
    return implied_counts(obs, catalogue)


def publish(protected: pd.DataFrame, catalogue: pd.DataFrame, areas: pd.DataFrame,
            benchmarks: dict[str, str] | tuple[str, ...]) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """Blank what is hidden and judge the rest: (the published table, the table judged against each benchmark;
    ``benchmarks`` names them, or maps each name to what it compares with)."""
    if not isinstance(benchmarks, dict):
        benchmarks = {b: b for b in benchmarks}
    table = compact(without_implied(protected).drop(columns=[c for c in INTERNAL if c in protected]))
    hidden = table["suppressed"].to_numpy(bool)
    table.loc[hidden, BLANKED] = np.nan
    table["hidden"] = np.where(hidden, [hidden_text(r) for r in table["suppression_reason"]], "")
    return table, {name: _judge(table, catalogue, areas, against) for name, against in benchmarks.items()}


def implied_counts(obs: pd.DataFrame, catalogue: pd.DataFrame) -> pd.DataFrame:
    """Fill the count a row gives away anyway: value × denominator, where the source left the count out.

    A published value with its denominator reveals the count, so for disclosure it is a count:
    it is pooled, suppressed and audited like one. The note says it was derived; after disclosure
    control the count is removed again, so no interval or test rests on a rounded value.
    """
    out = obs.copy()
    implied = out["numerator"].isna() & out["value"].notna() & out["denominator"].notna()
    out["numerator_implied"] = implied
    if implied.any():
        multiplier = out["indicator_id"].map(catalogue["multiplier"]).astype(float)
        out.loc[implied, "numerator"] = (out["value"] * out["denominator"] / multiplier)[implied].round()
        note = out.loc[implied, "note"].astype(str)
        out["note"] = put_text(out["note"], implied, np.where(note == "", IMPLIED_NOTE, note + " " + IMPLIED_NOTE))
    return out


def _judge(table: pd.DataFrame, catalogue: pd.DataFrame, areas: pd.DataFrame, against: str) -> pd.DataFrame:
    """Verdicts against a benchmark; hidden figures and hidden benchmarks give none."""
    judged = cmp.compare(table, catalogue, areas, against)
    verdict = judged["verdict"].astype(object).where(~judged["suppressed"].astype(bool), NOT_ASSESSED)
    judged["verdict"] = pd.Categorical(verdict, categories=VERDICTS)
    judged.loc[judged["suppressed"].astype(bool), ["low998", "high998"]] = np.nan
    return judged


def export_table(view: PublishedView) -> pd.DataFrame:
    """The published view in the tidy format: hidden rows keep their place, their note says why."""
    out = view.table.copy()
    out["note"] = np.where(out["hidden"] != "", out["hidden"], out["note"])
    return out


def numeric_rows(rows: pd.DataFrame, area_name, versus: str = "") -> pd.DataFrame:
    """Published rows as a download people can compute with: numbers in numeric columns, words beside them.

    ``rows`` come from the published view (hidden ones are already blank); ``area_name`` maps a code
    to its name. Period and source are always there; a hidden figure's note says why it is empty.
    """
    hidden = rows["suppressed"].astype(bool) if "suppressed" in rows else pd.Series(False, index=rows.index)
    out = pd.DataFrame({
        "Gebied": rows["area_code"].astype(str).map(area_name), "Gebiedscode": rows["area_code"].astype(str),
        "Periode": rows["period_label"].astype(str), "Waarde": rows["value"].astype(float),
        "Eenheid": rows["unit"].astype(str).map(lambda u: UNIT_LABEL.get(u, u)),
        "95%-ondergrens": rows["ci_low"].astype(float).round(3),
        "95%-bovengrens": rows["ci_high"].astype(float).round(3),
        "Teller": pd.to_numeric(rows["numerator"], errors="coerce").round().astype("Int64"),
        "Noemer": pd.to_numeric(rows["denominator"], errors="coerce").round().astype("Int64")})
    if "verdict" in rows:  # the verdict's column says what it compares with
        out[f"Oordeel t.o.v. {versus}" if versus else "Oordeel"] = rows["verdict"].astype(str)
    out["Bron"] = rows["source"].astype(str)
    out["Opgehaald"] = rows["retrieved"].astype(str)
    notes = rows["note"].astype(str) if "note" in rows else pd.Series("", index=rows.index)
    out["Toelichting"] = np.where(hidden, rows.get("hidden", pd.Series("", index=rows.index)).astype(str), notes)
    return out.reset_index(drop=True)
