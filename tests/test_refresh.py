"""The CBS OData client and the refresh, against recorded and faulty answers served on 127.0.0.1.

No test reaches the internet: a local server serves the recorded CBS responses in tests/odata/
(their absolute links rewritten to the local address), synthetic tables in the real v3 shape, and
faults made on purpose (HTTP errors, resets, slow and cut-off answers, loops, changed shapes).
"""

from __future__ import annotations

import json
import shutil
import socket
import struct
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, unquote_plus, urlsplit

import pandas as pd
import pytest

from ks_data.sources import store
from ks_data.sources.odata import Client, Measure, ODataError, make_session, number
from ks_data.sources.refresh import SourceError, fetch, load_source, refresh, source_names
from ks_data.table.areas import load_areas
from ks_data.table.catalogue import load_catalogue
from ks_data.table.schema import COLUMNS
from ks_data.table.validation import validate

FIXTURES = Path(__file__).resolve().parent / "odata"
DATA = Path(__file__).resolve().parents[1] / "data"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False


class FakeCBS:
    """Routes by lower-cased path (without query): a file, or a function ``(request, query) -> None``."""

    def __init__(self):
        self.routes: dict = {}
        self.hits: Counter = Counter()
        self.queries: list[str] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                parts = urlsplit(self.path)
                path = unquote(parts.path).rstrip("/").lower()
                fake.hits[path] += 1
                fake.queries.append(unquote_plus(parts.query))
                route = fake.routes.get(path)
                try:
                    if route is None:
                        fake.send(self, 404, b'{"odata.error":{"message":{"value":"Resource not found"}}}')
                    elif callable(route):
                        route(self, parse_qs(parts.query))
                    else:
                        fake.send(self, 200, fake.body(route))
                except OSError:
                    pass  # the client gave up (time-out test): nothing to answer

            def log_message(self, *args):
                pass

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.base = f"{self.origin}/ODataFeed/odata"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def body(self, name: str) -> bytes:
        data = (FIXTURES / name).read_bytes()
        return data.replace(b"https://opendata.cbs.nl", self.origin.encode()).replace(b"{ORIGIN}", self.origin.encode())

    @staticmethod
    def send(request, status: int, body: bytes, length: int | None = None):
        request.send_response(status)
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(body) if length is None else length))
        request.end_headers()
        request.wfile.write(body)

    def table(self, table: str, **files):
        for endpoint, name in files.items():
            self.routes[f"/odatafeed/odata/{table}/{endpoint}".lower()] = name

    def hits_for(self, table: str, endpoint: str) -> int:
        return self.hits[f"/odatafeed/odata/{table}/{endpoint}".lower()]


@pytest.fixture(scope="module")
def cbs():
    fake = FakeCBS()
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


@pytest.fixture(autouse=True)
def _fresh_routes(request):
    if "cbs" in request.fixturenames:
        fake = request.getfixturevalue("cbs")
        fake.routes.clear()
        fake.hits.clear()
        fake.queries.clear()


def quick(retries: int = 2):
    return make_session(retries=retries, backoff=0)


def client(cbs, table: str, **kwargs) -> Client:
    kwargs.setdefault("session", quick())
    return Client(table, cbs.base, **kwargs)


# ---- paging, padding, metadata on real recordings --------------------------------------------------

def test_follows_next_link_over_two_recorded_pages(cbs):
    page1, page2 = "v3_83599NED_UntypedDataSet_page1_nextLink.json", "v3_83599NED_UntypedDataSet_page2_last.json"
    path = "/odatafeed/odata/83599ned/untypeddataset"

    def pages(request, query):
        cbs.send(request, 200, cbs.body(page2 if query.get("$skip") == ["10000"] else page1))

    cbs.routes[path] = pages
    seen = []
    rows = Client("83599NED", f"{cbs.origin}/ODataFeed/OData", session=quick()).rows(
        "UntypedDataSet", {"$format": "json"}, progress=seen.append)
    assert len(rows) == 15504 and [r["ID"] for r in rows] == list(range(15504))
    assert cbs.hits[path] == 2
    assert rows[0]["RegioS"] == "NL01" and number(rows[0]["OpenstaandeVacatures_1"]) == 135.5  # padding stripped
    assert seen == sorted(seen) and all(0 < f < 1 for f in seen) and len(seen) == 2


