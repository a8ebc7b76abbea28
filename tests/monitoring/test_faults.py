"""Faults on the machine itself: PostgreSQL stopped and started under a running poller, Redis under Celery.

These stop real services of this machine for a few seconds and start them again with the same
commands the machine uses; they run only as root where those services and commands exist.
"""

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from django.db import connection

from monitoring.models import AssetState, Outage, ProbeConfig, Sample
from tests import factories
from tests.monitoring.test_celery import BROKER, redis_up
from tests.monitoring.test_runner import ROOT, _database_url

PG_VERSIONS = sorted(os.listdir("/etc/postgresql")) if os.path.isdir("/etc/postgresql") else []
REDIS_START = [
    "redis-server",
    "--daemonize",
    "yes",
    "--bind",
    "127.0.0.1",
    "-::1",
    "--port",
    "6379",
    "--save",
    "",
    "--appendonly",
    "no",
    "--dir",
    "/var/lib/redis",
    "--logfile",
    "/var/log/redis/ci.log",
]


def wait_for(condition, limit: float = 60.0, step: float = 0.3) -> bool:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except Exception:  # the database may still be coming back: ask again
            connection.close()
        time.sleep(step)
    return False


@pytest.fixture
def polled_assets(transactional_db):
    agency = factories.agency("64.01", parent=factories.agency("64"))
    assets = [factories.asset(agency, name=f"R{i}", management_address=f"127.64.1.{i + 1}") for i in range(5)]
    for asset in assets:
        ProbeConfig.objects.create(asset=asset, interval_s=2)  # polled every 2 s, also while the database is away
    return assets


@pytest.mark.skipif(
    os.geteuid() != 0 or not PG_VERSIONS or not shutil.which("pg_ctlcluster"),
    reason="needs root and this machine's PostgreSQL cluster",
)
def test_postgresql_stopped_and_started_under_the_poller(polled_assets):
    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL pass of the suite")
    cluster = ["pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSIONS[-1], "main"]
    env = {**os.environ, "DATABASE_URL": _database_url(), "POLL_TIMEOUT_S": "0.3", "POLL_ICMP_COUNT": "1"}
    poller = subprocess.Popen(
        [sys.executable, "manage.py", "runpoller"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert wait_for(lambda: Sample.objects.count() >= 5)
        connection.close()
        subprocess.run([*cluster, "stop", "-m", "fast"], check=True, capture_output=True)
        time.sleep(4)  # the poller keeps probing; its writes fail and are kept
        assert poller.poll() is None, "the poller must survive the database going away"
        subprocess.run([*cluster, "start"], check=True, capture_output=True)
        assert wait_for(lambda: Sample.objects.count() >= 10)
    finally:
        subprocess.run([*cluster, "start"], capture_output=True)
        poller.send_signal(signal.SIGTERM)
        output, _ = poller.communicate(timeout=60)
    assert poller.returncode == 0, output
    assert "database unavailable" in output
    assert set(AssetState.objects.values_list("state", flat=True)) == {"up"}
    assert not Outage.objects.exists()  # a database outage is not a network outage
    per_asset = {a.pk: Sample.objects.filter(asset=a).count() for a in polled_assets}
    assert min(per_asset.values()) >= 2


@pytest.mark.skipif(
    os.geteuid() != 0 or not shutil.which("redis-server") or not redis_up(),
    reason="needs root and this machine's Redis",
)
def test_redis_stopped_under_celery_then_work_resumes(polled_assets, settings):
    from monitoring.tasks import poll_agency
    from simpul.celery import app

    app.conf.broker_url = BROKER
    env = {**os.environ, "DATABASE_URL": _database_url(), "CELERY_BROKER_URL": BROKER, "POLL_TIMEOUT_S": "0.3"}
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "simpul",
            "worker",
            "--pool",
            "solo",
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
    try:
        poll_agency.delay("64.01")
        assert wait_for(lambda: Sample.objects.count() == 5)
        subprocess.run(["redis-cli", "-h", "127.0.0.1", "shutdown", "nosave"], capture_output=True)
        time.sleep(3)
        if worker.poll() is not None:  # say why, from the worker's own log
            pytest.fail(f"the worker must survive the broker going away: {worker.communicate()[0][-3000:]}")
        subprocess.run(REDIS_START, check=True, capture_output=True)
        assert wait_for(redis_up, limit=20)
        AssetState.objects.update(next_poll_at=None)
        poll_agency.delay("64.01")
        assert wait_for(lambda: Sample.objects.count() == 10)
    finally:
        if not redis_up():
            subprocess.run(REDIS_START, capture_output=True)
        worker.terminate()
        worker.communicate(timeout=30)
    assert Sample.objects.count() == 10 and set(AssetState.objects.values_list("state", flat=True)) == {"up"}
