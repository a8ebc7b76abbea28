"""Dispatch pages through Django's test client: a new order prefilled from where it starts, assigned to a
technician of the agency or left to the default assignee; the board, overdue first; preventive plans;
who may dispatch (managers, administrators, whoever is on duty) and scoping."""

from datetime import timedelta

import pytest
from django.utils import timezone

from maintenance.models import AgencyMaintenanceSettings, PreventivePlan, WorkOrder
from maintenance.services import work_order_create
from monitoring.models import Outage
from tests import factories


@pytest.fixture
def manager(paser):
    return factories.user(paser, "manager", username="manajer-paser")


@pytest.fixture
def outage(repeater):
    return Outage.objects.create(asset=repeater, started_at=timezone.now() - timedelta(hours=2), cause="Tidak ada ping")


@pytest.fixture
def template(paser):
    return PreventivePlan.objects.create(
        agency=paser,
        title="Repeater bulanan",
        asset_kind="repeater",
        starts_on=timezone.localdate(),
        checklist=["Ukur SWR", "Cek baterai"],
    )


def _form(**fields) -> dict:
    base = {"title": "x", "kind": "corrective", "priority": "normal", "description": "", "checklist": ""}
    return {**base, **{k: ("" if v is None else v) for k, v in fields.items()}}


def test_a_manager_dispatches_from_an_outage_prefilled(client, manager, outage, repeater, technician, template):
    client.force_login(manager)
    url = f"/maintenance/orders/new/?outage={outage.pk}"
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["title"] == "Gangguan: Repeater Gunung" and form.initial["asset"] == repeater
    assert form.initial["priority"] == "high" and "Tidak ada ping" in form.initial["description"]
    due = timezone.localdate() + timedelta(days=2)
    body = _form(
        title="Gangguan: Repeater Gunung",
        asset=repeater.pk,
        assignee=technician.pk,
        due_date=due.isoformat(),
        priority="urgent",
        template=template.pk,
        checklist="Foto sesudah",
    )
    response = client.post(url, body)
    order = WorkOrder.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/maintenance/orders/{order.pk}/"
    assert (order.status, order.assignee, order.due_date, order.priority) == ("assigned", technician, due, "urgent")
    assert list(order.outages.all()) == [outage] and order.reporter == manager
    assert list(order.checklist.values_list("text", flat=True)) == ["Ukur SWR", "Cek baterai", "Foto sesudah"]
    again = client.get(url).content.decode()
    assert f"#{order.pk} Gangguan: Repeater Gunung" in again  # the outage already has an order


def test_unassigned_goes_to_the_agencys_default_assignee(client, manager, paser, repeater, technician):
    AgencyMaintenanceSettings.objects.create(agency=paser, default_assignee=technician)
    client.force_login(manager)
    page = client.get(f"/maintenance/orders/new/?asset={repeater.pk}").content.decode()
    assert "Petugas bawaan instansi: teknisi-paser" in page
    client.post(f"/maintenance/orders/new/?asset={repeater.pk}", _form(title="Inspeksi", asset=repeater.pk))
    order = WorkOrder.objects.get()
    assert order.assignee == technician and order.status == "assigned"


def test_bad_input_is_shown_beside_the_field_and_writes_nothing(client, manager, repeater, tree):
    outsider = factories.user(tree["64.72"], "technician")
    client.force_login(manager)
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post(
        "/maintenance/orders/new/", _form(title="", assignee=outsider.pk, due_date=yesterday, checklist="")
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"title", "assignee", "due_date", "asset"}
    assert "errorlist" in response.content.decode()
    assert not WorkOrder.objects.exists()


def test_who_may_dispatch(client, paser, repeater, tree, technician):
    from alerts.models import DutyAssignment, DutyShift

    url = f"/maintenance/orders/new/?asset={repeater.pk}"
    client.force_login(technician)
    assert client.get(url).status_code == 403
    now = timezone.localtime()
    shift = DutyShift.objects.create(agency=paser, name="Sepanjang hari", starts="00:00", ends="00:00")
    DutyAssignment.objects.create(shift=shift, date=now.date(), user=technician)
    assert client.get(url).status_code == 200  # on duty now
    client.force_login(factories.user(paser, "procurement"))
    assert client.get(url).status_code == 403
    client.force_login(factories.user(tree["64"], "administrator"))
    assert client.get(url).status_code == 200  # the province's administrator writes its regencies
    client.force_login(factories.user(tree["64.72"], "manager"))
    assert client.get(url).status_code == 404  # another agency's asset is not found
    assert client.get("/maintenance/orders/new/?outage=abc").status_code == 404


