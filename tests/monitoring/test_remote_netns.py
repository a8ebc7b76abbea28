"""Two regencies' remote pollers in network namespaces of their own, the centre on the host side; one uplink
cut for a while, with nftables, while an asset behind it goes down and comes back.

Real parts throughout: the centre is gunicorn bound to the host ends of the veth pairs, with the central
`runpoller` beside it (it runs the alerting hooks); each remote poller is `runpoller --remote` inside its
namespace, pinging its own assets on the namespace's loopback with a real ICMP socket. Durations are short
by settings (2 s intervals, a poller silent after 10 s), and every wait is for a condition, with a deadline.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest
from django.test import Client

from alerts.choices import AlertKind, AlertState, TimelineKind
from alerts.models import Alert, AlertRule
from monitoring.models import AssetState, KindPolicy, Outage, Poller, ProbeConfig, Sample
from monitoring.remote.services import poller_create
from tests import factories, netns
from tests.monitoring.test_runner import ROOT, _database_url

USABLE, WHY = netns.netns_usable()
pytestmark = [pytest.mark.needs_root, pytest.mark.skipif(not USABLE, reason=WHY)]
INTERVAL_S, SILENT_AFTER_S = 2, 10
SLACK = timedelta(seconds=5)  # a poll is due within INTERVAL_S; a loaded machine may run it a little late


def _wait(condition, what: str, limit: float = 90.0, processes=()):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        for process in processes:
            if process.poll() is not None:
                raise AssertionError(f"{what}: {process.args[-4:]} exited: {process.stdout.read()[-3000:]}")
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}: {condition()!r}")


def _free_port(address: str) -> int:
    with socket.socket() as probe:
        probe.bind((address, 0))
        return probe.getsockname()[1]


def _start(argv, env) -> subprocess.Popen:
    return subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _stop(process: subprocess.Popen) -> str:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            return process.communicate(timeout=30)[0]
        except subprocess.TimeoutExpired:
            process.kill()
    return process.communicate()[0]


@pytest.fixture
def regencies(transactional_db):
    """Berau and Bontang with two routers each and one remote poller each; the province polls nothing itself."""
    kaltim = factories.agency("64")
    berau, bontang = factories.agency("64.03", parent=kaltim), factories.agency("64.74", parent=kaltim, level="city")
    KindPolicy.objects.create(kind="router", interval_s=INTERVAL_S, confirm_count=2)
    AlertRule.objects.create(agency=kaltim, include_children=True, name="Router", kinds=["down"])
    factories.user(kaltim, "manager", username="kalaksa")
    return kaltim, berau, bontang


@pytest.fixture
def network(regencies):
    """The namespaces and every process; all stopped (before the database is flushed) and removed afterwards,
    whatever happened."""
    with netns.sites(2) as sites:
        processes = []
        try:
            yield sites, processes
        finally:
            outputs = [_stop(process) for process in reversed(processes)]
            if os.environ.get("SIMPUL_NETNS_LOGS"):
                print("\n\n".join(output[-4000:] for output in outputs))


def test_a_cut_uplink_loses_nothing_and_records_the_outage_behind_it_with_its_true_times(
    regencies, network, tmp_path, settings
):
    settings.POLLER_SILENT_AFTER_S = SILENT_AFTER_S  # for the pages this test reads; the processes get it below
    kaltim, berau, bontang = regencies
    (site_berau, site_bontang), processes = network
    assets = {}
    for agency, site in ((berau, site_berau), (bontang, site_bontang)):
        for name in ("gateway", "modem"):
            address = site.add_asset()
            asset = factories.asset(agency, name=f"{name} {agency.code}", management_address=address)
            ProbeConfig.objects.create(asset=asset, interval_s=INTERVAL_S)
            assets[(agency.code, name)] = asset
    # The centre polls nothing itself: its reactions (alerts, silent pollers) run on the remote results alone.
    poller_berau, token_berau = poller_create(name="Poller Berau", agency=berau)
    poller_bontang, token_bontang = poller_create(name="Poller Bontang", agency=bontang)

    port = _free_port(site_berau.host_address)
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "ALLOWED_HOSTS": f"{site_berau.host_address},{site_bontang.host_address}",
        "POLLER_PLAIN_HTTP_NETWORKS": "10.254.0.0/16",  # the test's own veth /30s, and nothing else
        "POLLER_SILENT_AFTER_S": str(SILENT_AFTER_S),
        "POLLER_ASSIGNMENT_REFRESH_S": "5",
        "POLL_TIMEOUT_S": "0.3",
        "POLL_ICMP_COUNT": "1",
        "ALERTS_SENDER_THREAD": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    centre = [sys.executable, "-m", "gunicorn", "simpul.wsgi", "-w", "2", "--log-level", "warning"]
    for site in (site_berau, site_bontang):
        centre += ["-b", f"{site.host_address}:{port}"]
    processes.append(_start(centre, env))
    for site, token in ((site_berau, token_berau), (site_bontang, token_bontang)):
        spool = tmp_path / site.name
        spool.mkdir()
        centre_url = f"http://{site.host_address}:{port}/"
        argv = site.argv(sys.executable, "manage.py", "runpoller", "--remote", centre_url, "--token", token)
        poller_env = {**env, "SIMPUL_VAR_DIR": str(spool)}  # its spool and key; it never sees the centre's database
        poller_env.pop("DATABASE_URL")
        processes.append(_start(argv, poller_env))

    def states(*keys) -> list[str]:
        rows = dict(AssetState.objects.filter(monitored_since__isnull=False).values_list("asset_id", "state"))
        return [rows.get(assets[key].pk) for key in keys]

    # The central poller (and with it the alerting hooks) once both pollers have reported: a poller never heard
    # from is silent SILENT_AFTER_S after it was made, which here is less than a start-up takes.
    _wait(lambda: not Poller.objects.filter(last_contact_at=None).exists(), "both pollers' first contact")
    processes.append(_start([sys.executable, "manage.py", "runpoller"], env))
    every = list(assets)
    _wait(lambda: states(*every) == ["up"] * 4, "every remote asset up", processes=processes)
    gateway = assets[("64.03", "gateway")]

    # The uplink goes; the poller keeps polling into its spool. The centre hears nothing from Berau.
    site_berau.cut_uplink()
    cut_at = datetime.now(UTC)
    dashboard = Client()
    dashboard.force_login(factories.user(kaltim, "manager", username="kalaksa-netns"))

    def berau_on_page() -> set:
        rows = dashboard.get("/api/reports/dashboard/64.03/").json()["assets"]
        return {(row["state"], row["reason"]) for row in rows}

    _wait(lambda: berau_on_page() == {("unknown", "poller_silent")}, "Berau's assets unknown (poller silent)")
    silent = _wait(
        lambda: Alert.objects.filter(kind=AlertKind.POLLER_SILENT).first(), "one poller-silent alert", 60, processes
    )
    assert (silent.poller_id, silent.affected_count) == (poller_berau.pk, 2)

    site_berau.take_down(gateway.management_address)
    down_at = datetime.now(UTC)
    time.sleep(INTERVAL_S * 4)  # the outage itself: four polls (confirmation takes two) while nobody can see it
    site_berau.bring_up(gateway.management_address)
    up_at = datetime.now(UTC)
    time.sleep(INTERVAL_S * 3)  # and three more polls after it, still behind the cut
    assert berau_on_page() == {("unknown", "poller_silent")}  # never "down" while cut
    assert not Outage.objects.exists()
    assert dashboard.get("/api/reports/dashboard/").json()["pollers"][0]["name"] == "Poller Berau"  # silent first

    site_berau.restore_uplink()
    restored_at = datetime.now(UTC)

    def outage_closed():
        return Outage.objects.filter(asset=gateway, ended_at__isnull=False).first()

    outage = _wait(outage_closed, "the outage behind the cut, closed", 120, processes)
    _wait(lambda: Poller.objects.get(pk=poller_berau.pk).last_backlog == 0, "Berau's backlog drained", 60)
    _wait(lambda: Alert.objects.get(pk=silent.pk).state == AlertState.RESOLVED, "the poller-silent alert recovered", 60)
    _wait(lambda: berau_on_page() == {("up", "")}, "Berau's assets back from its results", 60)

    # Exactly that outage, with the times the poller saw, not the time of reconnection.
    assert list(Outage.objects.values_list("asset_id", flat=True)) == [gateway.pk]
    assert down_at <= outage.started_at <= down_at + SLACK, (down_at, outage.started_at)
    assert up_at <= outage.ended_at <= up_at + SLACK, (up_at, outage.ended_at)
    assert outage.ended_at < restored_at
    # Every poll of the cut recorded once, in order, with no gap: Berau's samples through the cut, and Bontang's.
    for key in every:
        moments = list(
            Sample.objects.filter(asset=assets[key], at__gte=cut_at - SLACK, at__lte=restored_at)
            .order_by("at")
            .values_list("at", flat=True)
        )
        assert len(moments) == len(set(moments)), f"{key}: a result recorded twice"
        assert moments[0] <= cut_at and moments[-1] >= restored_at - SLACK, (key, moments[0], moments[-1])
        gaps = [(b - a).total_seconds() for a, b in pairwise(moments)]
        assert max(gaps) < INTERVAL_S * 2 + SLACK.total_seconds(), (key, max(gaps))
    # Bontang never noticed.
    assert Poller.objects.get(pk=poller_bontang.pk).last_backlog == 0
    assert not Alert.objects.filter(poller=poller_bontang).exists()
    # One poller-silent alert, and its recovery in its thread.
    alert = Alert.objects.get(kind=AlertKind.POLLER_SILENT)
    assert alert.started_at <= cut_at + timedelta(seconds=INTERVAL_S) and alert.resolved_at >= restored_at - SLACK
    assert alert.timeline.filter(kind=TimelineKind.RECOVERED).count() == 1
    for process in processes:
        assert process.poll() is None, _stop(process)
