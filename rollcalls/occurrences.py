"""When a schedule's calls fall, in WITA (no Django here).

WITA keeps UTC+8 all year, so a call at 08.00 is 00.00 UTC every day. A call's window is [due, due +
window): a call at 23.45 with 30 minutes closes at 00.15 the next day, whatever that day's own schedule.
Two calls of one schedule never overlap (the schedule's validation), so a moment is inside at most one.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

WITA = ZoneInfo("Asia/Makassar")
WEEK = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Call:
    due_at: datetime  # aware, WITA
    closes_at: datetime

    def is_open(self, at: datetime) -> bool:
        return self.due_at <= at < self.closes_at


def parse_times(values: Iterable[str]) -> list[time]:
    """ "HH:MM" strings to times, sorted; ValueError on anything else."""
    parsed = []
    for value in values:
        if not isinstance(value, str) or len(value) != 5 or value[2] != ":":
            raise ValueError(value)
        parsed.append(time(int(value[:2]), int(value[3:])))
    return sorted(parsed)


def calls_between(
    times: list[time], days: Iterable[int], window: timedelta, start: datetime, end: datetime
) -> list[Call]:
    """Calls due in [start, end), in order; `days` are ISO weekdays (1 = Monday)."""
    days = set(days)
    first: date = start.astimezone(WITA).date()
    last: date = end.astimezone(WITA).date()
    calls = []
    day = first
    while day <= last:
        if day.isoweekday() in days:
            for at in times:
                due = datetime.combine(day, at, tzinfo=WITA)
                if start <= due < end:
                    calls.append(Call(due, due + window))
        day += timedelta(days=1)
    return calls


def open_call(times: list[time], days: Iterable[int], window: timedelta, at: datetime) -> Call | None:
    """The call whose window holds `at`, if any."""
    for call in calls_between(times, days, window, at - window, at + timedelta(microseconds=1)):
        if call.is_open(at):
            return call
    return None


def next_call(times: list[time], days: Iterable[int], window: timedelta, after: datetime) -> Call | None:
    """The first call due after `after` (within a week and a day: every schedule has one a week)."""
    calls = calls_between(times, days, window, after + timedelta(microseconds=1), after + WEEK + timedelta(days=1))
    return calls[0] if calls else None


def shortest_gap(times: list[time], days: Iterable[int]) -> timedelta | None:
    """The shortest time between two consecutive calls over the week, wrapping around; None for one call a week."""
    monday = datetime(2026, 11, 2, tzinfo=WITA)  # any Monday: WITA has no daylight saving
    dues = [call.due_at for call in calls_between(times, days, timedelta(0), monday, monday + WEEK)]
    if len(dues) < 2:
        return None
    gaps = [later - earlier for earlier, later in pairwise(dues)]
    gaps.append(dues[0] + WEEK - dues[-1])
    return min(gaps)
