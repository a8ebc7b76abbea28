"""Who is on duty now (jadwal piket): shifts in WITA, across midnight and at shift change.

A shift starting at 16.00 and ending at 00.00 (or 22.00-06.00) ends on the next WITA day: an assignment
dated 14 November to the 22.00-06.00 shift covers 14 Nov 22.00 to 15 Nov 06.00 WITA. A shift's end is
exclusive, so at 16.00 sharp the late shift is on duty, not the early one. Nobody on duty: the agency's
managers are told instead.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import QuerySet

from accounts.choices import Role
from accounts.models import User
from alerts.models import DutyAssignment

WITA = ZoneInfo("Asia/Makassar")


def shift_bounds(day: date, starts: time, ends: time) -> tuple[datetime, datetime]:
    """The [start, end) of a shift on `day` (WITA), as aware datetimes; an end not after the start is next day."""
    start = datetime.combine(day, starts, tzinfo=WITA)
    end_day = day if ends > starts else day + timedelta(days=1)
    return start, datetime.combine(end_day, ends, tzinfo=WITA)


def on_duty(*, agency_id: int, at: datetime) -> list[User]:
    """The people on a shift of the agency at `at` (any timezone), in shift order."""
    today = at.astimezone(WITA).date()
    assignments = DutyAssignment.objects.filter(
        shift__agency_id=agency_id, date__in=[today - timedelta(days=1), today], user__is_active=True
    ).select_related("shift", "user")
    people = []
    for assignment in assignments:
        start, end = shift_bounds(assignment.date, assignment.shift.starts, assignment.shift.ends)
        if start <= at < end and assignment.user not in people:
            people.append(assignment.user)
    return people


def managers(agency_id: int) -> QuerySet:
    return User.objects.filter(agency_id=agency_id, role=Role.MANAGER, is_active=True).order_by("username")


def duty_or_managers(*, agency_id: int, at: datetime) -> list[User]:
    """Whoever is on duty, or the agency's managers when nobody is."""
    return on_duty(agency_id=agency_id, at=at) or list(managers(agency_id))
