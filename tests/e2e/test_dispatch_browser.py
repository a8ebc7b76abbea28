"""Dispatch to done in real headless Chromium: a manager on a laptop (1366x768) creates and assigns an order
from an outage, prefilled; the technician on a phone (390x844) finds it, sees where to go, ticks, holds with
a reason, and finishes with a reason for the item left undone; the board puts overdue work first.
Screenshots land in test-artifacts/."""

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from PIL import Image

from maintenance.models import AppliedAction, PreventivePlan, WorkOrder
from maintenance.services import work_order_create
from monitoring.models import Outage
from tests import factories
from tests.e2e.conftest import ARTIFACTS, PASSWORD, login, needs_chromium, wait_for_service_worker

pytestmark = needs_chromium
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture
def field(transactional_db):
    kaltim = factories.agency("64")
    paser = factories.agency("64.01", parent=kaltim)
    people = {}
    for username, role in (("manajer-paser", "manager"), ("teknisi-paser", "technician")):
        person = factories.user(paser, role, username=username, first_name=username.split("-")[0].title())
        person.set_password(PASSWORD)
        person.save()
        people[role] = person
    site = factories.site(
        paser,
        name="Bukit Tengkorak",
        kind="repeater_site",
        address="Jl. Poros Tanah Grogot Km 14",
        access_notes="Kunci gembok di pos ronda; jalan tanah, pakai motor trail.",
        latitude=Decimal("-1.90871"),
        longitude=Decimal("116.19845"),
    )
    repeater = factories.asset(
        paser, kind="repeater", band="vhf", name="Repeater Gunung", site=site, manufacturer="Motorola", model="SLR 5500"
    )
    outage = Outage.objects.create(
        asset=repeater, started_at=timezone.now() - timedelta(hours=3), cause="Tidak ada ping"
    )
    Outage.objects.create(
        asset=repeater,
        started_at=timezone.now() - timedelta(days=9),
        ended_at=timezone.now() - timedelta(days=9, hours=-2),
    )
    PreventivePlan.objects.create(
        agency=paser,
        title="Repeater bulanan",
        asset_kind="repeater",
        starts_on=timezone.localdate(),
        checklist=["Ukur SWR", "Cek tegangan baterai", "Bersihkan panel surya"],
    )
    late = work_order_create(
        reporter=None,
        agency=paser,
        site=site,
        kind="inspection",
        title="Cek pagar menara",
        assignee=people["technician"],
        due_date=timezone.localdate() - timedelta(days=3),
    )
    return {"outage": outage, "late": late, **people}


def _watch(page, allowed: tuple[str, ...] = ()) -> list[str]:
    """Console errors and failed responses, but those of `allowed` URLs (a form answered 400 on purpose)."""
    errors: list[str] = []
    expected = "status of 400" if allowed else None
    page.on(
        "console",
        lambda m: errors.append(m.text) if m.type == "error" and not (expected and expected in m.text) else None,
    )
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "response",
        lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 and not r.url.endswith(allowed) else None,
    )
    return errors