def test_next_link_to_another_host_is_not_followed(cbs):
    cbs.routes["/odatafeed/odata/83599ned/untypeddataset"] = lambda req, q: cbs.send(
        req, 200, (FIXTURES / "v3_83599NED_UntypedDataSet_page1_nextLink.json").read_bytes())  # link to cbs.nl kept
    with pytest.raises(ODataError, match="andere server"):
        client(cbs, "83599NED").rows("UntypedDataSet")
    assert sum(cbs.hits.values()) == 1


def test_region_padding_is_stripped_in_recorded_typed_data_set(cbs):
    cbs.table("84489NED", TypedDataSet="v3_84489NED_TypedDataSet_raw.json")
    rows = client(cbs, "84489NED").rows("TypedDataSet")
    assert len(rows) == 2500
    ridderkerk = next(r for r in rows if r["Naam_2"] == "Ridderkerk")
    assert (ridderkerk["Code_3"], ridderkerk["Code_5"]) == ("GM0597", "PV28")
    assert not any(v != v.strip() for r in rows for v in r.values() if isinstance(v, str))


def test_measures_by_key_prefix_title_or_group_title(cbs):
    cbs.table("80137ned", DataProperties="v3_80137ned_DataProperties.json", TypedDataSet="v3_80137ned_TypedDataSet.json")
    c = client(cbs, "80137ned")
    assert c.find_measure("PerGewerktUur_7").key == "PerGewerktUur_12"  # renumbered: found by prefix
    assert c.find_measure("per gewerkt uur").key == "PerGewerktUur_12"  # by title
    assert c.find_measure("Arbeidsvolume in arbeidsjaren Totaal").key == "Totaal_4"  # group + title
    with pytest.raises(ODataError, match="meerdere onderwerpen passen bij 'Totaal'"):
        c.find_measure("Totaal")
    with pytest.raises(ODataError, match=r"CBS-tabel 80137ned: het onderwerp 'PerGewerkteDag_3' bestaat niet \(meer\)"):
        c.find_measure("PerGewerkteDag_3")
    rows = c.observations([c.find_measure("PerGewerktUur_12")],
                          {"Perioden": {"2003JJ00"}, "Persoonskenmerken": {"1"}, "BedrijfstakkenSBI93": {"99"}})
    assert len(rows) == 1 and rows[0]["Persoonskenmerken"] == "1" and rows[0]["PerGewerktUur_12"] == 25.3


def test_v4_observations_and_paging(cbs):
    base = "/odatafeed/odata/80072ned"
    cbs.routes[f"{base}/dimensions"] = "v4beta_80072ned_Dimensions.json"
    cbs.routes[f"{base}/observations"] = "v4beta_80072ned_Observations_count_top1.json"
    c = client(cbs, "80072ned", service="v4")
    cbs.routes[f"{base}/measurecodes"] = lambda req, q: cbs.send(
        req, 200, b'{"value":[{"Identifier":"M001924","Title":"Ziekteverzuimpercentage","Unit":"%","Decimals":1}]}')
    assert c.metadata()[1] == {"Perioden": "time", "BedrijfskenmerkenSBI2008": "other"}
    rows = c.observations([c.find_measure("Ziekteverzuimpercentage")])
    assert rows == [{"BedrijfskenmerkenSBI2008": "T001081", "Perioden": "1996KW01", "M001924": 5.5}]
    assert "Measure eq 'M001924'" in cbs.queries[-1]

    def paged(request, query):
        second = query.get("$skip") == ["1"]
        link = "" if second else f',"@odata.nextLink":"{cbs.origin}/ODataFeed/odata/V4PAGED/Observations?$skip=1"'
        row = {"Id": int(second), "Measure": "M1", "ValueAttribute": "None", "Value": 1.0 + second,
               "Perioden": f"202{int(second)}JJ00"}
        cbs.send(request, 200, f'{{"@odata.count":2,"value":[{json.dumps(row)}]{link}}}'.encode())

    cbs.routes["/odatafeed/odata/v4paged/observations"] = paged
    fractions = []
    rows = client(cbs, "V4PAGED", service="v4").observations([Measure("M1", "x")], progress=fractions.append)
    assert [(r["Perioden"], r["M1"]) for r in rows] == [("2020JJ00", 1.0), ("2021JJ00", 2.0)]
    assert fractions == [0.5, 1.0]


