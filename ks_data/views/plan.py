"""The plan beside the figures: objectives, actions, milestones, budget and the coalition's registrations.

``data/gemeenten/<code>/plan.toml`` holds the plan's facts (in our own words, each with where in
the plan it stands); ``data/gemeenten/<code>/registraties.csv`` holds what the coalition records per half year:
a status per action, counts of its own activities, money spent. A municipality without these
files gets ``None`` / an empty table and the pages and report say it is not configured; a
registration that is not there is shown as missing, never as zero.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ks_data import fmt
from ks_data.table.config import ConfigError, Municipality, data_dir

STATUSES = ["niet gestart", "gestart", "loopt", "afgerond", "vervallen"]
KINDS = ["actie", "activiteit", "besteding"]
REGISTRATION_COLUMNS = ["half_year", "kind", "id", "status", "count", "spent_eur", "note", "recorded_by",
                        "recorded_on"]
NOT_RECORDED = "niet geregistreerd"


@dataclass(frozen=True)
class Plan:
    name: str
    measured: str
    objectives: pd.DataFrame
    actions: pd.DataFrame
    milestones: pd.DataFrame
    budget: pd.DataFrame
    activities: pd.DataFrame


def _frame(raw: dict, key: str, columns: list[str], path: Path) -> pd.DataFrame:
    items = raw.get(key, [])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ConfigError(f"{path.name}: [[{key}]] hoort een lijst van tabellen te zijn.")
    frame = pd.DataFrame(items)
    for col in columns:
        if col not in frame:
            frame[col] = ""
    return frame[columns + [c for c in frame.columns if c not in columns]].fillna("")


def load_plan(municipality: Municipality, root: Path | None = None) -> Plan | None:
    """The municipality's plan file, or None when it has none."""
    path = (root or data_dir()) / "gemeenten" / municipality.code / "plan.toml"
    if not path.exists():
        return None
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise ConfigError(f"{path.name} is onleesbaar: {err}") from None
    budget = _frame(raw, "budget", ["year", "kind", "funding", "item", "planned_eur", "note", "where"], path)
    budget["planned_eur"] = pd.to_numeric(budget["planned_eur"], errors="coerce")
    return Plan(name=str(raw.get("plan", municipality.plan)), measured=str(raw.get("measured", "")),
                objectives=_frame(raw, "objectives", ["id", "title", "where"], path),
                actions=_frame(raw, "actions", ["id", "objective", "title", "who", "when", "where"], path),
                milestones=_frame(raw, "milestones", ["date", "title", "where"], path),
                budget=budget,
                activities=_frame(raw, "activities", ["id", "title", "unit", "action", "where"], path))


def milestones_in_time(milestones: pd.DataFrame) -> pd.DataFrame:
    """The milestones in time order with their number (``nr``, 1 = first) and date (``when``; a bare year is read
    as mid-year): the chart marks each point with its number, the table says what it is."""
    when = pd.to_datetime(milestones["date"].astype(str).str.replace(r"^(\d{4})$", r"\1-07", regex=True),
                          format="%Y-%m", errors="coerce")
    rows = milestones.assign(when=when).sort_values("when", na_position="last", kind="stable").reset_index(drop=True)
    return rows.assign(nr=range(1, len(rows) + 1))


