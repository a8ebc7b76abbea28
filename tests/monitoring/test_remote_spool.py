"""A remote poller's spool (its own SQLite file): numbering that never repeats, bounds, and what the centre is told."""

import logging
import time
from datetime import UTC, datetime, timedelta

from monitoring.observations import Observation
from monitoring.remote.spool import Spool
from monitoring.remote.wire import batch_from_wire

T0 = datetime.now(UTC).replace(microsecond=0)


def observations(count: int, start: int = 0) -> list[Observation]:
    return [
        Observation(asset_id=7, at=T0 + timedelta(seconds=i), source="icmp", verdict="up", rtt_ms=1.0, loss=0.0)
        for i in range(start, start + count)
    ]


def test_seqs_are_never_given_twice_across_acknowledgements_and_restarts(tmp_path):
    spool = Spool(tmp_path / "spool.sqlite3", max_rows=100, max_age_s=3600)
    spool.add(observations(3))
    assert [r["seq"] for r in spool.oldest(10)] == [1, 2, 3]
    spool.acknowledge(3, dropped_told=0)
    spool.close()
    reopened = Spool(tmp_path / "spool.sqlite3", max_rows=100, max_age_s=3600)
    reopened.add(observations(2, start=3))
    batch = reopened.oldest(10)
    assert [r["seq"] for r in batch] == [4, 5]
    # What the spool gives is exactly what the centre reads back: same results, same times.
    decoded = batch_from_wire({"results": batch})
    assert [obs for _seq, obs in decoded.results] == observations(2, start=3)


def test_the_oldest_are_dropped_beyond_the_bounds_logged_and_counted_for_the_centre(tmp_path, caplog):
    spool = Spool(tmp_path / "spool.sqlite3", max_rows=5, max_age_s=3600)
    with caplog.at_level(logging.WARNING, logger="simpul.remote"):
        spool.add(observations(8))
    assert [r["seq"] for r in spool.oldest(10)] == [4, 5, 6, 7, 8]
    assert spool.dropped() == 3 and spool.backlog() == 5
    assert "the 3 oldest results dropped" in caplog.text
    spool.acknowledge(6, dropped_told=3)  # the centre heard of them with this batch
    assert spool.dropped() == 0 and spool.backlog() == 2


def test_results_older_than_the_age_bound_are_dropped(tmp_path):
    spool = Spool(tmp_path / "spool.sqlite3", max_rows=100, max_age_s=3600)
    old, new = (datetime.fromtimestamp(time.time() - age, UTC) for age in (7200, 60))
    spool.add([Observation(asset_id=7, at=at, source="icmp", verdict="up") for at in (old, new)])
    assert spool.backlog() == 1 and spool.dropped() == 1


def test_a_new_spool_numbers_on_above_what_the_centre_already_recorded(tmp_path):
    spool = Spool(tmp_path / "spool.sqlite3", max_rows=100, max_age_s=3600)
    spool.add(observations(3))
    spool.catch_up(500)  # the poller's var dir was made anew; the centre has seqs up to 500 from before
    assert [r["seq"] for r in spool.oldest(10)] == [501, 502, 503]
    spool.add(observations(1, start=3))
    assert spool.oldest(10)[-1]["seq"] == 504
    spool.catch_up(503)  # an ordinary answer: nothing to renumber
    assert [r["seq"] for r in spool.oldest(10)] == [501, 502, 503, 504]


def test_refused_results_are_discarded_and_counted(tmp_path):
    spool = Spool(tmp_path / "spool.sqlite3", max_rows=100, max_age_s=3600)
    spool.add(observations(4))
    spool.discard([2, 3])
    assert [r["seq"] for r in spool.oldest(10)] == [1, 4] and spool.dropped() == 2
