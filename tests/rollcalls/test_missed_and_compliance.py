"""Scheduled calls: recorded within the window they are held, unrecorded they are flagged missed when it closes,
and a month's compliance counts both. The clock is an argument: no sleeps."""

from datetime import date, datetime, timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from monitoring.models import AssetState, KindPolicy, RadioCheck
from monitoring.services import RollCallAnswer, radio_check_record
from rollcalls.cycle import after_poll_cycle
from rollcalls.models import ScheduledCall
from rollcalls.occurrences import WITA, open_call
from rollcalls.selectors import compliance
from rollcalls.services import scheduled_call_record
from tests import factories

MINUTE = timedelta(minutes=1)


def wita(*args) -> datetime:
    return datetime(*args, tzinfo=WITA)


def record(schedule, at, answers, operator=None):
    call = open_call(schedule.clock_times, schedule.days, schedule.window, at)
    return scheduled_call_record(schedule=schedule, call=call, operator=operator, answers=answers, notes="", now=at)


def test_the_poller_runs_the_check_after_every_cycle():
    assert "rollcalls.cycle.after_poll_cycle" in settings.POLL_CYCLE_HOOKS


@pytest.mark.django_db
def test_a_call_nobody_recorded_is_missed_when_its_window_closes_and_only_once(make_schedule, radios):
    schedule = make_schedule(stations=radios, created=wita(2026, 11, 2, 7))
    after_poll_cycle(wita(2026, 11, 2, 8, 29, 59, 999999))  # the 08.00 window is still open
    assert not ScheduledCall.objects.exists()
    after_poll_cycle(wita(2026, 11, 2, 8, 30))  # closes at 08.30 sharp
    [call] = ScheduledCall.objects.all()
    assert (call.schedule, call.due_at, call.outcome, call.radio_check) == (
        schedule,
        wita(2026, 11, 2, 8),
        "missed",
        None,
    )
    after_poll_cycle(wita(2026, 11, 2, 9))
    assert ScheduledCall.objects.count() == 1


@pytest.mark.django_db
def test_calls_due_before_the_schedule_existed_or_inactive_ones_are_never_owed(make_schedule):
    make_schedule(created=wita(2026, 11, 2, 8, 10))  # made during the 08.00 window
    make_schedule(net="Jaring HF", active=False, created=wita(2026, 11, 1))
    after_poll_cycle(wita(2026, 11, 2, 21))
    assert list(ScheduledCall.objects.values_list("due_at", "outcome")) == [(wita(2026, 11, 2, 20), "missed")]


@pytest.mark.django_db
def test_a_roll_call_recorded_through_the_api_on_the_net_within_the_window_holds_the_call(tree, make_schedule, radios):
    make_schedule(stations=radios, created=wita(2026, 11, 2, 7))
    answers = [RollCallAnswer(asset=radio, answered=True) for radio in radios]
    late = radio_check_record(
        agency=tree["64.01"], held_at=wita(2026, 11, 2, 20, 31), net="jaring vhf paser", notes="", operator=None,
        entries=answers,
    )  # fmt: skip
    on_time = radio_check_record(
        agency=tree["64.01"], held_at=wita(2026, 11, 2, 8, 5), net="JARING VHF PASER", notes="", operator=None,
        entries=answers,
    )  # fmt: skip
    after_poll_cycle(wita(2026, 11, 2, 21))
    calls = {c.due_at.astimezone(WITA).hour: c for c in ScheduledCall.objects.all()}
    assert (calls[8].outcome, calls[8].radio_check) == ("held", on_time)
    assert (calls[20].outcome, calls[20].radio_check) == ("missed", None)  # 20.31 is after its window
    assert late.pk


