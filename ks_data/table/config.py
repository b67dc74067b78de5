"""Where the data live and what a municipality's configuration says.

Everything specific to one coalition (postcode areas, neighbourhood names, the plan's
baseline and target rules) is read from ``data/gemeenten/<code>.toml``; nothing of it
lives in code.
"""

from __future__ import annotations

import csv
import functools
import logging
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ks_data.table.municipality import (  # noqa: F401 — re-exported: configuration's types
    Municipality,
    ReviewMoment,
    TargetRule,
    parse_plan,
    year,
)

log = logging.getLogger("ks_monitor")
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


def municipality_codes(root: Path | None = None) -> list[str]:
    """The municipalities with a configuration of their own (a coalition's plan)."""
    folder = (root or data_dir()) / "gemeenten"
    return sorted(p.stem for p in folder.glob("*.toml"))


def _registry(root: Path | None) -> tuple[dict[str, str], ...]:
    """The area registry's rows as text (areas.py reads it as a table; here no pandas is needed). Read once per
    state of the file: a view's build asks for it about ten times, 15 ms each."""
    path = (root or data_dir()) / "areas.csv"
    stat = path.stat()
    return _read_registry(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _read_registry(path: Path, mtime_ns: int, size: int) -> tuple[dict[str, str], ...]:
    with open(path, encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


def registry_municipalities(root: Path | None = None) -> dict[str, tuple[str, str]]:
    """Every municipality in the area registry: code → (name, province code)."""
    return _municipalities(_registry(root))


def _municipalities(rows) -> dict[str, tuple[str, str]]:
    return {r["area_code"]: (r["name"], r["parent_code"]) for r in rows if r["level"] == "gemeente"}


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
    """What ``code`` opens: a coalition (``coalities/<code>.toml``), a municipality's configuration
    (``gemeenten/<code>.toml``) or, without either, the municipality as the registry has it."""
    if COALITION_CODE.fullmatch(code):
        return load_coalition(code, root)
    path = (root or data_dir()) / "gemeenten" / f"{code}.toml"
    if not path.exists() and not code.startswith(".") and "/" not in code:
        return _from_registry(code, root)
    raw = _read_toml(path)
    try:
        return Municipality(
            code=raw["code"],
            name=raw["name"],
            province=raw["province"],
            postcode_areas=tuple(str(pc) for pc in raw.get("postcode_areas", [])),
            postcode_names={str(k): v for k, v in raw.get("postcode_names", {}).items()},
            postcode_names_source=raw.get("postcode_names_source", {}).get("text", ""),
            region=_region_of(raw, code, root),
            similar=_similar_of(raw, code, registry_municipalities(root)),
            **parse_plan(raw),
        )
    except (KeyError, TypeError, ValueError) as err:
        raise ConfigError(f"In de configuratie van {code} ontbreekt of klopt het veld {err} niet.") from err


# ---- coalitions of several municipalities, and regions ---------------------------------------------------
COALITION_CODE = re.compile(r"[a-z][a-z0-9-]{1,40}")  # a file name; can never be a CBS code (GM…, PV…, 1234)


def coalition_codes(root: Path | None = None) -> list[str]:
    """The coalitions with a file in ``coalities/`` (names that are no valid code are left out)."""
    folder = (root or data_dir()) / "coalities"
    return sorted(p.stem for p in folder.glob("*.toml") if COALITION_CODE.fullmatch(p.stem)) if folder.is_dir() else []


def _members(raw, owner: str, known: dict[str, tuple[str, str]], what: str = "members") -> tuple[str, ...]:
    """A list of municipality codes from a configuration, checked against the registry's municipalities ``known``
    (Dutch errors)."""
    codes = raw.get(what) if isinstance(raw, dict) else raw
    if not isinstance(codes, list) or not codes:
        raise ConfigError(f"{owner}: de lijst '{what}' met gemeenten ontbreekt of is leeg.")
    codes = [str(c).strip() for c in codes]
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise ConfigError(f"{owner}: onbekende gemeente(n) {', '.join(unknown)} (niet in het gebiedenregister).")
    twice = sorted({c for c in codes if codes.count(c) > 1})
    if twice:
        raise ConfigError(f"{owner}: gemeente(n) {', '.join(twice)} staan meer dan eens in de lijst.")
    return tuple(codes)


def _one_province(codes: tuple[str, ...], owner: str, known: dict[str, tuple[str, str]]) -> str:
    provinces = sorted({known[c][1] for c in codes})
    if len(provinces) > 1:
        raise ConfigError(f"{owner}: de gemeenten liggen in meer dan één provincie ({', '.join(provinces)}); een "
                          f"coalitie of regio moet binnen één provincie liggen.")
    return provinces[0]


@dataclass(frozen=True)
class Region:
    """A named set of municipalities within one province (a GGD region, a regional cooperation): a benchmark."""
    code: str
    name: str
    members: tuple[str, ...]
    province: str
    source: str = ""
    note: str = ""
    kind: str = "regio"  # or "coalitie": a coalition of several municipalities (see load_groups)


def load_regions(root: Path | None = None) -> tuple[dict[str, Region], list[str]]:
    """The regions of ``regios.toml`` that are sound, and a Dutch sentence for each one that is not
    (a broken region leaves the others, and every coalition that does not name it, working)."""
    path = (root or data_dir()) / "regios.toml"
    if not path.exists():
        return {}, []
    raw = _read_toml(path)
    known = registry_municipalities(root)
    regions, problems = {}, []
    for entry in raw.get("regio", []):
        code = str(entry.get("code", "")).strip() if isinstance(entry, dict) else ""
        try:
            if not re.fullmatch(r"[A-Z]{2}[0-9A-Za-z_-]{1,20}", code):
                raise ConfigError(f"regio '{code}': de code ontbreekt of is ongeldig (bijvoorbeeld GG4607).")
            if code in regions:
                raise ConfigError(f"regio {code} staat twee keer in regios.toml.")
            members = _members(entry, f"regio {code}", known)
            regions[code] = Region(code, str(entry.get("name", code)), members,
                                   _one_province(members, f"regio {code}", known),
                                   str(entry.get("source", "")), str(entry.get("note", "")))
        except ConfigError as err:
            problems.append(str(err))
    return regions, problems


def _region_of(raw: dict, owner: str, root: Path | None) -> str:
    code = str(raw.get("region", "")).strip()
    if not code:
        return ""
    regions, _ = load_regions(root)
    if code not in regions:
        raise ConfigError(f"{owner}: regio {code} staat niet (of niet foutloos) in regios.toml.")
    return code


def _similar_of(raw: dict, owner: str, known: dict[str, tuple[str, str]]) -> tuple[str, ...]:
    return _members(raw, owner, known, "similar") if "similar" in raw else ()


def load_coalition(code: str, root: Path | None = None) -> Municipality:
    """A coalition of one or more municipalities (``coalities/<code>.toml``): its members' postcode areas below
    them, its plan and targets as a municipality's configuration gives them."""
    raw = _read_toml((root or data_dir()) / "coalities" / f"{code}.toml")
    owner = f"coalitie {code}"
    rows = _registry(root)
    known = _municipalities(rows)
    members = _members(raw, owner, known)
    province = _one_province(members, owner, known)
    postcodes = tuple(r["area_code"] for m in members for r in rows
                      if r["parent_code"] == m and r["level"] == "postcode")
    try:
        return Municipality(code=code, name=str(raw.get("name", code)), province=province, postcode_areas=postcodes,
                            members=members, region=_region_of(raw, owner, root),
                            similar=_similar_of(raw, owner, known), **parse_plan(raw))
    except (KeyError, TypeError, ValueError) as err:
        raise ConfigError(f"In de configuratie van {owner} ontbreekt of klopt het veld {err} niet.") from err


def load_groups(root: Path | None = None) -> dict[str, Region]:
    """Every sound group whose figure is the sum of its members': the regions, then the coalitions of several
    municipalities (as a :class:`Region` of kind "coalitie"). A broken one is left out here; it gives its Dutch
    error where it is opened (:func:`load_regions`' problems, :func:`load_coalition`)."""
    groups = dict(load_regions(root)[0])
    for code in coalition_codes(root):
        try:
            coalition = load_coalition(code, root)
        except ConfigError as err:
            log.warning("coalition %s left out: %s", code, err)
            continue
        if coalition.is_coalition:
            groups[code] = Region(code, coalition.name, coalition.members, coalition.province, kind="coalitie")
    return groups


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
