"""Claims and Celery's batches against a real database: every next poll sits on its asset's grid."""

from datetime import UTC, datetime, timedelta

import pytest

from monitoring.models import AssetState, ProbeConfig
from monitoring.schedule import next_slot
from monitoring.targets import claim_due_jobs, due_batches
from tests import factories

T0 = datetime(2026, 11, 1, 2, 0, tzinfo=UTC)


@pytest.fixture
def router(tree):
    return factories.asset(tree["64.01"], management_address="127.64.1.3")


def next_poll(asset) -> datetime:
    return AssetState.objects.get(asset=asset).next_poll_at


def test_a_claim_moves_the_next_poll_to_the_next_slot_not_to_the_end_of_the_poll(router):
    at = T0.timestamp()
    [job] = claim_due_jobs(at=at)
    slot = next_poll(router)
    assert job.interval_s == 60 and slot == datetime.fromtimestamp(next_slot(at, job.phase_s, job.interval_s), UTC)
    assert 30 <= (slot - T0).total_seconds() < 90  # the grid, at least half an interval on
    assert claim_due_jobs(at=at + 20) == []  # claimed: nobody polls it again before its slot
    assert len(claim_due_jobs(at=slot.timestamp() + 0.7)) == 1  # polled a little late...
    assert next_poll(router) == slot + timedelta(seconds=60)  # ...the slot after stays on the grid
    ProbeConfig.objects.create(asset=router, interval_s=300)
    [longer] = claim_due_jobs(at=(slot + timedelta(seconds=60)).timestamp())
    assert longer.interval_s == 300 and (next_poll(router) - slot).total_seconds() >= 60 + 150


def test_a_runner_claims_what_its_own_schedule_says_and_only_unknown_assets_from_the_database(router, tree):
    other = factories.asset(tree["64.01"], management_address="127.64.1.4")
    at = T0.timestamp()
    # The database says both are due (never polled); the runner knows `router` and it is not due for it.
    assert claim_due_jobs(at=at, known={router.pk}, discover=False) == []  # between two looks at the database
    assert [j.asset_id for j in claim_due_jobs(at=at, known={router.pk})] == [other.pk]
    assert [j.asset_id for j in claim_due_jobs(at=at, due=[router.pk], known={router.pk, other.pk})] == [router.pk]


def test_batches_start_at_each_slot_of_the_coming_period_even_for_intervals_shorter_than_it(router, tree):
    fast = factories.asset(tree["64.72"], management_address="127.64.72.1")
    ProbeConfig.objects.create(asset=fast, interval_s=4)
    first = due_batches(T0, timedelta(seconds=10))
    assert [s for code, s in first if code == "64.01"] == [T0]  # new: at once, next slot 30-90 s on
    assert [s for code, s in first if code == "64.72"][:1] == [T0]  # at once, then on its grid
    claim_due_jobs(at=T0.timestamp())
    assert [s for code, s in first if code == "64.72"][1:] == [next_poll(fast), next_poll(fast) + timedelta(seconds=4)]
    slot = next_poll(fast)
    horizon = timedelta(seconds=10)
    batches = due_batches(slot - timedelta(seconds=1), horizon)
    assert [s for code, s in batches if code == "64.72"] == [slot + timedelta(seconds=n) for n in (0, 4, 8)]
    assert all(code != "64.01" for code, _s in batches)  # the router's next slot is 30-90 s away
