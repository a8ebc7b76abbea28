"""Who uses which page. A page view names its audience with `page_for(rule)`: the view refuses everyone else
(403), and the header (simpul.navigation) links the page only to users the same rule admits, so what a person
is offered and what they may open cannot drift apart.

A rule is one of the permission rules the API and the pages already share (accounts.scoping,
maintenance.dispatch), or one of the two role audiences below, for pages no write permission decides.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from accounts.choices import Role

Rule = Callable[..., bool]


def logged_in(user) -> bool:
    """Pages every role reads within its scope (the dashboard, alerts, stock, labels)."""
    return user.is_authenticated


def in_operations(user) -> bool:
    """Technicians, managers and administrators keep the network running and report on it; procurement plans
    purchases. Dispatching (maintenance.dispatch) and acknowledging alerts (alerts.selectors) follow it too."""
    return user.is_authenticated and (user.is_superuser or user.role != Role.PROCUREMENT)


def plans_purchases(user) -> bool:
    """Procurement, managers and administrators read what is missing and what lapses; technicians do the work."""
    return user.is_authenticated and (
        user.is_superuser or user.role in {Role.PROCUREMENT, Role.MANAGER, Role.ADMINISTRATOR}
    )


def page_for(rule: Rule, refusal: str | None = None):
    """Decorate a page view: anonymous users go to the login page, users `rule` refuses get a 403 (saying
    `refusal`, if given). The rule stays on the view as `may_use`, for the navigation."""

    def decorate(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if not rule(request.user):
                raise PermissionDenied(str(refusal or ""))
            return view(request, *args, **kwargs)

        page = login_required(guarded)
        page.may_use = rule
        return page

    return decorate
