"""Stored XSS and the Content-Security-Policy, in real Chromium against a live server on loopback.

A payload in every free-text field stays text on every page, for every role: each payload calls `__xss(n)` if it
ever runs (n names the field it was planted in). On every page the browser reports any such call, any dialog,
any policy violation, any console error and any injected handler or javascript: URL left in the DOM; and the
page must show each planted text literally where a person reads it (the tooltip of every map marker included).
Used normally, every page (Simpul's own, the admin, the browsable API, Swagger UI, ReDoc) works under the policy
without a single violation.
"""

import datetime as dt
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts.choices import Role
from accounts.models import User
from assets.choices import AgencyLevel, AssetKind, PowerSource, SiteKind
from assets.models import Agency, Asset, Partner, Site, StandardItem, StockItem
from assets.seed import seed_demo_users, seed_kaltim
from assets.stock import stock_receive
from assets.stocktake import stocktake_mark, stocktake_open
from maintenance import services
from maintenance.models import PartLine, PreventivePlan, WorkLog, WorkOrder, WorkOrderTransition
from monitoring.models import AssetState, Event, MaintenanceWindow, Outage, RadioCheck
from reports.deadlines import previous_month
from reports.models import MonthlyReport
from rollcalls.models import RollCallSchedule, ScheduledCall
from rollcalls.occurrences import WITA
from tests.e2e.conftest import ARTIFACTS, PASSWORD, SIZES, login, needs_chromium

pytestmark = needs_chromium

# A payload: a javascript: URL for anything that builds a link, an attribute breakout with an image error
# handler, an SVG load handler, and a script element closing the surrounding one; as many of them as the field's
# max_length allows, taken in PRIORITY order.
PIECES = (
    "javascript:__xss({n})//",
    "'\"><img src=x onerror=__xss({n})>",
    "<svg onload=__xss({n})>",
    "</script><script>__xss({n})</script>",
)
PRIORITY = (1, 2, 3, 0)
# Directives every page carries as they are (no map tiles configured in these tests).
EVERY_PAGE = {
    "default-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def png_bytes() -> bytes:
    """A real PNG: uploads are decoded before they are kept."""
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 40, 40)).save(buffer, "PNG")
    return buffer.getvalue()


LOOPBACK = ("localhost", "127.0.0.1", "::1")

# Runs in every page before its own scripts: CSP violations reach the test, wherever they come from.
WATCH = """document.addEventListener("securitypolicyviolation", (e) =>
  window.__csp(`${e.violatedDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`));"""

# What markup injection leaves behind even when the policy stops it from running.
INJECTED = """() => {
  const found = [];
  for (const el of document.querySelectorAll("*")) {
    for (const a of el.attributes) {
      const value = a.value.replace(/\\s/g, "").toLowerCase();
      if (a.name.startsWith("on") && value.includes("__xss")) found.push(`${el.tagName} ${a.name}`);
      if (["href", "src", "action", "formaction", "xlink:href"].includes(a.name) && value.startsWith("javascript:"))
        found.push(`${el.tagName} ${a.name}=${a.value}`);
    }
    if (el.tagName === "SCRIPT" && el.type !== "application/json" && el.textContent.includes("__xss("))
      found.push("script element");
  }
  return found;
}"""


@dataclass
class Planted:
    """The payloads planted, by number, and the objects they were planted in."""

    fields: dict[int, str] = field(default_factory=dict)
    objects: dict[str, object] = field(default_factory=dict)

    def __call__(self, name: str, max_length: int = 200) -> str:
        n = len(self.fields) + 1
        self.fields[n] = name
        chosen, room = set(), max_length
        for index in PRIORITY:
            piece = PIECES[index].format(n=n)
            if len(piece) <= room:
                chosen.add(index)
                room -= len(piece)
        assert chosen, f"{name}: no payload fits in {max_length} characters"
        return "".join(PIECES[i].format(n=n) for i in sorted(chosen))


