"""Decisions kept on disk: used only for exactly the input they were taken for, never trusted when damaged."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pytest

from ks_data.publish import decision_store
from ks_data.publish.publication import Publication
from tests.conftest import copy_data


@pytest.fixture
def root(tmp_path):
    return copy_data(tmp_path)


def stored(root):
    return sorted((root / ".cache" / "decisions").glob("PV28-*.parquet"))


def test_decisions_are_stored_and_read_back_for_the_same_input(root, monkeypatch):
    first = Publication("voorbeeld", root).province("PV28")
    assert len(stored(root)) == 1 and first["suppressed"].any()
    # a second publication of the same data takes the stored decisions without auditing again
    monkeypatch.setattr("ks_data.publish.national.protect_linked", lambda *a, **k: pytest.fail("audited again"))
    monkeypatch.setattr("ks_data.publish.national.cover_table", lambda *a, **k: pytest.fail("covered again"))
    again = Publication("voorbeeld", root).province("PV28")
    # the whole protected table comes back as it was taken: every column, type and value
    pd.testing.assert_frame_equal(again, first)


def test_a_changed_figure_or_setting_is_decided_again(root):
    pub = Publication("voorbeeld", root)
    pub.province("PV28")
    obs = pub.observations.copy()
    changed = obs.index[(obs["area_code"] == "2986") & obs["numerator"].notna()][0]
    obs.loc[changed, "numerator"] = obs.loc[changed, "numerator"] + 1
    Publication("voorbeeld", root, obs).province("PV28")
    assert len(stored(root)) == 2  # another input, another file
    (root / "settings.toml").write_text((root / "settings.toml").read_text() + "min_hidden_range = 6\n")
    Publication("voorbeeld", root).province("PV28")
    assert len(stored(root)) == 3


def test_a_changed_definition_or_note_is_never_served_from_the_store(root):
    # a definition decides which years may be pooled, a note is published with the figure: both are part of the
    # stored table, so a table stored before either changed must not come back (found in review: same key)
    pub = Publication("voorbeeld", root)
    pub.province("PV28")
    rows = pub.observations
    pc = rows.index[(rows["area_code"] == "2986") & rows["numerator"].notna()][0]
    for column, value in [("definition", "een andere definitie"), ("note", "een andere toelichting")]:
        obs = rows.copy()
        obs[column] = obs[column].astype(object)
        obs.loc[pc, column] = value
        fresh = Publication("voorbeeld", root, obs)
        fresh.store = None  # what the joint audit makes of this input when nothing is stored
        pd.testing.assert_frame_equal(Publication("voorbeeld", root, obs).province("PV28"), fresh.province("PV28"))
    assert len(stored(root)) == 3  # each input its own file


def test_a_damaged_store_is_ignored_and_decided_again(root):
    first = Publication("voorbeeld", root).province("PV28")
    path = stored(root)[0]
    path.write_bytes(b"not parquet")
    again = Publication("voorbeeld", root).province("PV28")
    assert (again["suppressed"].to_numpy() == first["suppressed"].to_numpy()).all()
    # a readable store cut short or edited is not trusted either: its content no longer matches its digest
    import pyarrow.parquet as pq

    key = path.stem.split("-", 1)[1]
    assert decision_store.read(path.parent, "PV28", key) is not None
    table = pq.read_table(path)
    pq.write_table(table.slice(0, table.num_rows - 3), path)  # the schema and its digest stay, rows go
    assert decision_store.read(path.parent, "PV28", key) is None
    flipped = table.to_pandas()
    flipped.loc[flipped["suppressed"].idxmax(), "suppressed"] = False  # one hidden figure turned shown
    pq.write_table(pa.Table.from_pandas(flipped, preserve_index=False).replace_schema_metadata(table.schema.metadata),
                   path)
    assert decision_store.read(path.parent, "PV28", key) is None
    swapped = table.rename_columns([{"suppressed": "hidden_small", "hidden_small": "suppressed"}.get(c, c)
                                    for c in table.column_names])  # the same values under each other's names
    pq.write_table(swapped, path)
    assert decision_store.read(path.parent, "PV28", key) is None
    assert (Publication("voorbeeld", root).province("PV28")["suppressed"] == first["suppressed"]).all()


def test_the_command_line_takes_and_stores_the_decisions_ahead_of_the_app(root):
    from tests.conftest import run_cli

    done = run_cli("publish", "--bundle", "voorbeeld", env={"KS_DATA_DIR": str(root)})
    # Zuid-Holland (Ridderkerk and its region) and Gelderland (the Bommelerwaard coalition)
    assert done.returncode == 0 and "beslissingen van 2 provincie(s) genomen en bewaard" in done.stdout
    kept = sorted(p.name.split("-")[0] for p in (root / ".cache" / "decisions").glob("*.parquet"))
    assert kept == ["PV25", "PV28"] and len(stored(root)) == 1


def test_only_the_newest_inputs_decisions_are_kept(root, monkeypatch):
    import os

    from ks_data.publish import decision_store

    monkeypatch.setattr(decision_store, "KEEP", 2)
    pub = Publication("voorbeeld", root)
    pub.province("PV28")
    for step in range(3):  # three more inputs, each a little different
        obs = pub.observations.copy()
        changed = obs.index[(obs["area_code"] == "2986") & obs["numerator"].notna()][step]
        obs.loc[changed, "numerator"] = obs.loc[changed, "numerator"] + 1
        Publication("voorbeeld", root, obs).province("PV28")
        for number, path in enumerate(sorted(stored(root), key=lambda p: p.stat().st_mtime_ns)):
            os.utime(path, ns=(10**9 * (number + 1),) * 2)  # distinct times, oldest first, whatever the clock
    assert len(stored(root)) == 2
