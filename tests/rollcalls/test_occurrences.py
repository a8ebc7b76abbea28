"""When a schedule's calls fall, in WITA: across midnight, at the window's edges, on days other zones change clocks."""

from datetime import UTC, datetime, time, timedelta

import pytest

from rollcalls.occurrences import WITA, calls_between, next_call, open_call, parse_times, shortest_gap

EVERY_DAY = range(1, 8)
HALF_HOUR = timedelta(minutes=30)


def wita(*args) -> datetime:
    return datetime(*args, tzinfo=WITA)


def test_daily_calls_at_08_and_20_wita_are_00_and_12_utc():
    calls = calls_between(
        parse_times(["20:00", "08:00"]),
        EVERY_DAY,
        HALF_HOUR,
        datetime(2026, 11, 2, tzinfo=UTC),
        datetime(2026, 11, 4, tzinfo=UTC),
    )
    assert [c.due_at.astimezone(UTC) for c in calls] == [
        datetime(2026, 11, 2, 0, tzinfo=UTC),
        datetime(2026, 11, 2, 12, tzinfo=UTC),
        datetime(2026, 11, 3, 0, tzinfo=UTC),
        datetime(2026, 11, 3, 12, tzinfo=UTC),
    ]
    assert calls[0].closes_at == wita(2026, 11, 2, 8, 30)


def test_a_utc_range_is_cut_in_wita_days():
    # 2026-11-29 23:00 UTC is 30 November 07:00 WITA: the 08:00 call of the 30th is the first one after it.
    [call] = calls_between(
        [time(8)], EVERY_DAY, HALF_HOUR, datetime(2026, 11, 29, 23, tzinfo=UTC), datetime(2026, 11, 30, 1, tzinfo=UTC)
    )
    assert call.due_at == wita(2026, 11, 30, 8)


@pytest.mark.parametrize(
    ("at", "open_due"),
    [
        (wita(2026, 11, 2, 23, 44, 59), None),  # Monday, a second early
        (wita(2026, 11, 2, 23, 45), wita(2026, 11, 2, 23, 45)),  # the window opens at the call's time
        (wita(2026, 11, 3, 0, 10), wita(2026, 11, 2, 23, 45)),  # Tuesday: Monday's call still open after midnight
        (wita(2026, 11, 3, 0, 14, 59, 999999), wita(2026, 11, 2, 23, 45)),
        (wita(2026, 11, 3, 0, 15), None),  # the window's end is exclusive
        (wita(2026, 11, 3, 23, 50), None),  # no call on Tuesdays
    ],
)
def test_a_monday_call_at_23_45_is_open_for_30_minutes_across_midnight(at, open_due):
    call = open_call([time(23, 45)], [1], HALF_HOUR, at)
    assert (call.due_at if call else None) == open_due


def test_a_weekly_monday_call_is_next_on_the_following_monday():
    after = wita(2026, 11, 3, 10)  # Tuesday
    assert next_call([time(9)], [1], HALF_HOUR, after).due_at == wita(2026, 11, 9, 9)
    assert next_call([time(9)], [1], HALF_HOUR, wita(2026, 11, 9, 9)).due_at == wita(2026, 11, 16, 9)  # after, not at


@pytest.mark.parametrize("day", [datetime(2026, 3, 29), datetime(2026, 10, 25), datetime(2026, 12, 31)])
def test_wita_keeps_utc_plus_8_on_days_other_zones_change_their_clocks(day):
    [call] = calls_between(
        [time(8)], EVERY_DAY, HALF_HOUR, day.replace(tzinfo=WITA), day.replace(tzinfo=WITA) + timedelta(days=1)
    )
    assert call.due_at.utcoffset() == timedelta(hours=8)
    assert call.due_at.astimezone(UTC) == day.replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("times", "days", "gap"),
    [
        (["08:00", "20:00"], EVERY_DAY, timedelta(hours=12)),
        (["23:30", "00:10"], EVERY_DAY, timedelta(minutes=40)),  # across midnight
        (["09:00"], [1], None),  # one call a week: nothing to overlap
        (["09:00"], [1, 2], timedelta(days=1)),
    ],
)
def test_shortest_gap_between_calls(times, days, gap):
    assert shortest_gap(parse_times(times), days) == gap


@pytest.mark.parametrize("value", ["8:00", "08.00", "24:00", "0800", 800])
def test_times_that_are_not_hh_mm_are_refused(value):
    with pytest.raises((ValueError, TypeError)):
        parse_times([value])
