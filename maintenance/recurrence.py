"""Due dates of a preventive plan: every N days/weeks/months, or a day of every month (no Django here)."""

import calendar
from collections.abc import Iterator
from datetime import date, timedelta


def add_months(start: date, months: int, day: int | None = None) -> date:
    """`start` moved by `months`, on `day` (default: start's day), clamped to the month's last day.

    Jan 31 + 1 month is Feb 28 (29 in a leap year), and + 2 months is Mar 31: each date is computed
    from the start, so a short month never drags the following ones earlier.
    """
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day or start.day, last))


def occurrences(*, starts_on: date, every: int, unit: str, day_of_month: int | None, until: date) -> Iterator[date]:
    """Every due date from `starts_on` up to and including `until`."""
    n = 0
    while True:
        if unit == "days":
            due = starts_on + timedelta(days=every * n)
        elif unit == "weeks":
            due = starts_on + timedelta(weeks=every * n)
        elif unit == "months":
            due = add_months(starts_on, every * n)
        else:  # day_of_month: that day of every `every`-th month, from the first one on or after starts_on
            first = add_months(starts_on, 0, day_of_month)
            offset = 0 if first >= starts_on else 1
            due = add_months(starts_on, offset + every * n, day_of_month)
        if due > until:
            return
        yield due
        n += 1
