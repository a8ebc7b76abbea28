"""A real remote poller (`manage.py runpoller --remote`, its own var dir and SQLite) against a real centre
(pytest-django's live server) over loopback. The uplink is cut with an nftables rule of the test's own on the
centre's port, and assets go down the same way (echo replies from 127.99.0.0/16 dropped).
"""

import itertools
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest

from monitoring.models import Outage, Poller, ProbeConfig, Sample
from monitoring.remote.services import poller_create
from tests import factories
from tests.monitoring.test_runner import ROOT
from tests.peers import NFT, drop_icmp_to, nft_usable

pytestmark = pytest.mark.skipif(not nft_usable(), reason="needs root and nftables to cut the uplink")

INTERVAL_S = 2


def wait_for(condition, limit: float = 60.0, every: float = 0.2) -> bool:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return False


@contextmanager
def uplink_cut(port: int):
    """Drop every packet to the centre's port, as a dead uplink does (no refusal: connections time out)."""
    table = f"simpul_uplink_{os.getpid()}"
    script = (
        f"add table inet {table}\n"
        f"add chain inet {table} in {{ type filter hook input priority 0 ; }}\n"
        f"add rule inet {table} in tcp dport {port} drop\n"
    )
    subprocess.run([NFT, "-f", "-"], input=script, text=True, check=True, capture_output=True)
    try:
        yield
    finally:
        subprocess.run([NFT, "delete", "table", "inet", table], capture_output=True)


class RemotePoller:
    """`manage.py runpoller --remote` in a process of its own, with its own var dir (spool, key, SQLite)."""

    def __init__(self, url: str, token: str, var_dir, **settings: str) -> None:
        self.url, self.token, self.var_dir, self.settings = url, token, var_dir, settings
        self.process: subprocess.Popen | None = None
        self.output = ""

    def start(self) -> None:
        env = {
            **os.environ,
            "SIMPUL_VAR_DIR": str(self.var_dir),
            "SIMPUL_POLLER_TOKEN": self.token,
            "POLL_TIMEOUT_S": "0.3",
            "POLL_ICMP_COUNT": "1",
            **self.settings,
        }
        env.pop("DATABASE_URL", None)  # its own SQLite under its var dir, which it never needs
        command = [sys.executable, "manage.py", "runpoller", "--remote", self.url]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )

    def stop(self, signum: int = signal.SIGTERM) -> str:
        self.process.send_signal(signum)
        output, _ = self.process.communicate(timeout=60)
        self.output += output
        return output


@pytest.fixture
def remote(transactional_db, live_server, tmp_path):
    """A regency with two assets polled every 2 s, its remote poller, and a way to start it."""
    agency = factories.agency("64.03", parent=factories.agency("64"))
    alive = factories.asset(agency, name="Router", management_address="127.64.3.3")
    link = factories.asset(agency, name="VSAT", management_address="127.99.3.1")
    for asset in (alive, link):
        ProbeConfig.objects.create(asset=asset, interval_s=INTERVAL_S)
    poller, token = poller_create(name="Poller Berau", agency=agency)
    started = []

    def start(**settings) -> RemotePoller:
        process = RemotePoller(live_server.url, token, tmp_path / "poller", **settings)
        process.start()
        started.append(process)
        return process

    yield {"agency": agency, "alive": alive, "link": link, "poller": poller, "start": start, "url": live_server.url}
    for process in started:
        if process.process.poll() is None:
            process.stop(signal.SIGKILL)


def no_duplicates_no_gaps(asset, *, restarts: int = 0) -> None:
    """A result every interval, each once; a restarted poller leaves one gap (while it was not running)."""
    at = list(Sample.objects.filter(asset=asset).order_by("at").values_list("at", flat=True))
    assert len(at) == len(set(at)), "a result recorded twice"
    gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(at)]
    assert len(gaps) >= 3 and len([gap for gap in gaps[1:] if gap >= INTERVAL_S * 2.5]) <= restarts, gaps


