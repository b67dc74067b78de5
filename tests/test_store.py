"""Import with a preview, merge with history, undo: nothing is overwritten silently, nothing half-written."""

from __future__ import annotations

import hashlib
import threading

import pandas as pd
import pytest

from ks_data.sources import store
from ks_data.sources.incoming import normalise
from ks_data.table.areas import load_areas
from ks_data.table.observations import bundle_csv, load_observations
from tests.conftest import copy_data, run_cli


@pytest.fixture
def data(tmp_path, monkeypatch):
    return copy_data(tmp_path, monkeypatch, history=False)


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def incoming(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows).astype(str)


NEW_YEAR = [{"indicator_id": "big2", "area_code": "GM0597   ", "period_label": "2023", "value": "171,1",
             "unit": "per 1000", "numerator": "77", "denominator": "450"},
            {"indicator_id": "big2", "area_code": "NL00", "period_label": "2023", "value": "148,0", "unit": "‰"}]


def test_normalise_reads_the_spellings_people_use():
    raw = incoming([
        {"indicator_id": "BIG2", "area_code": "Ridderkerk", "period_label": "2017 t/m 2021", "value": "1.234,5",
         "unit": "per 1000"},
        {"indicator_id": "big2", "area_code": " gm0597 ", "period_label": "2022JJ00", "value": "<10", "unit": "‰"},
        {"indicator_id": "stress_19_45", "area_code": "NL00", "period_label": "2017-2021", "value": "x",
         "unit": "procent"}])
    out = normalise(raw, load_areas(), source="test")
    assert out["area_code"].tolist() == ["GM0597", "GM0597", "NL01"]
    assert out["period_start"].tolist() == ["2017", "2022", "2017"] and out["period_end"].tolist() == ["2021", "2022", "2021"]
    assert out["period_label"].tolist() == ["2017–2021", "2022", "2017–2021"]
    assert out["unit"].tolist() == ["per1000", "per1000", "%"] and out["value"].tolist() == ["1234.5", "", ""]
    assert "onderdrukt" in out["note"].iloc[1] and "'<10'" in out["note"].iloc[1]  # missing, never 0
    assert out["indicator_id"].iloc[0] == "big2" and (out["source"] == "test").all()


def test_preview_writes_nothing_and_apply_keeps_the_old_state(data):
    path = bundle_csv("echt", data)
    before = sha(path)
    result = store.preview("echt", incoming(NEW_YEAR), source="RIVM export")
    assert len(result.added) == 2 and result.changed.empty and sha(path) == before
    entry = store.apply(result, who="redacteur")
    assert entry["who"] == "redacteur" and "2 nieuw" in entry["detail"]
    table = load_observations("echt")
    assert ((table["indicator_id"] == "big2") & (table["period_label"] == "2023")).sum() == 2
    store.undo("echt", who="redacteur")
    assert sha(path) == before  # undo restores the exact previous bytes
    assert [e["action"] for e in store.history("echt")] == ["import", "herstel"]


def test_a_changed_value_shows_old_and_new_with_both_sources(data):
    store.apply(store.preview("echt", incoming(NEW_YEAR), source="eerste bron"), who="a")
    revised = [{**NEW_YEAR[0], "value": "173,3", "numerator": "78", "source": "herziene bron"}, NEW_YEAR[1]]
    result = store.preview("echt", incoming(revised), source="tweede")
    assert result.unchanged == 1 and len(result.changed) == 1 and result.added.empty
    row = result.changed.iloc[0]
    assert (row["old_value"], row["old_source"], row["value"], row["source"]) == ("171.1", "eerste bron", "173.3",
                                                                                  "herziene bron")
    store.apply(result, who="b")
    store.restore("echt", 1, who="c")  # any earlier state can be restored
    assert store.history("echt")[-1]["detail"] == "terug naar de stand vóór wijziging 1"


