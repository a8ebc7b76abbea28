"""Preventive scheduling: ahead of due dates, idempotent, across month ends and leap years."""

from datetime import date, timedelta

from maintenance.models import PreventivePlan, WorkOrder
from maintenance.scheduler import schedule_maintenance
from tests import factories


def plan(agency, **fields):
    values = {
        "title": "Cek bulanan",
        "every": 1,
        "unit": "months",
        "starts_on": date(2027, 1, 31),
        "lead_days": 7,
        "checklist": ["Ukur SWR", "Cek baterai"],
    }
    values.update(fields)
    obj = PreventivePlan(agency=agency, **values)
    obj.full_clean()
    obj.save()
    return obj


def test_orders_are_created_within_the_lead_time_and_once(paser, repeater):
    p = plan(paser, asset=repeater)
    assert schedule_maintenance(today=date(2027, 2, 10)).created == 0  # next due Feb 28, more than 7 days away
    assert schedule_maintenance(today=date(2027, 2, 21)).created == 1
    assert schedule_maintenance(today=date(2027, 2, 21)).created == 0
    assert schedule_maintenance(today=date(2027, 2, 22)).created == 0
    order = WorkOrder.objects.get()
    assert (order.due_date, order.kind, order.plan, order.asset) == (date(2027, 2, 28), "preventive", p, repeater)
    assert list(order.checklist.values_list("text", flat=True)) == ["Ukur SWR", "Cek baterai"]
    schedule_maintenance(today=date(2027, 3, 25))
    assert list(WorkOrder.objects.order_by("due_date").values_list("due_date", flat=True)) == [
        date(2027, 2, 28),
        date(2027, 3, 31),
    ]


def test_leap_year_february(paser, repeater):
    plan(paser, asset=repeater, starts_on=date(2028, 1, 31))
    schedule_maintenance(today=date(2028, 2, 25))
    assert WorkOrder.objects.get().due_date == date(2028, 2, 29)


def test_plan_for_every_asset_of_a_kind(paser, tree):
    for name in ("R1", "R2"):
        factories.asset(paser, kind="repeater", band="vhf", name=name)
    factories.asset(paser, kind="repeater", band="vhf", name="spare", status="spare")
    factories.asset(tree["64.72"], kind="repeater", band="vhf", name="other agency")
    plan(paser, asset_kind="repeater", starts_on=date(2027, 3, 1), unit="weeks", every=1, lead_days=13)
    assert schedule_maintenance(today=date(2027, 3, 1)).created == 4  # 2 repeaters x (Mar 1, Mar 8)
    assert schedule_maintenance(today=date(2027, 3, 1)).created == 0


def test_daily_runs_across_a_year_create_each_order_exactly_once(paser, repeater):
    plan(paser, asset=repeater, starts_on=date(2027, 1, 31), lead_days=3)
    day = date(2027, 1, 1)
    while day <= date(2028, 1, 5):
        schedule_maintenance(today=day)
        day += timedelta(days=1)
    dues = list(WorkOrder.objects.order_by("due_date").values_list("due_date", flat=True))
    assert len(dues) == len(set(dues)) == 12
    assert date(2027, 2, 28) in dues and date(2027, 4, 30) in dues


def test_inactive_plan_schedules_nothing(paser, repeater):
    plan(paser, asset=repeater, active=False)
    assert schedule_maintenance(today=date(2027, 2, 25)).created == 0
