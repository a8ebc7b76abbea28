"""The 10th-of-next-month deadline, around month ends and the WITA/UTC day boundary."""

from datetime import UTC, date, datetime

import pytest

from reports.deadlines import deadline, month_bounds, previous_month, submission_status


def utc(*args):
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("month", "first_late_utc"),
    [
        (date(2026, 11, 1), utc(2026, 12, 10, 16, 0)),  # 11 Dec 00:00 WITA
        (date(2026, 12, 1), utc(2027, 1, 10, 16, 0)),  # across the year end
        (date(2028, 1, 1), utc(2028, 2, 10, 16, 0)),  # leap year February
        (date(2027, 1, 1), utc(2027, 2, 10, 16, 0)),
    ],
)
def test_deadline_is_end_of_the_10th_in_wita(month, first_late_utc):
    assert deadline(month) == first_late_utc


def test_the_wita_utc_day_boundary():
    month = date(2026, 11, 1)
    assert submission_status(month, utc(2026, 12, 10, 15, 59, 59), utc(2027, 1, 1)) == "on_time"  # 23:59:59 WITA
    assert submission_status(month, utc(2026, 12, 10, 16, 0, 0), utc(2027, 1, 1)) == "late"  # 00:00 WITA, 11th
    # 10 Dec 20:00 UTC is already the 11th in Samarinda
    assert submission_status(month, utc(2026, 12, 10, 20, 0), utc(2027, 1, 1)) == "late"


def test_missing_and_pending():
    month = date(2026, 11, 1)
    assert submission_status(month, None, utc(2026, 12, 10, 15, 59)) == "pending"
    assert submission_status(month, None, utc(2026, 12, 10, 16, 0)) == "missing"


def test_month_bounds_are_wita_days():
    start, end = month_bounds(date(2026, 2, 1))
    assert start == utc(2026, 1, 31, 16, 0) and end == utc(2026, 2, 28, 16, 0)
    assert previous_month(date(2027, 1, 15)) == date(2026, 12, 1)
