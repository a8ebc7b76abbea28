"""Reminders of what lapses: due at WITA midnight, across month and year ends, once per item and lead time
however often the hook runs, to the agency's managers and procurement staff and its webhooks."""

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from maintenance.models import Delivery, LapseReminder, WebhookEndpoint
from maintenance.notifications import deliver_due
from maintenance.reminders import hourly, send_lapse_reminders
from tests import factories
from tests.maintenance.test_corrective_and_notifications import Receiver


def wita(year, month, day, hour=0, minute=0) -> datetime:
    """A moment given on the clock in Samarinda (UTC+8)."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC) - timedelta(hours=8)


@pytest.fixture
def people(tree, paser):
    factories.user(paser, "manager", email="kalaksa@paser.test")
    factories.user(paser, "procurement", email="pengadaan@paser.test")
    factories.user(paser, "technician", email="teknisi@paser.test")  # does not budget
    factories.user(paser, "manager", email="")  # nowhere to send
    factories.user(paser, "procurement", email="pensiun@paser.test", is_active=False)
    factories.user(tree["64"], "manager", email="provinsi@kaltim.test")  # another agency
    return {"kalaksa@paser.test", "pengadaan@paser.test"}


def reminded() -> list[tuple[str, int]]:
    return sorted(LapseReminder.objects.values_list("kind", "lead_days"))


def test_reminders_fall_due_at_wita_midnight_across_month_and_year_ends_once_each(paser, people):
    factories.asset(paser, name="Router Pusdalops", warranty_end=date(2027, 3, 1))
    timeline = [
        (wita(2026, 11, 30, 23, 59), []),  # 91 days left
        (wita(2026, 12, 1, 0, 0), [90]),  # 16:00 UTC on 30 November: the WITA day decides
        (wita(2026, 12, 1, 13, 0), [90]),  # the same day again: nothing new
        (wita(2026, 12, 30, 23, 59), [90]),  # 61 days left
        (wita(2026, 12, 31, 0, 0), [90, 60]),  # across the year's end
        (wita(2027, 1, 29, 23, 59), [90, 60]),
        (wita(2027, 1, 30, 0, 0), [90, 60, 30]),
        (wita(2027, 1, 30, 0, 0), [90, 60, 30]),  # the hook twice in the same hour
        (wita(2027, 3, 1, 8, 0), [90, 60, 30]),  # its last day: no lead time left to remind at
        (wita(2027, 3, 2, 0, 0), [90, 60, 30]),  # lapsed: listed elsewhere, not reminded again
    ]
    for moment, leads in timeline:
        hourly(moment)
        assert reminded() == [("warranty", lead) for lead in sorted(leads)], timezone.localtime(moment)
    assert Delivery.objects.count() == 3 * len(people)  # one digest per reminder per person
    assert Delivery.objects.filter(work_order__isnull=True, event="lapsing").count() == Delivery.objects.count()


def test_an_item_first_seen_late_gets_the_reminder_due_now_and_february_ends_early(paser, people):
    factories.asset(
        paser, kind="ups", name="UPS ruang radio", battery_due=date(2027, 3, 31), battery_cost_idr=7_500_000
    )
    hourly(wita(2027, 2, 28, 9, 0))  # 31 days left: the 60-day reminder, not the missed 90-day one
    assert reminded() == [("battery", 60)]
    hourly(wita(2027, 2, 28, 23, 59))
    assert reminded() == [("battery", 60)]
    hourly(wita(2027, 3, 1, 0, 0))  # 30 days after February's 28th
    assert reminded() == [("battery", 30), ("battery", 60)]
    assert deliver_due(timezone.now())["sent"] == 4
    assert {message.to[0] for message in mail.outbox} == people
    last = mail.outbox[-1]
    assert last.subject == "[Simpul] BPBD 64.01: 1 hal akan berakhir"
    assert last.body == (
        "- Penggantian baterai: UPS ruang radio, jatuh tempo 31 Maret 2027 (30 hari lagi); perkiraan biaya Rp 7.500.000"
    )


def test_licence_renewal_is_reminded_at_the_agencys_lead_time_too(paser, people):
    paser.licence_renewal_lead_days = 45
    paser.save()
    factories.licence(paser, number="ISR 00123", valid_from=date(2022, 7, 1), valid_until=date(2027, 6, 30))
    day = date(2027, 3, 1)
    while day <= date(2027, 7, 15):  # every day at 01:00 WITA, as the poller's hourly hook would
        hourly(wita(day.year, day.month, day.day, 1, 0))
        day += timedelta(days=1)
    assert reminded() == [("licence", 30), ("licence", 45), ("licence", 60), ("licence", 90)]
    deliver_due(timezone.now())
    assert "ajukan perpanjangan paling lambat 16 Mei 2027" in mail.outbox[0].body


def test_a_renewed_item_is_a_new_item(paser, people):
    link = factories.asset(
        paser,
        kind="internet_link",
        name="Internet utama",
        provider="Telkom",
        medium="fibre",
        contract_end=date(2027, 1, 31),
    )
    hourly(wita(2027, 1, 5, 7))
    assert reminded() == [("isp_contract", 30)]
    link.contract_end = date(2028, 1, 31)  # renewed for a year
    link.save()
    hourly(wita(2027, 1, 5, 8))
    assert reminded() == [("isp_contract", 30)]
    hourly(wita(2027, 11, 3, 8))
    assert reminded() == [("isp_contract", 30), ("isp_contract", 90)]


def test_one_digest_per_agency_to_its_webhook_signed(tree, paser, people, settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]  # the receiver is on loopback
    receiver = Receiver([])
    try:
        WebhookEndpoint.objects.create(agency=paser, url=receiver.url, secret="rahasia-webhook-paser-123")
        WebhookEndpoint.objects.create(agency=paser, url=receiver.url, secret="s" * 20, events=["overdue"])
        factories.asset(paser, name="A", warranty_end=date(2027, 1, 10))
        factories.asset(paser, name="B", support_end=date(2027, 1, 20), support_cost_idr=6_000_000)
        factories.asset(tree["64.72"], name="C", warranty_end=date(2027, 1, 10))
        summary = send_lapse_reminders(today=date(2026, 12, 20))
        assert (summary.items, summary.agencies, summary.deliveries) == (3, 2, 3)  # Samarinda has nobody to tell
        deliver_due(timezone.now())
        [(headers, body)] = receiver.received
        assert headers["X-Simpul-Event"] == "lapsing"
        payload = json.loads(body)
        assert [item["subject"] for item in payload["items"]] == ["A", "B"]
        assert payload["items"][1] | {"agency_name": ""} == {
            "agency": "64.01",
            "agency_name": "",
            "kind": "support",
            "kind_label": "Kontrak dukungan/pemeliharaan",
            "subject": "B",
            "asset": payload["items"][1]["asset"],
            "licence": None,
            "lapses_on": "2027-01-20",
            "days_left": 31,
            "act_by": "2027-01-20",
            "cost_idr": 6_000_000,
        }
    finally:
        receiver.close()


def test_the_database_refuses_a_second_reminder_of_the_same_item_and_lead_time(paser):
    asset = factories.asset(paser, warranty_end=date(2027, 1, 10))
    licence = factories.licence(paser)
    common = {"agency": paser, "kind": "warranty", "lapses_on": date(2027, 1, 10), "lead_days": 30}
    LapseReminder.objects.create(asset=asset, **common)
    LapseReminder.objects.create(licence=licence, **common)
    LapseReminder.objects.create(asset=asset, **(common | {"lead_days": 60}))
    for duplicate in ({"asset": asset}, {"licence": licence}):
        with pytest.raises(IntegrityError), transaction.atomic():
            LapseReminder.objects.create(**duplicate, **common)


def test_command_beat_and_poller_run_the_reminders(paser, people):
    factories.asset(paser, warranty_end=timezone.localdate() + timedelta(days=20))
    call_command("send_lapse_reminders")
    call_command("send_lapse_reminders")
    assert reminded() == [("warranty", 30)]
    assert "maintenance.reminders.hourly" in settings.POLL_HOURLY_HOOKS
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "maintenance.tasks.maintenance_lapse_reminders" in tasks


def test_each_reader_gets_the_digest_in_their_language(paser, people):
    User.objects.filter(email="kalaksa@paser.test").update(language="en")
    factories.asset(
        paser, kind="ups", name="UPS ruang radio", battery_due=date(2027, 3, 31), battery_cost_idr=7_500_000
    )
    hourly(wita(2027, 3, 1, 0, 0))
    deliver_due(timezone.now())
    read = {message.to[0]: message for message in mail.outbox}
    english, indonesian = read["kalaksa@paser.test"], read["pengadaan@paser.test"]
    assert english.subject == "[Simpul] BPBD 64.01: 1 lapsing soon"
    assert english.body.startswith("- Battery replacement: UPS ruang radio, due 31 March 2027 (in 30 days)")
    assert indonesian.subject == "[Simpul] BPBD 64.01: 1 hal akan berakhir"
    assert indonesian.body.startswith("- Penggantian baterai: UPS ruang radio, jatuh tempo 31 Maret 2027")
