"""A power cut at the Pusdalops reaches the officer on duty like an outage does: snmpd's UPS goes on battery,
the real poll and recorder confirm the asset degraded, and the alert hook mails the reason, by the default rule
every agency starts with (alerts/migrations/0011_default_power_rule.py)."""

from django.core import mail

from alerts.cycle import after_poll_cycle
from alerts.models import Alert
from tests import factories
from tests.alerts.flow import at
from tests.monitoring.metrics.conftest import agent  # noqa: F401 (the fixture)
from tests.monitoring.metrics.polling import poll_once, watch


def test_ups_on_battery_raises_a_degraded_alert_with_the_reason_to_the_duty_officer(paser, on_duty, agent):  # noqa: F811
    ups = factories.asset(paser, kind="ups", name="UPS Pusdalops", management_address="127.0.0.1")
    watch(ups, agent.port, if_indexes=())
    agent.set(upsOutputSource=3, upsEstimatedChargeRemaining=100, upsEstimatedMinutesRemaining=90, upsInputVoltage=220)
    poll_once(ups, at(0))
    after_poll_cycle(at(0))
    agent.set(upsOutputSource=5, upsEstimatedChargeRemaining=64, upsInputVoltage=0)
    for minute in (1, 2, 3):
        poll_once(ups, at(minute))
        after_poll_cycle(at(minute))
    alert = Alert.objects.get()
    assert (alert.asset, alert.kind, alert.started_at) == (ups, "degraded", at(1))
    assert (alert.rule.agency, alert.rule.name) == (None, "Bawaan: UPS dari baterai atau baterai rendah")
    assert [m.to for m in mail.outbox] == [["ani@bpbd.test"]]
    assert "Catu daya dari baterai, sisa 64 %" in mail.outbox[0].body
    agent.set(upsOutputSource=3, upsEstimatedChargeRemaining=70, upsInputVoltage=221)  # mains back
    for minute in (4, 5, 6):
        poll_once(ups, at(minute))
        after_poll_cycle(at(minute))
    alert.refresh_from_db()
    assert alert.state == "resolved" and len(mail.outbox) == 2
