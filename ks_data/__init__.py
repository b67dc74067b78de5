"""The data layer of the Kansrijke Start monitor (no Streamlit, no Plotly): its public face.

Stages, each building only on those before it::

    stats/    intervals, comparisons, funnels, trend and target tests (pure statistics)
    table/    the tidy table: schema, catalogue, areas, configuration, validation, the one file reader,
              the observations loader and its Parquet copy
    sources/  what brings figures in: wide exports, CBS OData and the refresh, the store with history
    publish/  what may be shown, decided once: suppression, the audits, the views, the Publication
    views/    what pages and the report ask: Monitor, evaluation, report and its writers

Pages and the Streamlit helpers import only the names below (and the modules ``fmt`` and ``vocab``). They
are loaded on first use, so importing the package stays cheap.
"""

from __future__ import annotations

from importlib import import_module

_NAMES = {
    "ks_data.views.monitor": ["Monitor"],
    "ks_data.views.area_tables": ["funnel_data", "member_table", "postcode_table", "stacking"],
    "ks_data.views.trend_lines": ["no_line_note", "trend_lines"],
    "ks_data.views.related": ["related", "related_groups", "related_numeric"],
    "ks_data.views.provenance": ["births_per_year", "provenance", "provenance_numeric"],
    "ks_data.views.similar": ["Similar"],
    "ks_data.views.methods": ["explanations"],
    "ks_data.views.plan": ["euro_columns", "half_years", "load_plan", "milestones_in_time"],
    "ks_data.views.safe_export": ["csv_bytes"],
    "ks_data.publish.publication": ["Publication"],
    "ks_data.publish.national": ["NationalView"],
    "ks_data.publish.disclosure": ["UnsafeView"],
    "ks_data.publish.published": ["numeric_rows"],
    "ks_data.sources.refresh": ["refresh", "source_names"],
    "ks_data.table.config": ["ConfigError", "ReviewMoment", "bundle_names", "coalition_codes", "data_dir",
                             "load_bundle_meta", "load_municipality", "load_regions", "load_settings",
                             "municipality_codes", "registry_municipalities"],
    "ks_data.table.observations": ["bundle_csv", "load_observations"],
    "ks_data.table.reading": ["ReadError", "read_bytes", "sheet_names"],
    "ks_data.table.validation": ["ValidationError"],
    "ks_data.table.geo": ["municipality_geojson", "postcode_geojson"],
    "ks_data.stats.target": ["TargetResult"],
    "ks_data.passwords": ["SignInGuard", "check_password"],
    "ks_data.memory": ["keep_freed_memory"],
}
_MODULES = {
    "fmt": "ks_data.fmt", "vocab": "ks_data.vocab", "funnel": "ks_data.stats.funnel",
    "compare": "ks_data.stats.compare", "store": "ks_data.sources.store", "wide": "ks_data.sources.wide",
    "report": "ks_data.views.report", "evaluation": "ks_data.views.evaluation",
    "registrations": "ks_data.views.registrations",
}
_WHERE = {name: module for module, names in _NAMES.items() for name in names}
__all__ = sorted([*_WHERE, *_MODULES])


def __getattr__(name: str):
    if name in _MODULES:
        return import_module(_MODULES[name])
    if name in _WHERE:
        return getattr(import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'ks_data' has no attribute {name!r}")
