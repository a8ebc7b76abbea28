"""OWASP API1, generated: every detail route of every API router x every role x every method, on an
object of a foreign agency. No cell may read or write across agencies.

Routes come from the routers themselves (a new viewset or action joins the matrix without touching this
file; a model without a maker below fails the completeness test). Expected per cell: a role that may
not write at all is refused before the lookup (403); every other request finds nothing (404). Agency-free
reference data (partners, standards, kind policies) has no foreign object and is left out by name.
"""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from alerts.api.urls import router as alerts_router
from alerts.models import Alert, AlertContact, AlertRule, Channel, DutyAssignment, DutyShift
from assets.api.urls import router as assets_router
from assets.models import StockItem
from assets.stock import stock_receive
from assets.stocktake import stocktake_open
from maintenance.api.urls import router as maintenance_router
from maintenance.models import CalendarFeed, PreventivePlan, WebhookEndpoint, WorkOrder
from monitoring.api.urls import router as monitoring_router
from monitoring.models import AssetState, Event, MaintenanceWindow, Outage, ProbeConfig, RadioCheck
from monitoring.remote.services import poller_create
from reports.api.urls import router as reports_router
from rollcalls.api.urls import router as rollcalls_router
from rollcalls.models import RollCallSchedule, ScheduledCall
from tests import factories

GLOBAL = {"partners", "standards", "kind-policies", "metric-profiles"}
ROLES = ["technician", "manager", "procurement", "administrator"]
BODY = {"note": "x", "resolution": "x", "text": "x", "name": "x", "description": "x", "hours": "1"}


def _foreign_objects(agency):
    """One object per routed resource, owned by `agency`; value = what the URL's lookup takes."""
    now = timezone.now()
    asset = factories.asset(agency, management_address="127.63.1.1")
    site = factories.site(agency)
    order = WorkOrder.objects.create(agency=agency, asset=asset, kind="corrective", title="x")
    shift = DutyShift.objects.create(agency=agency, name="Pagi", starts="08:00", ends="16:00")
    person = factories.user(agency)
    item = StockItem.objects.create(agency=agency, site=site, name="Baterai HT", unit_cost_idr=350_000)
    received = stock_receive(item=item, quantity=Decimal(3), by=person)
    return {
        "agencies": agency.code,
        "sites": site.pk,
        "assets": asset.pk,
        "licences": factories.licence(agency).pk,
        "status": AssetState.objects.create(asset=asset).asset_id,
        "outages": Outage.objects.create(asset=asset, started_at=now).pk,
        "events": Event.objects.create(asset=asset, at=now, kind="reboot").pk,
        "probe-configs": ProbeConfig.objects.create(asset=asset).asset_id,
        "maintenance-windows": MaintenanceWindow.objects.create(
            agency=agency, starts_at=now, ends_at=now + timedelta(hours=1), reason="x"
        ).pk,
        "radio-checks": RadioCheck.objects.create(agency=agency, held_at=now, net="VHF").pk,
        "work-orders": order.pk,
        "plans": PreventivePlan.objects.create(agency=agency, title="x", asset_kind="router", starts_on=now.date()).pk,
        "webhooks": WebhookEndpoint.objects.create(agency=agency, url="http://127.0.0.1:9/", secret="s" * 20).pk,
        "calendar-feeds": CalendarFeed.objects.create(agency=agency).pk,
        "monthly": agency.code,
        "province-map": agency.code,
        "alerts": Alert.objects.create(agency=agency, asset=asset, kind="down", summary="x", started_at=now).pk,
        "rules": AlertRule.objects.create(agency=agency, name="x", kinds=["down"]).pk,
        "shifts": shift.pk,
        "roster": DutyAssignment.objects.create(shift=shift, date=now.date(), user=person).pk,
        "channels": Channel.objects.create(agency=agency, name="x", kind="email").pk,
        "contacts": AlertContact.objects.create(user=person, phone="6281234567890").pk,
        "stock/items": item.pk,
        "stock/movements": received.pk,
        "stocktakes": stocktake_open(agency=agency, site=site, by=person).pk,
        "_checklist_item": order.checklist.create(text="x").pk,
        **_roll_call_objects(agency, now),
    }


