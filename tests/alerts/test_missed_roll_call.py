"""A scheduled roll call nobody recorded: the duty officer hears of it once, as a warning; acknowledging closes it."""

from datetime import datetime, time

from django.conf import settings
from django.core import mail
from django.utils.module_loading import import_string

from alerts.choices import AlertState
from alerts.models import Alert, AlertContact, Channel, DutyAssignment, DutyShift
from alerts.services import alert_acknowledge
from rollcalls.models import RollCallSchedule
from rollcalls.occurrences import WITA
from tests import factories


def after_poll_cycle(now: datetime) -> None:
    """Every hook the poller runs after a cycle, in its order."""
    for path in settings.POLL_CYCLE_HOOKS:
        import_string(path)(now)


def test_a_missed_roll_call_reaches_the_operator_on_duty_once_and_closes_when_acknowledged(tree):
    paser = tree["64.01"]
    operator = factories.user(paser, "technician", username="ani", email="ani@bpbd.test")
    AlertContact.objects.create(user=operator, phone="628110000001")
    Channel.objects.create(agency=paser, name="Email Pusdalops", kind="email")
    shift = DutyShift.objects.create(agency=paser, name="Pagi", starts=time(8), ends=time(16))
    DutyAssignment.objects.create(shift=shift, date=datetime(2026, 11, 2).date(), user=operator)
    schedule = RollCallSchedule(agency=paser, net="Jaring VHF Paser", times=["08:00"], days=[1, 2, 3, 4, 5, 6, 7])
    schedule.full_clean()
    schedule.created_at = datetime(2026, 11, 2, 7, tzinfo=WITA)  # owes the 08.00 call of that day first
    schedule.save()
    schedule.stations.set([factories.radio(paser, name="Radio Paser 1")])

    after_poll_cycle(datetime(2026, 11, 2, 8, 29, tzinfo=WITA))  # the window is still open
    assert not Alert.objects.exists()
    for minute in (30, 31, 45):
        after_poll_cycle(datetime(2026, 11, 2, 8, minute, tzinfo=WITA))
    (alert,) = Alert.objects.all()
    assert (alert.kind, alert.severity, alert.asset, alert.started_at) == (
        "missed_roll_call",
        "warning",
        None,
        datetime(2026, 11, 2, 8, tzinfo=WITA),
    )
    (email,) = mail.outbox  # told in the cycle that found it, once
    assert email.to == ["ani@bpbd.test"]
    assert email.subject == "[Simpul] APEL RADIO TERLEWAT: BPBD 64.01"
    assert "Sebab: Jaring VHF Paser tidak dicatat dalam jendelanya." in email.body

    alert_acknowledge(alert=alert, by=operator, via="web", at=datetime(2026, 11, 2, 8, 50, tzinfo=WITA))
    alert.refresh_from_db()
    assert alert.state == AlertState.RESOLVED  # nothing to recover from