@pytest.fixture
def planted(transactional_db, settings, tmp_path):
    """A province and one regency with a payload in every free-text field (written straight to the database,
    as a regency technician could type them into the API or the pages), read by the province's users."""
    settings.MAP_TILE_URL = ""  # no tiles: nothing leaves this machine
    settings.MEDIA_ROOT = tmp_path
    p = Planted()
    province = Agency.objects.create(
        code="64",
        name=p("province name", 120),
        level=AgencyLevel.PROVINCE,
        phone=p("province phone", 40),
        pusdalops_decree_number=p("province decree", 120),
    )
    regency = Agency.objects.create(
        code="64.02",
        name=p("regency name", 120),
        level=AgencyLevel.REGENCY,
        parent=province,
        phone=p("regency phone", 40),
        email=p("regency email", 254),
        pusdalops_decree_number=p("regency decree", 120),
    )
    partner = Partner.objects.create(
        name=p("partner name", 120), kind=Partner.Kind.RADIO_ORGANISATION, contact=p("partner contact", 200)
    )

    def site(agency, name, lat, lon):
        return Site.objects.create(
            agency=agency,
            name=p(name, 120),
            kind=SiteKind.PUSDALOPS,
            latitude=Decimal(lat),
            longitude=Decimal(lon),
            power_source=PowerSource.GRID,
            address=p(f"{name} address", 250),
            access_notes=p(f"{name} access notes"),
        )

    def asset(agency, site, kind, label, state, **extra):
        obj = Asset.objects.create(
            agency=agency,
            site=site,
            kind=kind,
            name=p(f"{label} name", 120),
            tag=p(f"{label} tag", 60),
            manufacturer=p(f"{label} manufacturer", 80),
            model=p(f"{label} model", 80),
            serial_number=p(f"{label} serial", 80),
            notes=p(f"{label} notes"),
            **extra,
        )
        AssetState.objects.create(
            asset=obj,
            state=state,
            since=timezone.now(),
            reason=p(f"{label} state reason"),
            sys_name=p(f"{label} sysName"),
            last_rtt_ms=4.2 if state == "up" else None,
        )
        return obj

    office = site(regency, "regency office", "-0.25", "115.70")
    hill = site(regency, "regency hill", "-0.60", "116.20")
    province_office = site(province, "province office", "-0.50", "117.15")
    router = asset(regency, office, AssetKind.ROUTER, "router", "up", management_address="127.0.0.1")
    link = asset(
        regency,
        hill,
        AssetKind.INTERNET_LINK,
        "link",
        "down",
        provider=p("link provider", 80),
        circuit_id=p("link circuit", 80),
    )
    terminal = asset(
        regency,
        hill,
        AssetKind.SATELLITE_TERMINAL,
        "terminal",
        "degraded",
        terminal_id=p("terminal id", 80),
        service_plan=p("terminal plan", 80),
    )
    radio = asset(regency, office, AssetKind.VHF_RADIO, "radio", "unknown", owner_partner=partner)
    province_radio = asset(province, province_office, AssetKind.VHF_RADIO, "province radio", "up")
    now = timezone.now()
    Outage.objects.create(asset=link, started_at=now - dt.timedelta(hours=2), cause=p("outage cause"))
    Event.objects.create(asset=router, at=now, kind="reboot", detail=p("event detail", 300))
    window = MaintenanceWindow.objects.create(
        agency=regency,
        site=hill,
        starts_at=now + dt.timedelta(days=2),
        ends_at=now + dt.timedelta(days=2, hours=3),
        reason=p("window reason"),
    )
    RadioCheck.objects.create(agency=regency, held_at=now, net=p("radio check net", 120), notes=p("radio check notes"))
    due = (now - dt.timedelta(minutes=1)).astimezone(WITA)  # a call open now, and yesterday's missed
    schedule = RollCallSchedule.objects.create(
        agency=regency, net=p("roll-call net", 120), times=[due.strftime("%H:%M")], days=[1, 2, 3, 4, 5, 6, 7]
    )
    schedule.stations.set([radio])
    ScheduledCall.objects.create(
        schedule=schedule, agency=regency, due_at=due - dt.timedelta(days=1), outcome="missed", recorded_at=now,
        closes_at=due - dt.timedelta(days=1) + schedule.window,
    )  # fmt: skip
    StandardItem.objects.update_or_create(  # the migrations seed the standard: make sure the regency lacks one
        level=AgencyLevel.REGENCY,
        kind=AssetKind.GENSET,
        link_role="",
        defaults={"required": 1, "unit_cost_idr": 1, "note": p("standard note")},
    )
    MonthlyReport.objects.create(agency=regency, month=timezone.localdate().replace(day=1), notes=p("report notes"))
    last_month = previous_month(timezone.localdate())
    MonthlyReport.objects.create(agency=regency, month=last_month, notes=p("sent report notes"), submitted_at=now)
    MonthlyReport.objects.create(  # returned by the province: its reason shows to both sides
        agency=regency, month=previous_month(last_month), returned_at=now, return_reason=p("return reason")
    )

    technician = User.objects.create_user(
        "teknisi-kubar", password=PASSWORD, agency=regency, role=Role.TECHNICIAN, first_name=p("first name", 150)
    )
    User.objects.create_user("administrator", password=PASSWORD, agency=province, role=Role.ADMINISTRATOR)
    User.objects.create_superuser("root", password=PASSWORD, agency=province, role=Role.ADMINISTRATOR)
    order = services.work_order_create(
        reporter=technician,
        agency=regency,
        asset=link,
        kind="corrective",
        title=p("order title", 150),
        description=p("order description"),
        assignee=technician,
        due_date=timezone.localdate() + dt.timedelta(days=3),
        checklist=[p("checklist item 1"), p("checklist item 2")],
    )
    WorkOrder.objects.filter(pk=order.pk).update(resolution=p("order resolution"))
    WorkOrderTransition.objects.filter(work_order=order).update(note=p("transition note"))
    WorkLog.objects.create(work_order=order, technician=technician, hours=1, description=p("work log"))
    PartLine.objects.create(work_order=order, name=p("part name", 150), quantity=1, unit_cost_idr=1000)
    services.attachment_add(
        order=order,
        upload=SimpleUploadedFile("foto.png", png_bytes(), content_type="image/png"),
        by=technician,
        caption=p("attachment caption"),
    )
    province_order = services.work_order_create(
        reporter=technician,
        agency=province,
        site=province_office,
        kind="preventive",
        title=p("province order title", 150),
        due_date=timezone.localdate() + dt.timedelta(days=5),
    )
    PreventivePlan.objects.create(
        agency=regency,
        asset=router,
        title=p("plan title", 150),
        starts_on=timezone.localdate(),
        checklist=[p("plan checklist")],
    )
    item = StockItem.objects.create(agency=regency, site=office, name=p("stock item name", 150), notes=p("stock notes"))
    stock_receive(item=item, quantity=Decimal(2), by=technician, reason=p("stock reason", 250))
    count = stocktake_open(agency=regency, site=office, by=technician, note=p("stocktake note", 250))
    stocktake_mark(stocktake=count, asset=router, result="found", by=technician, note=p("stocktake line note", 250))
    order.refresh_from_db()
    p.objects.update(
        stock_item=item,
        stocktake=count,
        province=province,
        regency=regency,
        sites=[office, hill, province_office],
        assets=[router, link, terminal, radio, province_radio],
        order=order,
        province_order=province_order,
        partner=partner,
        window=window,
        schedule=schedule,
    )
    return p


