"""Every transition of the work-order lifecycle, legal and illegal, through the service."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from maintenance.choices import WorkOrderStatus as S
from maintenance.models import WorkOrder, WorkOrderTransition
from maintenance.services import work_order_create, work_order_transition
from maintenance.transitions import ALLOWED
from monitoring.models import MaintenanceWindow
from tests import factories

STATUSES = list(ALLOWED)


def order_in(status, *, paser, repeater, technician) -> WorkOrder:
    """A work order brought to `status` by legal steps."""
    order = work_order_create(reporter=technician, agency=paser, asset=repeater, kind="corrective", title="Perbaiki")
    path = {
        "open": [],
        "assigned": [("assigned", {"assignee": technician})],
        "in_progress": [("in_progress", {})],
        "on_hold": [("in_progress", {}), ("on_hold", {"note": "Hujan petir"})],
        "done": [("in_progress", {}), ("done", {"resolution": "Ganti konektor"})],
        "cancelled": [("cancelled", {})],
    }[status]
    for to_status, extra in path:
        order = work_order_transition(order=order, to_status=to_status, by=technician, **extra)
    assert order.status == status
    return order


def _extra(from_status, to_status, technician):
    extra = {}
    if to_status == "assigned":
        # Assigned again is a reassignment, to somebody else.
        extra["assignee"] = factories.user(technician.agency) if from_status == "assigned" else technician
    if to_status == "done":
        extra["resolution"] = "Selesai"
    if from_status == "done" or to_status == "on_hold":
        extra["note"] = "Masih putus-putus"
    return extra


@pytest.mark.parametrize("from_status", STATUSES)
@pytest.mark.parametrize("to_status", STATUSES)
def test_transition_matrix(from_status, to_status, paser, repeater, technician):
    order = order_in(from_status, paser=paser, repeater=repeater, technician=technician)
    extra = _extra(from_status, to_status, technician)
    if to_status in ALLOWED[from_status]:
        order = work_order_transition(order=order, to_status=to_status, by=technician, **extra)
        assert order.status == to_status
        last = WorkOrderTransition.objects.filter(work_order=order).last()
        assert (last.from_status, last.to_status, last.by) == (from_status, to_status, technician)
    else:
        with pytest.raises(ValidationError) as error:
            work_order_transition(order=order, to_status=to_status, by=technician, **extra)
        message = error.value.message_dict["status"][0]
        for allowed in ALLOWED[from_status]:
            assert str(S(allowed).label) in message  # labels a person reads, not codes
        assert f"dari {S(from_status).label} ke {S(to_status).label}" in message
        order.refresh_from_db()
        assert order.status == from_status


def test_done_needs_resolution_and_reopen_needs_reason(paser, repeater, technician):
    order = order_in("in_progress", paser=paser, repeater=repeater, technician=technician)
    with pytest.raises(ValidationError) as error:
        work_order_transition(order=order, to_status="done", by=technician)
    assert "resolution" in error.value.message_dict
    order = work_order_transition(order=order, to_status="done", by=technician, resolution="OK")
    with pytest.raises(ValidationError) as error:
        work_order_transition(order=order, to_status="open", by=technician)
    assert "note" in error.value.message_dict
    order = work_order_transition(order=order, to_status="open", by=technician, note="Kambuh")
    assert order.status == "open" and order.done_at is None


def test_finishing_sets_asset_status_in_the_same_transaction(paser, repeater, technician):
    order = order_in("in_progress", paser=paser, repeater=repeater, technician=technician)
    work_order_transition(order=order, to_status="done", by=technician, resolution="OK", asset_status="in_service")
    repeater.refresh_from_db()
    assert repeater.status == "in_service"


def test_bad_asset_status_writes_nothing(paser, repeater, technician):
    order = order_in("in_progress", paser=paser, repeater=repeater, technician=technician)
    with pytest.raises(ValidationError):
        work_order_transition(order=order, to_status="done", by=technician, resolution="OK", asset_status="melted")
    order.refresh_from_db()
    repeater.refresh_from_db()
    assert order.status == "in_progress" and repeater.status == "faulty"


def test_assignee_must_be_of_the_same_agency(paser, repeater, technician, tree):
    outsider = factories.user(tree["64.72"], "technician")
    order = order_in("open", paser=paser, repeater=repeater, technician=technician)
    with pytest.raises(ValidationError) as error:
        work_order_transition(order=order, to_status="assigned", by=technician, assignee=outsider)
    assert "assignee" in error.value.message_dict


def test_in_progress_puts_the_asset_in_maintenance_until_it_leaves(paser, repeater, technician):
    order = order_in("in_progress", paser=paser, repeater=repeater, technician=technician)
    window = MaintenanceWindow.objects.get(asset=repeater)
    assert window.ends_at > window.starts_at
    order = work_order_transition(order=order, to_status="on_hold", by=technician, note="Menunggu suku cadang")
    window.refresh_from_db()
    assert window.ends_at <= timezone.now() + timedelta(seconds=1)  # closed, not a year ahead
    work_order_transition(order=order, to_status="in_progress", by=technician)
    assert MaintenanceWindow.objects.filter(asset=repeater).count() == 2


def test_an_assigned_order_is_reassigned_to_another_technician_not_to_the_same_one(paser, repeater, technician):
    order = order_in("assigned", paser=paser, repeater=repeater, technician=technician)
    with pytest.raises(ValidationError) as error:
        work_order_transition(order=order, to_status="assigned", by=technician, assignee=technician)
    assert "assignee" in error.value.message_dict
    other = factories.user(paser)
    order = work_order_transition(order=order, to_status="assigned", by=technician, assignee=other)
    assert order.assignee == other