def test_refused_rows_are_listed_and_not_stored(data):
    rows = [*NEW_YEAR, {"indicator_id": "onbekend", "area_code": "GM0597", "period_label": "2023", "value": "1",
                        "unit": "%"},
            {"indicator_id": "big2", "area_code": "Nergenshuizen", "period_label": "2023", "value": "1", "unit": "‰"}]
    result = store.preview("echt", incoming(rows), source="x")
    assert len(result.refused) == 2 and any("onbekende indicator" in r for r in result.refused)
    assert any("onbekend gebied" in r for r in result.refused) and len(result.added) == 2


def test_the_command_line_refuses_a_file_with_refused_rows_unless_asked_to_skip_them(data, tmp_path):
    rows = [*NEW_YEAR, {"indicator_id": "big2", "area_code": "Nergenshuizen", "period_label": "2023", "value": "1",
                        "unit": "‰"}]
    path = tmp_path / "deels_fout.csv"
    incoming(rows).to_csv(path, index=False)
    before = sha(bundle_csv("echt", data))
    refused = run_cli("import", path)
    assert refused.returncode == 1 and "1 regel(s) geweigerd; er is niets opgeslagen" in refused.stderr
    assert "--skip-refused" in refused.stderr and sha(bundle_csv("echt", data)) == before
    assert store.history("echt", data) == []
    taken = run_cli("import", path, "--skip-refused")
    assert taken.returncode == 0 and "Opgeslagen als wijziging" in taken.stdout
    assert sha(bundle_csv("echt", data)) != before


def test_a_stale_preview_is_refused(data):
    first = store.preview("echt", incoming(NEW_YEAR[:1]), source="x")
    second = store.preview("echt", incoming(NEW_YEAR[1:]), source="y")
    store.apply(first, who="a")
    with pytest.raises(store.StoreError, match="intussen"):
        store.apply(second, who="b")


def test_bad_files_leave_the_store_byte_for_byte_unchanged(data, tmp_path):
    before = sha(bundle_csv("echt", data))
    env = {"KS_DATA_DIR": str(data), "PATH": "/usr/bin:/bin"}
    for name, content in [("leeg.csv", b""), ("plaatje.csv", b"\x89PNG\r\n\x1a\n\x00\x00"),
                          ("alleen_kop.csv", b"indicator_id,area_code,period_label,value,unit\n"),
                          ("nep.xlsx", b"a;b\n1;2\n")]:
        (tmp_path / name).write_bytes(content)
        result = run_cli("import", tmp_path / name, env=env)
        assert result.returncode == 2 and "Traceback" not in result.stderr and result.stderr.startswith("Fout:")
        assert sha(bundle_csv("echt", data)) == before, name


def test_concurrent_imports_and_reads_never_see_a_half_written_store(data):
    errors: list[Exception] = []

    def importer(year: int) -> None:
        rows = [{**NEW_YEAR[1], "period_label": str(year)}]
        for _ in range(3):
            try:
                store.apply(store.preview("echt", incoming(rows), source=str(year)), who=str(year))
                return
            except store.StoreError:
                continue  # another import came first: preview again, as a user would
            except Exception as err:  # noqa: BLE001
                errors.append(err)
                return

    def reader() -> None:
        for _ in range(30):
            try:
                pd.read_csv(bundle_csv("echt", data), dtype=str)  # whole, parseable, every time
            except Exception as err:  # noqa: BLE001
                errors.append(err)

    threads = [threading.Thread(target=importer, args=(y,)) for y in (2019, 2020, 2021)]
    threads.append(threading.Thread(target=reader))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(store.history("echt")) >= 1


def test_the_command_line_refuses_a_file_over_its_size_limit(data, tmp_path):
    before = sha(bundle_csv("echt", data))
    big = tmp_path / "groot.csv"
    big.write_text("indicator_id,area_code,period_label,value,unit\n" + "big2,GM0597,2023,171.1,per1000\n" * 40_000)
    env = {"KS_DATA_DIR": str(data), "PATH": "/usr/bin:/bin"}
    refused = run_cli("import", big, "--max-mb", "1", "--dry-run", env=env)
    assert refused.returncode == 2 and "grens van 1 MB" in refused.stderr and "Traceback" not in refused.stderr
    taken = run_cli("import", big, "--dry-run", env=env)
    assert taken.returncode == 0 and "Proefrun" in taken.stdout
    assert sha(bundle_csv("echt", data)) == before