class Watch:
    """Everything a page does that it should not: payload calls, dialogs, policy violations, console errors."""

    def __init__(self, browser, live_server, planted: Planted):
        self.live_server = live_server
        self.ran, self.violations, self.errors, self.policies = [], [], [], {}
        self.tolerated = ""  # a text expected in a violation or error on the page at hand
        self.context = browser.new_context(viewport=SIZES["desktop"])
        # Whatever a page asks for, nothing leaves this machine (an aborted request then fails the check).
        self.context.route(lambda url: urlsplit(url).hostname not in LOOPBACK, lambda route: route.abort())
        self.context.expose_function("__xss", lambda n: self.ran.append(f"{n}: {planted.fields.get(n, n)}"))
        self.context.expose_function("__csp", self._violation)
        self.context.add_init_script(WATCH)
        self.page = self.context.new_page()
        self.page.on("dialog", lambda d: (self.ran.append(f"dialog {d.message}"), d.dismiss()))
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("response", self._response)

    def _note(self, found: list, text: str) -> None:
        if not (self.tolerated and self.tolerated in text):
            found.append(text)

    def _violation(self, text: str) -> None:
        self._note(self.violations, text)

    def _console(self, message):
        # Chromium asks for /favicon.ico on the pages of DRF, which names none; a 404 there is no fault.
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            self._note(self.errors, message.text)

    def _response(self, response):
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            self._note(self.errors, f"{response.status} {response.url}")
        if response.request.resource_type == "document" and response.status == 200:
            self.policies[response.url] = response.headers.get("content-security-policy")

    def open(self, path: str, *shown: str):
        """Open a page and check it: nothing ran or was injected, and each `shown` text is on it literally."""
        self.page.goto(self.live_server.url + path)
        self.page.wait_for_load_state("networkidle")
        self.check(path, *shown)

    def check(self, where: str, *shown: str):
        self.page.wait_for_timeout(200)  # an error or load handler runs a moment after the markup lands
        text = self.page.locator("body").inner_text()
        found = {
            "ran": self.ran,
            "violations": self.violations,
            "errors": self.errors,
            "injected": self.page.evaluate(INJECTED),
            "not shown literally": [value for value in shown if value not in text],
        }
        assert not any(found.values()), (where, found)

    def markers(self, expected: set[str], on: str = "#map"):
        """Hover and click every marker on the map `on`: each tooltip names its site (or agency), as text."""
        self.page.wait_for_selector(f"{on} path.leaflet-interactive")
        tooltips = []
        for marker in self.page.locator(f"{on} path.leaflet-interactive").all():
            marker.hover()
            tooltip = self.page.locator(".leaflet-tooltip")
            tooltip.wait_for()
            tooltips.append(tooltip.inner_text())
            marker.click()
            self.page.mouse.move(1, 1)
            tooltip.wait_for(state="detached")
        self.check("map")
        assert sorted(name for name in expected if any(name in t for t in tooltips)) == sorted(expected), tooltips


