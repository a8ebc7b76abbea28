"""The sender's database round-trips per message: the latency of a burst of alerts is mostly these."""

from django.core import mail
from django.utils import timezone

from alerts.models import Message
from alerts.sender import send_due
from tests import factories
from tests.alerts.flow import down


def test_a_burst_is_leased_and_loaded_in_bulk_with_one_write_per_outcome(
    monkeypatch, paser, on_duty, django_assert_max_num_queries
):
    monkeypatch.setattr("alerts.sender.kick", lambda now: None)  # the alerts wait in the outbox
    repeaters = [
        factories.asset(paser, kind="repeater", band="vhf", management_address=f"127.64.3.{i}") for i in range(10)
    ]
    down(repeaters)
    assert Message.objects.filter(status="pending").count() == 10
    # A claim (select, lease) and a load of ten with their languages, then per message one short transaction
    # (savepoint, status update, timeline line, release: 4 inside a test's transaction), then an empty claim.
    with django_assert_max_num_queries(6 + 4 * 10 + 4):
        assert send_due(now=timezone.now()).sent == 10
    assert len(mail.outbox) == 10