# ---- faults ----------------------------------------------------------------------------------------

def _reset(request):
    request.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    request.close_connection = True


@pytest.mark.parametrize("fault, message", [
    ("faulty_malformed.json", "geen geldige JSON"),
    ("faulty_maintenance.html", "geen geldige JSON"),
    ("faulty_changed_shape.json", "andere vorm dan verwacht"),
    ("faulty_value_not_a_list.json", "andere vorm dan verwacht"),
    ("faulty_truncated.json", "onvolledig"),
])
def test_faulty_bodies(cbs, fault, message):
    cbs.table("FAULTY", TypedDataSet=fault)
    with pytest.raises(ODataError, match=f"CBS-tabel FAULTY: .*{message}"):
        client(cbs, "FAULTY").rows("TypedDataSet")


def test_a_body_shorter_than_its_length_is_asked_again_then_refused(cbs):
    cbs.routes["/odatafeed/odata/short/typeddataset"] = lambda req, q: cbs.send(req, 200, b'{"value":[{"ID":0', 500)
    with pytest.raises(ODataError, match="onvolledig .*3 pogingen"):
        client(cbs, "SHORT").rows("TypedDataSet")
    assert cbs.hits_for("SHORT", "TypedDataSet") == 3


def test_404_names_the_table(cbs):
    with pytest.raises(ODataError, match=r"^CBS-tabel 99999NED: de tabel .*bestaat niet \(HTTP 404\)"):
        client(cbs, "99999NED").rows("TypedDataSet")


def test_500_is_retried_then_reported(cbs):
    cbs.routes["/odatafeed/odata/broken/typeddataset"] = lambda req, q: cbs.send(req, 500, b"{}")
    with pytest.raises(ODataError, match=r"serverfout \(HTTP 500\), ook na nieuwe pogingen"):
        client(cbs, "BROKEN", session=quick(retries=3)).rows("TypedDataSet")
    assert cbs.hits_for("BROKEN", "TypedDataSet") == 4


@pytest.mark.parametrize("first", ["500", "reset"])
def test_one_failure_then_success(cbs, first):
    def flaky(request, query):
        if cbs.hits_for("FLAKY", "TypedDataSet") == 1:
            return cbs.send(request, 500, b"{}") if first == "500" else _reset(request)
        cbs.send(request, 200, b'{"value":[{"ID":0,"RegioS":"GM0597    "}]}')

    cbs.routes["/odatafeed/odata/flaky/typeddataset"] = flaky
    assert client(cbs, "FLAKY").rows("TypedDataSet") == [{"ID": 0, "RegioS": "GM0597"}]
    assert cbs.hits_for("FLAKY", "TypedDataSet") == 2


def test_reset_every_time_and_refused_connection(cbs):
    cbs.routes["/odatafeed/odata/reset/typeddataset"] = lambda req, q: _reset(req)
    with pytest.raises(ODataError, match="geen verbinding met 127.0.0.1"):
        client(cbs, "RESET").rows("TypedDataSet")
    assert cbs.hits_for("RESET", "TypedDataSet") == 3
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(ODataError, match="geen verbinding .*geweigerd of verbroken"):
        Client("CLOSED", f"http://127.0.0.1:{port}/odata", session=quick()).rows("TypedDataSet")


def test_timeout(cbs):
    cbs.routes["/odatafeed/odata/slow/typeddataset"] = lambda req, q: time.sleep(3)
    started = time.monotonic()
    with pytest.raises(ODataError, match=r"CBS-tabel SLOW: .*niet binnen 0.3 seconden \(time-out\)"):
        client(cbs, "SLOW", session=quick(retries=1), timeout=0.3).rows("TypedDataSet")
    assert time.monotonic() - started < 2.5
    assert cbs.hits_for("SLOW", "TypedDataSet") == 2


