"""What a coalition's configuration says: its municipality (or member municipalities), plan, targets and reviews.

Only the types and the parsing of the plan's part of a configuration file; reading the files is
:mod:`ks_data.table.config`'s.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class TargetRule:
    rule: str  # "stabilisatie" (at least stable) or "volgen" (followed, no target)
    margin: float | None = None  # largest rise (or fall, where higher is better) as a fraction of the baseline


@dataclass(frozen=True)
class ReviewMoment:
    year: int
    label: str
    source: str = ""


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str
    province: str
    postcode_areas: tuple[str, ...]
    postcode_names: dict[str, str] = field(default_factory=dict)
    postcode_names_source: str = ""
    plan: str = ""
    plan_start: int | None = None
    plan_end: int | None = None
    review_moments: tuple[ReviewMoment, ...] = ()
    baseline_label: str = ""
    baseline_description: str = ""
    targets: dict[str, TargetRule] = field(default_factory=dict)
    margin_note: str = ""
    configured: bool = True  # False: taken from the area registry, without a plan of its own
    # A coalition of several municipalities: its members (one level down), all in ``province``; empty for one.
    members: tuple[str, ...] = ()
    region: str = ""  # the region benchmark (a code of data/regios.toml), or none
    similar: tuple[str, ...] = ()  # the comparison group as the configuration fixes it (else computed)

    @property
    def is_coalition(self) -> bool:
        return bool(self.members)

    @property
    def shown_areas(self) -> tuple[str, ...]:
        """The areas its view shows besides the Netherlands: itself, its province, its members, their (or its)
        postcode areas and its region."""
        return (self.code, self.province, *self.members, *self.postcode_areas, *((self.region,) if self.region else ()))

    @property
    def municipalities(self) -> tuple[str, ...]:
        """The municipalities whose figures make up this one's: its members, or itself."""
        return self.members or (self.code,)

    @property
    def review_years(self) -> tuple[int, ...]:
        return tuple(m.year for m in self.review_moments)

    def target(self, indicator_id: str) -> TargetRule:
        return self.targets.get(indicator_id, self.targets.get("default", TargetRule("volgen")))

    def target_rule(self, indicator_id: str) -> str:
        return self.target(indicator_id).rule

    def postcode_label(self, pc4: str) -> str:
        """'2986 Drievliet/Crezeepolder', or 'Postcode 2981' where no name is known."""
        name = self.postcode_names.get(pc4)
        return f"{pc4} {name}" if name else f"Postcode {pc4}"


def year(value) -> int | None:
    """A year from the configuration: a whole number such as 2024 (a quoted "2024" is accepted)."""
    if value is None:
        return None
    year = int(str(value).strip())
    if not 1900 <= year <= 2100:
        raise ValueError(f"jaartal {year} ligt buiten 1900–2100")
    return year


def target_rule(indicator_id: str, raw) -> TargetRule:
    """``big2 = "volgen"`` or ``[targets.big2] rule = "stabilisatie", margin = 0.10``."""
    if isinstance(raw, str):
        raw = {"rule": raw}
    rule = str(raw.get("rule", "volgen"))
    if rule not in {"stabilisatie", "volgen"}:
        raise ValueError(f"targets.{indicator_id}.rule moet 'stabilisatie' of 'volgen' zijn")
    margin = raw.get("margin")
    if margin is not None and not 0 <= float(margin) < 1:
        raise ValueError(f"targets.{indicator_id}.margin moet een fractie tussen 0 en 1 zijn (0.10 = 10%)")
    return TargetRule(rule, None if margin is None else float(margin))




def parse_plan(raw: dict) -> dict:
    """The plan's part of a configuration file (plan, period, reviews, baseline, targets) as Municipality fields."""
    baseline = raw.get("baseline", {})
    return dict(
        plan=str(raw.get("plan", "")), plan_start=year(raw.get("plan_start")), plan_end=year(raw.get("plan_end")),
        review_moments=tuple(ReviewMoment(int(m["year"]), str(m.get("label", m["year"])), str(m.get("source", "")))
                             for m in raw.get("review_moments", [])),
        baseline_label=str(baseline.get("period_label", "")), baseline_description=str(baseline.get("description", "")),
        targets={k: target_rule(k, v) for k, v in raw.get("targets", {}).items() if k != "margin_note"},
        margin_note=str(raw.get("targets", {}).get("margin_note", "")))
