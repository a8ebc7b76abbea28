"""The scheduled roll call in real Chromium: the operator taps once per station on a phone during the call."""

from datetime import timedelta

import pytest
from django.utils import timezone

from monitoring.models import AssetState, KindPolicy, RadioCheckEntry
from rollcalls.models import RollCallSchedule, ScheduledCall
from rollcalls.occurrences import WITA
from tests import factories
from tests.e2e.conftest import ARTIFACTS, needs_chromium

pytestmark = needs_chromium
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 768}}
PASSWORD = "x-Very-Long-Pass-9"  # tests.factories.user's


@pytest.fixture
def net(tree):
    """Paser's daily VHF net, its call due a minute ago (so open now), with three radios, missed yesterday."""
    KindPolicy.objects.create(kind="vhf_radio", confirm_count=1)  # one missed call is enough to show "down"
    paser = tree["64.01"]
    radios = [factories.radio(paser, name=name) for name in ("Base Tanah Grogot", "Rig Kuaro", "HT <b>Long</b> Kali")]
    due = (timezone.now() - timedelta(minutes=1)).astimezone(WITA).replace(second=0, microsecond=0)
    schedule = RollCallSchedule.objects.create(
        agency=paser, net="Jaring VHF Paser", times=[due.strftime("%H:%M")], days=[1, 2, 3, 4, 5, 6, 7],
        created_at=due - timedelta(days=2),
    )  # fmt: skip
    schedule.stations.set(radios)
    ScheduledCall.objects.create(
        schedule=schedule, agency=paser, due_at=due - timedelta(days=1), closes_at=due - timedelta(days=1, minutes=-30),
        outcome="missed", recorded_at=due,
    )  # fmt: skip
    factories.user(paser, username="operator-paser")
    factories.user(tree["64"], "manager", username="kalaksa-prov")
    return schedule, radios


def _logged_in(browser, live_server, size: str, username: str, then: str):
    """A page at `size`, logged in as `username` on `then`, and the list its console errors go to."""
    page = browser.new_page(viewport=SIZES[size])
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}/accounts/login/?next={then}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}{then}")
    return page, errors


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", SIZES)
def test_the_operator_records_the_open_call_with_one_tap_per_station(live_server, browser, size, net):
    schedule, radios = net
    page, errors = _logged_in(browser, live_server, size, "operator-paser", "/rollcalls/")
    card = page.locator(f".call[data-schedule='{schedule.pk}']")
    assert "terbuka sampai" in card.inner_text()
    assert "1 terlewat" in page.inner_text(".compliance")
    page.screenshot(path=str(ARTIFACTS / f"rollcalls-board-open-{size}.png"), full_page=True)

    card.locator("text=Catat apel").click()
    page.wait_for_selector("[data-roll-call]")
    assert "HT <b>Long</b> Kali" in page.inner_text("main")  # a name is text, never markup
    for radio, tap in zip(radios, ("Terdengar jelas", "Lemah", "Tidak menjawab"), strict=True):
        page.locator(f"[data-station='{radio.pk}'] .tap", has_text=tap).click()
    assert page.inner_text("[data-done]") == "3"
    assert page.input_value(f"#id_readability_{radios[0].pk}") == "5"
    assert page.input_value(f"#id_signal_{radios[0].pk}") == "9"
    assert page.input_value(f"#id_signal_{radios[1].pk}") == "3"
    assert page.locator(f"#id_signal_{radios[2].pk}").is_disabled()
    page.screenshot(path=str(ARTIFACTS / f"rollcalls-record-{size}.png"), full_page=True)
    page.click("button:has-text('Simpan apel')")
    page.wait_for_url(f"{live_server.url}/rollcalls/")
    assert "Apel Jaring VHF Paser tercatat: 2 dari 3 stasiun menjawab." in page.inner_text(".flash")
    assert "sudah dicatat" in page.locator(f".call[data-schedule='{schedule.pk}']").inner_text()
    assert "1 dari 2 apel" in page.inner_text(".compliance")
    page.screenshot(path=str(ARTIFACTS / f"rollcalls-board-held-{size}.png"), full_page=True)

    entries = {e.asset_id: (e.answered, e.readability, e.signal) for e in RadioCheckEntry.objects.all()}
    assert entries == {radios[0].pk: (True, 5, 9), radios[1].pk: (True, 3, 3), radios[2].pk: (False, None, None)}
    states = dict(AssetState.objects.values_list("asset_id", "state"))
    assert [states[r.pk] for r in radios] == ["up", "degraded", "down"]
    assert ScheduledCall.objects.filter(outcome="held").count() == 1
    assert not errors, errors


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", SIZES)
def test_the_agency_page_shows_the_roll_call_block(live_server, browser, size, net):
    page, _errors = _logged_in(browser, live_server, size, "kalaksa-prov", "/agencies/64.01/")
    block = page.locator("#roll-call-compliance")
    assert "Jaring VHF Paser" in block.inner_text() and "0 dari 1 apel" in block.inner_text()
    block.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"rollcalls-agency-{size}.png"), full_page=True)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", SIZES)
def test_the_operator_creates_a_schedule_from_the_page_and_is_told_what_to_fix(live_server, browser, size, net):
    _schedule, radios = net
    page, errors = _logged_in(browser, live_server, size, "operator-paser", "/rollcalls/")
    page.click("#schedule-new")
    page.wait_for_url(f"{live_server.url}/rollcalls/schedules/new/")
    assert "HT <b>Long</b> Kali · BPBD 64.01" in page.inner_text("#schedule-form")  # a name is text, never markup
    page.fill("#id_net", "Jaring HF BNPB")
    page.select_option("#id_band", "hf")
    page.fill("#id_times", "8 pagi")
    for day in ("Senin", "Kamis"):
        page.get_by_label(day, exact=True).check()
    page.fill("#id_window_minutes", "45")
    for radio in radios[:2]:
        page.get_by_label(f"{radio.name} · BPBD 64.01", exact=True).check()
    page.click("button:has-text('Simpan jadwal')")
    page.wait_for_selector(".errorlist")
    assert "“8” bukan jam: tulis jam WITA seperti 08.00, 20.00." in page.inner_text("#schedule-form")
    assert page.get_by_label("Kamis", exact=True).is_checked()  # what was right stays as typed
    assert not RollCallSchedule.objects.filter(net="Jaring HF BNPB").exists()
    page.screenshot(path=str(ARTIFACTS / f"rollcalls-schedule-error-{size}.png"), full_page=True)
    assert [e for e in errors if "400 (Bad Request)" not in e] == [], errors  # the refused form answers 400
    errors.clear()

    page.fill("#id_times", "08.00, 20.00")
    page.click("button:has-text('Simpan jadwal')")
    page.wait_for_url(f"{live_server.url}/rollcalls/")
    assert "Jadwal Jaring HF BNPB disimpan." in page.inner_text(".flash")
    created = RollCallSchedule.objects.get(net="Jaring HF BNPB")
    card = page.locator(f".call[data-schedule='{created.pk}']")
    assert "08.00, 20.00 WITA" in card.inner_text() and "Senin, Kamis" in card.inner_text()
    assert "jendela 45 menit" in card.inner_text() and "2 stasiun" in card.inner_text()
    assert (created.band, created.times, created.days) == ("hf", ["08:00", "20:00"], [1, 4])
    assert set(created.stations.all()) == set(radios[:2])
    card.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"rollcalls-schedule-created-{size}.png"), full_page=True)
    assert not errors, errors