@pytest.mark.django_db
def test_recording_in_the_window_holds_the_call_and_feeds_the_radios_health(make_schedule, radios):
    KindPolicy.objects.create(kind="vhf_radio", confirm_count=1)
    schedule = make_schedule(stations=radios, created=wita(2026, 11, 2, 7))
    operator = factories.user(schedule.agency)
    recorded = record(
        schedule,
        wita(2026, 11, 2, 20, 29),
        [
            RollCallAnswer(asset=radios[0], answered=True, readability=5, signal=9),
            RollCallAnswer(asset=radios[1], answered=True, readability=3, signal=3),
            RollCallAnswer(asset=radios[2], answered=False),
        ],
        operator,
    )
    assert recorded.in_window
    check = recorded.radio_check
    assert (check.net, check.agency, check.operator) == ("Jaring VHF Paser", schedule.agency, operator)
    [call] = ScheduledCall.objects.all()
    assert (call.outcome, call.radio_check, call.due_at) == ("held", check, wita(2026, 11, 2, 20))
    states = dict(AssetState.objects.values_list("asset_id", "state"))
    assert [states[r.pk] for r in radios] == ["up", "degraded", "down"]
    with pytest.raises(ValidationError, match="sudah dicatat"):
        record(schedule, wita(2026, 11, 2, 20, 29), [RollCallAnswer(asset=radios[0], answered=True)])
    assert RadioCheck.objects.count() == 1
    after_poll_cycle(wita(2026, 11, 2, 21))
    outcomes = {c.due_at.astimezone(WITA).hour: c.outcome for c in ScheduledCall.objects.all()}
    assert outcomes == {8: "missed", 20: "held"}  # the held call is not flagged again


@pytest.mark.django_db
def test_recorded_after_the_window_the_check_counts_for_health_but_the_call_stays_missed(make_schedule, radios):
    schedule = make_schedule(stations=radios, created=wita(2026, 11, 2, 7))
    call = open_call(schedule.clock_times, schedule.days, schedule.window, wita(2026, 11, 2, 8, 29))
    recorded = scheduled_call_record(
        schedule=schedule, call=call, operator=None, answers=[RollCallAnswer(asset=radios[0], answered=True)],
        notes="", now=wita(2026, 11, 2, 8, 30),
    )  # fmt: skip
    assert not recorded.in_window and AssetState.objects.get(asset=radios[0]).state == "up"
    after_poll_cycle(wita(2026, 11, 2, 8, 31))
    assert list(ScheduledCall.objects.values_list("outcome", flat=True)) == ["missed"]


@pytest.mark.django_db
def test_a_provinces_net_calls_its_regencies_radios_but_not_another_provinces(tree, make_schedule):
    province = tree["64"]
    own, regency, foreign = (
        factories.radio(province),
        factories.radio(tree["64.72"]),
        factories.radio(tree["63.01"]),
    )
    schedule = make_schedule(province, net="Jaring VHF Provinsi", stations=[own, regency])
    record(
        schedule,
        wita(2026, 11, 2, 8, 1),
        [RollCallAnswer(asset=own, answered=True), RollCallAnswer(asset=regency, answered=True)],
    )
    assert AssetState.objects.get(asset=regency).state == "up"
    with pytest.raises(ValidationError, match="milik instansi lain"):
        record(schedule, wita(2026, 11, 2, 20, 1), [RollCallAnswer(asset=foreign, answered=True)])


