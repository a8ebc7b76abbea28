"""The schedules API: CRUD in scope, field errors for times, days, window and stations; calls and compliance."""

from datetime import datetime

import pytest

from accounts.choices import Role
from rollcalls.cycle import after_poll_cycle
from rollcalls.models import RollCallSchedule, ScheduledCall
from rollcalls.occurrences import WITA
from tests import factories

SCHEDULES = "/api/rollcalls/schedules/"


def body(**fields):
    return {
        "net": "Jaring VHF Paser",
        "band": "vhf",
        "times": ["20:00", "08:00"],
        "days": [1, 2, 3, 4, 5, 6, 7],
    } | fields


def test_a_technician_creates_a_daily_schedule_of_their_radios(tree, client_for, radios):
    client = client_for(tree["64.01"])
    response = client.post(SCHEDULES, body(stations=[r.pk for r in radios], window_minutes=30), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["agency"], data["times"], data["window_minutes"]) == ("64.01", ["08:00", "20:00"], 30)
    assert sorted(data["stations"]) == sorted(r.pk for r in radios)
    patched = client.patch(f"{SCHEDULES}{data['id']}/", {"times": ["07:30"], "days": [1]}, format="json")
    assert patched.status_code == 200 and patched.json()["times"] == ["07:30"]
    assert patched.json()["stations"] == data["stations"]


def test_a_provinces_net_may_call_its_regencies_radios(tree, client_for):
    regency_radio, own = factories.radio(tree["64.72"]), factories.radio(tree["64"])
    client = client_for(tree["64"])
    response = client.post(
        SCHEDULES, body(net="Jaring VHF Provinsi", stations=[own.pk, regency_radio.pk]), format="json"
    )
    assert response.status_code == 201, response.json()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"times": ["25:00"]}, "times"),
        ({"times": ["8:00"]}, "times"),
        ({"times": []}, "times"),
        ({"times": ["08:00", "08:00"]}, "times"),
        ({"times": "08:00"}, "times"),
        ({"days": [0]}, "days"),
        ({"days": [8]}, "days"),
        ({"days": []}, "days"),
        ({"days": [1, 1]}, "days"),
        ({"window_minutes": 0}, "window_minutes"),
        ({"window_minutes": 500}, "window_minutes"),
        ({"times": ["08:00", "08:20"], "window_minutes": 30}, "window_minutes"),  # calls would overlap
        ({"times": ["23:50", "00:10"], "window_minutes": 30}, "window_minutes"),  # across midnight too
        ({"band": "shf"}, "band"),
        ({"net": ""}, "net"),
    ],
)
def test_bad_schedules_are_400_naming_the_field_and_write_nothing(tree, client_for, fields, field):
    response = client_for(tree["64.01"]).post(SCHEDULES, body(**fields), format="json")
    assert response.status_code == 400 and field in response.json(), response.json()
    assert not RollCallSchedule.objects.exists()


@pytest.mark.parametrize(
    ("owner", "reason"),
    [("63.01", "tidak ditemukan"), ("64.72", "di luar jangkauan"), ("router", "bukan radio")],
)
def test_stations_outside_sight_or_reach_are_refused_by_name(tree, client_for, owner, reason):
    """A foreign radio "does not exist"; a neighbour's radio is seen by the province's admin but is not the
    regency's to call; a router is no station."""
    station = factories.asset(tree["64.01"]) if owner == "router" else factories.radio(tree[owner])
    client = client_for(tree["64"], Role.ADMINISTRATOR)
    response = client.post(SCHEDULES, body(agency="64.01", stations=[station.pk]), format="json")
    assert response.status_code == 400 and "stations" in response.json(), response.json()
    assert reason in str(response.json()["stations"]).lower()
    assert not RollCallSchedule.objects.exists()


def test_another_agencys_schedule_is_404_and_lists_are_scoped(tree, client_for, make_schedule):
    foreign = make_schedule(tree["63.01"], net="Jaring Asing")
    neighbour = make_schedule(tree["64.72"], net="Jaring Samarinda")
    own = make_schedule(tree["64.01"])
    client = client_for(tree["64.01"])
    for schedule in (foreign, neighbour):
        assert client.get(f"{SCHEDULES}{schedule.pk}/").status_code == 404
        assert client.patch(f"{SCHEDULES}{schedule.pk}/", {"net": "x"}, format="json").status_code == 404
        assert client.delete(f"{SCHEDULES}{schedule.pk}/").status_code == 404
    assert [row["id"] for row in client.get(SCHEDULES).json()["results"]] == [own.pk]
    province = client_for(tree["64"], Role.MANAGER).get(SCHEDULES).json()["results"]
    assert {row["net"] for row in province} == {"Jaring VHF Paser", "Jaring Samarinda"}


def test_calls_and_compliance_by_month_and_net(tree, client_for, make_schedule, radios):
    make_schedule(stations=radios, created=datetime(2026, 11, 2, 7, tzinfo=WITA))
    make_schedule(
        tree["64.01"], net="Jaring HF BNPB", times=["09:00"], days=[1], created=datetime(2026, 11, 2, 7, tzinfo=WITA)
    )
    make_schedule(tree["63.01"], net="Jaring Asing", created=datetime(2026, 11, 2, 7, tzinfo=WITA))
    after_poll_cycle(datetime(2026, 11, 2, 21, tzinfo=WITA))
    assert ScheduledCall.objects.filter(agency=tree["63.01"]).count() == 2  # the foreign province's own misses
    client = client_for(tree["64"], Role.MANAGER)
    calls = client.get("/api/rollcalls/calls/", {"outcome": "missed"}).json()["results"]
    assert [(c["net"], c["due_at"]) for c in calls] == [
        ("Jaring VHF Paser", "2026-11-02T20:00:00+08:00"),
        ("Jaring HF BNPB", "2026-11-02T09:00:00+08:00"),
        ("Jaring VHF Paser", "2026-11-02T08:00:00+08:00"),
    ]
    rows = client.get("/api/rollcalls/compliance/", {"month": "2026-11"}).json()
    assert [(r["agency"], r["net"], r["scheduled"], r["held"], r["held_ratio"]) for r in rows] == [
        ("64.01", "Jaring HF BNPB", 1, 0, 0.0),
        ("64.01", "Jaring VHF Paser", 2, 0, 0.0),
    ]
    [row] = client.get("/api/rollcalls/compliance/", {"month": "2026-11", "net": "jaring vhf paser"}).json()
    assert (row["missed"], row["stations_called"], row["answered_ratio"]) == (2, 0, None)
    assert client.get("/api/rollcalls/compliance/", {"month": "2026-10", "agency": "64.01"}).json()[0]["scheduled"] == 0
    assert client.get("/api/rollcalls/compliance/", {"agency": "64.72"}).json() == []


def test_a_bad_month_is_400_and_an_unseen_agency_reads_as_none(tree, client_for, make_schedule):
    make_schedule(tree["63.01"], net="Jaring Asing")
    client = client_for(tree["64"])
    response = client.get("/api/rollcalls/compliance/", {"month": "2026-13"})
    assert response.status_code == 400 and "month" in response.json()
    for code in ("63.01", "99.99"):
        assert client.get("/api/rollcalls/compliance/", {"agency": code}).json() == []
