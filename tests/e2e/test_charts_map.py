"""The agency page's charts (uPlot) and the province map, in real Chromium against a live server on loopback.

uPlot draws axes on a canvas: the test records every text the page draws there (fillText) and reads the data and
tick positions from the chart itself, so it checks what a person sees, not only what the page was given.
"""

import datetime as dt
from itertools import pairwise
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assets.models import Agency, Asset, Site
from assets.seed import seed_demo_users, seed_kaltim
from monitoring.models import AssetState, HourlyRollup
from monitoring.policies import POLLED_STATUSES
from reports.dashboard import refresh_overview
from tests.e2e.conftest import ARTIFACTS, PASSWORD, SIZES, login, needs_chromium

pytestmark = needs_chromium

WITA = ZoneInfo("Asia/Makassar")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
COLORS = {"up": "#1a7f37", "degraded": "#bf8700", "down": "#cf222e", "unknown": "#6e7781"}
# Every text drawn on a canvas, in order: uPlot's axis labels and tick labels are drawn, not put in the DOM.
RECORD_DRAWN = """window.__drawn = [];
const fillText = CanvasRenderingContext2D.prototype.fillText;
CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
  window.__drawn.push(String(text));
  return fillText.call(this, text, ...rest);
};"""
GAP_HOURS_AGO = 5


def tick_label(ts: float) -> str:
    """What an x tick at `ts` must read: the WITA date at WITA midnight, else the WITA hour as 15.00."""
    at = dt.datetime.fromtimestamp(ts, WITA)
    return f"{at.day} {MONTHS[at.month - 1]}" if (at.hour, at.minute) == (0, 0) else f"{at:%H.%M}"


@pytest.fixture
def network(transactional_db, settings):
    """Kaltim seeded; Kutai Barat's first asset down, Kutai Timur's degraded, the rest up, watched ten days;
    Samarinda's router with a week of hourly figures but one hour missing."""
    settings.MAP_TILE_URL = ""  # no tiles: the map must read without them, and nothing leaves this machine
    seed_kaltim()
    seed_demo_users(PASSWORD)
    now = timezone.now()
    polled = Asset.objects.filter(status__in=POLLED_STATUSES).order_by("pk")
    bad = {
        polled.filter(agency__code="64.02").first().pk: "down",
        polled.filter(agency__code="64.04").first().pk: "degraded",
    }
    AssetState.objects.bulk_create(
        AssetState(asset=a, state=bad.get(a.pk, "up"), since=now, monitored_since=now - dt.timedelta(days=10))
        for a in polled
    )
    router = polled.filter(agency__code="64.72").first()
    last = now.replace(minute=0, second=0, microsecond=0)
    gap = last - dt.timedelta(hours=GAP_HOURS_AGO)
    HourlyRollup.objects.bulk_create(
        HourlyRollup(asset=router, hour=hour, samples=60, up=60, rtt_avg_ms=12.5, rtt_max_ms=30.0, loss_avg=0.02)
        for hour in (last - dt.timedelta(hours=n) for n in range(24 * 6))
        if hour != gap
    )
    return {"gap": gap, "bad": bad}


