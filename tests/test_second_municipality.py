"""Nothing Ridderkerk-specific lives in code: a made-up municipality is served from its own data folder."""

from streamlit.testing.v1 import AppTest

from ks_data.views.area_tables import postcode_table
from ks_data.views.monitor import Monitor
from tests.conftest import ROOT


def test_data_layer_serves_the_second_municipality(second_municipality):
    monitor = Monitor.load()
    assert monitor.municipality.name == "Verzonnenstad"
    assert monitor.latest("big2", "GM9990")["value"] == 123.4
    assert monitor.latest("big2", "GM9990")["benchmark_value"] == 150.0
    assert monitor.labels["9991"] == "9991 Noordwijk-Oost" and monitor.labels["9992"] == "Postcode 9992"
    example = Monitor.load("voorbeeld")
    table = postcode_table(example, "big2")
    assert set(table["area_code"]) == {"9991", "9992"}
    assert example.target("big2").status in {"improved", "held", "worsened", "uncertain", "not_yet"}


def test_app_serves_the_second_municipality(second_municipality):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    text = (" ".join(m.value for m in at.markdown) + " ".join(t.value for t in at.title)).replace("\u00ad", "")
    assert "Verzonnenstad" in text and "Ridderkerk" not in text
    assert any(m.value == "123,4 per 1000" for m in at.metric)


def test_every_page_serves_the_second_municipality(second_municipality):
    from ks_ui.shell import PAGES

    for bundle in ["echt", "voorbeeld"]:
        for path, _ in PAGES[1:]:
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
            at.query_params["bundel"] = bundle
            at.run()
            at.switch_page(path).run()
            assert not at.exception, (path, bundle, at.exception)
            assert not at.error, (path, bundle, [e.value for e in at.error])
