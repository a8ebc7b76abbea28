"""Fixed-rate slots, driven by a clock the test moves by hand."""

from itertools import pairwise

import pytest

from monitoring.engine import IcmpTarget, Thresholds
from monitoring.poll import PollJob
from monitoring.schedule import Schedule, grid_phase, grid_slots, next_slot


def job(asset_id: int = 1, interval: int = 10, agency_id: int = 7) -> PollJob:
    return PollJob(
        asset_id=asset_id,
        icmp=IcmpTarget(key=asset_id, address="127.0.0.1"),
        snmp=None,
        thresholds=Thresholds(),
        interval_s=interval,
        phase_s=grid_phase(agency_id, interval),
    )


def run(schedule: Schedule, jobs: list[PollJob], until: float, durations, start: float = 0.0) -> dict[int, list[float]]:
    """A runner's loop: poll what is due, taking `durations` seconds per poll, then wait for the next slot."""
    now, starts = start, {j.asset_id: [] for j in jobs}
    for j in jobs:
        schedule.started(j, now)  # first poll at once
        starts[j.asset_id].append(now)
    now += next(durations)
    while now < until:
        for pk in schedule.due(now):
            schedule.started(schedule.jobs([pk])[0], now)
            starts[pk].append(now)
        now += next(durations)  # the poll (and recording) takes its time...
        now = max(now, min(schedule.next_due(), until))  # ...then the loop sleeps until the next slot
    return starts


def test_the_nth_poll_starts_at_phase_plus_n_intervals_however_long_polls_take():
    schedule, j = Schedule(), job(interval=10)
    durations = iter([0.5, 3.0, 0.1, 2.5, 0.0, 4.9] * 40)
    starts = run(schedule, [j], until=600, durations=durations, start=0.3)[1]
    on_grid = starts[1:]  # the first poll is at once, wherever the grid is
    assert all(abs((t - j.phase_s) / 10 - round((t - j.phase_s) / 10)) < 1e-9 for t in on_grid)
    assert [b - a for a, b in pairwise(on_grid)] == pytest.approx([10.0] * (len(on_grid) - 1))
    assert 5 <= on_grid[0] - starts[0] < 15  # the catch-up poll is followed by the grid, half an interval on at least
    assert len(starts) == 60  # a poll every 10 s for 600 s: no drift by the poll's duration


def test_a_stalled_poller_polls_once_on_resuming_then_keeps_to_the_grid():
    schedule, j = Schedule(), job(interval=10)
    slot = schedule.started(j, 0.0)
    assert schedule.due(slot + 35) == [1]  # three slots missed while stalled: due once, not three times
    resumed = slot + 35
    after = schedule.started(j, resumed)
    assert after - resumed >= 5 and (after - j.phase_s) % 10 == pytest.approx(0)
    assert schedule.due(resumed + 1) == []


def test_assets_of_one_agency_and_interval_share_slots_and_agencies_are_spread():
    assert grid_phase(5, 60) == job(2, interval=60, agency_id=5).phase_s
    phases = sorted(grid_phase(agency, 60) for agency in range(1, 11))
    assert min(b - a for a, b in pairwise(phases)) > 2  # ten agencies over a minute


def test_shift_moves_every_slot_with_the_clock():
    schedule = Schedule()
    due = schedule.started(job(interval=10), 100.0)
    schedule.shift(-3600)
    assert schedule.next_due() == due - 3600 and schedule.due(due - 3600) == [1]


def test_the_slots_a_dispatcher_lists_are_the_slots_claims_move_to():
    phase, now = grid_phase(64, 7), 1_795_000_000.123456
    listed = list(grid_slots(now, now + 60, phase, 7))
    claimed = [next_slot(now, phase, 7)]
    while len(claimed) < 8:
        claimed.append(next_slot(claimed[-1] + 0.01, phase, 7))  # each poll started just after its slot
    assert listed[1:9] == claimed  # equal to the bit: a batch per agency and slot, not one per rounding error


def test_due_assets_are_handed_out_earliest_first_within_the_limit_and_never_twice():
    schedule = Schedule()
    for pk, at in ((1, 7.0), (2, 3.0), (3, 8.0), (4, 1.0)):
        schedule.started(job(pk, interval=10, agency_id=0), at)  # phase 0: next slots 20, 10, 20, 10
    assert schedule.due(15.0) == [2, 4]
    assert schedule.due(15.0) == []  # handed out: not again until started
    schedule.drop([3])
    assert schedule.next_due() == 20.0
    assert schedule.due(25.0, limit=1) == [1]
    assert schedule.due(25.0) == []  # 3 was dropped
    schedule.started(job(2, interval=10, agency_id=0), 15.0)  # next slot 20...
    schedule.started(job(2, interval=10, agency_id=0), 16.0)  # ...started again before it: 30, the only one
    assert schedule.due(25.0) == [] and schedule.next_due() == 30.0
    assert schedule.due(40.0) == [2] and schedule.next_due() is None
