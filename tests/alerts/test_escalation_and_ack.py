"""Escalation on time (and not after an acknowledgement); the acknowledge link: once, never forged,
reused or for another agency's alert."""

from datetime import date, time

import pytest
from django.core import mail

from alerts.choices import AlertState
from alerts.escalation import escalate_due
from alerts.models import Alert, DutyShift, Message
from alerts.sender import send_due
from alerts.signing.ack import link_token
from tests import factories
from tests.alerts.conftest import assign
from tests.alerts.flow import at, down


@pytest.fixture
def province_on_duty(tree, people):
    shift = DutyShift.objects.create(agency=tree["64"], name="Pagi", starts=time(8), ends=time(16))
    assign(shift, date(2026, 11, 14), people["prov"])
    from alerts.models import Channel

    Channel.objects.create(agency=tree["64"], name="Email Provinsi", kind="email")
    return people["prov"]


def recipients() -> list[str]:
    return [address for m in mail.outbox for address in m.to]


def test_unacknowledged_alert_climbs_to_managers_then_the_province_on_time(repeater, on_duty, province_on_duty):
    down([repeater])  # notified at minute 3; the default rule escalates after 15 minutes
    alert = Alert.objects.get()
    assert alert.escalate_at == at(18) and recipients() == ["ani@bpbd.test"]
    assert escalate_due(at(17)) == 0
    assert escalate_due(at(18)) == 1
    send_due(now=at(18))
    alert.refresh_from_db()
    assert (alert.state, alert.tier) == (AlertState.ESCALATED, 1)
    assert recipients()[1:] == ["kalaksa@bpbd.test"]
    assert mail.outbox[1].body.startswith("ESKALASI (belum diterima):")
    assert escalate_due(at(33)) == 1
    send_due(now=at(33))
    assert recipients()[2:] == ["piket-prov@bpbd.test"]
    alert.refresh_from_db()
    assert alert.tier == 2 and alert.escalate_at is None  # the top tier: nobody above
    assert [e.kind for e in alert.timeline.all()].count("escalated") == 2


def test_acknowledged_alert_does_not_escalate(repeater, on_duty, client):
    down([repeater])
    message = Message.objects.get()
    page = client.get(f"/alerts/ack/{link_token(message)}/")
    assert page.status_code == 200 and b"MATI: Repeater Gunung" in page.content
    assert Alert.objects.get().state == AlertState.OPEN  # a link preview (GET) acknowledges nothing
    done = client.post(f"/alerts/ack/{link_token(message)}/")
    assert done.status_code == 200 and b"Diterima oleh ani" in done.content
    alert = Alert.objects.get()
    assert (alert.state, alert.acknowledged_by.username, alert.acknowledged_via) == ("acknowledged", "ani", "link")
    assert escalate_due(at(60)) == 0 and len(mail.outbox) == 1


def test_ack_link_works_once_and_refuses_forged_and_reused(repeater, on_duty, client):
    down([repeater])
    token = link_token(Message.objects.get())
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    assert client.post(f"/alerts/ack/{forged}/").status_code == 400
    assert client.post("/alerts/ack/not-a-token/").status_code == 400
    assert Alert.objects.get().state == AlertState.OPEN
    assert client.post(f"/alerts/ack/{token}/").status_code == 200
    reused = client.post(f"/alerts/ack/{token}/")
    assert reused.status_code == 410 and "sudah dipakai" in reused.content.decode()


def test_ack_link_refused_for_another_agencys_user(repeater, on_duty, client, tree):
    down([repeater])
    token = link_token(Message.objects.get())
    outsider = factories.user(tree["63.01"], "technician", username="orang-luar")
    client.force_login(outsider)
    refused = client.post(f"/alerts/ack/{token}/")
    assert refused.status_code == 403 and Alert.objects.get().state == AlertState.OPEN
    provincial = factories.user(tree["64"], "manager", username="kabid-prov")
    client.force_login(provincial)  # the province sees its regencies: allowed, and acknowledges as itself
    assert client.post(f"/alerts/ack/{token}/").status_code == 200
    assert Alert.objects.get().acknowledged_by == provincial