def test_looping_next_link_and_page_cap(cbs):
    def loop(request, query):
        cbs.send(request, 200, cbs.body("faulty_loop_page2.json" if query.get("$skip") else "faulty_loop_page1.json"))

    cbs.routes["/odatafeed/odata/loop/typeddataset"] = loop
    with pytest.raises(ODataError, match=r"eerdere pagina \(lus\)"):
        client(cbs, "LOOP").rows("TypedDataSet")

    def endless(request, query):
        page = int(query.get("page", ["0"])[0])
        link = f"{cbs.origin}/ODataFeed/odata/ENDLESS/TypedDataSet?page={page + 1}"
        cbs.send(request, 200, f'{{"value":[{{"ID":{page}}}],"odata.nextLink":"{link}"}}'.encode())

    cbs.routes["/odatafeed/odata/endless/typeddataset"] = endless
    with pytest.raises(ODataError, match="meer dan 3 pagina's"):
        client(cbs, "ENDLESS", max_pages=3).rows("TypedDataSet")
    assert cbs.hits_for("ENDLESS", "TypedDataSet") == 3


def test_renamed_key_found_missing_column_refused(cbs):
    cbs.table("SYNKS01", DataProperties="synthetic_v3_SYNKS01_DataProperties.json")
    c = client(cbs, "SYNKS01")
    assert c.find_measure("HuishOnderOfRondSociaalMinimum_72").key == "HuishOnderOfRondSociaalMinimum_79"
    cbs.routes["/odatafeed/odata/synks01/typeddataset"] = lambda req, q: cbs.send(
        req, 200, b'{"value":[{"ID":0,"LeeftijdReferentiepersoon":"10000","RegioS":"GM0597","Perioden":"2022JJ00"}]}')
    with pytest.raises(ODataError, match="TotaalEenouderhuishoudens_16 ontbreken in de gegevens"):
        c.observations([c.find_measure("TotaalEenouderhuishoudens")])


def test_a_large_table_is_sorted_out_page_by_page_in_bounded_memory(cbs):
    """25 pages of 4,000 rows of which one region is wanted: memory follows one page, not the whole table
    (benchmark at a million rows: scripts/benchmark.py refresh)."""
    import json
    import tracemalloc

    pages, size = 25, 4000
    cbs.table("BIG", DataProperties="synthetic_v3_SYNKS01_DataProperties.json")

    def page(request, query):
        skip = int(query.get("$skip", ["0"])[0])
        rows = [{"ID": i, "LeeftijdReferentiepersoon": "10000", "RegioS": "GM0597    " if i % 1000 == 0 else f"WK{i:06d}",
                 "Perioden": "2022JJ00", "TotaalParticuliereHuishoudens_1": 100, "TotaalEenouderhuishoudens_16": 7,
                 "HuishOnderOfRondSociaalMinimum_79": 1.0, "Opmerking": "x" * 200} for i in range(skip, skip + size)]
        body = {"value": rows}
        if skip + size < pages * size:
            body["odata.nextLink"] = f"{cbs.origin}/ODataFeed/odata/BIG/TypedDataSet?$format=json&$skip={skip + size}"
        cbs.send(request, 200, json.dumps(body).encode())

    cbs.routes["/odatafeed/odata/big/typeddataset"] = page
    c = client(cbs, "BIG")
    measure = c.find_measure("TotaalEenouderhuishoudens_16")
    c.metadata()
    tracemalloc.start()
    rows = c.observations([measure], {"RegioS": {"GM0597"}}, server_filters={})
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(rows) == pages * size // 1000 and {r["RegioS"] for r in rows} == {"GM0597"}
    assert peak < 30 * 2**20, f"{peak / 2**20:.0f} MB"  # holding every page's rows first: 77 MB


# ---- the refresh ------------------------------------------------------------------------------------

