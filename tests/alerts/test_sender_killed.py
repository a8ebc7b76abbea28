"""A sender killed mid-delivery (a real process, SIGKILL while its request is at the gateway): nothing is
lost, and the gateway that honours the delivery id does not deliver it twice."""

import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from alerts.choices import MessageStatus
from alerts.models import Channel, Message
from alerts.sender import LEASE, send_due
from tests.alerts.flow import down
from tests.alerts.gateways import FakeServer

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_sender_killed_mid_delivery_loses_nothing_and_sends_nothing_twice(monkeypatch, tree, repeater, on_duty):
    monkeypatch.setattr("alerts.sender.kick", lambda now: None)  # the alert waits in the outbox
    gateway = FakeServer()
    try:
        Channel.objects.create(
            agency=tree["64.01"],
            name="WA",
            kind="http",
            url=f"{gateway.url}/send",
            body={"to": "{to}", "text": "{text}"},
        )
        down([repeater])
        message = Message.objects.get(channel__name="WA")
        assert message.status == MessageStatus.PENDING

        def kill_the_sender_once(received):
            gateway.on_request = None
            os.kill(process.pid, signal.SIGKILL)

        gateway.on_request = kill_the_sender_once
        process = subprocess.Popen(
            [sys.executable, "manage.py", "shell", "-c", "from alerts.sender import send_due; send_due()"],
            cwd=ROOT,
            env={
                **os.environ,
                "DATABASE_URL": database_url(),
                "LOG_LEVEL": "WARNING",
                "WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8",
            },
        )
        assert process.wait(timeout=60) == -signal.SIGKILL
        assert len(gateway.received) == 1 and len(gateway.delivered) == 1
        message.refresh_from_db()
        assert message.status == MessageStatus.PENDING and message.lease_until is not None  # not lost

        assert send_due(now=timezone.now()).sent == 0  # still leased by the dead sender: nobody doubles it
        summary = send_due(now=timezone.now() + LEASE + timedelta(seconds=1))
        assert summary.sent == 1
        assert len(gateway.received) == 2
        assert gateway.received[0].headers["Idempotency-Key"] == gateway.received[1].headers["Idempotency-Key"]
        assert len(gateway.delivered) == 1  # the gateway de-duplicated the retry by its delivery id
        message.refresh_from_db()
        assert message.status == MessageStatus.SENT
    finally:
        gateway.close()
