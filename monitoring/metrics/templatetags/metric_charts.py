"""The metric charts on an asset's page (an earlier app's page), without assets importing monitoring."""

from django import template

from accounts.scoping import may_write_agency
from monitoring.metrics.catalog import IF_MIB, UPS_MIB
from monitoring.metrics.profiles import NO_PROFILE, profiles_by_kind
from monitoring.metrics.watch import walked_interfaces
from monitoring.models import KindPolicy
from simpul import formats

register = template.Library()


@register.inclusion_tag("metrics/charts.html", takes_context=True)
def metric_charts(context, asset) -> dict:
    """Throughput for kinds whose profile reads interfaces, battery for UPS-MIB ones, and the kind's own labels;
    for those who may write the asset's agency, the walked interfaces to choose the watched ones from."""
    profile = profiles_by_kind().get(asset.kind, NO_PROFILE)
    extra = KindPolicy.objects.filter(kind=asset.kind).values_list("extra_oids", flat=True).first() or {}
    labels = sorted({*extra, *dict(profile.oids)})
    throughput = IF_MIB in profile.groups
    request = context["request"]
    choosing = throughput and may_write_agency(request.user, asset.agency_id)
    walked, interfaces = walked_interfaces(asset) if choosing else (None, [])
    return {
        "asset": asset,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "throughput": throughput,
        "battery": UPS_MIB in profile.groups,
        "labels": labels,
        "shown": throughput or UPS_MIB in profile.groups or bool(labels),
        "choosing": choosing,
        "walked": walked,
        "interfaces": [i | {"speed": formats.bitrate(i["speed_mbps"] * 1e6)} for i in interfaces],
    }