TEST_SOURCES = '''
[sources.werkt]
service = "v3"
base_url = "{base}"
table = "SYNKS01"
indicator = "eenoudergezinnen"
unit = "%"
measure = "Totaal eenouderhuishoudens"
measure_kind = "count"
denominator = "TotaalParticuliereHuishoudens_9"
source = "testbron (synthetisch)"
note = "testnotitie"
dimensions = {{ LeeftijdReferentiepersoon = "10000" }}

[sources.omgekeerd]
enabled = false
service = "v3"
base_url = "{base}"
table = "SYNKS01"
indicator = "eenoudergezinnen"
unit = "%"
measure = "Totaal eenouderhuishoudens"
measure_kind = "count"
denominator = "TotaalParticuliereHuishoudens_9"
complement = "het aandeel huishoudens dat geen eenoudergezin is (synthetisch)"
dimensions = {{ LeeftijdReferentiepersoon = "10000" }}

[sources.kapot]
service = "v3"
base_url = "{base}"
table = "BROKEN"
indicator = "eenoudergezinnen"
unit = "%"
measure = "TotaalEenouderhuishoudens"

[sources.onbepaald]
service = "v3"
base_url = "{base}"
table = "SYNKS01"
indicator = "eenoudergezinnen"
unit = "%"
measure = "TotaalEenouderhuishoudens"
measure_kind = "count"
denominator = "TotaalParticuliereHuishoudens"

[sources.verkeerde_eenheid]
service = "v3"
base_url = "{base}"
table = "SYNKS01"
indicator = "eenoudergezinnen"
unit = "%"
measure = "TotaalEenouderhuishoudens"

[sources.uit]
enabled = false
service = "v3"
base_url = "{base}"
table = "SYNKS01"
indicator = "eenoudergezinnen"
unit = "%"
measure = "TotaalEenouderhuishoudens"
'''


@pytest.fixture
def data_copy(tmp_path, monkeypatch, cbs) -> Path:
    root = tmp_path / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns(".cache", ".lock"))
    (root / "sources.toml").write_text(TEST_SOURCES.format(base=cbs.base), encoding="utf-8")
    monkeypatch.setenv("KS_DATA_DIR", str(root))
    cbs.table("SYNKS01", DataProperties="synthetic_v3_SYNKS01_DataProperties.json",
              TypedDataSet="synthetic_v3_SYNKS01_TypedDataSet.json")
    cbs.routes["/odatafeed/odata/broken/dataproperties"] = lambda req, q: cbs.send(req, 500, b"{}")
    return root


def _valid(table: pd.DataFrame, root: Path) -> list:
    return validate(table, load_catalogue(root), load_areas(root))


def test_fetch_gives_tidy_valid_rows(data_copy, cbs):
    table = fetch("werkt", session=quick())
    assert list(table.columns) == COLUMNS and all(table[c].map(type).eq(str).all() for c in COLUMNS)
    got = {(r.area_code, r.period_label): (r.value, r.numerator, r.denominator) for r in table.itertuples()}
    assert got == {("GM0597", "2022"): ("7.5", "1580", "21000"), ("GM0597", "2023"): ("7.6", "1602", "21150"),
                   ("NL01", "2022"): ("6.9", "560000", "8100000"), ("NL01", "2023"): ("6.9", "566000", "8200000"),
                   ("PV28", "2022"): ("", "", "1800000"), ("PV28", "2023"): ("7.2", "131000", "1820000"),
                   # Rotterdam is in Ridderkerk's region (data/regios.toml): fetched for the regional benchmark
                   ("GM0599", "2022"): ("9.1", "30000", "330000"), ("GM0599", "2023"): ("9.2", "30500", "333000")}
    pv28 = table[(table["area_code"] == "PV28") & (table["period_label"] == "2022")].iloc[0]
    assert "onderdrukt of ontbrekend" in pv28["note"] and "testnotitie" in pv28["note"]
    assert set(table["retrieved"]) == {pd.Timestamp.today().date().isoformat()}
    assert "TotaalEenouderhuishoudens_16" in table["source_detail"].iloc[0]
    assert _valid(table, data_copy) == []
    # the server was asked for a superset whatever the padding; the exact match was made here
    assert any("substringof('GM0597',RegioS)" in q for q in cbs.queries)


