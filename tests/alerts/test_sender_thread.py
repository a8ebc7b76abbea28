"""The embedded default: the poller's hook wakes a sender thread and returns at once, so a gateway that
hangs never holds up polling, and the alert still arrives."""

import time

import pytest
from django.utils import timezone

from alerts import sender
from alerts.cycle import after_poll_cycle
from alerts.models import Channel, Message
from monitoring.observations import Observation
from monitoring.recorder import record
from tests.alerts.gateways import FakeServer


@pytest.mark.django_db(transaction=True)
def test_a_hanging_gateway_does_not_hold_the_poll_cycle(settings, tree, repeater, people):
    settings.ALERTS_SENDER_THREAD = True
    gateway = FakeServer(on_request=lambda received: time.sleep(1.5))  # a slow gateway
    try:
        Channel.objects.create(agency=tree["64.01"], name="WA", kind="http", url=f"{gateway.url}/send")
        start = timezone.now()
        for step in range(4):
            at = start + timezone.timedelta(seconds=step)
            record([Observation(repeater.pk, at, "icmp", "up" if step == 0 else "down")], now=at)
            began = time.monotonic()
            after_poll_cycle(at)
            assert time.monotonic() - began < 1.0  # the hook never waits for the gateway
        deadline = time.monotonic() + 20
        while not Message.objects.filter(status="sent").exists() and time.monotonic() < deadline:
            sender._thread.kick()  # the poller would, every cycle
            time.sleep(0.2)
        assert Message.objects.get().status == "sent"
        assert len(gateway.received) >= 1 and gateway.received[0].path == "/send"
    finally:
        sender._thread.stop()
        gateway.close()
