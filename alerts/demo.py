"""A demo roster for `make run`: every agency with users gets an email channel and three shifts, this week
staffed round the robin by its users, so an asset taken down shows an alert in the console email."""

from datetime import time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from alerts.models import Channel, DutyAssignment, DutyShift
from assets.models import Agency

SHIFTS = [("Pagi", time(8), time(16)), ("Sore", time(16), time(0)), ("Malam", time(0), time(8))]


@transaction.atomic
def seed_alert_demo() -> int:
    """Idempotent; returns how many assignments it created."""
    created = 0
    today = timezone.localdate()
    days = [today - timedelta(days=today.weekday()) + timedelta(days=n) for n in range(7)]
    for agency in Agency.objects.filter(users__isnull=False).distinct():
        people = list(User.objects.filter(agency=agency, is_active=True).order_by("username"))
        for person in people:
            if not person.email:
                person.email = f"{person.username}@simpul.invalid"
                person.save(update_fields=["email"])
        Channel.objects.get_or_create(agency=agency, name="Email Pusdalops", defaults={"kind": "email"})
        for index, (name, starts, ends) in enumerate(SHIFTS):
            shift, _ = DutyShift.objects.get_or_create(
                agency=agency, name=name, defaults={"starts": starts, "ends": ends}
            )
            for offset, day in enumerate(days):
                person = people[(index + offset) % len(people)]
                _, new = DutyAssignment.objects.get_or_create(shift=shift, date=day, user=person)
                created += new
    return created
