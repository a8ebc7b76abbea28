"""Scale-out: a real Celery worker, fed through the Redis on this machine, polls one agency's batch."""

import itertools
import os
import socket
import subprocess
import sys
import time

import pytest

from monitoring.models import AssetState, ProbeConfig, Sample
from tests import factories
from tests.monitoring.test_runner import ROOT, _database_url

REDIS = ("127.0.0.1", 6379)
BROKER = "redis://127.0.0.1:6379/15"


def redis_up() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=1):
            return True
    except OSError:
        return False


pytestmark = pytest.mark.skipif(not redis_up(), reason="needs Redis on 127.0.0.1:6379")


@pytest.fixture
def worker(transactional_db, settings):
    settings.CELERY_BROKER_URL = BROKER
    env = {**os.environ, "DATABASE_URL": _database_url(), "CELERY_BROKER_URL": BROKER, "POLL_TIMEOUT_S": "0.3"}
    subprocess.run(
        [sys.executable, "-m", "celery", "-A", "simpul", "purge", "-f"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=60,
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "simpul",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "INFO",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield process
    process.terminate()
    try:
        process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def test_beat_dispatch_sends_one_batch_per_agency_and_the_worker_records_it(worker, settings):
    from monitoring.tasks import dispatch_polls
    from simpul.celery import app

    app.conf.broker_url = BROKER
    province = factories.agency("64")
    for code in ("64.01", "64.72"):
        agency = factories.agency(code, parent=province)
        factories.asset(agency, management_address=f"127.64.{int(code[-2:])}.1")
    factories.asset(province, status="retired", management_address="127.64.0.9")

    assert dispatch_polls.apply().get() == 2  # beat's job, run here: one poll task per agency with work due
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and Sample.objects.count() < 2:
        time.sleep(0.3)
    assert Sample.objects.count() == 2, worker.stdout.read() if worker.poll() is not None else "worker still running"
    assert set(AssetState.objects.filter(state="up").values_list("asset__agency__code", flat=True)) == {
        "64.01",
        "64.72",
    }
    assert dispatch_polls.apply().get() == 0  # nothing due now: claims are leased, nobody polls them twice


def test_an_asset_keeps_its_interval_under_celery_even_one_shorter_than_the_dispatch_period(worker, settings):
    from monitoring.tasks import dispatch_polls
    from simpul.celery import app

    app.conf.broker_url = BROKER
    router = factories.asset(factories.agency("64.01", parent=factories.agency("64")), management_address="127.64.1.3")
    ProbeConfig.objects.create(asset=router, interval_s=4)
    for _dispatch in range(3):  # beat's job, run here at beat's period (10 s)
        dispatch_polls.apply().get()
        time.sleep(settings.CELERY_DISPATCH_INTERVAL_S)
    # The first poll comes at once, the rest on the agency's grid: measure from the second on.
    at = list(Sample.objects.filter(asset=router).order_by("at").values_list("at", flat=True))[1:]
    gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(at)]
    assert len(gaps) >= 4, gaps
    assert sum(gaps) / len(gaps) == pytest.approx(4.0, rel=0.05), gaps  # not 4 s rounded up to the next dispatch
