"""Writes of roll-call schedules: a call recorded on the phone page, and calls whose window closed unrecorded."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from alerts.rollcall import raise_missed_roll_call
from monitoring.models import RadioCheck
from monitoring.services import RollCallAnswer, radio_check_record
from rollcalls.choices import Outcome
from rollcalls.models import RollCallSchedule, ScheduledCall
from rollcalls.occurrences import Call, calls_between

# Calls whose window closed longer ago than this are not flagged any more (a poller stopped for weeks
# does not invent a month of misses at start-up); the poller runs the check every cycle.
LOOKBACK = timedelta(days=2)


@dataclass(frozen=True, slots=True)
class Recorded:
    radio_check: RadioCheck
    in_window: bool  # False: recorded after the window closed, so the scheduled call still counts as missed


@transaction.atomic
def scheduled_call_record(
    *,
    schedule: RollCallSchedule,
    call: Call,
    operator: User | None,
    answers: Sequence[RollCallAnswer],
    notes: str,
    now: datetime,
) -> Recorded:
    """Record the roll call of `call` as an ordinary RadioCheck (the radios' health follows from it) and
    mark the call held, if still within its window. A call recorded once is not recorded again."""
    held = ScheduledCall.objects.select_for_update().filter(schedule=schedule, due_at=call.due_at).first()
    if held is not None and held.outcome == Outcome.HELD:
        raise ValidationError(_("Apel ini sudah dicatat."))
    check = radio_check_record(
        agency=schedule.agency, held_at=now, net=schedule.net, notes=notes, operator=operator, entries=answers
    )
    in_window = call.is_open(now)
    if in_window:
        ScheduledCall.objects.update_or_create(
            schedule=schedule,
            due_at=call.due_at,
            defaults={
                "agency_id": schedule.agency_id,
                "closes_at": call.closes_at,
                "outcome": Outcome.HELD,
                "radio_check": check,
                "recorded_at": now,
            },
        )
    return Recorded(radio_check=check, in_window=in_window)


def schedule_set_active(*, schedule: RollCallSchedule, active: bool, now: datetime) -> None:
    """Pause a schedule or resume it; a resumed schedule owes the calls from `now` on, none of its pause."""
    if active and not schedule.active:
        schedule.resumed_at = now
    schedule.active = active
    schedule.save(update_fields=["active", "resumed_at"])


@transaction.atomic
def flag_missed_calls(now: datetime) -> int:
    """Write the outcome of every call whose window closed since LOOKBACK; returns how many were missed.

    A roll call recorded through the API (not the phone page) on the schedule's net within the window
    holds the call as well. Idempotent: calls already written are skipped.
    """
    schedules = list(RollCallSchedule.objects.filter(active=True).order_by("id"))
    closed: list[tuple[RollCallSchedule, Call]] = []
    for schedule in schedules:
        since = max(schedule.created_at, schedule.resumed_at or schedule.created_at, now - LOOKBACK)
        for call in calls_between(schedule.clock_times, schedule.days, schedule.window, since, now):
            if call.closes_at <= now:
                closed.append((schedule, call))
    if not closed:
        return 0
    written = set(
        ScheduledCall.objects.filter(
            schedule__in=[s.pk for s in schedules], due_at__gte=min(call.due_at for _s, call in closed)
        ).values_list("schedule_id", "due_at")
    )
    rows, missed = [], 0
    for schedule, call in closed:
        if (schedule.pk, call.due_at) in written:
            continue
        check = (
            RadioCheck.objects.filter(
                agency_id=schedule.agency_id,
                net__iexact=schedule.net,
                held_at__gte=call.due_at,
                held_at__lt=call.closes_at,
                scheduled_call__isnull=True,
            )
            .order_by("held_at", "id")
            .first()
        )
        missed += check is None
        rows.append(
            ScheduledCall(
                schedule=schedule,
                agency_id=schedule.agency_id,
                due_at=call.due_at,
                closes_at=call.closes_at,
                outcome=Outcome.MISSED if check is None else Outcome.HELD,
                radio_check=check,
                recorded_at=now,
            )
        )
    ScheduledCall.objects.bulk_create(rows, ignore_conflicts=True)  # a call recorded meanwhile wins
    for row in rows:
        if row.outcome == Outcome.MISSED:
            raise_missed_roll_call(agency_id=row.agency_id, net=row.schedule.net, due_at=row.due_at, now=now)
    return missed
