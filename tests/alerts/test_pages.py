"""The alert pages: current alerts (unacknowledged first), one alert's timeline and its button, the roster
of this week, the rules; scoped like the API."""

from datetime import timedelta

import pytest
from django.utils import timezone

from alerts.models import Alert, AlertEvent, AlertRule, DutyAssignment
from tests import factories


@pytest.fixture
def alerts(tree, repeater):
    now = timezone.now()
    return {
        "acked": Alert.objects.create(
            agency=tree["64.01"],
            asset=repeater,
            kind="reboot",
            state="acknowledged",
            summary="REBOOT: Repeater Gunung",
            started_at=now - timedelta(hours=1),
        ),
        "open": Alert.objects.create(
            agency=tree["64.01"],
            asset=repeater,
            kind="down",
            summary="MATI: Repeater Gunung",
            started_at=now,
            affected_count=0,
        ),
        "foreign": Alert.objects.create(agency=tree["63.01"], kind="down", summary="MATI: Luar", started_at=now),
    }


def test_current_alerts_unacknowledged_first_and_scoped(client, tree, alerts):
    client.force_login(factories.user(tree["64.01"], "technician"))
    page = client.get("/alerts/").content.decode()
    assert "1 belum diterima dari 2 aktif" in page
    assert page.index("MATI: Repeater Gunung") < page.index("REBOOT: Repeater Gunung")
    assert "MATI: Luar" not in page
    assert client.get(f"/alerts/{alerts['foreign'].pk}/").status_code == 404


def test_alert_page_shows_the_timeline_and_acknowledges(client, tree, alerts):
    AlertEvent.objects.create(alert=alerts["open"], at=timezone.now(), kind="raised", detail="3 ping hilang")
    user = factories.user(tree["64.01"], "manager")
    client.force_login(user)
    page = client.get(f"/alerts/{alerts['open'].pk}/").content.decode()
    assert 'id="acknowledge"' in page and "3 ping hilang" in page
    answer = client.post(f"/alerts/{alerts['open'].pk}/", follow=True)
    assert "Peringatan diterima." in answer.content.decode()
    alerts["open"].refresh_from_db()
    assert (alerts["open"].state, alerts["open"].acknowledged_by, alerts["open"].acknowledged_via) == (
        "acknowledged",
        user,
        "web",
    )
    assert 'id="acknowledge"' not in client.get(f"/alerts/{alerts['open'].pk}/").content.decode()


def test_procurement_sees_but_does_not_acknowledge(client, tree, alerts):
    client.force_login(factories.user(tree["64.01"], "procurement"))
    assert 'id="acknowledge"' not in client.get(f"/alerts/{alerts['open'].pk}/").content.decode()
    assert client.post(f"/alerts/{alerts['open'].pk}/").status_code == 403


def test_roster_of_this_week_and_rules(client, tree, shifts, people):
    DutyAssignment.objects.create(shift=shifts["pagi"], date=timezone.localdate(), user=people["ani"])
    AlertRule.objects.create(agency=tree["63"], name="Aturan luar", kinds=["down"])
    client.force_login(people["budi"])
    roster = client.get("/alerts/roster/").content.decode()
    assert "Pagi" in roster and "ani" in roster and "08.00–16.00" in roster
    rules = client.get("/alerts/rules/").content.decode()
    assert "Bawaan: repeater, link internet, terminal satelit mati" in rules and "Aturan luar" not in rules
