"""Outage -> corrective work order (no duplicates), and notifications delivered to a real HTTP server."""

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.utils import timezone

from maintenance.corrective import open_corrective_orders
from maintenance.models import AgencyMaintenanceSettings, CorrectiveRule, Delivery, WebhookEndpoint, WorkOrder
from maintenance.notifications import MAX_ATTEMPTS, deliver_due
from maintenance.services import work_order_create, work_order_transition
from monitoring.models import AssetState, MaintenanceWindow, Outage, ProbeConfig
from tests import factories

SECRET = "rahasia-webhook-paser-123"


@pytest.fixture
def now():
    return timezone.now()


def outage(asset, started, ended=None):
    return Outage.objects.create(asset=asset, started_at=started, ended_at=ended, cause="no reply")


def test_long_outage_opens_one_assigned_order_and_short_one_none(paser, repeater, technician, now):
    AgencyMaintenanceSettings.objects.create(agency=paser, default_assignee=technician)
    CorrectiveRule.objects.create(kind="repeater", after_minutes=30)
    outage(repeater, now - timedelta(minutes=10))
    assert open_corrective_orders(now).opened == 0
    summary = open_corrective_orders(now + timedelta(minutes=25))
    assert summary.opened == 1
    order = WorkOrder.objects.get()
    assert (order.kind, order.status, order.assignee, order.asset) == ("corrective", "assigned", technician, repeater)
    assert open_corrective_orders(now + timedelta(minutes=26)).opened == 0  # no duplicate
    assert WorkOrder.objects.count() == 1


def test_second_outage_joins_the_open_order_and_recovery_is_noted(paser, repeater, now):
    first = outage(repeater, now - timedelta(hours=2))
    open_corrective_orders(now - timedelta(hours=1, minutes=30))
    order = WorkOrder.objects.get()
    first.ended_at = now - timedelta(hours=1)
    first.save()
    open_corrective_orders(now)
    order.refresh_from_db()
    assert order.recovered_at == first.ended_at and order.status == "open"  # closing stays with people
    second = outage(repeater, now - timedelta(minutes=20))
    summary = open_corrective_orders(now)
    assert (summary.opened, summary.joined) == (0, 1)
    assert set(order.outages.all()) == {first, second}
    order.refresh_from_db()
    assert order.recovered_at is None


def test_asset_in_maintenance_opens_no_order(paser, repeater, now):
    MaintenanceWindow.objects.create(
        agency=paser,
        asset=repeater,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=1),
        reason="ganti antena",
    )
    outage(repeater, now - timedelta(minutes=50))
    assert open_corrective_orders(now).opened == 0


def test_an_outage_waits_for_its_parent_to_be_heard_from(paser, repeater, now):
    link = factories.asset(paser, name="Link", management_address="127.64.1.1")
    ProbeConfig.objects.create(asset=repeater, depends_on=link)
    AssetState.objects.create(asset=repeater, state="down", since=now - timedelta(hours=1))
    link_state = AssetState.objects.create(asset=link, state="up", last_answered_at=now - timedelta(hours=2))
    outage(repeater, now - timedelta(hours=1))
    assert open_corrective_orders(now).opened == 0  # the link has not answered since: it may be its outage
    link_state.last_answered_at = now - timedelta(minutes=1)
    link_state.save()
    assert open_corrective_orders(now).opened == 1  # the link answered after the repeater fell silent


class Receiver:
    """A real HTTP server on loopback that records what it receives and answers a scripted status."""

    def __init__(self, statuses):
        self.statuses, self.received = list(statuses), []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                self.send_response(receiver.statuses.pop(0) if receiver.statuses else 200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made = []

    def make(statuses=()):
        made.append(Receiver(statuses))
        return made[-1]

    yield make
    for r in made:
        r.close()


def test_webhook_is_signed_and_retried_with_backoff(paser, repeater, technician, receiver, settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]  # the receiver is on loopback
    hook = receiver([500, 503])
    WebhookEndpoint.objects.create(agency=paser, url=hook.url, secret=SECRET)
    order = work_order_create(reporter=technician, agency=paser, asset=repeater, kind="corrective", title="Cek")
    work_order_transition(order=order, to_status="assigned", by=technician, assignee=technician)
    delivery = Delivery.objects.get(webhook__isnull=False)
    now = timezone.now()
    assert deliver_due(now)["retry"] == 1  # (the assignee's email goes out at once)
    delivery.refresh_from_db()
    assert delivery.status == "pending" and delivery.attempts == 1 and "500" in delivery.last_error
    assert delivery.next_attempt_at == now + timedelta(seconds=30)
    assert deliver_due(now)["sent"] == 0  # not due yet: backoff
    assert deliver_due(now + timedelta(seconds=31))["retry"] == 1
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == now + timedelta(seconds=31 + 60)
    assert deliver_due(now + timedelta(minutes=5))["sent"] == 1
    headers, body = hook.received[-1]
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-Simpul-Signature"] == expected
    assert headers["X-Simpul-Event"] == "assigned"
    assert json.loads(body)["work_order"]["id"] == order.pk
    assert len(hook.received) == 3


def test_dead_webhook_gives_up_after_max_attempts_and_never_blocks_the_change(
    paser, repeater, technician, now, settings
):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    WebhookEndpoint.objects.create(agency=paser, url="http://127.0.0.1:9/nothing-listens", secret=SECRET)
    order = work_order_create(
        reporter=technician, agency=paser, asset=repeater, kind="corrective", title="Cek", assignee=technician
    )
    assert order.status == "assigned"  # the change went through; the delivery waits
    moment = now
    for _ in range(MAX_ATTEMPTS):
        moment += timedelta(hours=2)
        deliver_due(moment)
    delivery = Delivery.objects.get(webhook__isnull=False)
    assert delivery.status == "failed" and delivery.attempts == MAX_ATTEMPTS and delivery.last_error


def test_email_goes_to_the_assignee(paser, repeater, technician):
    work_order_create(
        reporter=technician, agency=paser, asset=repeater, kind="corrective", title="Cek antena", assignee=technician
    )
    assert deliver_due(timezone.now())["sent"] == 1
    assert mail.outbox[0].to == ["teknisi@paser.test"] and "Cek antena" in mail.outbox[0].subject