@pytest.fixture
def page_of(browser, live_server):
    """A page whose every request is checked: anything off the live server's origin is refused and noted."""
    contexts, off_origin = [], []
    origin = urlsplit(live_server.url).netloc

    def open_page(size: str):
        context = browser.new_context(viewport=SIZES[size])
        contexts.append(context)
        context.route(
            lambda url: urlsplit(url).netloc != origin and not url.startswith("data:"),
            lambda route: (off_origin.append(route.request.url), route.abort()),
        )
        context.add_init_script(RECORD_DRAWN)
        page = context.new_page()
        page.errors = []
        page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.on("response", lambda r: page.errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not off_origin, off_origin


@pytest.mark.parametrize("size", SIZES)
def test_agency_charts_show_wita_time_units_gaps_and_values(network, live_server, page_of, size):
    page = page_of(size)
    login(page, live_server, "teknisi-samarinda", then="/agencies/64.72/")
    page.wait_for_selector("#rtt .u-over")
    assert not page.errors, page.errors

    charts = page.evaluate(
        """() => Object.fromEntries(["daily", "rtt", "loss"].map((id) => {
             const u = document.getElementById(id).uplot;
             return [id, {labels: u.axes.map((a) => a.label), splits: u.axes[0]._splits, ticks: u.axes[0]._values,
                          data: u.data, series: u.series.map((s) => s.label)}];
           }))"""
    )
    drawn = page.evaluate("() => window.__drawn")
    assert charts["daily"]["labels"] == ["Waktu (WITA)", "Ketersediaan (%)"]
    assert charts["rtt"]["labels"] == ["Waktu (WITA)", "RTT (ms)"]
    assert charts["loss"]["labels"] == ["Waktu (WITA)", "Loss (%)"]
    for chart in charts.values():
        assert set(chart["labels"]) <= set(drawn)  # drawn on the canvas, not only configured
        assert chart["ticks"] and set(chart["ticks"]) <= set(drawn)
        assert any(tick.endswith((" %", " ms")) for tick in drawn)  # y ticks carry their unit
    # The hourly x axis reads WITA: each tick at its WITA hour, the date at WITA midnight.
    assert charts["rtt"]["ticks"] == [tick_label(ts) for ts in charts["rtt"]["splits"]]
    assert all(" " in tick for tick in charts["daily"]["ticks"]), charts["daily"]["ticks"]  # days: "23 Nov"
    assert charts["daily"]["ticks"] == [tick_label(ts) for ts in charts["daily"]["splits"]]  # WITA midnights

    # A missing hour is a gap (null), not a zero; the hours around it carry their figures.
    hours, rtt, rtt_max = charts["rtt"]["data"]
    gap = hours.index(network["gap"].timestamp())
    assert rtt[gap] is None and rtt_max[gap] is None and charts["loss"]["data"][1][gap] is None
    assert rtt[gap - 1] == 12.5 and rtt[gap + 1] == 12.5
    assert charts["loss"]["data"][1][gap + 1] == pytest.approx(2.0)
    assert len(hours) >= 7 * 24 and all(b - a == 3600 for a, b in pairwise(hours))
    assert rtt[0] is None  # the first day of the week has no figures: a gap, too
    # Days before the watch began have no availability: a gap; the days since have a figure.
    days, availability = charts["daily"]["data"]
    assert availability[0] is None and availability[-1] == pytest.approx(100)
    assert all(dt.datetime.fromtimestamp(ts, WITA).time() == dt.time(0) for ts in days)

    # Hovering an hour shows its time in WITA and its value with the unit in the legend; the gap shows a dash.
    page.locator("#rtt").scroll_into_view_if_needed()
    legend = page.locator("#rtt .u-legend .u-series")
    hover_hour(page, "rtt", gap + 1)
    at = dt.datetime.fromtimestamp(hours[gap + 1], WITA)
    assert legend.nth(0).locator(".u-value").inner_text() == f"{at.day} {MONTHS[at.month - 1]}, {at:%H.%M} WITA"
    assert legend.nth(1).locator(".u-value").inner_text() == "12,5 ms"
    assert legend.nth(2).locator(".u-value").inner_text() == "30 ms"
    hover_hour(page, "rtt", gap)
    assert legend.nth(1).locator(".u-value").inner_text() == "–"  # the gap says so, it does not say 0
    page.mouse.move(1, 1)  # away from the chart, the legend reads the latest hour again
    latest = dt.datetime.fromtimestamp(max(h for h, v in zip(hours, rtt, strict=True) if v is not None), WITA)
    assert (
        legend.nth(0).locator(".u-value").inner_text()
        == f"{latest.day} {MONTHS[latest.month - 1]}, {latest:%H.%M} WITA"
    )
    assert legend.nth(1).locator(".u-value").inner_text() == "12,5 ms"
    page.screenshot(path=str(ARTIFACTS / f"agency-charts-{size}.png"), full_page=True)
    assert not page.errors, page.errors


def hover_hour(page, chart: str, index: int) -> None:
    """Move the mouse over the point `index` of a chart; an hour is a pixel or two wide on a phone, so nudge the
    pointer until the chart's cursor sits on that very point."""
    x, y = page.evaluate(
        """([id, i]) => { const u = document.getElementById(id).uplot, box = u.over.getBoundingClientRect();
                          return [box.left + u.valToPos(u.data[0][i], "x"), box.top + box.height / 2]; }""",
        [chart, index],
    )
    for nudge in (0, 0.5, -0.5, 1, -1, 1.5, -1.5, 2, -2):
        page.mouse.move(x + nudge, y)
        if page.evaluate("(id) => document.getElementById(id).uplot.cursor.idx", chart) == index:
            return
    raise AssertionError(f"the pointer never reached point {index} of {chart}")


def _markers(page, selector: str, lines: int = 1) -> dict[tuple, str]:
    """Hover every marker: its tooltip's first lines (name, and agency for a site: as text) and its fill colour."""
    found = {}
    for marker in page.locator(selector).all():
        marker.hover()
        tooltip = page.locator(".leaflet-tooltip")
        tooltip.wait_for()
        found[tuple(tooltip.inner_text().splitlines()[:lines])] = marker.get_attribute("fill")
        page.mouse.move(1, 1)
        tooltip.wait_for(state="detached")
    return found


@pytest.mark.parametrize("size", SIZES)
def test_province_map_shows_every_agency_and_site_in_its_state_colour(network, live_server, page_of, size):
    page = page_of(size)
    login(page, live_server, "manajer")
    page.wait_for_selector("#province-map path.pm-agency")
    assert not page.errors, page.errors
    agencies = {a.name: a for a in Agency.objects.all()}
    expected = {
        (name,): COLORS["down" if a.code == "64.02" else "degraded" if a.code == "64.04" else "up"]
        for name, a in agencies.items()
    }
    assert page.locator("#province-map path.pm-agency").count() == len(agencies) == 11
    assert page.locator("#province-map path.pm-site").count() == Site.objects.count()
    assert _markers(page, "#province-map path.pm-agency") == expected
    # Agencies' names are printed beside their markers, never over another name; on a laptop every one of them.
    short = {"Kabupaten ": "Kab. ", "Kota ": "Kota ", "Provinsi ": "Prov. "}
    names = {
        next(s + n.removeprefix(f) for f, s in short.items() if n.startswith(f))
        for n in (name.removeprefix("BPBD ") for name in agencies)
    }
    shown = page.evaluate(
        """() => [...document.querySelectorAll("#province-map .pm-label span")]
                 .filter((span) => span.style.visibility !== "hidden")
                 .map((span) => { const r = span.getBoundingClientRect();
                                  return [span.textContent, r.left, r.top, r.right, r.bottom]; })"""
    )
    assert {text for text, *_ in shown} <= names
    assert size == "phone" or {text for text, *_ in shown} == names
    assert len(shown) >= 8, shown
    for i, (a, *ra) in enumerate(shown):
        for b, *rb in shown[i + 1 :]:
            assert not (ra[0] < rb[2] and rb[0] < ra[2] and ra[1] < rb[3] and rb[1] < ra[3]), (a, b)
    assert page.locator("#province-map .pm-title").inner_text() == "BPBD Provinsi Kalimantan Timur"
    assert "117° BT" in page.locator("#province-map .pm-grid").all_inner_texts()
    legend = page.locator("#province-legend").inner_text()
    assert "Mati: 1 instansi, 1 lokasi" in legend and "Menurun: 1 instansi, 1 lokasi" in legend
    assert "Normal: 9 instansi" in legend
    # The down site is drawn red: the one where Kutai Barat's failed asset stands.
    down_site = Asset.objects.get(pk=next(pk for pk, s in network["bad"].items() if s == "down")).site
    sites = _markers(page, "#province-map path.pm-site", lines=2)
    assert sites[down_site.name, down_site.agency.name] == COLORS["down"]
    assert len(sites) == Site.objects.count()
    page.screenshot(path=str(ARTIFACTS / f"province-map-{size}.png"), full_page=True)

    page.goto(f"{live_server.url}/agencies/64/")
    page.wait_for_selector("#province-map path.pm-agency")
    assert page.locator("#province-map path.pm-agency").count() == 11
    page.screenshot(path=str(ARTIFACTS / f"province-agency-{size}.png"), full_page=True)
    assert not page.errors, page.errors


@pytest.mark.parametrize("size", SIZES)
def test_province_map_recolours_from_the_api_without_a_reload(network, live_server, page_of, size):
    page = page_of(size)
    page.add_init_script("window.SIMPUL_REFRESH_MS = 500")
    login(page, live_server, "manajer")
    page.wait_for_selector("#province-map path.pm-agency.pm-down")
    page.evaluate("() => { window.__sameDocument = true; }")  # gone if the page reloads
    kubar = Agency.objects.get(code="64.02")
    agency_paths = page.locator("#province-map path.pm-agency")
    index = next(i for i in range(agency_paths.count()) if "pm-down" in agency_paths.nth(i).get_attribute("class"))
    assert agency_paths.nth(index).get_attribute("fill") == COLORS["down"]
    legend = page.locator("#province-legend")
    assert "Mati: 1 instansi, 1 lokasi" in legend.inner_text() and "Normal: 9 instansi" in legend.inner_text()
    page.locator("#province-section").screenshot(path=str(ARTIFACTS / f"province-map-section-{size}.png"))

    down = next(pk for pk, state in network["bad"].items() if state == "down")
    AssetState.objects.filter(asset_id=down).update(state="up")  # the poller records a recovery...
    refresh_overview()  # ...and refreshes the figures after its cycle
    # Waited for by locators, not wait_for_function: that evaluates a string, which the page's CSP forbids.
    expect(page.locator("#province-legend")).to_contain_text("Normal: 10 instansi", timeout=15000)
    expect(page.locator("#province-map path.pm-down")).to_have_count(0, timeout=15000)
    assert agency_paths.nth(index).get_attribute("fill") == COLORS["up"]
    assert "pm-up" in agency_paths.nth(index).get_attribute("class")
    assert "Mati: 0 instansi, 0 lokasi" in legend.inner_text()
    agency_paths.nth(index).hover()  # the tooltip follows: Kutai Barat is now "Normal"
    page.locator(".leaflet-tooltip").wait_for()
    assert page.locator(".leaflet-tooltip").inner_text().splitlines()[:2] == [kubar.name, "Normal"]
    assert page.evaluate("() => window.__sameDocument === true")
    page.screenshot(path=str(ARTIFACTS / f"province-map-live-{size}.png"), full_page=True)
    assert not page.errors, page.errors