def test_the_board_puts_overdue_first(client, manager, paser, repeater, tree):
    today = timezone.localdate()

    def order(title, due, **extra):
        return work_order_create(
            reporter=None, agency=paser, asset=repeater, kind="corrective", title=title, due_date=due, **extra
        )

    order("Tanpa tenggat", None)
    order("Minggu depan", today + timedelta(days=7))
    order("Besok", today + timedelta(days=1))
    order("Telat dua hari", today - timedelta(days=2))
    order("Telat seminggu", today - timedelta(days=7))
    WorkOrder.objects.filter(title="Besok").update(status="cancelled")
    work_order_create(
        reporter=None, agency=tree["64.72"], site=factories.site(tree["64.72"]), kind="corrective", title="Tetangga"
    )
    client.force_login(manager)
    response = client.get("/maintenance/board/")
    board = response.context["board"]
    assert [o.title for o in board["overdue"]] == ["Telat seminggu", "Telat dua hari"]
    [open_column] = [c for c in board["columns"] if c["status"] == "open"]
    assert [o.title for o in open_column["orders"]] == [
        "Telat seminggu",
        "Telat dua hari",
        "Minggu depan",
        "Tanpa tenggat",
    ]
    page = response.content.decode()
    assert "2 lewat tenggat dari 4 perintah kerja terbuka" in page and "Tetangga" not in page


def test_preventive_plans_from_the_web(client, manager, paser, repeater, tree):
    client.force_login(manager)
    bad = client.post(
        "/maintenance/plans/new/",
        {
            "title": "Cek",
            "every": "1",
            "unit": "months",
            "starts_on": timezone.localdate().isoformat(),
            "lead_days": "7",
        },
    )
    assert bad.status_code == 400 and "asset" in bad.context["form"].errors  # neither an asset nor a kind
    foreign = factories.asset(tree["64.72"], name="Radio tetangga")
    refused = client.post(
        "/maintenance/plans/new/",
        {
            "title": "Cek",
            "asset": foreign.pk,
            "every": "1",
            "unit": "months",
            "starts_on": timezone.localdate().isoformat(),
            "lead_days": "7",
            "priority": "normal",
        },
    )
    assert refused.status_code == 400 and "asset" in refused.context["form"].errors
    created = client.post(
        "/maintenance/plans/new/",
        {
            "title": "Repeater bulanan",
            "asset_kind": "repeater",
            "every": "1",
            "unit": "months",
            "starts_on": timezone.localdate().isoformat(),
            "lead_days": "7",
            "priority": "normal",
            "checklist_text": "Ukur SWR\n\nCek baterai\n",
        },
    )
    plan = PreventivePlan.objects.get()
    assert created.status_code == 302 and plan.checklist == ["Ukur SWR", "Cek baterai"] and plan.agency == paser

    from maintenance.scheduler import schedule_maintenance

    schedule_maintenance(today=timezone.localdate())
    detail = client.get(f"/maintenance/plans/{plan.pk}/").content.decode()
    assert "Repeater Gunung" in detail and "Hentikan sementara" in detail
    client.post(f"/maintenance/plans/{plan.pk}/toggle/")
    plan.refresh_from_db()
    assert not plan.active
    listing = client.get("/maintenance/plans/").content.decode()
    assert "0 aktif dari 1 rencana" in listing and "1 perintah kerja dibuat" in listing

    client.force_login(factories.user(tree["64.72"], "manager"))
    assert client.get(f"/maintenance/plans/{plan.pk}/").status_code == 404
    assert client.post(f"/maintenance/plans/{plan.pk}/toggle/").status_code == 404
    client.force_login(factories.user(paser, "technician"))
    assert client.post(f"/maintenance/plans/{plan.pk}/toggle/").status_code == 403


def test_another_agencys_order_is_404_for_every_page_action(client, paser, repeater, tree):
    order = work_order_create(reporter=None, agency=paser, asset=repeater, kind="corrective", title="Antena")
    client.force_login(factories.user(tree["64.72"], "manager"))
    assert client.get(f"/maintenance/orders/{order.pk}/").status_code == 404
    for action in ("reopen", "assign", "tick", "finish"):
        assert client.post(f"/maintenance/orders/{order.pk}/{action}/", {"note": "x"}).status_code == 404


def test_a_manager_assigns_an_open_order_only_to_the_agencys_technicians(client, manager, paser, repeater, tree):
    order = work_order_create(reporter=None, agency=paser, asset=repeater, kind="corrective", title="Antena")
    outsider = factories.user(tree["64.72"], "technician")
    own = factories.user(paser, "technician")
    client.force_login(manager)
    refused = client.post(f"/maintenance/orders/{order.pk}/assign/", {"assignee": outsider.pk})
    assert refused.status_code == 400 and refused.context["assign_form"].errors["assignee"]
    client.post(f"/maintenance/orders/{order.pk}/assign/", {"assignee": own.pk})
    order.refresh_from_db()
    assert order.assignee == own and order.status == "assigned"


def test_the_alert_page_links_to_dispatch(client, manager, paser, repeater):
    from alerts.models import Alert

    alert = Alert.objects.create(
        agency=paser, asset=repeater, kind="down", summary="Repeater Gunung mati", started_at=timezone.now()
    )
    client.force_login(manager)
    page = client.get(f"/alerts/{alert.pk}/").content.decode()
    assert f"/maintenance/orders/new/?alert={alert.pk}" in page
    form = client.get(f"/maintenance/orders/new/?alert={alert.pk}").context["form"]
    assert form.initial["title"] == "Repeater Gunung mati" and form.initial["asset"] == repeater