def test_refresh_failing_source_leaves_bundle_unchanged_others_go_on(data_copy):
    csv = data_copy / "bundles" / "echt" / "observations.csv"
    before, changes = csv.read_bytes(), len(store.history("echt"))
    calls = []
    [(name, result)] = refresh("echt", names=["kapot"], who="test", session=quick(0),
                               progress=lambda n, f: calls.append((n, f)))
    assert name == "kapot" and isinstance(result, ODataError) and "CBS-tabel BROKEN" in str(result)
    assert csv.read_bytes() == before and len(store.history("echt")) == changes
    assert calls == [("kapot", 1.0)]

    results = dict(refresh("echt", names=["kapot", "werkt"], dry_run=True, who="test", session=quick(0)))
    assert isinstance(results["kapot"], ODataError) and isinstance(results["werkt"], store.Preview)
    assert len(results["werkt"].added) == 8 and results["werkt"].refused == []  # with Rotterdam (the region)
    assert csv.read_bytes() == before  # a dry run writes nothing

    results = dict(refresh("echt", names=["kapot", "werkt"], who="test", session=quick(0),
                           progress=lambda n, f: calls.append((n, f))))
    assert isinstance(results["werkt"], store.Preview) and csv.read_bytes() != before
    entry = store.history("echt")[-1]
    assert len(store.history("echt")) == changes + 1 and entry["who"] == "test" and "SYNKS01" in entry["detail"]
    assert calls[-1] == ("werkt", 1.0) and all(0 <= f <= 1 for _, f in calls)
    merged = pd.read_csv(csv, dtype=str, keep_default_na=False)
    assert _valid(merged, data_copy) == []
    # a second refresh finds nothing new and writes nothing
    [(_, again)] = refresh("echt", names=["werkt"], who="test", session=quick(0))
    assert again.empty and len(store.history("echt")) == changes + 1


def test_refresh_names_checked_before_fetching(data_copy, cbs):
    with pytest.raises(SourceError, match="'bestaat_niet' staat niet in sources.toml"):
        refresh("echt", names=["werkt", "bestaat_niet"])
    with pytest.raises(SourceError, match="'uit' staat uit"):
        refresh("echt", names=["uit"])
    assert sum(cbs.hits.values()) == 0
    assert "uit" not in source_names() and "uit" in source_names(enabled_only=False)


def test_unfixed_dimension_and_wrong_unit_are_refused(data_copy):
    results = dict(refresh("echt", names=["onbepaald", "verkeerde_eenheid"], dry_run=True, session=quick(0)))
    assert "dimensie LeeftijdReferentiepersoon heeft meerdere waarden (10000, 20000)" in str(results["onbepaald"])
    assert "eenheid 'aantal'" in str(results["verkeerde_eenheid"])


def test_unknown_measure_is_an_error(data_copy):
    text = (data_copy / "sources.toml").read_text().replace('"Totaal eenouderhuishoudens"', '"Eenoudergezinnen_3"')
    (data_copy / "sources.toml").write_text(text)
    [(_, result)] = refresh("echt", names=["werkt"], dry_run=True, session=quick(0))
    assert isinstance(result, ODataError) and "'Eenoudergezinnen_3' bestaat niet (meer)" in str(result)


def test_configured_sources_are_consistent_and_stress_works_on_its_assumed_shape(data_copy, cbs):
    shutil.copy(DATA / "sources.toml", data_copy / "sources.toml")
    names = source_names(enabled_only=False)
    assert {"eenoudergezinnen_cbs", "stress_rivm"} <= set(source_names())
    for name in names:
        src = load_source(name)  # indicator known, unit the indicator's own, https
        assert src.base_url.startswith("https://") and src.source
    cbs.table("50120NED", DataProperties="synthetic_v3_50120NED_DataProperties.json",
              TypedDataSet="synthetic_v3_50120NED_TypedDataSet.json")
    table = fetch("stress_rivm", session=quick(), base_url_override=cbs.base)
    got = {(r.area_code, r.period_label): (r.value, r.ci_low, r.ci_high) for r in table.itertuples()}
    assert got == {("GM0597", "2020"): ("17", "13", "21"), ("GM0597", "2022"): ("19", "15", "23"),
                   ("NL01", "2020"): ("20", "19", "21"), ("NL01", "2022"): ("21", "20", "22")}
    assert table["note"].str.contains("18 jaar en ouder").all() and _valid(table, data_copy) == []
    query = cbs.queries[-1]
    # the age code of "18 jaar of ouder" (20300), not "65 jaar of ouder" (80200) as the configuration asked before
    assert "substringof('GM0597',WijkenEnBuurten)" in query and "substringof('20300',Leeftijd)" in query
    # the same synthetic households table in the place of 71486ned
    cbs.table("71486ned", DataProperties="synthetic_v3_SYNKS01_DataProperties.json",
              TypedDataSet="synthetic_v3_SYNKS01_TypedDataSet.json")
    table = fetch("eenoudergezinnen_cbs", session=quick(), base_url_override=cbs.base)
    assert len(table) == 8 and _valid(table, data_copy) == []  # Ridderkerk, its region's Rotterdam, PV28, NL


