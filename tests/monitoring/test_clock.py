"""Wall-clock steps: the poll clock's labels, then a real runpoller whose wall clock libfaketime steps.

The poller runs as a subprocess under Debian's libfaketime with FAKETIME_DONT_FAKE_MONOTONIC, so its
wall clock jumps when the test rewrites the offset file while its monotonic clock runs on untouched:
exactly what happens when someone (or NTP) sets a machine's clock.
"""

import glob
import logging
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from monitoring.clock import PollClock
from monitoring.models import Outage, ProbeConfig, Sample
from tests import factories
from tests.monitoring.test_runner import ROOT, _database_url
from tests.peers import drop_icmp_to, nft_usable

LIBFAKETIME = next(iter(sorted(glob.glob("/usr/lib/*/faketime/libfaketime.so.1"))), None)


class FakeClocks:
    """A monotonic and a wall clock that only move when told to."""

    def __init__(self, wall: float = 1_795_000_000.0) -> None:
        self.mono, self.wall_offset = 1000.0, wall - 1000.0

    def monotonic(self) -> float:
        return self.mono

    def wall(self) -> float:
        return self.mono + self.wall_offset


def test_labels_run_on_the_monotonic_clock_between_steps():
    clocks = FakeClocks()
    clock = PollClock(monotonic=clocks.monotonic, wall=clocks.wall)
    first = clock.now()
    clocks.mono += 100
    clocks.wall_offset += 0.3  # NTP slewing: followed without a word
    assert (clock.now() - first).total_seconds() == pytest.approx(100)
    assert clock.follow_wall() == 0.0
    assert clock.seconds() == pytest.approx(clocks.wall())


def test_a_wall_clock_step_is_reported_once_and_the_labels_follow_it(caplog):
    clocks = FakeClocks()
    clock = PollClock(monotonic=clocks.monotonic, wall=clocks.wall)
    clocks.mono += 5
    clocks.wall_offset -= 3600  # someone set the clock back an hour
    before = clock.seconds()
    with caplog.at_level(logging.WARNING, logger="simpul.poller"):
        assert clock.follow_wall() == pytest.approx(-3600)
        assert clock.follow_wall() == 0.0
    assert clock.seconds() == pytest.approx(before - 3600)
    assert len([r for r in caplog.records if "wall clock stepped" in r.getMessage()]) == 1


def test_an_outage_begun_by_a_clock_that_was_ahead_never_reads_as_a_negative_duration(tree, client_for):
    router = factories.asset(tree["64.01"], management_address="127.64.1.3")
    # Opened while this machine's clock ran an hour fast, read after it was set right: it "starts" in the future.
    Outage.objects.create(asset=router, started_at=timezone.now() + timedelta(hours=1))
    client = client_for(tree["64"])
    [outage] = client.get("/api/monitoring/outages/", {"open": "true"}).json()["results"]
    assert outage["duration_s"] == 0
    [listed] = client.get("/api/reports/dashboard/64.01/").json()["outages"]
    assert listed["duration_s"] == 0
    [row] = [r for r in client.get("/api/reports/dashboard/").json()["agencies"] if r["agency"] == "64.01"]
    assert row["longest_outage_s"] == 0


class SteppedWallClock:
    """A wall clock for subprocesses, moved by libfaketime; their monotonic clock stays real."""

    def __init__(self, directory: Path, offset_s: int) -> None:
        self.file = directory / "faketimerc"
        self.set(offset_s)

    def set(self, offset_s: int) -> None:
        draft = self.file.with_suffix(".new")
        draft.write_text(f"{offset_s:+d}\n")
        draft.replace(self.file)  # libfaketime re-reads the file on every call: never let it see half of one

    def runpoller(self) -> subprocess.Popen:
        env = {
            **os.environ,
            "LD_PRELOAD": LIBFAKETIME,
            "FAKETIME_TIMESTAMP_FILE": str(self.file),
            "FAKETIME_NO_CACHE": "1",
            "FAKETIME_DONT_FAKE_MONOTONIC": "1",
            "DATABASE_URL": _database_url(),
            "POLL_TIMEOUT_S": "0.3",
            "POLL_ICMP_COUNT": "1",
        }
        command = [sys.executable, "manage.py", "runpoller"]
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def stop(poller: subprocess.Popen) -> str:
    poller.send_signal(signal.SIGTERM)
    output, _ = poller.communicate(timeout=30)
    assert poller.returncode == 0, output
    return output


