"""Dispatch: who hands out work, to whom, with which checklist, and the board of what is still open.

Dispatchers of an agency are its managers, the administrators who write it, and whoever is on duty there
now (the duty officer of alerts' roster, usually a technician on a shift). Technicians do the work;
managers otherwise only read (accounts.scoping), so dispatching is a rule of its own, used by the pages
and the API alike.
"""

from datetime import date

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils import timezone

from accounts.choices import Role
from accounts.models import User
from accounts.pages import in_operations
from accounts.scoping import may_write_agency, visible_agencies
from maintenance.choices import WorkOrderStatus as S
from maintenance.models import AgencyMaintenanceSettings, PreventivePlan, WorkOrder
from maintenance.transitions import ACTIVE

BOARD_COLUMNS = [S.OPEN, S.ASSIGNED, S.IN_PROGRESS, S.ON_HOLD]


def dispatches_at_all(user) -> bool:
    """Whether the role ever dispatches (procurement never does); which agency is `may_dispatch`'s business."""
    return in_operations(user)


def may_dispatch(user, agency_id: int | None) -> bool:
    """Whether `user` may create and assign work, manage preventive plans and reopen finished orders there."""
    if not dispatches_at_all(user) or agency_id is None:
        return False
    if user.is_superuser or (user.role == Role.ADMINISTRATOR and may_write_agency(user, agency_id)):
        return visible_agencies(user).filter(pk=agency_id).exists()
    if user.role == Role.MANAGER and user.agency_id == agency_id:
        return True
    return user.agency_id == agency_id and _on_duty(user, agency_id)


def dispatches_now(user) -> bool:
    """Whether `user` hands out work at their own agency now (a superuser: anywhere): whom the board is for."""
    return user.is_authenticated and (user.is_superuser or may_dispatch(user, user.agency_id))


def _on_duty(user, agency_id: int) -> bool:
    from alerts.roster import on_duty  # the roster lives with alerts (shifts, jadwal piket)

    return user in on_duty(agency_id=agency_id, at=timezone.now())


def may_reopen(user, order: WorkOrder) -> bool:
    """Reopening a finished order is the dispatcher's call, with a reason (services.work_order_transition)."""
    return may_dispatch(user, order.agency_id)


def assignable_technicians(agency_id: int) -> QuerySet:
    """Who may be given an order of the agency: its active technicians."""
    return User.objects.filter(agency_id=agency_id, role=Role.TECHNICIAN, is_active=True).order_by("username")


def default_assignee(agency_id: int):
    """The agency's default assignee (AgencyMaintenanceSettings), if it still may take work."""
    row = AgencyMaintenanceSettings.objects.filter(agency_id=agency_id).first()
    if row is None or row.default_assignee_id is None:
        return None
    return assignable_technicians(agency_id).filter(pk=row.default_assignee_id).first()


def checklist_templates(agency_id: int) -> QuerySet:
    """The checklists an order may start from: those of the agency's preventive plans."""
    return PreventivePlan.objects.filter(agency_id=agency_id).exclude(checklist=[]).order_by("title", "pk")


def board(orders: QuerySet, *, today: date) -> dict:
    """The open orders grouped by status, overdue first in each group, then by due date (none last)."""
    rows = list(
        orders.filter(status__in=ACTIVE)
        .select_related("agency", "asset", "site", "assignee")
        .annotate(
            late=Case(When(due_date__lt=today, then=Value(0)), default=Value(1), output_field=IntegerField()),
            undated=Case(When(due_date__isnull=True, then=Value(1)), default=Value(0), output_field=IntegerField()),
        )
        .order_by("late", "undated", "due_date", "-created_at", "pk")
    )
    overdue = [order for order in rows if order.late == 0]
    columns = [
        {"status": status, "label": S(status).label, "orders": [order for order in rows if order.status == status]}
        for status in BOARD_COLUMNS
    ]
    return {"total": len(rows), "overdue": overdue, "columns": columns}