def test_plain_http_only_for_the_local_test_server(data_copy):
    with pytest.raises(SourceError, match="moet met https:// beginnen"):
        fetch("werkt", base_url_override="http://example.org/odata")


def _describe_50120(cbs) -> None:
    cbs.table("50120NED", DataProperties="synthetic_v3_50120NED_DataProperties.json",
              TableInfos="synthetic_v3_50120NED_TableInfos.json", Leeftijd="synthetic_v3_50120NED_Leeftijd.json",
              Marges="synthetic_v3_50120NED_Marges.json")


def test_the_check_reports_each_key_and_code_with_its_own_title(data_copy, cbs):
    from ks_data.sources.check import check_source

    shutil.copy(DATA / "sources.toml", data_copy / "sources.toml")
    _describe_50120(cbs)
    found = check_source("stress_rivm", session=quick(), base_url_override=cbs.base)
    text = "\n".join(found.lines)
    assert found.problems == 0 and found.title.startswith("Gezondheid per wijk en buurt")
    assert "Leeftijd '20300' = '18 jaar of ouder'" in text and "Marges 'MOG0095' = 'Ondergrens" in text
    assert "onderwerp 'HeelVeelStressInAfgelopen4Weken' = HeelVeelStressInAfgelopen4Weken_27" in text
    assert not any("TypedDataSet" in q for q in cbs.hits)  # only the description, never the figures


def test_the_check_reports_a_wrong_code_and_a_wrong_key(data_copy, cbs):
    from ks_data.sources.check import check_source

    text = (DATA / "sources.toml").read_text(encoding="utf-8")
    text = text.replace('Leeftijd = "20300"', 'Leeftijd = "99999"', 1).replace(
        'measure = "HeelVeelStressInAfgelopen4Weken"', 'measure = "HeelVeelStressVerkeerd_9"', 1)
    (data_copy / "sources.toml").write_text(text, encoding="utf-8")
    _describe_50120(cbs)
    found = check_source("stress_rivm", session=quick(), base_url_override=cbs.base)
    report = "\n".join(found.lines)
    assert found.problems == 2
    assert "FOUT: Leeftijd '99999' bestaat niet (de tabel kent er 3)" in report
    assert "FOUT: onderwerp 'HeelVeelStressVerkeerd_9'" in report


def test_a_source_of_the_opposite_share_is_turned_round_on_import_and_says_so(data_copy):
    """The same counts read as "not a one-parent household": the import gives 100% minus it, never silently."""
    plain, turned = fetch("werkt", session=quick()), fetch("omgekeerd", session=quick())
    assert list(turned["value"]) == list(plain["value"])  # fetched as the table gives it
    added = store.preview("echt", turned, root=data_copy).added.set_index(["area_code", "period_label"])
    row = added.loc[("GM0597", "2022")]
    assert row["value"] == "92.5" and row["numerator"] == "19420" and row["denominator"] == "21000"
    assert "omgerekend: de bron geeft het aandeel huishoudens dat geen eenoudergezin is (synthetisch) (7,5%)" \
        in row["note"] and "100% min dat" in row["note"]
    suppressed = added.loc[("PV28", "2022")]
    assert suppressed["value"] == "" and suppressed["numerator"] == ""  # a hidden figure stays hidden, not 100