def test_dispatch_from_an_outage_to_done_on_a_phone(field, live_server, browser):
    outage, due = field["outage"], timezone.localdate() + timedelta(days=1)

    # The manager, on a laptop, dispatches from the outage.
    desk = browser.new_page(viewport=LAPTOP)
    desk_errors = _watch(desk)
    login(desk, live_server, "manajer-paser", then=f"/maintenance/orders/new/?outage={outage.pk}")
    assert desk.input_value("#id_title") == "Gangguan: Repeater Gunung"
    description = desk.input_value("#id_description")  # "Mati sejak 29 November 2026 16.42 WITA. Tidak ada ping"
    assert re.fullmatch(r"Mati sejak \d{1,2} [A-Z][a-z]+ \d{4} \d{2}\.\d{2} WITA\. Tidak ada ping", description)
    assert desk.locator("#id_asset option:checked").inner_text() == "Repeater Gunung"
    desk.select_option("#id_assignee", label="teknisi-paser")
    desk.fill("#id_due_date", due.isoformat())
    desk.select_option("#id_template", label="Repeater bulanan")
    desk.screenshot(path=str(ARTIFACTS / "dispatch-new-laptop.png"), full_page=True)
    desk.get_by_role("button", name="Buat perintah kerja").click()
    desk.wait_for_url("**/maintenance/orders/*/")
    order = WorkOrder.objects.get(outages=outage)
    assert (order.assignee.username, order.status, order.due_date) == ("teknisi-paser", "assigned", due)

    desk.goto(f"{live_server.url}/maintenance/board/")
    assigned = desk.locator("#column-assigned .card-link")
    assert assigned.nth(0).inner_text().startswith(f"#{field['late'].pk} Cek pagar menara")  # overdue first
    assert "Lewat tenggat" in assigned.nth(0).inner_text()
    assert assigned.nth(1).inner_text().startswith(f"#{order.pk} Gangguan: Repeater Gunung")
    assert "1 lewat tenggat dari 2 perintah kerja terbuka" in desk.locator("#totals").inner_text()
    desk.screenshot(path=str(ARTIFACTS / "dispatch-board-laptop.png"), full_page=True)

    # The technician, on a phone, does the work.
    phone = browser.new_page(viewport=PHONE)
    phone_errors = _watch(phone, allowed=("/finish/",))
    login(phone, live_server, "teknisi-paser", then="/maintenance/my/")
    phone.get_by_text("Gangguan: Repeater Gunung").click()
    phone.wait_for_url(f"**/maintenance/orders/{order.pk}/")
    place = phone.locator("#place").inner_text()
    assert "Bukit Tengkorak" in place and "Jl. Poros Tanah Grogot Km 14" in place and "pos ronda" in place
    assert phone.locator("#geo-link").get_attribute("href") == "geo:-1.90871,116.19845?q=-1.90871,116.19845"
    asset = phone.locator("#asset").inner_text()
    assert "Motorola SLR 5500" in asset and "masih berlangsung" in asset and "selama 2 j 0 mnt" in asset
    assert phone.locator("#id_file").get_attribute("capture") == "environment"
    phone.screenshot(path=str(ARTIFACTS / "order-assigned-phone.png"), full_page=True)

    phone.get_by_role("checkbox", name="Ukur SWR").check()
    # The tick posts the form and the page comes back with who ticked it: wait for that page, not the old one.
    phone.locator("#checklist li", has_text="Ukur SWR").filter(has_text="Teknisi").wait_for()
    assert "WITA" in phone.locator("#checklist li", has_text="Ukur SWR").inner_text()
    phone.get_by_role("button", name="Mulai kerjakan").click()
    phone.wait_for_url(f"**/maintenance/orders/{order.pk}/")

    phone.locator("#hold summary").click()
    phone.fill("#hold textarea", "Hujan petir, turun dari menara")
    phone.get_by_role("button", name="Ya, tunda pekerjaan").click()
    phone.wait_for_url(f"**/maintenance/orders/{order.pk}/")
    assert "Ditunda" in phone.locator("#summary").inner_text()
    assert "Hujan petir, turun dari menara" in phone.locator("#history").inner_text()
    phone.get_by_role("button", name="Mulai kerjakan").click()
    phone.wait_for_url(f"**/maintenance/orders/{order.pk}/")
    phone.get_by_role("checkbox", name="Cek tegangan baterai").check()
    phone.locator("#checklist li", has_text="Cek tegangan baterai").filter(has_text="Teknisi").wait_for()

    phone.fill("#id_resolution", "Konektor antena diganti, SWR 1,3")
    phone.get_by_role("button", name="Selesai", exact=True).click()
    reason = phone.get_by_label("Bersihkan panel surya: tidak dapat dikerjakan karena …")
    assert "Tulis alasan butir ini tidak dikerjakan." in phone.locator("#finish").inner_text()
    phone.screenshot(path=str(ARTIFACTS / "order-finish-reasons-phone.png"), full_page=True)
    reason.fill("hujan deras, atap licin")
    phone.get_by_role("button", name="Selesai", exact=True).click()
    phone.wait_for_url(f"**/maintenance/orders/{order.pk}/")
    summary = phone.locator("#summary").inner_text()
    assert "Selesai" in summary and "dengan pengecualian" in summary and "tidak bisa diubah" in summary
    assert phone.locator("#checklist input[type=checkbox]").count() == 0
    assert phone.locator("#log, #attach, #finish, #hold").count() == 0
    assert "hujan deras, atap licin" in phone.locator("#checklist").inner_text()
    phone.screenshot(path=str(ARTIFACTS / "order-done-phone.png"), full_page=True)

    # The manager sees it done, off the board, and may reopen it.
    desk.goto(f"{live_server.url}/maintenance/board/")
    assert "Gangguan: Repeater Gunung" not in desk.locator("#board").inner_text()
    desk.goto(f"{live_server.url}/maintenance/orders/{order.pk}/")
    assert desk.locator("#reopen summary").is_visible()
    desk.screenshot(path=str(ARTIFACTS / "order-done-laptop.png"), full_page=True)
    desk.goto(f"{live_server.url}/maintenance/plans/")
    assert "1 aktif dari 1 rencana" in desk.locator("main").inner_text()
    desk.get_by_text("Repeater bulanan").click()
    desk.wait_for_url("**/maintenance/plans/*/")
    assert "Bersihkan panel surya" in desk.locator("#plan").inner_text()
    desk.screenshot(path=str(ARTIFACTS / "plan-laptop.png"), full_page=True)
    phone.goto(f"{live_server.url}/maintenance/board/")
    phone.screenshot(path=str(ARTIFACTS / "dispatch-board-phone.png"), full_page=True)
    assert not desk_errors, desk_errors
    assert not phone_errors, phone_errors


