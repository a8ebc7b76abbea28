"""Maintenance metrics from hand-made histories, and overdue notices sent once."""

from datetime import date, timedelta

from django.utils import timezone

from maintenance.metrics import maintenance_metrics
from maintenance.models import Delivery, PartLine, WorkOrder
from maintenance.overdue import notify_overdue
from monitoring.models import AssetState, Outage
from reports.deadlines import month_bounds


def test_mttr_mtbf_compliance_counts_and_cost(paser, repeater, technician):
    start, end = month_bounds(date(2026, 10, 1))
    AssetState.objects.create(asset=repeater, state="up", monitored_since=start)
    for hours in (2, 4):  # two repairs: MTTR 3 h
        order = WorkOrder.objects.create(agency=paser, asset=repeater, kind="corrective", title="x", status="done")
        WorkOrder.objects.filter(pk=order.pk).update(
            created_at=start + timedelta(days=3), done_at=start + timedelta(days=3, hours=hours)
        )
        PartLine.objects.create(work_order=order, name="Konektor", quantity=2, unit_cost_idr=50_000)
    for due, done_day in ((5, 4), (10, 12), (20, None)):  # on time, late, never done
        order = WorkOrder.objects.create(
            agency=paser,
            asset=repeater,
            kind="preventive",
            title="pm",
            due_date=date(2026, 10, due),
            status="done" if done_day else "open",
        )
        if done_day:
            WorkOrder.objects.filter(pk=order.pk).update(done_at=start + timedelta(days=done_day - 1, hours=12))
    Outage.objects.create(
        asset=repeater, started_at=start + timedelta(days=1), ended_at=start + timedelta(days=1, hours=6)
    )
    [row] = maintenance_metrics(WorkOrder.objects.all(), type(repeater).objects.all(), start=start, end=end)
    assert row["key"] == "64.01" and row["repairs"] == 2 and row["mttr_s"] == 3 * 3600
    assert (row["pm_due"], row["pm_on_time"], row["pm_compliance"]) == (3, 1, round(1 / 3, 4))
    assert row["cost_idr"] == 4 * 50_000
    assert row["outages"] == 1 and row["mtbf_s"] == (end - start).total_seconds() - 6 * 3600
    assert row["open"] == 1 and row["overdue"] == 1


def test_overdue_orders_are_notified_once(paser, repeater, technician):
    WorkOrder.objects.create(
        agency=paser,
        asset=repeater,
        kind="inspection",
        title="Cek menara",
        assignee=technician,
        due_date=timezone.localdate() - timedelta(days=1),
        status="assigned",
    )
    WorkOrder.objects.create(
        agency=paser,
        asset=repeater,
        kind="inspection",
        title="Belum",
        assignee=technician,
        due_date=timezone.localdate() + timedelta(days=1),
        status="assigned",
    )
    assert notify_overdue() == 1
    assert notify_overdue() == 0
    assert Delivery.objects.filter(event="overdue", email=technician.email).count() == 1


def test_an_outage_across_a_month_boundary_is_one_failure_and_its_repair_counts_once(paser, repeater):
    """22:00 WITA on 31 October to 04:00 WITA on 1 November, repaired by a corrective order over the same night.

    Downtime is clipped to each month (2 h and 4 h); the failure belongs to October, where it began; the
    repair to November, where it was finished, with its whole 6 h (MTTR is the time a repair took).
    """
    october, november = month_bounds(date(2026, 10, 1)), month_bounds(date(2026, 11, 1))
    boundary = october[1]
    AssetState.objects.create(asset=repeater, state="up", monitored_since=october[0])
    Outage.objects.create(
        asset=repeater, started_at=boundary - timedelta(hours=2), ended_at=boundary + timedelta(hours=4)
    )
    order = WorkOrder.objects.create(agency=paser, asset=repeater, kind="corrective", title="x", status="done")
    WorkOrder.objects.filter(pk=order.pk).update(
        created_at=boundary - timedelta(hours=2), done_at=boundary + timedelta(hours=4)
    )
    assets = type(repeater).objects.all()
    [oct_row] = maintenance_metrics(WorkOrder.objects.all(), assets, start=october[0], end=october[1])
    [nov_row] = maintenance_metrics(WorkOrder.objects.all(), assets, start=november[0], end=november[1])
    assert (oct_row["outages"], oct_row["mtbf_s"]) == (1, (october[1] - october[0]).total_seconds() - 2 * 3600)
    assert (nov_row["outages"], nov_row["mtbf_s"]) == (0, None)
    assert (oct_row["repairs"], oct_row["mttr_s"]) == (0, None)
    assert (nov_row["repairs"], nov_row["mttr_s"]) == (1, 6 * 3600)
