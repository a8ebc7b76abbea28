"""The whole path, with nothing stood in for: `manage.py runpoller` polls a repeater on loopback, nftables
silences it, the poller confirms the outage, the alert reaches the officer on duty on a real SMTP server,
and the recovery follows in the same thread with the outage's duration when the rule is removed."""

import os
import re
import socket
import subprocess
import sys
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller

from alerts.models import Alert, AlertContact, Channel, DutyAssignment, DutyShift
from monitoring.models import ProbeConfig
from tests import factories
from tests.monitoring.test_runner import ROOT, _database_url
from tests.peers import drop_icmp_to, nft_usable

pytestmark = [
    pytest.mark.needs_root,
    pytest.mark.skipif(not nft_usable(), reason="needs root and nftables to silence a loopback address"),
]
WITA = ZoneInfo("Asia/Makassar")


class Mailbox:
    """A real SMTP server on a free loopback port; what it received, in order."""

    def __init__(self):
        self.received = []
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):
        self.received.append(envelope.content.decode())
        return "250 OK"

    def wait_for(self, count: int, seconds: float) -> list[str]:
        deadline = time.monotonic() + seconds
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        return self.received


@pytest.fixture
def mailbox():
    box = Mailbox()
    box.controller.start()
    yield box
    box.controller.stop()


@pytest.fixture
def duty_officer(transactional_db):
    """Paser's Pusdalops with Ani on every shift of today and tomorrow (WITA), and an email channel."""
    from importlib import import_module

    from django.apps import apps

    import_module("alerts.migrations.0002_default_rule").seed(apps, None)  # flushed by the transactional test
    paser = factories.agency("64.01", parent=factories.agency("64"))
    ani = factories.user(paser, "technician", username="ani", email="ani@bpbd.test")
    AlertContact.objects.create(user=ani, phone="628110000001")
    Channel.objects.create(agency=paser, name="Email Pusdalops", kind="email")
    today = datetime.now(WITA).date()
    for starts, ends in ((0, 8), (8, 16), (16, 0)):
        shift = DutyShift.objects.create(
            agency=paser, name=f"{starts:02d}-{ends:02d}", starts=f"{starts:02d}:00", ends=f"{ends:02d}:00"
        )
        for day in (today - timedelta(days=1), today, today + timedelta(days=1)):
            DutyAssignment.objects.create(shift=shift, date=day, user=ani)
    return paser


def test_a_repeater_silenced_by_nftables_reaches_the_duty_officer_then_its_recovery(duty_officer, mailbox):
    repeater = factories.asset(
        duty_officer, kind="repeater", band="vhf", name="Repeater Gunung Lipan", management_address="127.99.7.1"
    )
    ProbeConfig.objects.create(asset=repeater, interval_s=2)
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "POLL_TIMEOUT_S": "0.3",
        "POLL_ICMP_COUNT": "1",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(mailbox.port),
    }
    poller = subprocess.Popen(
        [sys.executable, "manage.py", "runpoller"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        time.sleep(5)  # answered a few polls: known up
        assert mailbox.received == []
        with drop_icmp_to("127.99.7.0/24"):
            silenced = time.monotonic()
            (down,) = mailbox.wait_for(1, 40)
            told_after = time.monotonic() - silenced
            time.sleep(4)  # down for a while longer
        (_, recovered) = mailbox.wait_for(2, 40)
    finally:
        poller.terminate()
        output, _ = poller.communicate(timeout=30)
    assert poller.returncode == 0, output
    assert "To: ani@bpbd.test" in down
    assert "Subject: [Simpul] MATI: Repeater Gunung Lipan, BPBD 64.01" in down
    assert told_after < 20, told_after  # three missed polls at 2 s, then the sender's next pass
    first_id = re.search(r"Message-ID: <([^>]+)>", down).group(1)
    assert f"In-Reply-To: <{first_id}>" in recovered  # the same thread in the officer's mail client
    assert "PULIH: Repeater Gunung Lipan" in recovered
    assert re.search(r"\(gangguan [1-9]\d* dtk\)", recovered), recovered  # with the outage's duration
    assert len(mailbox.received) == 2  # nothing twice
    (alert,) = Alert.objects.all()
    assert alert.state == "resolved" and alert.resolved_at is not None
