"""The poll path end to end: real ICMP to loopback, a real drop rule, the real database, the real commands."""

import asyncio
import itertools
import logging
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from assets.models import Asset
from monitoring import runner as runner_module
from monitoring.clock import PollClock
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


@contextmanager
def fail_fast_database():
    """Connections opened from here on give up on a lock after 0.2 s (not SQLite's 20 s, not PostgreSQL's never)."""
    options = connection.settings_dict["OPTIONS"]
    saved = dict(options)
    if connection.vendor == "sqlite":
        options["timeout"] = 0.2
    else:
        options["options"] = "-c lock_timeout=200"
    try:
        yield
    finally:
        options.clear()
        options.update(saved)


@contextmanager
def database_away():
    """Hold the tables the poller needs, as a database gone away would, without stopping the server."""
    if connection.vendor == "sqlite":
        import sqlite3

        locker = sqlite3.connect(connection.settings_dict["NAME"], timeout=5)
        locker.execute("BEGIN EXCLUSIVE")
    else:
        import psycopg

        locker = psycopg.connect(_database_url().replace("postgres://", "postgresql://"))
        locker.execute("LOCK TABLE assets_asset, monitoring_assetstate, monitoring_sample IN ACCESS EXCLUSIVE MODE")
    try:
        yield
    finally:
        locker.rollback()
        locker.close()


def test_database_locked_for_a_while_loses_no_observation(assets):
    async def run():
        async with PollRunner(icmp_count=1, timeout=0.3) as runner:
            await runner.cycle(force=True)  # the poller has been running: it knows its assets
            with database_away():
                blocked = [await runner.cycle(force=True) for _ in range(2)]
            recovered = await runner.cycle(force=True)
            return blocked, recovered

    with fail_fast_database():
        blocked, recovered = asyncio.run(run())
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


def test_runpoller_keeps_each_asset_at_a_fixed_rate(transactional_db):
    agency = factories.agency("64.01", parent=factories.agency("64"))
    router = factories.asset(agency, name="Router", management_address="127.64.1.3")
    ProbeConfig.objects.create(asset=router, interval_s=2)
    env = {**os.environ, "DATABASE_URL": _database_url(), "POLL_TIMEOUT_S": "0.3", "POLL_ICMP_COUNT": "1"}
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runpoller"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not Sample.objects.exists():
        time.sleep(0.5)
    time.sleep(15)  # then left alone: the test reads nothing while the poller runs
    process.send_signal(signal.SIGTERM)
    output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    # The first poll comes at once, the second on the agency's grid: measure from the second on.
    at = list(Sample.objects.filter(asset=router).order_by("at").values_list("at", flat=True))[1:]
    gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(at)]
    assert len(gaps) >= 6, output
    assert sum(gaps) / len(gaps) == pytest.approx(2.0, rel=0.03), gaps  # not 2 s plus the poll and a tick


def test_database_away_then_back_costs_no_extra_poll_and_one_warning_a_minute(transactional_db, caplog):
    agency = factories.agency("64.01", parent=factories.agency("64"))
    routers = [factories.asset(agency, management_address=f"127.64.1.{i}") for i in (3, 4)]
    for router in routers:
        ProbeConfig.objects.create(asset=router, interval_s=2)

    async def run():
        stop = asyncio.Event()
        async with PollRunner(icmp_count=1, timeout=0.3) as runner:
            poller = asyncio.create_task(runner.run(stop))
            await asyncio.sleep(3)  # polled and recorded: the runner knows its assets
            with database_away():
                await asyncio.sleep(6)  # a dozen turns of the loop, three slots polled from memory
                buffered = len(runner.pending)
                while len(runner.pending) == buffered:
                    await asyncio.sleep(0.05)
                await asyncio.sleep(0.6)  # it answers again between two polls, its writes having failed
            await asyncio.sleep(4)
            stop.set()
            await poller

    with fail_fast_database(), caplog.at_level(logging.INFO, logger="simpul.poller"):
        asyncio.run(run())
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING and "database unavailable" in r.message]
    assert len(warnings) == 1, [r.message for r in warnings]
    for router in routers:
        at = list(Sample.objects.filter(asset=router).order_by("at").values_list("at", flat=True))
        gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(at)]
        assert len(at) >= 6, gaps  # every buffered result written
        # One poll per 2 s slot from the second on (the first comes at once): none added when the database
        # came back, none skipped. A poll may start late on a loaded machine, so count slots, not gaps.
        slots = (at[-1] - at[1]).total_seconds() / 2
        assert len(at) - 2 == round(slots) and min(gaps[1:]) > 1.0, gaps


