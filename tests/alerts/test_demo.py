"""`make run`'s demo: the seeded Kaltim agencies get a roster, so a repeater down reaches someone by email."""

from datetime import timedelta

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from alerts.cycle import after_poll_cycle
from alerts.models import Alert
from alerts.roster import on_duty
from assets.models import Agency, Asset
from monitoring.observations import Observation
from monitoring.recorder import record


def test_demo_roster_puts_someone_on_duty_and_a_seeded_repeater_alerts_them(db, settings):
    settings.DEBUG = True
    call_command("seed_kaltim", demo_users="simpul-demo-9x", verbosity=0)
    call_command("seed_alert_demo", verbosity=0)
    call_command("seed_alert_demo", verbosity=0)  # idempotent
    samarinda = Agency.objects.get(code="64.72")
    assert [u.username for u in on_duty(agency_id=samarinda.pk, at=timezone.now())] == ["teknisi-samarinda"]
    repeater = Asset.objects.filter(agency=samarinda, kind="repeater").exclude(management_address="").first()
    start = timezone.now() - timedelta(minutes=4)
    for step in range(4):
        at = start + timedelta(minutes=step)
        record([Observation(repeater.pk, at, "icmp", "up" if step == 0 else "down")], now=at)
        after_poll_cycle(at)
    assert Alert.objects.get().asset == repeater
    assert mail.outbox[0].to == ["teknisi-samarinda@simpul.invalid"]
