"""The demo's maintenance: a monthly repeater plan at every agency with 90 days of its work done, corrective
work done for the long outages of the history (monitoring.demo), and some work overdue now: this month's
repeater check at three remote regencies, and the faulty handhelds waiting for parts.

Written once per agency, in bulk: an agency that has work orders gets nothing new.
"""

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from assets.models import Agency, Asset
from maintenance.choices import Priority, RecurrenceUnit, WorkOrderKind, WorkOrderStatus
from maintenance.models import PreventivePlan, WorkOrder
from maintenance.recurrence import occurrences
from monitoring.models import Outage
from simpul.months import WITA

PLAN = "Pemeliharaan bulanan repeater"
PLAN_DAY = 5  # due on the 5th of every month
CHECKLIST = ["Ukur SWR antena", "Periksa konektor dan grounding", "Ukur tegangan baterai", "Uji pancar dan terima"]
DONE_NOTE = "SWR 1,3; konektor dibersihkan; baterai 13,4 V; uji pancar baik."
OVERDUE = ("64.01", "64.02", "64.11")  # Paser, Kutai Barat, Mahakam Ulu: far from their hills, behind this month
CORRECTIVE_AFTER = timedelta(hours=2)  # a history outage this long had a technician sent out


@transaction.atomic
def seed_maintenance_demo(now: datetime | None = None) -> int:
    """Create the demo's plans and work orders; returns how many orders."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    orders: list[tuple[WorkOrder, datetime, list[Outage]]] = []
    for agency in Agency.objects.order_by("code"):
        if WorkOrder.objects.filter(agency=agency).exists():
            continue
        rng = random.Random(agency.code)
        technician = User.objects.filter(agency=agency, is_active=True).order_by("username").first()
        plan = _plan(agency, today)
        orders += _preventive(agency, plan, technician, rng, today)
        orders += _corrective(agency, technician, now)
    WorkOrder.objects.bulk_create([order for order, _created, _outages in orders])
    for order, created, _outages in orders:
        order.created_at = created  # bulk_update writes it as given; a save would stamp it now
    WorkOrder.objects.bulk_update([order for order, _created, _outages in orders], ["created_at"])
    WorkOrder.outages.through.objects.bulk_create(
        WorkOrder.outages.through(workorder_id=order.pk, outage_id=outage.pk)
        for order, _created, outages in orders
        for outage in outages
    )
    return len(orders)


def _plan(agency: Agency, today: date) -> PreventivePlan:
    plan = PreventivePlan.objects.filter(agency=agency, title=PLAN).first()
    if plan is None:
        start = (today.replace(day=1) - timedelta(days=100)).replace(day=1)
        plan = PreventivePlan(
            agency=agency,
            title=PLAN,
            asset_kind="repeater",
            unit=RecurrenceUnit.DAY_OF_MONTH,
            day_of_month=PLAN_DAY,
            starts_on=start,
            checklist=CHECKLIST,
        )
        plan.full_clean()
        plan.save()
    return plan


def _preventive(agency, plan, technician, rng, today: date) -> list[tuple]:
    """One order per repeater and past due date of the last 90 days: done, but this month's at OVERDUE."""
    repeaters = Asset.objects.filter(agency=agency, kind="repeater", status="in_service")
    dues = [
        due
        for due in occurrences(starts_on=plan.starts_on, every=1, unit=plan.unit, day_of_month=PLAN_DAY, until=today)
        if today - timedelta(days=90) <= due < today
    ]
    rows = []
    for repeater in repeaters:
        for due in dues:
            created = datetime.combine(due - timedelta(days=plan.lead_days), time(7), tzinfo=WITA)
            late = agency.code in OVERDUE and due == dues[-1]
            done = None if late else datetime.combine(due + timedelta(days=rng.randint(-2, 1)), time(14), tzinfo=WITA)
            order = WorkOrder(
                agency=agency,
                asset=repeater,
                kind=WorkOrderKind.PREVENTIVE,
                title=f"{PLAN}: {repeater.name}",
                status=(WorkOrderStatus.ASSIGNED if technician else WorkOrderStatus.OPEN)
                if late
                else WorkOrderStatus.DONE,
                assignee=technician,
                due_date=due,
                plan=plan,
                started_at=done - timedelta(hours=3) if done else None,
                done_at=done,
                resolution="" if late else DONE_NOTE,
                overdue_notified=late,  # told when it fell due, before the demo began
            )
            rows.append((order, created, []))
    return rows


def _corrective(agency, technician, now: datetime) -> list[tuple]:
    """Corrective work done for every long outage of the history; the open outages' work waits for parts."""
    rows = []
    for outage in Outage.objects.filter(asset__agency=agency).select_related("asset").order_by("started_at"):
        ended = outage.ended_at
        if ended is not None and ended - outage.started_at < CORRECTIVE_AFTER:
            continue
        since = timezone.localtime(outage.started_at)
        due = since.date() + timedelta(days=7 if ended else 2)  # parts were promised within two days
        order = WorkOrder(
            agency=agency,
            asset=outage.asset,
            kind=WorkOrderKind.CORRECTIVE,
            priority=Priority.HIGH,
            title=f"Gangguan: {outage.asset.name}",
            description=f"Mati sejak {since:%Y-%m-%d %H:%M} WITA. {outage.cause}."
            + ("" if ended else " Menunggu suku cadang dari distributor."),
            status=WorkOrderStatus.DONE if ended else WorkOrderStatus.ON_HOLD,
            assignee=technician,
            due_date=due,
            started_at=outage.started_at + timedelta(minutes=40),
            done_at=min(ended + timedelta(minutes=30), now) if ended else None,
            recovered_at=ended,
            resolution=f"Diperbaiki di lokasi: {outage.cause.lower()}." if ended else "",
            overdue_notified=ended is None and due < timezone.localdate(now),
        )
        rows.append((order, outage.started_at + timedelta(minutes=15), [outage]))
    return rows
