"""Reads of roll-call schedules that the pages, the API and the agency page share."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Q, QuerySet

from accounts.models import User
from alerts.roster import on_duty
from monitoring.models import RadioCheckEntry
from rollcalls.choices import Outcome
from rollcalls.models import RollCallSchedule, ScheduledCall
from rollcalls.occurrences import Call, next_call, open_call
from simpul.months import month_bounds


@dataclass
class BoardRow:
    """A schedule as the roll-call page shows it: its call open now (and whether it is recorded), or the next."""

    schedule: RollCallSchedule
    open: Call | None
    held: bool
    next: Call | None
    on_duty: list[User] = field(default_factory=list)


def call_board(schedules: QuerySet, now: datetime) -> list[BoardRow]:
    """Open calls first (unrecorded before recorded), then by the next call's time."""
    rows = []
    for schedule in schedules.filter(active=True).select_related("agency").prefetch_related("stations"):
        call = open_call(schedule.clock_times, schedule.days, schedule.window, now)
        held = (
            call is not None
            and ScheduledCall.objects.filter(schedule=schedule, due_at=call.due_at, outcome=Outcome.HELD).exists()
        )
        rows.append(
            BoardRow(
                schedule=schedule,
                open=call,
                held=held,
                next=next_call(schedule.clock_times, schedule.days, schedule.window, now),
                on_duty=on_duty(agency_id=schedule.agency_id, at=call.due_at if call else now),
            )
        )
    far = datetime.max.replace(tzinfo=now.tzinfo)
    return sorted(rows, key=lambda r: (r.open is None, r.held, r.next.due_at if r.next else far, r.schedule.net))


@dataclass(frozen=True)
class Compliance:
    """One net of one agency over one month: calls held of those owed, and stations answering in them."""

    schedule: RollCallSchedule
    month: date
    scheduled: int  # calls whose window has closed (or that were recorded) in the month
    held: int
    stations_called: int
    stations_answered: int

    @property
    def held_ratio(self) -> float | None:
        return self.held / self.scheduled if self.scheduled else None

    @property
    def answered_ratio(self) -> float | None:
        return self.stations_answered / self.stations_called if self.stations_called else None

    @property
    def missed(self) -> int:
        return self.scheduled - self.held


def compliance(schedules: QuerySet, month: date) -> list[Compliance]:
    """Per schedule, the month's figures, from the calls written (held or missed), not from today's schedule."""
    start, end = month_bounds(month)
    schedules = list(schedules.select_related("agency"))
    in_month = Q(due_at__gte=start, due_at__lt=end, schedule__in=[s.pk for s in schedules])
    calls = {
        row["schedule"]: row
        for row in ScheduledCall.objects.filter(in_month)
        .values("schedule")
        .annotate(scheduled=Count("id"), held=Count("id", filter=Q(outcome=Outcome.HELD)))
        .order_by()
    }
    answers = {
        row["radio_check__scheduled_call__schedule"]: row
        for row in RadioCheckEntry.objects.filter(
            radio_check__scheduled_call__in=ScheduledCall.objects.filter(in_month, outcome=Outcome.HELD)
        )
        .values("radio_check__scheduled_call__schedule")
        .annotate(called=Count("id"), answered=Count("id", filter=Q(answered=True)))
        .order_by()
    }
    return [
        Compliance(
            schedule=schedule,
            month=month,
            scheduled=calls.get(schedule.pk, {}).get("scheduled", 0),
            held=calls.get(schedule.pk, {}).get("held", 0),
            stations_called=answers.get(schedule.pk, {}).get("called", 0),
            stations_answered=answers.get(schedule.pk, {}).get("answered", 0),
        )
        for schedule in schedules
    ]


def trouble_first(rows: list[Compliance]) -> list[Compliance]:
    """Pages list the nets that held fewest of their calls first; nets owed nothing yet go last."""
    return sorted(rows, key=lambda row: (row.held_ratio is None, row.held_ratio or 0.0))
