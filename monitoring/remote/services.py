"""Making, rotating and revoking remote pollers; each returns the new token, the only time it is shown."""

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from assets.models import Agency, Site
from monitoring.choices import PollerScope
from monitoring.models import Poller, PollerSite
from monitoring.remote.tokens import new_token, token_hash


@transaction.atomic
def poller_create(*, name: str, agency: Agency, sites: Sequence[Site] = ()) -> tuple[Poller, str]:
    """A poller for the whole agency, or for `sites` (of that agency) when given; returns it and its token."""
    token = new_token()
    poller = Poller(
        name=name, agency=agency, scope=PollerScope.SITES if sites else PollerScope.AGENCY, token_hash=token_hash(token)
    )
    poller.full_clean()
    poller.save()
    for site in sites:
        link = PollerSite(poller=poller, site=site)
        link.full_clean()
        link.save()
    return poller, token


def poller_rotate(*, poller: Poller) -> str:
    """A new token for `poller` (also one that was revoked): the old one stops working at once."""
    token = new_token()
    poller.token_hash, poller.revoked_at = token_hash(token), None
    poller.full_clean()
    poller.save(update_fields=["token_hash", "revoked_at"])
    return token


def poller_revoke(*, poller: Poller) -> None:
    """The token stops working and the poller's assets go back to the central poller."""
    poller.revoked_at = timezone.now()
    poller.save(update_fields=["revoked_at"])
