"""The technician app without signal, in real headless Chromium on a phone (390x844): the orders opened online
open again offline (service worker), work done offline on three orders (ticks, a log, a real PNG photo, start
and finish) waits as "menunggu sinkron (N)" and changes nothing on the server; back online it arrives in order
and once, also the finish whose answer was lost on the way back (sent again with its key, replayed, not
applied twice); the tick on the order a dispatcher reassigned meanwhile is refused and the phone says why.
Screenshots at 390x844 and 1366x768 in test-artifacts/."""

import io

import pytest
from PIL import Image, ImageDraw

from maintenance.models import AppliedAction, Attachment, WorkLog, WorkOrder, WorkOrderTransition
from maintenance.services import work_order_create, work_order_transition
from tests import factories
from tests.e2e.conftest import ARTIFACTS, PASSWORD, SIZES, login, needs_chromium, wait_for_service_worker

pytestmark = needs_chromium
DEADLINE_MS = 30_000


@pytest.fixture
def field(transactional_db):
    kaltim = factories.agency("64")
    paser = factories.agency("64.01", parent=kaltim)
    people = {}
    for username, first in (("teknisi-paser", "Teknisi"), ("teknisi-budi", "Budi")):
        person = factories.user(paser, "technician", username=username, first_name=first)
        person.set_password(PASSWORD)
        person.save()
        people[username] = person
    me = people["teknisi-paser"]
    site = factories.site(paser, name="Bukit Tengkorak", address="Jl. Poros Tanah Grogot Km 14")
    repeater = factories.asset(paser, kind="repeater", band="vhf", name="Repeater Gunung", site=site)

    def order(title, checklist, **where):
        return work_order_create(
            reporter=None, agency=paser, kind="corrective", title=title, assignee=me, checklist=checklist, **where
        )

    battery = order("Ganti baterai repeater", ["Ukur SWR", "Cek tegangan baterai"], asset=repeater)
    antenna = work_order_transition(
        order=order("Periksa antena", ["Kencangkan konektor"], site=site), to_status="in_progress", by=me
    )
    genset = order("Cek genset", ["Isi solar"], site=site)
    return {"battery": battery, "antenna": antenna, "genset": genset, **people}


def photo() -> bytes:
    image = Image.new("RGB", (640, 480), (30, 110, 80))
    ImageDraw.Draw(image).rectangle((200, 120, 440, 360), fill=(240, 200, 40))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def pending(page, n: int) -> None:
    page.locator("#offline-count").filter(has_text=f"menunggu sinkron ({n})").wait_for(timeout=DEADLINE_MS)


