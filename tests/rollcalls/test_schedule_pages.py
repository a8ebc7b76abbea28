"""Roll-call schedules from the pages: create, change, pause and resume; errors beside their fields in words;
scoped like the API (stations among the radios the user sees within the agency's reach, writers only)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from accounts.choices import Role
from rollcalls.models import RollCallSchedule, ScheduledCall
from rollcalls.occurrences import WITA
from rollcalls.services import flag_missed_calls
from tests import factories

NEW = "/rollcalls/schedules/new/"


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form(**fields):
    return {"net": "Jaring VHF Paser", "band": "vhf", "times": "08.00, 20:00", "days": ["1", "2", "3", "4", "5"],
            "window_minutes": "30"} | fields  # fmt: skip


def test_a_technician_creates_a_schedule_of_their_radios_from_the_page(tree, radios):
    client = logged_in(factories.user(tree["64.01"]))
    board = client.get("/rollcalls/").content.decode()
    assert 'id="schedule-new"' in board
    page = client.get(NEW).content.decode()
    assert all(radio.name in page for radio in radios) and "Senin" in page and "Jam apel (WITA)" in page
    response = client.post(NEW, form(stations=[radios[0].pk, radios[2].pk]))
    assert response.status_code == 302 and response.url == "/rollcalls/"
    schedule = RollCallSchedule.objects.get()
    assert (schedule.agency, schedule.times, schedule.days) == (tree["64.01"], ["08:00", "20:00"], [1, 2, 3, 4, 5])
    assert set(schedule.stations.all()) == {radios[0], radios[2]} and schedule.active
    board = client.get("/rollcalls/").content.decode()
    assert "Jadwal Jaring VHF Paser disimpan." in board and "08.00, 20.00 WITA" in board
    assert f'href="/rollcalls/schedules/{schedule.pk}/"' in board


def test_a_province_calls_its_regencies_radios_and_sees_no_other_provinces(tree):
    own, regency, city = (factories.radio(tree[code], name=name) for code, name in (("64", "Rig Pusdalops Kaltim"),
                          ("64.01", "Base Tanah Grogot"), ("64.72", "Base Samarinda")))  # fmt: skip
    foreign = factories.radio(tree["63.01"], name="Radio Kalsel")
    router = factories.asset(tree["64.01"], name="Router Paser")
    client = logged_in(factories.user(tree["64"], Role.ADMINISTRATOR))
    page = client.get(NEW).content.decode()
    assert all(r.name in page for r in (own, regency, city))
    assert foreign.name not in page and router.name not in page
    response = client.post(NEW, form(net="Jaring VHF Provinsi", stations=[own.pk, regency.pk, city.pk]))
    assert response.status_code == 302
    assert set(RollCallSchedule.objects.get().stations.all()) == {own, regency, city}
    # A regency's net reaches no sibling: the city's radio is not offered there.
    page = client.get(NEW, {"agency": "64.01"}).content.decode()
    assert regency.name in page and city.name not in page and own.name not in page


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"times": "8 pagi"}, "times", "“8” bukan jam: tulis jam WITA seperti 08.00, 20.00."),
        ({"times": "24.00"}, "times", "“24.00” bukan jam"),
        ({"times": "08.00, 08:00"}, "times", "Jam yang sama tertulis dua kali."),
        ({"times": ""}, "times", "Bidang ini harus diisi."),
        ({"days": []}, "days", "Pilih minimal satu hari."),
        ({"days": ["8"]}, "days", "8 bukan salah satu dari pilihan yang tersedia."),
        ({"window_minutes": "500"}, "window_minutes", "Pastikan nilai ini lebih kecil dari atau sama dengan 180."),
        ({"times": "08.00, 08.20", "window_minutes": "30"}, "window_minutes", "apel akan bertumpuk"),
        ({"net": ""}, "net", "Bidang ini harus diisi."),
    ],
)
def test_bad_input_is_named_beside_its_field_and_nothing_is_saved(tree, radios, fields, field, words):
    client = logged_in(factories.user(tree["64.01"]))
    response = client.post(NEW, form(**fields))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == [field] and len(errors[field]) == 1 and words in errors[field][0], errors
    assert escape(errors[field][0]) in response.content.decode()  # beside the field, on the page
    assert not RollCallSchedule.objects.exists()


def test_a_station_out_of_reach_or_no_radio_is_refused_and_a_net_is_named_once(tree, radios):
    client = logged_in(factories.user(tree["64.01"]))
    for other in (factories.radio(tree["63.01"]), factories.radio(tree["64.72"]), factories.asset(tree["64.01"])):
        response = client.post(NEW, form(stations=[radios[0].pk, other.pk]))
        assert response.status_code == 400 and list(response.context["form"].errors) == ["stations"]
        assert other.name not in response.content.decode()
    assert not RollCallSchedule.objects.exists()
    assert client.post(NEW, form()).status_code == 302
    twin = client.post(NEW, form(times="09.00"))
    assert twin.status_code == 400
    assert twin.context["form"].errors["net"] == ["Instansi ini sudah punya jadwal untuk jaringan ini."]
    assert RollCallSchedule.objects.count() == 1


def test_the_edit_page_shows_the_schedule_and_changes_it(tree, radios, make_schedule):
    schedule = make_schedule(stations=radios[:1], times=["20:00", "08:00"])
    client = logged_in(factories.user(tree["64.01"]))
    page = client.get(f"/rollcalls/schedules/{schedule.pk}/").content.decode()
    assert 'value="08.00, 20.00"' in page and "Ubah jadwal apel" in page
    response = client.post(
        f"/rollcalls/schedules/{schedule.pk}/", form(times="07.30", days=["6", "7"], stations=[r.pk for r in radios])
    )
    assert response.status_code == 302
    schedule.refresh_from_db()
    assert (schedule.times, schedule.days, schedule.stations.count()) == (["07:30"], [6, 7], 3)
    bad = client.post(f"/rollcalls/schedules/{schedule.pk}/", form(times="nanti"))
    assert bad.status_code == 400
    schedule.refresh_from_db()
    assert schedule.times == ["07:30"]


def test_who_may_create_and_change_which_schedule(tree, make_schedule):
    regency = make_schedule(net="Jaring VHF Paser")
    province = make_schedule(tree["64"], net="Jaring VHF Provinsi")
    foreign = make_schedule(tree["63.01"], net="Jaring Kalsel")
    edit = "/rollcalls/schedules/{}/".format
    for role in (Role.MANAGER, Role.PROCUREMENT):
        client = logged_in(factories.user(tree["64.01"], role))
        assert client.get(NEW).status_code == 403
        assert client.get(edit(regency.pk)).status_code == 403
        assert client.post(f"/rollcalls/schedules/{regency.pk}/toggle/").status_code == 403
    technician = logged_in(factories.user(tree["64.01"]))
    assert technician.get(edit(foreign.pk)).status_code == 404
    assert technician.get(edit(province.pk)).status_code == 404  # a regency does not see the province's
    assert technician.get(NEW, {"agency": "64"}).status_code == 404
    province_technician = logged_in(factories.user(tree["64"]))
    assert province_technician.get(edit(regency.pk)).status_code == 403  # seen, but the regency's to write
    assert province_technician.get(NEW, {"agency": "64.01"}).status_code == 403
    assert logged_in(factories.user(tree["64"], Role.ADMINISTRATOR)).get(edit(regency.pk)).status_code == 200
    assert logged_in(factories.user(None)).get(NEW).status_code == 403
    assert Client().get(NEW).status_code == 302  # to the login page


def _daily_missed_three_hours_ago(make_schedule, net: str) -> RollCallSchedule:
    """A daily call three hours ago (window 30 minutes, long closed), the schedule a day old."""
    now = timezone.now()
    due = (now - timedelta(hours=3)).astimezone(WITA)
    return make_schedule(net=net, times=[due.strftime("%H:%M")], created=now - timedelta(days=1))


def test_a_paused_schedule_owes_no_call_of_its_pause(tree, make_schedule):
    paused = _daily_missed_three_hours_ago(make_schedule, "Jaring dijeda")
    _daily_missed_three_hours_ago(make_schedule, "Jaring tetap")
    client = logged_in(factories.user(tree["64.01"]))
    toggle = f"/rollcalls/schedules/{paused.pk}/toggle/"
    assert "Jeda jadwal" in client.get(f"/rollcalls/schedules/{paused.pk}/").content.decode()
    assert client.post(toggle).status_code == 302
    board = client.get("/rollcalls/").content.decode()
    assert 'id="paused"' in board and "Jaring dijeda" in board.split('id="paused"')[1]
    assert "Lanjutkan jadwal" in client.get(f"/rollcalls/schedules/{paused.pk}/").content.decode()
    client.post(toggle)
    paused.refresh_from_db()
    assert paused.active and paused.resumed_at is not None
    assert flag_missed_calls(timezone.now()) == 1  # the other net's call only
    assert set(ScheduledCall.objects.values_list("schedule__net", "outcome")) == {("Jaring tetap", "missed")}


def test_resuming_through_the_api_owes_no_call_of_the_pause_either(tree, client_for, make_schedule):
    schedule = _daily_missed_three_hours_ago(make_schedule, "Jaring VHF Paser")
    client = client_for(tree["64.01"])
    url = f"/api/rollcalls/schedules/{schedule.pk}/"
    assert client.patch(url, {"active": False}, format="json").json()["active"] is False
    resumed = client.patch(url, {"active": True, "window_minutes": 20}, format="json")
    assert resumed.status_code == 200 and (resumed.json()["active"], resumed.json()["window_minutes"]) == (True, 20)
    assert flag_missed_calls(timezone.now()) == 0
    assert client.patch(url, {"window_minutes": 25}, format="json").json()["active"] is True