def test_planted_payloads_stay_text_on_every_page_for_every_role(planted, live_server, browser):
    p = planted.objects
    regency, province, order, office, hill, province_office = (
        p["regency"],
        p["province"],
        p["order"],
        *p["sites"],
    )
    router, link, terminal, radio, province_radio = p["assets"]
    watch = Watch(browser, live_server, planted)
    page = watch.page

    # The regency technician who planted them sees them too.
    login(page, live_server, "teknisi-kubar")
    watch.check("dashboard", regency.name)
    watch.open(
        f"/agencies/{regency.code}/", regency.name, router.name, link.name, office.name, order.title, p["window"].reason
    )
    watch.markers({office.name, hill.name})
    page.screenshot(path=str(ARTIFACTS / "xss-agency-desktop.png"), full_page=True)
    watch.open("/maintenance/my/", order.title, link.name)
    detail = f"/maintenance/orders/{order.pk}/"
    watch.open(detail, order.title, order.description, order.resolution, regency.name, link.name)
    watch.check(detail, *(item.text for item in order.checklist.all()), order.logs.get().description)
    watch.check(detail, order.attachments.get().caption)
    description = planted("work log typed on the page")
    page.fill("#id_hours", "1.5")
    page.fill("#id_description", description)
    page.click("text=Simpan catatan")
    page.wait_for_load_state("networkidle")
    watch.check("work log typed on the page", description)
    watch.open("/radio-checks/new/", regency.name, radio.name, office.name)
    net, notes = planted("net typed on the page", 120), planted("notes typed on the page")
    page.fill("#id_net", net)
    page.fill("#id_notes", notes)
    page.check(f"#id_answered_{radio.pk}")
    page.click("text=Simpan apel")
    page.wait_for_load_state("networkidle")
    watch.check("radio check saved", net)
    assert RadioCheck.objects.filter(net=net, notes=notes).exists()
    watch.open("/rollcalls/", p["schedule"].net, regency.name)
    watch.open(f"/rollcalls/{p['schedule'].pk}/record/", p["schedule"].net, radio.name, regency.name)
    watch.open(f"/rollcalls/schedules/{p['schedule'].pk}/", radio.name, regency.name)  # the net: an input's value
    assert page.input_value("#id_net") == p["schedule"].net
    last_month = previous_month(timezone.localdate())
    sent, returned = (
        MonthlyReport.objects.filter(agency=regency, submitted_at__isnull=False).get(),
        (MonthlyReport.objects.get(agency=regency, returned_at__isnull=False)),
    )
    cause = Outage.objects.get(asset=link).cause
    watch.open(f"/reports/{regency.code}/{timezone.localdate():%Y-%m}/", regency.name, link.name, cause)
    watch.open(f"/reports/{regency.code}/{last_month:%Y-%m}/", regency.name, sent.notes)
    watch.open(f"/reports/{regency.code}/{returned.month:%Y-%m}/", returned.return_reason)
    page.context.clear_cookies()

    # A regency technician's script must not run in the province administrator's session.
    login(page, live_server, "administrator")
    watch.check("dashboard", province.name, regency.name)
    on_province_map = {province.name, regency.name, office.name, hill.name, province_office.name}
    watch.markers(on_province_map, on="#province-map")
    watch.open(f"/agencies/{regency.code}/", regency.name, router.name, terminal.name, hill.name)
    watch.markers({office.name, hill.name})
    watch.open(f"/agencies/{province.code}/", province.name, province_radio.name)
    watch.markers({province_office.name})
    watch.markers(on_province_map, on="#province-map")
    page.screenshot(path=str(ARTIFACTS / "xss-province-desktop.png"), full_page=True)
    watch.open("/procurement/gaps/", regency.name)
    watch.open(f"/reports/?month={returned.month:%Y-%m}", regency.name, returned.return_reason)
    watch.open(f"/reports/{regency.code}/{last_month:%Y-%m}/", regency.name, sent.notes)
    watch.open("/maintenance/my/", p["province_order"].title)
    watch.open(detail, order.title, order.description, regency.name)
    plan = PreventivePlan.objects.get(agency=regency)
    watch.open("/maintenance/board/", order.title, p["province_order"].title)
    watch.open("/maintenance/plans/", plan.title)
    watch.open(f"/maintenance/plans/{plan.pk}/", plan.title, *plan.checklist)
    watch.open(f"/maintenance/orders/new/?asset={router.pk}", regency.name)
    watch.open("/radio-checks/new/", province_radio.name, province_office.name)
    watch.open("/rollcalls/", p["schedule"].net, regency.name)
    for path, text in (("sites", office.name), ("assets", router.name), ("maintenance/work-orders", order.title)):
        watch.open(f"/api/{path}/", json.dumps(text)[1:-1])  # the browsable API shows the JSON, string escapes and all
    watch.open("/api/monitoring/outages/")
    watch.open("/api/monitoring/radio-checks/")
    item, count = p["stock_item"], p["stocktake"]
    watch.open("/procurement/stock/", item.name, office.name, regency.name)
    watch.open("/stocktakes/", office.name, regency.name)
    watch.open(f"/stocktakes/{count.pk}/", office.name, router.name, regency.name)
    watch.open(f"/assets/{router.pk}/", router.name, regency.name, office.name)
    watch.open("/assets/labels/", regency.name, office.name)
    for path, text in (("stock/items", item.name), ("stock/movements", item.name), ("stocktakes", count.note)):
        watch.open(f"/api/{path}/", json.dumps(text)[1:-1])
    page.context.clear_cookies()

    # The back office shows every field; the operator's session matters most of all.
    login(page, live_server, "root", then="/admin/")
    for model in admin.site._registry:
        meta = model._meta
        watch.open(f"/admin/{meta.app_label}/{meta.model_name}/")
    watch.open("/admin/assets/site/", office.name)
    for obj in (province, regency, p["partner"], office, router, link, order, p["province_order"]):
        meta = obj._meta
        watch.open(f"/admin/{meta.app_label}/{meta.model_name}/{obj.pk}/change/")
        watch.open(f"/admin/{meta.app_label}/{meta.model_name}/{obj.pk}/history/")
    watch.context.close()

    assert_policies(watch.policies)


