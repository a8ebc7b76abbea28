"""Overdue work orders: notified once each, when their due date has passed in WITA."""

from django.utils import timezone

from maintenance.choices import NotificationEvent
from maintenance.models import WorkOrder
from maintenance.notifications import notify
from maintenance.transitions import ACTIVE


def notify_overdue() -> int:
    orders = WorkOrder.objects.filter(status__in=ACTIVE, due_date__lt=timezone.localdate(), overdue_notified=False)
    count = 0
    for order in orders.select_related("agency", "assignee"):
        notify(NotificationEvent.OVERDUE, order)
        WorkOrder.objects.filter(pk=order.pk).update(overdue_notified=True)
        count += 1
    return count
