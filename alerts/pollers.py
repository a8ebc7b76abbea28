"""A remote poller the centre no longer hears from (monitoring.remote.health): ONE alert naming the poller and
the assets it holds, not one per asset, since none of them is known to be down; the recovery follows in the
same thread once the poller reports again.

It is governed by the down rule of the assets it holds: the quickest, then the most severe, of the rules that
would alert on one of them going down (alerts.decisions.poller_rule) sets its delay, severity and escalation.
Assets in maintenance or not in service count for nothing; a poller holding none that a rule watches raises
nothing, as its assets' own outages would not. Checked after every poll cycle, under the consumer's lock.
"""

from collections.abc import Callable
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from alerts.choices import ACTIVE_STATES, AlertKind
from alerts.decisions import AssetFacts, RuleFacts, poller_rule
from alerts.models import Alert
from alerts.services import alert_raise, alert_resolve
from monitoring.remote.health import silences


def watch_pollers(
    now: datetime, *, facts_of: Callable[[set[int], datetime], dict[int, AssetFacts]], rules: list[RuleFacts]
) -> tuple[int, int]:
    """Raise an alert for each newly silent poller, resolve those of pollers heard again; (raised, resolved)."""
    active = {
        alert.poller_id: alert
        for alert in Alert.objects.filter(kind=AlertKind.POLLER_SILENT, state__in=ACTIVE_STATES).select_related(
            "poller"
        )
    }
    silent = silences(now)
    raised = resolved = 0
    for silence in silent:
        if silence.poller.pk in active or not silence.asset_ids:
            continue
        rule = poller_rule(rules, facts_of(set(silence.asset_ids), now).values())
        if rule is None:
            continue
        try:
            with transaction.atomic():
                alert_raise(
                    agency_id=silence.poller.agency_id,
                    asset_id=None,
                    poller_id=silence.poller.pk,
                    kind=AlertKind.POLLER_SILENT,
                    started_at=silence.since,
                    rule=rule,
                    reason=_("poller tidak melapor; status %(count)d aset tidak diketahui")
                    % {"count": len(silence.asset_ids)},
                    now=now,
                    affected=sorted(silence.asset_ids),
                )
        except IntegrityError:  # another consumer raised it first
            continue
        raised += 1
    heard = {silence.poller.pk for silence in silent}
    for poller_id, alert in active.items():
        if poller_id in heard:
            continue
        poller = alert.poller
        back = poller.revoked_at is None  # revoked: nobody will hear from it again, nothing recovered
        alert_resolve(alert=alert, at=(poller.last_contact_at if back else None) or now, now=now, recovered=back)
        resolved += 1
    return raised, resolved
