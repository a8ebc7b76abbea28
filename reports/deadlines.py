"""The agreement's deadline: a regency's data for a month reaches the province by the 10th of the next month.

"By the 10th" is read in WITA (Asia/Makassar, UTC+8): a report submitted at 23:59 WITA on the 10th is
on time; one submitted at 16:00 UTC on the 10th (00:00 WITA on the 11th) is late.
"""

from datetime import date, datetime, time, timedelta

from simpul.months import WITA, next_month
from simpul.months import month_bounds as month_bounds  # the reports read a month's interval from here

DUE_DAY = 10


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def previous_month(month: date) -> date:
    return (month.replace(day=1) - timedelta(days=1)).replace(day=1)


def deadline(month: date) -> datetime:
    """The first instant that is too late for `month`'s report: the 11th of the next month, 00:00 WITA."""
    return datetime.combine(next_month(month).replace(day=DUE_DAY + 1), time(0), tzinfo=WITA)


def due_on(month: date) -> date:
    """The last day to submit `month`'s report, as the agreement writes it: the 10th of the next month."""
    return next_month(month).replace(day=DUE_DAY)


def submission_status(month: date, submitted_at: datetime | None, now: datetime) -> str:
    """on_time / late / missing (deadline passed, nothing submitted) / pending (not due yet)."""
    due = deadline(month)
    if submitted_at is not None:
        return "on_time" if submitted_at < due else "late"
    return "missing" if now >= due else "pending"
