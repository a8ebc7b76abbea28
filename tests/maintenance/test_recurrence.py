from datetime import date

import pytest

from maintenance.recurrence import add_months, occurrences


def dues(starts_on, every, unit, until, day_of_month=None):
    return list(occurrences(starts_on=starts_on, every=every, unit=unit, day_of_month=day_of_month, until=until))


def test_month_end_start_clamps_without_drifting():
    assert dues(date(2027, 1, 31), 1, "months", date(2027, 5, 31)) == [
        date(2027, 1, 31),
        date(2027, 2, 28),
        date(2027, 3, 31),
        date(2027, 4, 30),
        date(2027, 5, 31),
    ]


def test_leap_years():
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert dues(date(2024, 2, 29), 12, "months", date(2029, 1, 1)) == [
        date(2024, 2, 29),
        date(2025, 2, 28),
        date(2026, 2, 28),
        date(2027, 2, 28),
        date(2028, 2, 29),
    ]


def test_day_of_month_starts_at_the_next_such_day():
    assert dues(date(2027, 1, 20), 1, "day_of_month", date(2027, 4, 30), day_of_month=10) == [
        date(2027, 2, 10),
        date(2027, 3, 10),
        date(2027, 4, 10),
    ]
    assert dues(date(2028, 1, 5), 1, "day_of_month", date(2028, 3, 31), day_of_month=31) == [
        date(2028, 1, 31),
        date(2028, 2, 29),
        date(2028, 3, 31),
    ]


@pytest.mark.parametrize(("unit", "every", "expected"), [("days", 10, 4), ("weeks", 2, 3), ("months", 1, 2)])
def test_units(unit, every, expected):
    assert len(dues(date(2027, 3, 1), every, unit, date(2027, 4, 1))) == expected


def test_year_boundary():
    assert dues(date(2026, 11, 30), 1, "months", date(2027, 2, 28)) == [
        date(2026, 11, 30),
        date(2026, 12, 30),
        date(2027, 1, 30),
        date(2027, 2, 28),
    ]
