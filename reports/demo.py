"""The demo's monthly reports: the two latest months past their deadline, every agency's submitted and
acknowledged, one of them late (Mahakam Ulu's, from the far upper Mahakam). Idempotent: a report that
exists is kept (one per agency and month, by constraint)."""

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.choices import Role
from accounts.models import User
from assets.models import Agency
from reports.deadlines import DUE_DAY, deadline, previous_month
from reports.models import MonthlyReport
from simpul.months import WITA, next_month

LATE = "64.11"  # Mahakam Ulu: its report for the older month came four days after the 10th


@transaction.atomic
def seed_report_demo(now: datetime | None = None) -> int:
    """Create the missing reports; returns how many."""
    now = now or timezone.now()
    latest = previous_month(timezone.localdate(now))
    if now < deadline(latest):
        latest = previous_month(latest)
    months = [previous_month(latest), latest]
    checker = User.objects.filter(agency__level="province", role=Role.MANAGER, is_active=True).order_by("pk").first()
    existing = set(MonthlyReport.objects.filter(month__in=months).values_list("agency_id", "month"))
    reports = []
    for agency in Agency.objects.order_by("code"):
        rng = random.Random(agency.code)
        sender = User.objects.filter(agency=agency, is_active=True).order_by("username").first()
        for month in months:
            if (agency.pk, month) in existing:
                continue
            day = DUE_DAY + 4 if agency.code == LATE and month == months[0] else rng.randint(3, DUE_DAY)
            submitted = _at(next_month(month).replace(day=day), rng)
            reports.append(
                MonthlyReport(
                    agency=agency,
                    month=month,
                    submitted_at=submitted,
                    submitted_by=sender,
                    notes="Terlambat: jaringan internet Ujoh Bilang putus." if day > DUE_DAY else "",
                    acknowledged_at=min(submitted + timedelta(days=rng.randint(1, 3)), now),
                    acknowledged_by=checker,
                )
            )
    MonthlyReport.objects.bulk_create(reports)
    return len(reports)


def _at(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(rng.randint(8, 15), rng.choice([0, 15, 30, 45])), tzinfo=WITA)
