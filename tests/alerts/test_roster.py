"""Who is on duty now, in WITA: at shift change and across midnight."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from alerts.roster import duty_or_managers, on_duty
from alerts.services import duty_swap
from tests.alerts.conftest import assign


def wita(day: int, hour: int, minute: int = 0) -> datetime:
    """`day` November 2026 at hour.minute WITA, as UTC (WITA is UTC+8)."""
    return datetime(2026, 11, day, hour, minute, tzinfo=ZoneInfo("Asia/Makassar")).astimezone(UTC)


def test_wita_helper():
    assert wita(14, 8) == datetime(2026, 11, 14, 0, 0, tzinfo=UTC)
    assert wita(15, 2) == datetime(2026, 11, 14, 18, 0, tzinfo=UTC)
    assert wita(14, 15, 59) == datetime(2026, 11, 14, 7, 59, tzinfo=UTC)


def test_shift_change_hands_over_on_the_minute(paser, shifts, people):
    assign(shifts["pagi"], date(2026, 11, 14), people["ani"])
    assign(shifts["sore"], date(2026, 11, 14), people["budi"])
    assert on_duty(agency_id=paser.pk, at=wita(14, 15, 59)) == [people["ani"]]
    assert on_duty(agency_id=paser.pk, at=wita(14, 16, 0)) == [people["budi"]]


def test_across_midnight_wita(paser, shifts, people):
    """The late shift of the 14th runs to midnight WITA (16.00 UTC); the night shift of the 15th follows."""
    assign(shifts["sore"], date(2026, 11, 14), people["budi"])
    assign(shifts["malam"], date(2026, 11, 15), people["citra"])
    assert on_duty(agency_id=paser.pk, at=wita(14, 23, 59)) == [people["budi"]]
    assert on_duty(agency_id=paser.pk, at=wita(15, 0, 0)) == [people["citra"]]
    assert on_duty(agency_id=paser.pk, at=wita(15, 7, 59)) == [people["citra"]]
    # In UTC all three moments fall on the 14th or the 15th differently: the WITA date decides.
    assert wita(15, 0, 0).date() == date(2026, 11, 14)


def test_a_shift_crossing_midnight_belongs_to_the_day_it_starts(paser, people):
    from datetime import time

    from alerts.models import DutyShift

    night = DutyShift.objects.create(agency=paser, name="Jaga", starts=time(22), ends=time(6))
    assign(night, date(2026, 11, 14), people["ani"])
    assert on_duty(agency_id=paser.pk, at=wita(14, 21, 59)) == []
    assert on_duty(agency_id=paser.pk, at=wita(15, 5, 59)) == [people["ani"]]
    assert on_duty(agency_id=paser.pk, at=wita(15, 6, 0)) == []


def test_nobody_on_duty_falls_back_to_managers(paser, shifts, people):
    assert duty_or_managers(agency_id=paser.pk, at=wita(14, 10)) == [people["kalaksa"]]


def test_swap_keeps_who_was_planned(paser, shifts, people, tree):
    assignment = assign(shifts["pagi"], date(2026, 11, 14), people["ani"])
    duty_swap(assignment=assignment, to_user=people["citra"])
    assignment.refresh_from_db()
    assert assignment.user == people["citra"] and assignment.planned_user == people["ani"]
    assert on_duty(agency_id=paser.pk, at=wita(14, 9)) == [people["citra"]]
    with pytest.raises(ValidationError):
        duty_swap(assignment=assignment, to_user=people["prov"])
