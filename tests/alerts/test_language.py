"""Messages in the recipient's language, the one on their profile (the EN/ID switch sets it): Bahasa Indonesia
by default, English for a person who chose it."""

from django.core import mail

from accounts.models import User
from alerts.cycle import after_poll_cycle
from alerts.models import AlertRule
from monitoring.services import RollCallAnswer, radio_check_record
from tests import factories
from tests.alerts.flow import at, down, up


def test_an_english_speaking_officer_gets_english_and_a_colleague_indonesian(paser, repeater, on_duty, people):
    User.objects.filter(pk=on_duty.pk).update(language="en")
    down([repeater])
    (raised,) = mail.outbox
    assert raised.subject == "[Simpul] DOWN: Repeater Gunung, BPBD 64.01"
    assert "DOWN: Repeater Gunung, BPBD 64.01 since 15.01 WITA." in raised.body
    assert "Acknowledge: http" in raised.body
    up([repeater], 10)
    assert "RECOVERED: Repeater Gunung, BPBD 64.01, 15.10 WITA (outage 9 min)." in mail.outbox[1].body

    AlertRule.objects.create(agency=paser, name="Radio", asset_kinds=["vhf_radio"], kinds=["down"])
    radio = factories.radio(paser, name="Base VHF Paser")
    for minute in (20, 21, 22):
        entries = [RollCallAnswer(asset=radio, answered=False)]
        radio_check_record(agency=paser, held_at=at(minute), net="VHF", notes="", operator=None, entries=entries)
        after_poll_cycle(at(minute))
    # The cause is stored in Indonesian (whoever recorded the roll call) and read in the reader's language.
    assert "Cause: did not answer the radio roll call." in mail.outbox[2].body


def test_without_a_choice_alerts_are_indonesian(repeater, on_duty):
    assert User.objects.get(pk=on_duty.pk).language == ""
    down([repeater])
    (raised,) = mail.outbox
    assert raised.subject.startswith("[Simpul] MATI: Repeater Gunung")
