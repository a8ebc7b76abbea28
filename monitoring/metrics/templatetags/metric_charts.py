"""The metric charts on an asset's page (an earlier app's page), without assets importing monitoring."""

from django import template

from monitoring.metrics.catalog import IF_MIB, UPS_MIB
from monitoring.metrics.profiles import NO_PROFILE, profiles_by_kind
from monitoring.models import KindPolicy

register = template.Library()


@register.inclusion_tag("metrics/charts.html")
def metric_charts(asset) -> dict:
    """Throughput for kinds whose profile reads interfaces, battery for UPS-MIB ones, and the kind's own labels."""
    profile = profiles_by_kind().get(asset.kind, NO_PROFILE)
    extra = KindPolicy.objects.filter(kind=asset.kind).values_list("extra_oids", flat=True).first() or {}
    labels = sorted({*extra, *dict(profile.oids)})
    return {
        "asset": asset,
        "throughput": IF_MIB in profile.groups,
        "battery": UPS_MIB in profile.groups,
        "labels": labels,
        "shown": IF_MIB in profile.groups or UPS_MIB in profile.groups or bool(labels),
    }
