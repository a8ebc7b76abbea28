"""Maintenance that overran: the window ended, the radio is still in maintenance; one alert, closed by its return."""

from django.core import mail

from alerts.choices import AlertState
from alerts.cycle import after_poll_cycle
from alerts.models import Alert, AlertRule
from monitoring.models import AssetState, MaintenanceWindow
from monitoring.services import RollCallAnswer, radio_check_record
from tests import factories
from tests.alerts.flow import at


def roll_call(agency, radio, minute: float, answered: bool = True) -> None:
    held_at = at(minute)
    entry = RollCallAnswer(asset=radio, answered=answered, readability=5 if answered else None)
    radio_check_record(agency=agency, held_at=held_at, net="VHF", notes="", operator=None, entries=[entry])
    after_poll_cycle(held_at)


def test_a_window_that_ended_with_the_radio_still_in_maintenance_alerts_once(paser, on_duty):
    AlertRule.objects.create(agency=paser, name="Radio", asset_kinds=["vhf_radio"], kinds=["down"])
    radio = factories.radio(paser, name="Base VHF Paser")
    MaintenanceWindow.objects.create(agency=paser, asset=radio, starts_at=at(-60), ends_at=at(0), reason="ganti antena")
    roll_call(paser, radio, -30)
    assert AssetState.objects.get(asset=radio).state == "maintenance"

    for minute in (1, 4):  # within the grace after the end: nothing yet
        after_poll_cycle(at(minute))
    assert not Alert.objects.exists()
    for minute in (6, 7, 20):
        after_poll_cycle(at(minute))
    alert = Alert.objects.get()
    assert (alert.asset, alert.kind, alert.started_at) == (radio, "overrun", at(0))
    assert [m.to for m in mail.outbox] == [["ani@bpbd.test"]]
    body = mail.outbox[0].body
    assert "PEMELIHARAAN MELEWATI JADWAL: Base VHF Paser, BPBD 64.01 sejak 15.00 WITA." in body
    assert "Sebab: ganti antena (pemeliharaan)." in body

    for minute in (30, 31, 32):  # answers three roll calls: back up
        roll_call(paser, radio, minute)
    alert.refresh_from_db()
    assert alert.state == AlertState.RESOLVED
    assert "PULIH: Base VHF Paser" in mail.outbox[1].body
    after_poll_cycle(at(40))
    assert Alert.objects.count() == 1  # once per window


def test_a_site_window_that_overran_is_one_alert_naming_what_else_is_not_back(paser, on_duty):
    AlertRule.objects.create(agency=paser, name="Radio", asset_kinds=["vhf_radio"], kinds=["down"])
    hill = factories.site(paser, name="Bukit Tiung")
    radios = [factories.radio(paser, name=name, site=hill) for name in ("Radio A", "Radio B", "Radio C")]
    spare = factories.radio(paser, name="Radio cadangan", site=hill)  # never heard: not monitored, not news
    factories.radio(paser, name="Radio kantor")  # elsewhere in the agency: outside the window
    MaintenanceWindow.objects.create(agency=paser, site=hill, starts_at=at(-60), ends_at=at(0), reason="ganti tower")
    for radio in radios:
        roll_call(paser, radio, -30)
    for minute in (1, 2, 3):
        roll_call(paser, radios[2], minute)  # C answers again within the grace: back before anyone needed telling
    assert AssetState.objects.get(asset=radios[2]).state == "up"

    for minute in (6, 7, 20):
        after_poll_cycle(at(minute))
    first = Alert.objects.get()
    assert (first.asset, first.kind, first.started_at, first.affected_count) == (radios[0], "overrun", at(0), 1)
    assert list(first.affected.all()) == [radios[1]]
    assert "Juga belum kembali: 1 aset (Radio B)." in mail.outbox[0].body
    assert spare not in first.affected.all()

    for minute in (40, 41, 42):
        roll_call(paser, radios[0], minute)  # A is back; B still is not
    first.refresh_from_db()
    assert first.state == AlertState.RESOLVED
    after_poll_cycle(at(43))
    after_poll_cycle(at(44))
    second = Alert.objects.exclude(pk=first.pk).get()  # the window's alert again, now on B, once
    assert (second.asset, second.kind, second.affected_count) == (radios[1], "overrun", 0)


def test_an_agency_window_covered_by_a_later_one_stays_quiet(paser, on_duty):
    AlertRule.objects.create(agency=paser, name="Radio", asset_kinds=["vhf_radio"], kinds=["down"])
    radio = factories.radio(paser, name="Base VHF Paser")
    MaintenanceWindow.objects.create(agency=paser, starts_at=at(-60), ends_at=at(0), reason="pindah kantor")
    roll_call(paser, radio, -30)
    MaintenanceWindow.objects.create(agency=paser, asset=radio, starts_at=at(0), ends_at=at(120), reason="lanjut")
    for minute in (6, 30, 60):
        after_poll_cycle(at(minute))
    assert not Alert.objects.exists()
    for minute in (126, 127):
        after_poll_cycle(at(minute))
    (alert,) = Alert.objects.all()  # both windows overran: one alert, for the later one
    assert (alert.asset, alert.started_at) == (radio, at(120))