def test_work_done_offline_arrives_once(field, live_server, browser):
    battery, antenna, genset = field["battery"], field["antenna"], field["genset"]
    context = browser.new_context(viewport=SIZES["phone"], locale="id-ID")  # a phone in Kaltim: Indonesian
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    replayed: list[str] = []
    page.on("response", lambda r: replayed.append(r.url) if r.headers.get("idempotent-replayed") == "true" else None)

    # Online: my orders, and each order once; the worker takes over and the pages are kept on the phone.
    login(page, live_server, "teknisi-paser", then="/maintenance/my/")
    wait_for_service_worker(page)
    page.locator("#offline[data-kept]").wait_for(state="attached", timeout=DEADLINE_MS)
    manifest = page.evaluate("fetch(document.querySelector('link[rel=manifest]').href).then(r => r.json())")
    assert manifest["start_url"] == "/maintenance/my/" and manifest["display"] == "standalone"
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
    for order in (battery, antenna, genset):
        page.goto(f"{live_server.url}/maintenance/orders/{order.pk}/")
        page.locator("#offline[data-kept]").wait_for(state="attached", timeout=DEADLINE_MS)

    # Offline on the hill: the pages open from the phone, work waits in the queue.
    context.set_offline(True)
    assert page.goto(f"{live_server.url}/maintenance/orders/{battery.pk}/").from_service_worker
    assert page.locator("#offline-banner").is_visible()
    assert "Bukit Tengkorak" in page.locator("#place").inner_text()
    page.get_by_role("checkbox", name="Ukur SWR").check()
    pending(page, 1)
    page.get_by_role("button", name="Mulai kerjakan").click()
    pending(page, 2)
    assert "Dikerjakan" in page.locator("#summary .badge").inner_text()
    page.fill("#id_hours", "1.5")
    page.fill("#id_description", "Baterai 12 V diganti")
    page.get_by_role("button", name="Simpan catatan").click()
    pending(page, 3)
    page.fill("#id_resolution", "Baterai baru terpasang, tegangan 13,6 V")
    page.get_by_role("button", name="Selesai", exact=True).click()  # an unticked item without a reason: held back
    assert page.locator("#offline-count").inner_text() == "menunggu sinkron (3)"
    page.get_by_label("Cek tegangan baterai: tidak dapat dikerjakan karena …").fill("multimeter rusak")
    page.get_by_role("button", name="Selesai", exact=True).click()
    pending(page, 4)
    assert "Selesai · menunggu sinkron" in page.locator("#summary .badge").inner_text()

    assert page.goto(f"{live_server.url}/maintenance/orders/{antenna.pk}/").from_service_worker
    page.get_by_role("checkbox", name="Kencangkan konektor").check()
    page.set_input_files("#id_file", files=[{"name": "antena.png", "mimeType": "image/png", "buffer": photo()}])
    page.fill("#id_caption", "Konektor sesudah dikencangkan")
    page.get_by_role("button", name="Unggah").click()
    pending(page, 6)
    page.fill("#id_hours", "0.5")
    page.fill("#id_description", "Konektor N dikencangkan")
    page.get_by_role("button", name="Simpan catatan").click()
    pending(page, 7)
    assert "Konektor sesudah dikencangkan · menunggu sinkron" in page.locator("#photos").inner_text()

    assert page.goto(f"{live_server.url}/maintenance/orders/{genset.pk}/").from_service_worker
    page.get_by_role("checkbox", name="Isi solar").check()
    pending(page, 8)
    page.locator("#offline-count").click()  # the list of what waits folds under its count
    queue = page.locator("#offline-queue").inner_text()
    assert f"#{battery.pk} Ganti baterai repeater · Centang: Ukur SWR" in queue
    assert f"#{battery.pk} Ganti baterai repeater · Catatan kerja: 1,5 jam" in queue
    assert f"#{antenna.pk} Periksa antena · Foto: Konektor sesudah dikencangkan" in queue
    page.screenshot(path=str(ARTIFACTS / "offline-pending-phone.png"), full_page=True)
    page.set_viewport_size(SIZES["desktop"])
    page.screenshot(path=str(ARTIFACTS / "offline-pending-laptop.png"), full_page=True)
    page.set_viewport_size(SIZES["phone"])

    # Nothing reached the server; meanwhile the dispatcher gives the genset to Budi.
    assert not WorkLog.objects.exists() and not Attachment.objects.exists() and not AppliedAction.objects.exists()
    assert WorkOrder.objects.get(pk=battery.pk).status == "assigned"
    genset = work_order_transition(order=genset, to_status="open", by=None)
    work_order_transition(order=genset, to_status="assigned", by=None, assignee=field["teknisi-budi"])

    # Back online. The finish is applied but its answer is lost on the way back: the phone keeps it queued.
    lost: list[int] = []

    def lose_the_answer(route):
        lost.append(route.fetch().status)
        route.abort()

    finish_url = f"**/api/maintenance/work-orders/{battery.pk}/finish/"
    page.route(finish_url, lose_the_answer)
    context.set_offline(False)
    pending(page, 5)
    assert lost == [200]
    battery.refresh_from_db()
    assert battery.status == "done" and AppliedAction.objects.count() == 4
    page.unroute(finish_url)

    # The next round sends the finish again with its key: replayed, not applied twice; the rest follows.
    page.reload()
    refused = page.locator("#offline-refused")
    refused.filter(has_text="dialihkan ke Budi").wait_for(timeout=DEADLINE_MS)
    assert f"#{genset.pk} Cek genset · Centang: Isi solar" in refused.inner_text()
    assert page.locator("#offline-pending").is_hidden() and page.locator("#offline-banner").is_hidden()
    assert replayed == [f"{live_server.url}/api/maintenance/work-orders/{battery.pk}/finish/"]
    page.screenshot(path=str(ARTIFACTS / "offline-synced-refused-phone.png"), full_page=True)
    page.set_viewport_size(SIZES["desktop"])
    page.screenshot(path=str(ARTIFACTS / "offline-synced-refused-laptop.png"), full_page=True)
    page.set_viewport_size(SIZES["phone"])

    # The server holds every action once.
    assert list(
        WorkOrderTransition.objects.filter(work_order=battery).values_list("to_status", flat=True).order_by("at", "id")
    ) == ["assigned", "in_progress", "done"]
    items = {item.text: item for item in battery.checklist.all()}
    assert items["Ukur SWR"].done and items["Ukur SWR"].done_by.username == "teknisi-paser"
    assert not items["Cek tegangan baterai"].done and items["Cek tegangan baterai"].skip_reason == "multimeter rusak"
    assert battery.resolution == "Baterai baru terpasang, tegangan 13,6 V"
    assert [(log.work_order_id, str(log.hours), log.description) for log in WorkLog.objects.order_by("id")] == [
        (battery.pk, "1.50", "Baterai 12 V diganti"),
        (antenna.pk, "0.50", "Konektor N dikencangkan"),
    ]
    stored = Attachment.objects.get()
    assert (stored.work_order_id, stored.content_type, stored.caption, stored.original_name) == (
        antenna.pk,
        "image/png",
        "Konektor sesudah dikencangkan",
        "antena.png",
    )
    with stored.file.open("rb") as handle:
        assert Image.open(handle).size == (640, 480)
    assert antenna.checklist.get().done
    assert not genset.checklist.get().done
    assert AppliedAction.objects.filter(user=field["teknisi-paser"]).count() == 7

    # The photo shows among the order's photos, through the scoped route; the refusal can be put away.
    page.goto(f"{live_server.url}/maintenance/orders/{antenna.pk}/")
    assert page.locator("#photos img").count() == 1
    assert page.locator("#offline-refused").is_visible()
    page.get_by_role("button", name="Sudah dibaca, tutup").click()
    page.locator("#offline-refused").wait_for(state="hidden", timeout=DEADLINE_MS)

    # Logging out drops the kept pages: the next person on this phone does not read them offline.
    assert page.evaluate("caches.has('simpul-lapangan-v1')")
    page.get_by_role("button", name="Keluar (teknisi-paser)").click()
    page.wait_for_url("**/accounts/logout/")
    assert not page.evaluate("caches.has('simpul-lapangan-v1')")
    assert not errors, errors
    context.close()