def test_an_outage_during_an_uplink_loss_arrives_afterwards_once_with_its_true_times(remote):
    poller = remote["start"](POLLER_ASSIGNMENT_REFRESH_S="2")
    port = urlsplit(remote["url"]).port
    try:
        assert wait_for(lambda: Sample.objects.filter(asset=remote["alive"]).count() >= 3), poller.stop()
        with uplink_cut(port):
            cut = datetime.now(UTC)
            time.sleep(3)
            with drop_icmp_to("127.99.0.0/16"):
                dropped = datetime.now(UTC)
                time.sleep(INTERVAL_S * 6)
                assert not Outage.objects.exists()  # the centre has heard nothing yet
            restored = datetime.now(UTC)
            time.sleep(INTERVAL_S * 5)
            recorded_before_reconnect = Sample.objects.filter(at__gt=cut).count()
        reconnected = datetime.now(UTC)
        assert wait_for(lambda: Outage.objects.filter(asset=remote["link"], ended_at__isnull=False).exists(), 90)
        assert wait_for(lambda: Poller.objects.get(pk=remote["poller"].pk).last_backlog == 0, 60)
    finally:
        output = poller.stop()
    assert recorded_before_reconnect <= 2, output  # at most what was in flight when the rule went in
    outage = Outage.objects.get(asset=remote["link"])
    # Its true times, from the poller's own labels: within a poll or two of the drop and of the restore,
    # both long before the centre heard of them.
    poll = timedelta(seconds=INTERVAL_S * 2 + 1)  # a poll that began just before may time out first
    assert dropped <= outage.started_at <= dropped + poll, (outage.started_at, dropped, output)
    assert restored <= outage.ended_at <= restored + poll < reconnected, (outage.ended_at, restored, output)
    for asset in (remote["alive"], remote["link"]):
        no_duplicates_no_gaps(asset)
    poller_row = Poller.objects.get(pk=remote["poller"].pk)
    assert Sample.objects.count() == poller_row.last_seq, output  # every seq recorded, and each once
    assert poller_row.last_contact_at is not None and poller_row.version == "simpul-poller/1"
    assert "results not shipped" in output


def test_killed_mid_shipment_the_restart_sends_the_rest_and_nothing_twice(remote):
    # A backlog shipped five results per POST, so the kill lands in the middle of sending it.
    settings = {"POLLER_SHIP_BATCH": "5"}
    poller = remote["start"](**settings)
    port = urlsplit(remote["url"]).port
    assert wait_for(lambda: Sample.objects.count() >= 2), poller.stop()
    with uplink_cut(port):
        time.sleep(INTERVAL_S * 12)  # about two dozen results spooled
    row = Poller.objects.filter(pk=remote["poller"].pk)
    assert wait_for(lambda: row.get().last_seq > 4 and row.get().last_backlog > 5, 60, every=0.05), poller.stop()
    poller.stop(signal.SIGKILL)
    killed_at = row.get().last_seq
    again = remote["start"](**settings)
    try:
        assert wait_for(lambda: row.get().last_seq > killed_at + 20 and row.get().last_backlog == 0, 90)
    finally:
        output = again.stop()
    assert Sample.objects.count() == row.get().last_seq, output  # each seq once: none lost, none twice
    for asset in (remote["alive"], remote["link"]):
        no_duplicates_no_gaps(asset, restarts=1)


def test_a_new_asset_reaches_the_poller_within_a_minute(remote):
    poller = remote["start"]()  # the default refresh, every 30 s
    try:
        assert wait_for(lambda: Sample.objects.filter(asset=remote["alive"]).exists()), poller.stop()
        added = factories.asset(remote["agency"], name="Repeater", management_address="127.64.3.9")
        assert wait_for(lambda: Sample.objects.filter(asset=added).exists(), 60)
    finally:
        output = poller.stop()
    assert "assignment from the centre: 3 targets" in output


def test_a_restarted_poller_keeps_polling_from_its_encrypted_assignment_while_the_centre_is_away(remote):
    poller = remote["start"]()
    assert wait_for(lambda: Sample.objects.filter(asset=remote["alive"]).exists()), poller.stop()
    poller.stop()
    stored = (poller.var_dir / "assignment.enc").read_bytes()
    assert b"127.64.3.3" not in stored  # encrypted at rest
    assert oct((poller.var_dir / "poller.key").stat().st_mode & 0o777) == "0o600"
    with uplink_cut(urlsplit(remote["url"]).port):
        again = remote["start"]()
        cut = datetime.now(UTC)
        time.sleep(INTERVAL_S * 5)
        reconnected = datetime.now(UTC)
    try:
        for asset in (remote["alive"], remote["link"]):  # polled while the centre was away, shipped after
            taken_while_cut = Sample.objects.filter(asset=asset, at__gt=cut, at__lt=reconnected)
            assert wait_for(lambda taken=taken_while_cut: taken.count() >= 3, 90)
    finally:
        output = again.stop()
    assert "assignment read from disk: 2 targets" in output
    for asset in (remote["alive"], remote["link"]):
        no_duplicates_no_gaps(asset, restarts=1)


def test_a_plain_http_centre_outside_loopback_is_refused(remote, tmp_path):
    poller = RemotePoller("http://10.255.255.1:8000/", "spl_x", tmp_path / "refused")
    poller.start()
    output, _ = poller.process.communicate(timeout=60)
    assert poller.process.returncode != 0
    assert "use https://" in output