def _roll_call_objects(agency, now):
    schedule = RollCallSchedule.objects.create(agency=agency, net="x", times=["08:00"], days=[1])
    call = ScheduledCall.objects.create(
        schedule=schedule,
        agency=agency,
        due_at=now,
        closes_at=now + timedelta(minutes=30),
        outcome="missed",
        recorded_at=now,
    )
    return {"schedules": schedule.pk, "calls": call.pk}


def _detail_cells():
    """(prefix, url template, method, name) for every detail route of every router."""
    cells = []
    for router in (
        assets_router,
        monitoring_router,
        maintenance_router,
        alerts_router,
        reports_router,
        rollcalls_router,
    ):
        for prefix, viewset, _basename in router.registry:
            if prefix in GLOBAL:
                continue
            for route in router.get_routes(viewset):
                if not route.detail:
                    continue
                for method, action in route.mapping.items():
                    if hasattr(viewset, action) and method in viewset.http_method_names:
                        cells.append((prefix, route.url, method, action))
    return cells


CELLS = _detail_cells()


API_ROOTS = {
    **{prefix: "/api/" for prefix, _v, _b in assets_router.registry},
    **{prefix: "/api/monitoring/" for prefix, _v, _b in monitoring_router.registry},
    **{prefix: "/api/maintenance/" for prefix, _v, _b in maintenance_router.registry},
    **{prefix: "/api/reports/" for prefix, _v, _b in reports_router.registry},
    **{prefix: "/api/alerts/" for prefix, _v, _b in alerts_router.registry},
    **{prefix: "/api/rollcalls/" for prefix, _v, _b in rollcalls_router.registry},
}


def _url(prefix: str, template: str, objects: dict) -> str:
    """A router's URL template filled with the foreign object's lookup (and its checklist item)."""
    path = template.strip("^$").format(prefix=prefix, lookup=objects[prefix], trailing_slash="/")
    path = re.sub(r"\(\?P<item_id>[^)]*\)", str(objects["_checklist_item"]), path)
    return API_ROOTS[prefix] + path


def test_the_matrix_covers_every_routed_resource(tree):
    objects = _foreign_objects(tree["63.01"])
    assert {prefix for prefix, *_ in CELLS} <= set(objects), "a new resource needs a maker in _foreign_objects"
    assert len(CELLS) >= 50


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("user_code", ["64", "64.01"])
def test_no_cross_agency_read_or_write_anywhere(tree, client_for, role, user_code):
    client = client_for(tree[user_code], role)
    objects = _foreign_objects(tree["63.01"])
    reader = role in ("manager", "procurement")
    wrong = []
    for prefix, template, method, action in CELLS:
        url = _url(prefix, template, objects)
        response = getattr(client, method)(url, BODY, format="json") if method != "get" else client.get(url)
        # Reports are acknowledged by managers; alerts by whoever is told of them, managers included; finished
        # work orders are reopened by dispatchers, managers included; stocktakes are signed off by managers, so
        # the sign-off looks the count up before it asks who signs.
        uses_role_permission = (
            prefix != "monthly" and not (action in ("acknowledge", "reopen") and role == "manager") and action != "sign"
        )
        expected = 403 if (reader and method not in ("get", "head", "options") and uses_role_permission) else 404
        if response.status_code != expected:
            wrong.append(f"{method.upper()} {url} ({action}): {response.status_code}, expected {expected}")
    assert not wrong, "\n".join(wrong)


POLLER_ROUTES = [("get", "/api/pollers/assignment/"), ("post", "/api/pollers/results/")]


@pytest.mark.parametrize("role", ROLES)
def test_no_user_opens_a_poller_route_and_no_poller_token_a_user_route(tree, client_for, role):
    """Remote pollers' routes answer only their own bearer tokens; those tokens open nothing else."""
    client = client_for(tree["64"], role)
    for method, url in POLLER_ROUTES:
        assert getattr(client, method)(url, {"results": []}, format="json").status_code == 401, url
    objects = _foreign_objects(tree["63.01"])
    _poller, token = poller_create(name="Poller", agency=tree["63.01"])  # the objects' own agency
    poller = APIClient()
    poller.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    wrong = []
    for prefix, template, method, action in CELLS:
        url = _url(prefix, template, objects)
        response = getattr(poller, method)(url, BODY, format="json") if method != "get" else poller.get(url)
        if response.status_code != 401:
            wrong.append(f"{method.upper()} {url} ({action}): {response.status_code}, expected 401")
    assert not wrong, "\n".join(wrong)
