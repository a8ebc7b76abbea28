"""A scheduled radio roll call that nobody recorded within its window (rollcalls flags it).

The agency's duty officer hears of it as a warning: the operator on duty runs the call, so the roster is
who must know, and no rule is needed to ask for it. There is nothing to recover from: acknowledging it
closes it, as with a reboot.
"""

from datetime import datetime

from django.utils.translation import gettext as _

from alerts.choices import AlertKind, Severity
from alerts.models import Alert
from alerts.services import alert_raise


def raise_missed_roll_call(*, agency_id: int, net: str, due_at: datetime, now: datetime) -> Alert:
    return alert_raise(
        agency_id=agency_id,
        asset_id=None,
        kind=AlertKind.MISSED_ROLL_CALL,
        started_at=due_at,
        rule=None,
        reason=_("%(net)s tidak dicatat dalam jendelanya") % {"net": net},
        now=now,
        severity=Severity.WARNING,
    )
