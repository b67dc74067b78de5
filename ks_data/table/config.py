"""Where the data live and what a municipality's configuration says.

Everything specific to one coalition (postcode areas, neighbourhood names, the plan's
baseline and target rules) is read from ``data/gemeenten/<code>.toml``; nothing of it
lives in code.
"""

from __future__ import annotations

import csv
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parents[2]  # the repository (ks_data/table/config.py)


class ConfigError(ValueError):
    """A configuration file is missing or malformed (message in Dutch, for the app)."""


def data_dir() -> Path:
    """The data folder: ``$KS_DATA_DIR`` if set, else ``data/`` of the repository."""
    return Path(os.environ.get("KS_DATA_DIR") or PACKAGE_ROOT / "data")


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise ConfigError(f"Configuratiebestand ontbreekt: {path.parent.name}/{path.name}") from err
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"Configuratiebestand {path.name} is onleesbaar") from err
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"Configuratiebestand {path.name} is onleesbaar: {err}") from err


@dataclass(frozen=True)
class Settings:
    default_municipality: str
    default_bundle: str
    suppression_threshold: int = 10
    # Postcode areas are published only over fixed, non-overlapping blocks of this many years,
    # aligned so that a block starts in ``postcode_block_start`` (and every block_years after).
    postcode_block_years: int = 5
    postcode_block_start: int = 2000
    # No hidden count may be narrowed by the published figures to fewer than this many values.
    min_hidden_range: int = 5


def load_settings(root: Path | None = None) -> Settings:
    raw = _read_toml((root or data_dir()) / "settings.toml")
    try:
        return Settings(
            default_municipality=raw["default_municipality"],
            default_bundle=raw.get("default_bundle", "echt"),
            suppression_threshold=int(raw.get("suppression_threshold", 10)),
            postcode_block_years=int(raw.get("postcode_block_years", 5)),
            postcode_block_start=int(raw.get("postcode_block_start", 2000)),
            min_hidden_range=int(raw.get("min_hidden_range", 5)),
        )
    except (KeyError, TypeError, ValueError) as err:
        raise ConfigError(f"settings.toml is onvolledig of onjuist: {err}") from err


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


def municipality_codes(root: Path | None = None) -> list[str]:
    """The municipalities with a configuration of their own (a coalition's plan)."""
    folder = (root or data_dir()) / "gemeenten"
    return sorted(p.stem for p in folder.glob("*.toml"))


def _registry(root: Path | None) -> list[dict[str, str]]:
    """The area registry's rows as text (areas.py reads it as a table; here no pandas is needed)."""
    with open((root or data_dir()) / "areas.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def registry_municipalities(root: Path | None = None) -> dict[str, tuple[str, str]]:
    """Every municipality in the area registry: code → (name, province code)."""
    return {r["area_code"]: (r["name"], r["parent_code"]) for r in _registry(root) if r["level"] == "gemeente"}


def _from_registry(code: str, root: Path | None) -> Municipality:
    """A municipality without a configuration: its name, province and postcode areas from the registry.

    It has no plan, so no baseline, target or review moments: its figures are followed and compared,
    never judged against a target nobody set.
    """
    rows = _registry(root)
    me = next((r for r in rows if r["area_code"] == code and r["level"] == "gemeente"), None)
    if me is None:
        raise ConfigError(f"Gemeente {code} staat niet in het gebiedenregister en heeft geen configuratie.")
    postcodes = tuple(r["area_code"] for r in rows if r["parent_code"] == code and r["level"] == "postcode")
    return Municipality(code=code, name=me["name"], province=me["parent_code"], postcode_areas=postcodes,
                        configured=False)


def load_municipality(code: str, root: Path | None = None) -> Municipality:
    """The configuration in ``gemeenten/<code>.toml``; without one, the municipality as the registry has it."""
    path = (root or data_dir()) / "gemeenten" / f"{code}.toml"
    if not path.exists() and not code.startswith(".") and "/" not in code:
        return _from_registry(code, root)
    raw = _read_toml(path)
    try:
        baseline = raw.get("baseline", {})
        return Municipality(
            code=raw["code"],
            name=raw["name"],
            province=raw["province"],
            postcode_areas=tuple(str(pc) for pc in raw.get("postcode_areas", [])),
            postcode_names={str(k): v for k, v in raw.get("postcode_names", {}).items()},
            postcode_names_source=raw.get("postcode_names_source", {}).get("text", ""),
            plan=raw.get("plan", ""),
            plan_start=_year(raw.get("plan_start")),
            plan_end=_year(raw.get("plan_end")),
            review_moments=tuple(ReviewMoment(int(m["year"]), str(m.get("label", m["year"])), str(m.get("source", "")))
                                 for m in raw.get("review_moments", [])),
            baseline_label=baseline.get("period_label", ""),
            baseline_description=baseline.get("description", ""),
            targets={k: _target_rule(k, v) for k, v in raw.get("targets", {}).items() if k != "margin_note"},
            margin_note=str(raw.get("targets", {}).get("margin_note", "")),
        )
    except (KeyError, TypeError, ValueError) as err:
        raise ConfigError(f"In de configuratie van {code} ontbreekt of klopt het veld {err} niet.") from err


def _year(value) -> int | None:
    """A year from the configuration: a whole number such as 2024 (a quoted "2024" is accepted)."""
    if value is None:
        return None
    year = int(str(value).strip())
    if not 1900 <= year <= 2100:
        raise ValueError(f"jaartal {year} ligt buiten 1900–2100")
    return year


def _target_rule(indicator_id: str, raw) -> TargetRule:
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


@dataclass(frozen=True)
class Bundle:
    name: str
    title: str
    is_example: bool
    description: str = ""


def bundle_names(root: Path | None = None) -> list[str]:
    folder = (root or data_dir()) / "bundles"
    return sorted(p.name for p in folder.iterdir() if (p / "bundle.toml").exists())


def load_bundle_meta(name: str, root: Path | None = None) -> Bundle:
    raw = _read_toml((root or data_dir()) / "bundles" / name / "bundle.toml")
    return Bundle(name=name, title=raw["title"], is_example=bool(raw["is_example"]),
                  description=raw.get("description", ""))