def test_while_the_database_is_away_one_warning_a_minute_counts_those_held_back(assets, caplog):
    elapsed = [0.0]  # the runner's monotonic clock, moved by the test: a minute passes without waiting for it
    clock = PollClock(monotonic=lambda: 1000 + elapsed[0], wall=lambda: 1_795_000_000 + elapsed[0])

    async def run():
        async with PollRunner(icmp_count=1, timeout=0.3, clock=clock) as runner:
            await runner.cycle(force=True)  # the runner knows its assets
            with database_away():
                for seconds_away in (1, 10, 20, 70):
                    elapsed[0] = seconds_away
                    assert (await runner.cycle(force=True)).jobs == 2  # polled from memory all along

    with fail_fast_database(), caplog.at_level(logging.WARNING, logger="simpul.poller"):
        asyncio.run(run())
    warnings = [r.getMessage() for r in caplog.records if "database unavailable" in r.getMessage()]
    assert len(warnings) == 2, warnings  # at 1 s and at 70 s: the first claim, then the writes of 4 cycles failed
    assert "3 more such warnings held back" in warnings[1]


REACTIONS: list = []


def note_reaction(now) -> None:
    REACTIONS.append(now)


class HookClock:
    """The monotonic clock of a link whose hooks "take" as long as they move it."""

    now = 1000.0

    @classmethod
    def monotonic(cls) -> float:
        return cls.now


HOOK_RUNS: list = []


def slow_hook(now) -> None:
    HOOK_RUNS.append(("slow", HookClock.now))
    HookClock.now += 1.5  # the dashboard of 100,000 assets


def quick_hook(now) -> None:
    HOOK_RUNS.append(("quick", HookClock.now))


def test_a_cycle_hook_takes_at_most_its_share_of_the_poller_s_time(settings):
    """Cycles come dozens of times a minute when a fleet's slots are spread; a hook that took 1.5 s runs
    again only 30 s after it began (HOOK_SHARE 0.05), a quick one after every cycle, in their order."""
    from monitoring.database_link import HOOK_SHARE, DatabaseLink

    settings.POLL_CYCLE_HOOKS = ["tests.monitoring.test_runner.slow_hook", "tests.monitoring.test_runner.quick_hook"]
    HOOK_RUNS.clear()
    HookClock.now = 1000.0
    clock = PollClock(monotonic=HookClock.monotonic, wall=lambda: HookClock.now + 1.8e9)

    async def cycles():
        async with DatabaseLink(agency_codes=None, asset_ids=None, clock=clock) as link:
            for _ in range(32):
                await link.react(clock.now())
                HookClock.now += 1.0  # the next cycle, a second later

    asyncio.run(cycles())
    assert HOOK_SHARE == 0.05
    assert [at for name, at in HOOK_RUNS if name == "slow"] == [1000.0, 1030.5]  # the first cycle from 1030 on
    assert len([name for name, _at in HOOK_RUNS if name == "quick"]) == 32


def test_a_runner_with_nothing_of_its_own_to_record_still_reacts(transactional_db, settings, monkeypatch):
    """A centre whose assets are all polled remotely records nothing itself, yet must still turn the remote
    pollers' results into alerts and notice a poller falling silent: its cycle hooks run on a timer."""
    settings.POLL_CYCLE_HOOKS = ["tests.monitoring.test_runner.note_reaction"]
    monkeypatch.setattr("monitoring.runner.REACT_EVERY_S", 0.5)
    REACTIONS.clear()

    async def run():
        stop = asyncio.Event()
        async with PollRunner(icmp_count=1, timeout=0.3) as runner:
            poller = asyncio.create_task(runner.run(stop))
            await asyncio.sleep(2.5)
            stop.set()
            await poller

    asyncio.run(run())
    assert 2 <= len(REACTIONS) <= 6, REACTIONS  # every half second or so, not at every turn of the loop