@pytest.mark.django_db
def test_compliance_of_a_month_with_a_missed_call(make_schedule, radios, tree):
    schedule = make_schedule(stations=radios, created=wita(2026, 11, 2, 7))
    other = make_schedule(net="Jaring HF BNPB", times=["09:00"], days=[1], created=wita(2026, 11, 2, 7))
    # 2 November: 08.00 held (3 of 3 answer), 20.00 held (1 of 3), 3 November 08.00 missed.
    record(schedule, wita(2026, 11, 2, 8, 5), [RollCallAnswer(asset=r, answered=True) for r in radios])
    record(
        schedule,
        wita(2026, 11, 2, 20, 10),
        [RollCallAnswer(asset=radios[0], answered=True)]
        + [RollCallAnswer(asset=r, answered=False) for r in radios[1:]],
    )
    after_poll_cycle(wita(2026, 11, 3, 8, 45))  # also misses the HF net's Monday 09.00 call
    figures = {
        row.schedule.net: row for row in compliance(schedule.agency.roll_call_schedules.all(), date(2026, 11, 1))
    }
    vhf = figures["Jaring VHF Paser"]
    assert (vhf.scheduled, vhf.held, vhf.missed) == (3, 2, 1)
    assert vhf.held_ratio == pytest.approx(2 / 3)
    assert (vhf.stations_answered, vhf.stations_called) == (4, 6)
    assert (figures["Jaring HF BNPB"].scheduled, figures["Jaring HF BNPB"].held) == (1, 0)
    assert figures["Jaring HF BNPB"].answered_ratio is None
    october = compliance(schedule.agency.roll_call_schedules.filter(pk=other.pk), date(2026, 10, 1))
    assert (october[0].scheduled, october[0].held_ratio) == (0, None)


@pytest.mark.django_db
def test_the_kaltim_seed_has_the_provinces_daily_vhf_net_and_two_regency_nets():
    from django.core.management import call_command

    from rollcalls.models import RollCallSchedule

    call_command("seed_kaltim")
    nets = {(s.agency.code, s.net): s for s in RollCallSchedule.objects.select_related("agency")}
    province = nets[("64", "Jaring VHF Provinsi")]
    assert (province.times, province.days, province.window_minutes) == (["08:00", "20:00"], [1, 2, 3, 4, 5, 6, 7], 30)
    assert province.stations.values("agency").distinct().count() == 11  # every regency's base radio, and its own
    assert nets[("64", "Jaring HF BNPB")].days == [1]
    assert set(nets) >= {("64.01", "Jaring VHF Kabupaten Paser"), ("64.02", "Jaring VHF Kabupaten Kutai Barat")}
    call_command("seed_kaltim")
    assert RollCallSchedule.objects.count() == len(nets) == 4


def test_pages_list_the_nets_that_held_fewest_calls_first():
    from rollcalls.selectors import Compliance, trouble_first

    def row(net, scheduled, held):
        return Compliance(schedule=net, month=date(2026, 11, 1), scheduled=scheduled, held=held, stations_called=0,
                          stations_answered=0)  # fmt: skip

    rows = [row("semua", 4, 4), row("belum", 0, 0), row("separuh", 4, 2), row("nol", 2, 0)]
    assert [r.schedule for r in trouble_first(rows)] == ["nol", "separuh", "semua", "belum"]


@pytest.mark.django_db
def test_the_monthly_report_shows_each_nets_calls_held_missed_and_stations_answering(make_schedule, radios, tree):
    import io

    from openpyxl import load_workbook
    from pypdf import PdfReader

    from reports.content import monthly_report_data
    from reports.documents import report_pdf, report_xlsx

    schedule = make_schedule(stations=radios, created=wita(2026, 11, 2, 7))
    record(schedule, wita(2026, 11, 2, 8, 5), [RollCallAnswer(asset=r, answered=r != radios[2]) for r in radios])
    after_poll_cycle(wita(2026, 11, 2, 20, 45))  # the 20.00 call was not recorded: missed
    data = monthly_report_data(schedule.agency, date(2026, 11, 1))
    [net] = data["roll_calls"]
    assert (net["net"], net["scheduled"], net["held"], net["missed"]) == ("Jaring VHF Paser", 2, 1, 1)
    assert (net["stations_answered"], net["stations_called"]) == (2, 3)

    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(report_pdf(data))).pages)
    assert "Apel radio" in text and "Jaring VHF Paser" in text
    assert "Apel radio terlaksana 1 dari 2" in text and "50,00 %" in text and "66,67 %" in text
    sheet = load_workbook(io.BytesIO(report_xlsx(data)))["apel_radio"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Jaringan", "Terjadwal", "Terlaksana", "Terlewat")
    assert rows[1][:4] == ("Jaring VHF Paser", 2, 1, 1)
