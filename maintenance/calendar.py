"""An agency's upcoming maintenance as an iCalendar document (one all-day event per due work order)."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from maintenance.models import WorkOrder
from maintenance.transitions import ACTIVE


def agency_calendar(agency, *, days_ahead: int = 120) -> bytes:
    today = timezone.localdate()
    orders = WorkOrder.objects.filter(
        agency=agency, status__in=ACTIVE, due_date__isnull=False, due_date__lte=today + timedelta(days=days_ahead)
    ).select_related("asset", "site", "assignee")
    calendar = Calendar()
    calendar.add("prodid", "-//Simpul//Pemeliharaan//ID")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Pemeliharaan %(agency)s") % {"agency": agency.name})  # the feed app's language
    calendar.add("x-wr-timezone", "Asia/Makassar")
    for order in orders.order_by("due_date", "pk"):
        event = Event()
        event.add("uid", f"work-order-{order.pk}@simpul")
        event.add("summary", f"[{order.get_kind_display()}] {order.title}")
        event.add("dtstart", order.due_date)
        event.add("dtend", order.due_date + timedelta(days=1))
        event.add("dtstamp", order.updated_at)
        place = order.asset.site if order.asset and order.asset.site else order.site
        if place is not None:
            event.add("location", place.name)
        event.add("description", f"{order.get_status_display()} · {order.assignee or '-'}\n{order.description}")
        calendar.add_component(event)
    return calendar.to_ical()
