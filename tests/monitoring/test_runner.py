"""The poll path end to end: real ICMP to loopback, a real drop rule, the real database, the real commands."""

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from assets.models import Asset
from monitoring import runner as runner_module
from monitoring.models import AssetState, Event, Outage, ProbeConfig, Sample
from monitoring.runner import PollRunner
from tests import factories
from tests.peers import V3_PRIV_KEY, V3_USER, drop_icmp_to, nft_usable

ROOT = Path(__file__).resolve().parents[2]
needs_nft = pytest.mark.skipif(not nft_usable(), reason="needs root and nftables for an unreachable loopback range")


def cycles(n: int, progress=None, **runner_options) -> list:
    async def run():
        async with PollRunner(icmp_count=2, timeout=0.3, **runner_options) as runner:
            return [await runner.cycle(force=True, progress=progress) for _ in range(n)]

    return asyncio.run(run())


@pytest.fixture
def assets(transactional_db):
    # Committed data: the runner writes from its own database thread (its own connection).
    paser = factories.agency("64.01", parent=factories.agency("64"))
    return {
        "alive": factories.asset(paser, name="Router", management_address="127.64.1.3"),
        "cut": factories.asset(paser, name="Link", kind="ups", management_address="127.99.1.1"),
        "spare": factories.asset(paser, name="Cadangan", status="spare", management_address="127.64.1.9"),
        "radio": factories.asset(paser, name="HT", kind="vhf_radio"),
    }


@needs_nft
def test_asset_behind_a_drop_rule_goes_down_once_and_comes_back(assets):
    with drop_icmp_to("127.99.0.0/16"):
        reports = cycles(4)
    assert reports[0].jobs == 2  # the spare and the radio without an address are not polled
    cut = AssetState.objects.get(asset=assets["cut"])
    assert cut.state == "down" and AssetState.objects.get(asset=assets["alive"]).state == "up"
    outage = Outage.objects.get()
    assert outage.asset == assets["cut"] and outage.ended_at is None
    cycles(3)
    outage.refresh_from_db()
    assert outage.ended_at is not None and AssetState.objects.get(asset=assets["cut"]).state == "up"
    assert Outage.objects.count() == 1
    assert Sample.objects.filter(asset=assets["cut"]).count() == 7


def test_snmp_authentication_failure_beside_a_working_ping_is_an_event_that_says_so(assets, snmp_port):
    ProbeConfig.objects.create(
        asset=assets["alive"],
        snmp=True,
        snmp_port=snmp_port,
        snmp_version="3",
        snmp_username=V3_USER,
        snmp_auth_protocol="SHA",
        snmp_auth_key="wrong-key-98765",
        snmp_priv_protocol="AES",
        snmp_priv_key=V3_PRIV_KEY,
    )
    Asset.objects.filter(pk=assets["alive"].pk).update(management_address="127.0.0.1")  # where snmpd listens
    cycles(1, asset_ids=[assets["alive"].pk])
    event = Event.objects.get(asset=assets["alive"])
    assert event.kind == "snmp_auth_error" and event.detail.startswith("SNMP authentication failed"), event.detail
    sample = Sample.objects.get(asset=assets["alive"])
    assert sample.verdict == "up" and "SNMP authentication failed" in sample.reason  # the ping decides


def test_a_sweep_with_a_progress_bar_is_one_engine_sweep_reporting_as_results_come_in(assets, monkeypatch):
    Asset.objects.bulk_create(
        Asset(agency=assets["alive"].agency, name=f"R{i}", kind="router", management_address=f"127.64.9.{i}")
        for i in range(1, 41)
    )
    sweeps, reports, polling = [], [], False
    real_poll = runner_module.poll

    async def counted_poll(jobs, **options):  # the real poll, counted
        nonlocal polling
        sweeps.append(len(jobs))
        polling = True
        try:
            return await real_poll(jobs, **options)
        finally:
            polling = False

    monkeypatch.setattr(runner_module, "poll", counted_poll)
    cycles(1, progress=lambda done, total: reports.append((done, total, polling)))
    assert sweeps == [42]  # every asset in one sweep (the spare and the radio are not polled)
    assert [done for done, _total, _polling in reports] == list(range(1, 43))  # one report per asset settled...
    assert all(total == 42 and polling for _done, total, polling in reports)  # ...from inside the sweep


def test_poll_once_command_prints_a_summary_table(assets, capsys):
    call_command("poll", "--once", "--agency", "64.01")
    out = capsys.readouterr()
    assert "Polled 2 assets" in out.out and "Recorded: 2 samples" in out.out
    assert "2/2" in out.err  # the progress bar
    call_command("poll", "--once", "--asset", str(assets["alive"].pk))
    assert "Polled 1 assets" in capsys.readouterr().out


def test_database_locked_for_a_while_loses_no_observation(assets, transactional_db):
    if connection.vendor != "sqlite":
        pytest.skip("the lock-out is SQLite's; PostgreSQL outages are exercised by the hardening suite")
    import sqlite3

    settings_dict = connection.settings_dict
    settings_dict["OPTIONS"]["timeout"] = 0.2  # fail fast instead of waiting 20 s for the lock

    async def run():
        async with PollRunner(icmp_count=1, timeout=0.3) as runner:
            await runner.cycle(force=True)  # the poller has been running: it knows its assets
            locker = sqlite3.connect(settings_dict["NAME"], timeout=5)
            locker.execute("BEGIN EXCLUSIVE")
            try:
                blocked = [await runner.cycle(force=True) for _ in range(2)]
            finally:
                locker.rollback()
                locker.close()
            recovered = await runner.cycle(force=True)
            return blocked, recovered

    try:
        blocked, recovered = asyncio.run(run())
    finally:
        settings_dict["OPTIONS"]["timeout"] = 20
    assert all(report.recorded is None for report in blocked)  # kept probing, could not write
    assert all(report.jobs == 2 for report in blocked)  # the assets it knew, polled from memory
    assert recovered.recorded.samples == 6  # 2 assets x 3 cycles, written once the lock was gone
    assert Sample.objects.count() == 8


def _database_url() -> str:
    """The test database, for a subprocess that must share it."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def test_runpoller_polls_then_stops_cleanly_on_sigterm_and_resumes_without_duplicates(assets, transactional_db):
    Outage.objects.create(asset=assets["cut"], started_at="2026-11-01T00:00:00Z")
    AssetState.objects.create(asset=assets["cut"], state="down")
    env = {**os.environ, "DATABASE_URL": _database_url(), "POLL_TIMEOUT_S": "0.3", "POLL_ICMP_COUNT": "1"}
    for _run in range(2):
        process = subprocess.Popen(
            [sys.executable, "manage.py", "runpoller"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        samples_before = Sample.objects.count()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and Sample.objects.count() == samples_before:
            time.sleep(0.2)  # until this run has recorded a cycle
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
        assert process.returncode == 0, output
        assert "stopped cleanly" in output
        AssetState.objects.update(next_poll_at=None)  # as if the next interval had passed while it was down
    assert AssetState.objects.get(asset=assets["alive"]).state == "up"
    assert Outage.objects.filter(asset=assets["cut"]).count() == 1  # resumed, never a second open outage
