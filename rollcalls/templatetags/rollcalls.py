"""The agency page's roll-call block: one tag, so the page's view needs to know nothing of roll calls."""

from django import template
from django.utils import timezone

from rollcalls.models import RollCallSchedule
from rollcalls.selectors import compliance, trouble_first

register = template.Library()


@register.inclusion_tag("rollcalls/agency_compliance.html")
def roll_call_compliance(agency):
    month = timezone.localdate().replace(day=1)
    figures = trouble_first(compliance(RollCallSchedule.objects.filter(agency=agency), month))
    return {"agency": agency, "month": month, "figures": figures}


@register.filter
def percent(value) -> str:
    """0.8333 -> "83 %"; None -> "–" (nothing owed yet, so no ratio)."""
    if value is None:
        return "–"
    return f"{round(value * 100)} %"
