"""An asset page's SNMP metric charts on the demo's history (monitoring.metrics.demo), in real Chromium: a link's
throughput against its contract and a UPS's battery, as a technician sees them on a phone and a desk."""

import re
from importlib import import_module

import pytest
from django.apps import apps

from assets.models import Asset
from assets.seed import seed_demo_users, seed_kaltim
from monitoring.demo import seed_network_demo
from tests.e2e.conftest import ARTIFACTS, PASSWORD, SIZES, login, needs_chromium
from tests.e2e.test_charts_map import page_of  # noqa: F401 (the fixture: origin checked, canvas text recorded)

pytestmark = needs_chromium

READ_CHART = """(id) => { const u = document.getElementById(id).uplot;
  return {labels: u.axes.map((a) => a.label), series: u.series.map((s) => s.label), data: u.data,
          ticks: u.axes[1]._values, times: u.axes[0]._values}; }"""
MONTH_DAY = re.compile(r"\d{1,2} (Jan|Feb|Mar|Apr|Mei|Jun|Jul|Agu|Sep|Okt|Nov|Des)")


@pytest.fixture
def demo(transactional_db):
    import_module("monitoring.metrics.migrations.0001_metrics").seed(apps, None)  # a flush took the profiles
    seed_kaltim()
    seed_demo_users(PASSWORD)
    seed_network_demo()  # a week of history (tests/conftest.py), metrics included
    samarinda = Asset.objects.filter(agency__code="64.72")
    return {"link": samarinda.get(name="Internet utama"), "ups": samarinda.get(kind="ups")}


def wait_for_data(page, chart: str) -> None:
    """Until the chart has its figures (wait_for_function would eval, which the CSP forbids)."""
    page.wait_for_selector(f"#{chart} .u-over")
    for _n in range(100):
        if page.evaluate("(id) => document.getElementById(id).uplot.data[0].length", chart):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"{chart} drew no figures")


def hover_legend(page, chart: str) -> str:
    """The legend's figures with the cursor over the middle of the chart (the last hours may be gaps)."""
    over = page.locator(f"#{chart} .u-over")
    box = over.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
    return page.locator(f"#{chart} .u-legend").inner_text()


@pytest.mark.parametrize("size", SIZES)
def test_a_link_and_a_ups_chart_their_demo_week_in_indonesian(demo, live_server, page_of, size):  # noqa: F811
    link, ups = demo["link"], demo["ups"]
    page = page_of(size)
    login(page, live_server, "teknisi-samarinda", then=f"/assets/{link.pk}/")
    wait_for_data(page, "metric-throughput")
    chart = page.evaluate(READ_CHART, "metric-throughput")
    assert chart["labels"] == ["Waktu (WITA)", "Trafik (Mbps)"]
    assert chart["series"][1:] == ["Masuk", "Keluar", "Kontrak unduh"]
    assert set(chart["data"][3]) == {50}  # the contract line, at the contracted download
    assert sum(v is not None for v in chart["data"][1]) > 24 * 5
    assert any(MONTH_DAY.fullmatch(t) for t in chart["times"]), chart["times"]  # each day named, not only hours
    drawn = page.evaluate("() => window.__drawn")
    assert {"Waktu (WITA)", "Trafik (Mbps)"} <= set(drawn) and set(chart["ticks"]) <= set(drawn)
    assert any(re.fullmatch(r"\d+ Mbps", text) for text in drawn)  # y ticks carry their unit
    assert "Trafik per jam, 7 hari" in page.inner_text("#metric-charts h2")
    latest = page.locator("#metric-throughput .u-legend").inner_text()  # no cursor (a phone): the latest hour
    assert re.search(r"Masuk:?\s*\d+(,\d)? Mbps", latest) and "WITA" in latest, latest
    assert re.search(r"\d+,\d Mbps", hover_legend(page, "metric-throughput"))  # "12,5 Mbps", a decimal comma
    page.mouse.move(0, 0)
    page.screenshot(path=str(ARTIFACTS / f"metric-charts-{size}.png"), full_page=True)
    assert not page.errors, page.errors

    page.goto(f"{live_server.url}/assets/{ups.pk}/")
    wait_for_data(page, "metric-battery")
    chart = page.evaluate(READ_CHART, "metric-battery")
    assert chart["labels"] == ["Waktu (WITA)", "Sisa baterai (%)"]
    assert chart["series"][1:] == ["Sisa baterai", "Dari baterai (% waktu)"]
    assert any(v is not None and v < 100 for v in chart["data"][1])  # a power cut drew the battery down
    drawn = page.evaluate("() => window.__drawn")
    assert "Sisa baterai (%)" in drawn and "100 %" in drawn
    assert re.search(r"Sisa baterai:?\s*\d+ %", page.locator("#metric-battery .u-legend").inner_text())
    page.mouse.move(0, 0)
    page.screenshot(path=str(ARTIFACTS / f"metric-charts-ups-{size}.png"), full_page=True)
    assert not page.errors, page.errors