def parse_policy(header: str) -> dict[str, str]:
    return {directive: sources for directive, _, sources in (item.strip().partition(" ") for item in header.split(";"))}


def assert_policies(policies: dict[str, str | None]) -> None:
    """Every page came with the policy: script from our own files only (the pages of other projects under
    /admin/ and /api/ may add one hashed handler and inline styles), never inline, never eval."""
    assert policies, "no page was checked"
    for url, header in policies.items():
        assert header, f"{url}: no Content-Security-Policy"
        policy = parse_policy(header)
        script = set(policy["script-src"].split())
        assert "'self'" in script and not {"'unsafe-inline'", "'unsafe-eval'", "*", "data:", "blob:"} & script, url
        for directive, sources in EVERY_PAGE.items():
            assert policy.get(directive) == sources, (url, directive, policy.get(directive))
        if not urlsplit(url).path.startswith(("/admin/", "/api/")):
            assert (policy["script-src"], policy["style-src"]) == ("'self'", "'self'"), url


@pytest.fixture
def kaltim(transactional_db, settings):
    """The seeded Kaltim network, a work order for Samarinda's technician, and an operator."""
    settings.MAP_TILE_URL = ""  # no tiles: nothing leaves this machine
    seed_kaltim()
    seed_demo_users(PASSWORD)
    technician = User.objects.get(username="teknisi-samarinda")
    User.objects.create_superuser("root", password=PASSWORD, agency=technician.agency, role=Role.ADMINISTRATOR)
    return services.work_order_create(
        reporter=technician,
        agency=technician.agency,
        asset=Asset.objects.filter(agency=technician.agency, kind=AssetKind.REPEATER).first(),
        kind="preventive",
        title="Pemeriksaan bulanan repeater",
        description="Cek SWR dan catu daya.",
        assignee=technician,
        due_date=timezone.localdate() + dt.timedelta(days=3),
        checklist=["Cek SWR antena", "Cek baterai cadangan"],
    )


