"""runpoller stopped by SIGTERM (a real process) lets its sender thread finish the message in flight."""

import os
import signal
import subprocess
import sys
import time

import pytest

from alerts.choices import MessageStatus
from alerts.models import Channel, Message
from tests.alerts.flow import down
from tests.alerts.gateways import FakeServer
from tests.alerts.test_sender_killed import ROOT, database_url


@pytest.mark.django_db(transaction=True)
def test_sigterm_lets_the_sender_finish_the_message_in_flight(monkeypatch, tree, repeater, people):
    monkeypatch.setattr("alerts.sender.kick", lambda now: None)  # the alert waits in the outbox for the poller

    def stop_the_poller_mid_delivery(received):
        gateway.on_request = None
        os.kill(process.pid, signal.SIGTERM)
        time.sleep(1.5)  # the gateway answers after the poller was told to stop

    gateway = FakeServer(on_request=stop_the_poller_mid_delivery)
    try:
        Channel.objects.create(agency=tree["64.01"], name="WA", kind="http", url=f"{gateway.url}/send")
        down([repeater])
        message = Message.objects.get()
        process = subprocess.Popen(
            [sys.executable, "manage.py", "runpoller"],
            cwd=ROOT,
            env={
                **os.environ,
                "DATABASE_URL": database_url(),
                "LOG_LEVEL": "WARNING",
                "WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8",
                "ALERTS_SENDER_THREAD": "true",
            },
            stdout=subprocess.PIPE,
            text=True,
        )
        out, _err = process.communicate(timeout=90)
        assert process.returncode == 0 and "Poller stopped cleanly." in out
        assert len(gateway.received) == 1  # the escalation that fell due meanwhile waits for the next start
        message.refresh_from_db()
        assert (message.status, message.lease_until) == (MessageStatus.SENT, None)
        assert not Message.objects.filter(lease_until__isnull=False).exists()  # nothing left leased
    finally:
        gateway.close()