def test_dispatched_from_an_outage_done_offline_on_a_phone_and_seen_done(field, live_server, browser):
    """Issue 12's "done when", on phones (390x844): the manager dispatches from the outage, the technician
    does the work on the hill without signal and it syncs when the signal returns, the manager sees it done."""
    outage = field["outage"]
    desk = browser.new_context(viewport=PHONE, locale="id-ID").new_page()
    desk_errors = _watch(desk)
    login(desk, live_server, "manajer-paser", then=f"/maintenance/orders/new/?outage={outage.pk}")
    desk.select_option("#id_assignee", label="teknisi-paser")
    desk.select_option("#id_template", label="Repeater bulanan")
    desk.get_by_role("button", name="Buat perintah kerja").click()
    desk.wait_for_url("**/maintenance/orders/*/")
    order = WorkOrder.objects.get(outages=outage)
    desk.screenshot(path=str(ARTIFACTS / "journey-1-dispatched-phone.png"), full_page=True)

    # The technician opens it with signal: the worker keeps the page on the phone.
    field_phone = browser.new_context(viewport=PHONE, locale="id-ID")
    phone = field_phone.new_page()
    phone_errors = _watch(phone)
    login(phone, live_server, "teknisi-paser", then="/maintenance/my/")
    wait_for_service_worker(phone)
    phone.get_by_text("Gangguan: Repeater Gunung").click()
    phone.wait_for_url(f"**/maintenance/orders/{order.pk}/")
    phone.locator("#offline[data-kept]").wait_for(state="attached", timeout=30_000)

    # On the hill, no signal.
    field_phone.set_offline(True)
    assert phone.reload().from_service_worker
    assert "Bukit Tengkorak" in phone.locator("#place").inner_text()
    phone.get_by_role("checkbox", name="Ukur SWR").check()
    phone.get_by_role("checkbox", name="Cek tegangan baterai").check()
    phone.get_by_role("button", name="Mulai kerjakan").click()
    phone.fill("#id_hours", "2")
    phone.fill("#id_description", "Konektor antena diganti")
    phone.get_by_role("button", name="Simpan catatan").click()
    image = io.BytesIO()
    Image.new("RGB", (800, 600), (90, 90, 160)).save(image, "JPEG")
    phone.set_input_files("#id_file", files=[{"name": "swr.jpg", "mimeType": "image/jpeg", "buffer": image.getvalue()}])
    phone.fill("#id_caption", "SWR 1,3 sesudah")
    phone.get_by_role("button", name="Unggah").click()
    phone.fill("#id_resolution", "Konektor antena diganti, SWR 1,3")
    phone.get_by_label("Bersihkan panel surya: tidak dapat dikerjakan karena …").fill("hujan deras, atap licin")
    phone.get_by_role("button", name="Selesai", exact=True).click()
    phone.locator("#offline-count").filter(has_text="menunggu sinkron (6)").wait_for(timeout=30_000)
    assert phone.locator("#offline-banner").is_visible()
    phone.screenshot(path=str(ARTIFACTS / "journey-2-offline-pending-phone.png"), full_page=True)
    assert WorkOrder.objects.get(pk=order.pk).status == "assigned"  # nothing has reached the server

    # The signal returns: the queue goes out, the page reloads from the server.
    field_phone.set_offline(False)
    phone.locator("#summary").filter(has_text="dengan pengecualian").wait_for(timeout=30_000)
    assert phone.locator("#offline-pending").is_hidden() and phone.locator("#offline-refused").is_hidden()
    phone.screenshot(path=str(ARTIFACTS / "journey-3-synced-phone.png"), full_page=True)

    # The manager sees it done: off the board, with the technician's log, photo and the reason.
    desk.goto(f"{live_server.url}/maintenance/board/")
    assert "Gangguan: Repeater Gunung" not in desk.locator("#board").inner_text()
    desk.goto(f"{live_server.url}/maintenance/orders/{order.pk}/")
    summary = desk.locator("#summary").inner_text()
    assert "Selesai" in summary and "dengan pengecualian" in summary and "Konektor antena diganti, SWR 1,3" in summary
    assert "Konektor antena diganti" in desk.locator("#history").inner_text()
    assert "hujan deras, atap licin" in desk.locator("#checklist").inner_text()
    assert desk.locator("#photos img").get_attribute("alt") == "SWR 1,3 sesudah"
    desk.screenshot(path=str(ARTIFACTS / "journey-4-manager-sees-done-phone.png"), full_page=True)
    desk.set_viewport_size(LAPTOP)
    desk.screenshot(path=str(ARTIFACTS / "journey-4-manager-sees-done-laptop.png"), full_page=True)

    order.refresh_from_db()
    assert [t.to_status for t in order.transitions.all()] == ["assigned", "in_progress", "done"]
    assert (order.logs.count(), order.attachments.count(), AppliedAction.objects.count()) == (1, 1, 6)
    assert not desk_errors, desk_errors
    assert not phone_errors, phone_errors