def test_every_page_works_under_the_policy_without_a_violation(kaltim, live_server, browser):
    order = kaltim
    watch = Watch(browser, live_server, Planted())
    page = watch.page

    def shoot(name: str) -> None:
        for size, viewport in SIZES.items():
            page.set_viewport_size(viewport)
            page.screenshot(path=str(ARTIFACTS / f"{name}-{size}.png"), full_page=True)
        page.set_viewport_size(SIZES["desktop"])

    watch.open("/accounts/login/", "Masuk ke Simpul")
    shoot("login")
    login(page, live_server, "teknisi-samarinda")
    watch.check("dashboard", order.agency.name)
    watch.open(f"/agencies/{order.agency.code}/", order.agency.name)
    watch.markers({site.name for site in Site.objects.filter(agency=order.agency)})
    watch.open("/rollcalls/", "Apel radio terjadwal")
    watch.open("/maintenance/my/", order.title)
    shoot("my-orders")
    page.click(f"a[href='/maintenance/orders/{order.pk}/']")
    page.wait_for_load_state("networkidle")
    watch.check("order", order.title, order.description)

    # Ticking an item sends its form at once (forms.js, no inline handler), and the page comes back with it done.
    with page.expect_navigation():
        page.check(f"input[aria-label='{order.checklist.first().text}']")
    watch.check("ticked", order.checklist.first().text)
    assert page.locator(".done-text").inner_text() == order.checklist.first().text
    assert list(order.checklist.values_list("done", flat=True)) == [True, False]
    with page.expect_navigation():
        page.click("text=Mulai kerjakan")
    watch.check("started", "Tunda")
    shoot("order-detail")

    watch.open("/radio-checks/new/", "Apel radio")
    page.fill("#id_net", "VHF 147.000 Pusdalops")
    page.check("input[id^=id_answered_]:first-of-type >> nth=0")
    with page.expect_navigation():
        page.click("text=Simpan apel")
    watch.check("roll call saved", "Apel VHF 147.000 Pusdalops tercatat")
    shoot("radio-check")
    report = f"/reports/{order.agency.code}/{previous_month(timezone.localdate()):%Y-%m}/"
    watch.open(report, order.agency.name, "Kirim ke provinsi")  # confirm.js asks before sending
    watch.open("/reports/", order.agency.name)
    with page.expect_navigation():
        page.click("header button[value=en]")
    watch.check("English")
    assert page.locator("html").get_attribute("lang") == "en"
    with page.expect_navigation():
        page.click("header button[value=id]")
    with page.expect_navigation():
        page.click("header form[action='/accounts/logout/'] button")
    watch.check("logged out")

    # The pages of other projects: the admin's widgets run, Swagger UI and ReDoc render, DRF's logout works.
    login(page, live_server, "root", then="/admin/")
    watch.open(f"/admin/maintenance/workorder/{order.pk}/change/", order.title)
    page.locator("#id_due_date").fill("")
    page.locator(".datetimeshortcuts a").first.click()  # "today", written by the admin's calendar script
    assert page.locator("#id_due_date").input_value()
    watch.check("admin date shortcut")
    watch.open("/api/docs/")
    page.locator(".opblock").first.wait_for()
    watch.check("Swagger UI", "Simpul API")
    page.goto(live_server.url + "/api/redoc/")  # its vendored bundle asks for no logo from cdn.redoc.ly
    page.locator("h2", has_text="agencies_list").first.wait_for(timeout=90_000)
    watch.check("ReDoc", "Simpul API")
    watch.open("/api/sites/", "Site List")
    page.click("a.dropdown-toggle")
    watch.tolerated = "401"  # logged out, the list answers 401 to the anonymous visitor: the proof, not a fault
    with page.expect_response(lambda r: r.url.endswith("/api/sites/") and r.status == 401):
        page.click("text=Log out")  # DRF's inline handler, allowed by its hash alone
    watch.check("API logged out", "Log in")
    watch.context.close()

    assert_policies(watch.policies)