def wait_for(condition, limit: float = 60.0) -> bool:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


needs_faketime = pytest.mark.skipif(LIBFAKETIME is None, reason="needs Debian's libfaketime (apt-get install faketime)")


@needs_faketime
@pytest.mark.skipif(not nft_usable(), reason="needs root and nftables for an unreachable loopback range")
def test_wall_clock_stepped_an_hour_each_way_under_runpoller(transactional_db, tmp_path, client_for):
    agency = factories.agency("64.01", parent=factories.agency("64"))
    alive = factories.asset(agency, name="Router", management_address="127.64.1.3")
    cut = factories.asset(agency, name="Link", management_address="127.99.1.1")
    for asset in (alive, cut):
        ProbeConfig.objects.create(asset=asset, interval_s=2)
    # Twenty minutes into an hour, so no real hour ends during the test: each upkeep run is the step's doing.
    offset = int(1200 - time.time() % 3600)
    clock = SteppedWallClock(tmp_path, offset)
    poller = clock.runpoller()
    try:
        assert wait_for(lambda: Sample.objects.filter(asset=alive).count() >= 2)
        with drop_icmp_to("127.99.0.0/16"):
            dropped = time.monotonic()
            assert wait_for(lambda: Outage.objects.filter(asset=cut, ended_at__isnull=True).exists())
            clock.set(offset + 3600)  # forward an hour while the link is down
            time.sleep(3)
        restored = time.monotonic()
        assert wait_for(lambda: Outage.objects.filter(asset=cut, ended_at__isnull=False).exists())
        clock.set(offset)  # back an hour
        before = Sample.objects.filter(asset=alive).count()
        # Polling goes on (the defect stopped it for the size of the step); a loaded machine may take longer.
        assert wait_for(lambda: Sample.objects.filter(asset=alive).count() - before >= 2)
    finally:
        output = stop(poller)
    outage = Outage.objects.get(asset=cut)
    down_s = (outage.ended_at - outage.started_at).total_seconds()
    assert abs(down_s - (restored - dropped)) < 6, output  # the real drop (to a poll or two), not an hour more
    assert output.count("wall clock stepped") == 2, output
    assert output.count("hourly upkeep") == 1, output
    client = client_for(agency)
    [listed] = client.get("/api/monitoring/outages/").json()["results"]
    assert listed["duration_s"] == pytest.approx(down_s)
    assert Outage.objects.count() == 1  # a step opens no outage of its own


@needs_faketime
def test_wall_clock_set_back_while_runpoller_was_stopped(transactional_db, tmp_path):
    router = factories.asset(factories.agency("64.01", parent=factories.agency("64")), management_address="127.64.1.3")
    ProbeConfig.objects.create(asset=router, interval_s=2)
    clock = SteppedWallClock(tmp_path, 3600)  # the machine's clock ran an hour fast...
    poller = clock.runpoller()
    try:
        polled = wait_for(lambda: Sample.objects.filter(asset=router).count() >= 2)
    finally:
        output = stop(poller)
    assert polled, output
    clock.set(0)  # ...and was set right while the poller was stopped
    before = Sample.objects.filter(asset=router).count()
    poller = clock.runpoller()
    try:
        polled = wait_for(lambda: Sample.objects.filter(asset=router).count() >= before + 3)  # not an hour later
    finally:
        output = stop(poller)
    assert polled, output
    assert "set back while stopped" in output, output