def load_registrations(municipality: Municipality, root: Path | None = None) -> pd.DataFrame:
    """The coalition's registrations (latest record per half year, kind and id); empty if none."""
    path = (root or data_dir()) / "gemeenten" / municipality.code / "registraties.csv"
    if not path.exists():
        return pd.DataFrame(columns=REGISTRATION_COLUMNS)
    try:
        regs = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as err:
        raise ConfigError(f"{path.name} is onleesbaar: {err}") from None
    missing = [c for c in REGISTRATION_COLUMNS if c not in regs]
    if missing:
        raise ConfigError(f"{path.name}: kolom(men) ontbreken: {', '.join(missing)}.")
    problems = []
    for line, row in zip(range(2, len(regs) + 2), regs.itertuples(index=False)):
        if not re.fullmatch(r"\d{4}-H[12]", row.half_year):
            problems.append(f"regel {line}: half_year moet de vorm 2024-H2 hebben")
        if row.kind not in KINDS:
            problems.append(f"regel {line}: kind moet een van {', '.join(KINDS)} zijn")
        if row.kind == "actie" and row.status not in STATUSES:
            problems.append(f"regel {line}: status moet een van {', '.join(STATUSES)} zijn")
        for col in ("count", "spent_eur"):
            value = getattr(row, col)
            if value and not value.isdigit():
                problems.append(f"regel {line}: {col} moet een geheel getal zijn")
    if problems:
        raise ConfigError(f"{path.name}: " + "; ".join(problems[:10]))
    regs = regs.sort_values("recorded_on").drop_duplicates(["half_year", "kind", "id"], keep="last")
    for col in ("count", "spent_eur"):
        regs[col] = pd.to_numeric(regs[col], errors="coerce")
    return regs.reset_index(drop=True)


def half_years(municipality: Municipality) -> list[str]:
    """Every half year of the plan's run (2024-H1 … 2026-H2)."""
    if not municipality.plan_start or not municipality.plan_end:
        return []
    return [f"{y}-H{h}" for y in range(municipality.plan_start, municipality.plan_end + 1) for h in (1, 2)]


def action_status(plan: Plan, regs: pd.DataFrame, periods: list[str]) -> pd.DataFrame:
    """One row per action, one column per half year: the recorded status, or 'niet geregistreerd'."""
    own = regs[regs["kind"] == "actie"].set_index(["id", "half_year"])["status"]
    out = plan.actions[["id", "objective", "title", "when"]].rename(
        columns={"id": "Actie", "objective": "Doel", "title": "Omschrijving", "when": "Gepland"})
    for period in periods:
        out[period] = [own.get((a, period), NOT_RECORDED) for a in plan.actions["id"]]
    return out


def activity_counts(plan: Plan, regs: pd.DataFrame, periods: list[str]) -> pd.DataFrame:
    """One row per activity, one column per half year: the recorded count (missing stays empty)."""
    own = regs[regs["kind"] == "activiteit"].set_index(["id", "half_year"])["count"]
    out = plan.activities[["title"]].rename(columns={"title": "Activiteit"})
    for period in periods:
        out[period] = pd.array([own.get((a, period), pd.NA) for a in plan.activities["id"]], dtype="Float64")
    return out


def euro_columns(frame: pd.DataFrame, empty: str = "") -> pd.DataFrame:
    """The table with every '(euro)' column written as a reader writes money: '€ 50.098'."""
    out = frame.copy()
    for col in [c for c in out.columns if "(euro)" in str(c)]:
        out[col] = [f"€ {fmt.integer(v)}" if pd.notna(v) else empty for v in out[col]]
    return out


def budget_against_spending(plan: Plan, regs: pd.DataFrame) -> pd.DataFrame:
    """Every budget line of the plan (available, planned costs, remaining) with what is recorded as spent
    against each cost line (missing when nothing is recorded)."""
    spent = regs[regs["kind"] == "besteding"]
    recorded = spent.groupby("id")["spent_eur"].sum(min_count=1)
    budget = plan.budget
    keys = budget["year"].astype(str) + "/" + budget["item"].astype(str)
    is_cost = (budget["kind"] == "kosten") & (budget["item"] != "totaal")
    return pd.DataFrame({"Jaar": budget["year"].astype(str), "Soort": budget["kind"], "Post": budget["item"],
                         "Gepland (euro)": budget["planned_eur"],
                         "Besteed volgens registratie (euro)": keys.map(recorded).where(is_cost).astype(float),
                         "Opmerking": budget["note"], "Bron": budget["where"]}).reset_index(drop=True)
