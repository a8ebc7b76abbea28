"""Which poller polls an asset, for pages of earlier apps (an asset's page) without importing monitoring there:
the rule stays in monitoring.remote.assignment."""

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from monitoring.policies import pollable_assets
from monitoring.remote.assignment import poller_of
from monitoring.remote.health import PollerHealth, health

register = template.Library()


@register.simple_tag
def polled_by(asset) -> str:
    """ "Poller Berau (diam)", "pusat" for the central poller, or "" for an asset nothing polls over the network."""
    if not pollable_assets().filter(pk=asset.pk).exists():
        return ""
    poller = poller_of(asset)
    if poller is None:
        return _("pusat (Simpul sendiri)")
    return f"{poller.name} ({str(PollerHealth(health(poller, timezone.now())).label).lower()})"
