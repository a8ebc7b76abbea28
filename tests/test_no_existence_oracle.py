"""No answer tells whether another agency's row or account exists: a foreign reference reads exactly as
one to nothing (issue 9, item 10)."""

import pytest
from django.db.models import Max

from assets.models import Asset, Site
from maintenance.models import PreventivePlan, WorkOrder
from tests import factories


@pytest.fixture
def order(tree):
    return WorkOrder.objects.create(
        agency=tree["64.01"], kind="corrective", title="Antena", site=factories.site(tree["64.01"])
    )


def test_assign_answers_the_same_for_a_foreign_account_and_for_nobody(tree, client_for, order):
    client = client_for(tree["64.01"], "technician")
    factories.user(tree["63.01"], "technician", username="teknisi-kalsel")
    factories.user(tree["64"], "technician", username="teknisi-provinsi")  # visible agency, not the order's
    factories.user(tree["64.01"], "manager", username="manajer-paser")  # the order's agency, not a technician
    url = f"/api/maintenance/work-orders/{order.pk}/assign/"
    answers = {}
    for username in ("tidak-ada-orangnya", "teknisi-kalsel", "teknisi-provinsi", "manajer-paser"):
        response = client.post(url, {"assignee": username}, format="json")
        assert response.status_code == 400
        answers[username] = response.json()["assignee"][0].replace(username, "<name>")
    assert len(set(answers.values())) == 1, answers
    order.refresh_from_db()
    assert order.assignee is None and order.status == "open"
    own = factories.user(tree["64.01"], "technician", username="teknisi-paser")
    assigned = client.post(url, {"assignee": own.username}, format="json")
    assert assigned.status_code == 200 and assigned.json()["assignee"] == "teknisi-paser"


@pytest.mark.parametrize(
    ("route", "param", "model"),
    [
        ("/api/assets/", "site", Site),
        ("/api/assets/", "owner_partner", None),
        ("/api/maintenance/work-orders/", "asset", Asset),
        ("/api/maintenance/work-orders/", "site", Site),
        ("/api/maintenance/work-orders/", "plan", PreventivePlan),
        ("/api/maintenance/plans/", "asset", Asset),
        ("/api/monitoring/maintenance-windows/", "asset", Asset),
        ("/api/monitoring/maintenance-windows/", "site", Site),
        ("/api/monitoring/probe-configs/", "depends_on", Asset),
    ],
)
def test_a_filter_on_a_foreign_row_reads_as_one_on_nothing(tree, client_for, route, param, model):
    client = client_for(tree["64.01"], "administrator")
    foreign = factories.one_of_each(tree["63.01"], pk=9001, by=factories.user(tree["63.01"]))
    row = foreign["partner"] if model is None else model.objects.get(pk=9001)
    nobody = (type(row).objects.aggregate(top=Max("pk"))["top"] or 0) + 1000
    on_foreign, on_nothing = client.get(route, {param: row.pk}), client.get(route, {param: nobody})
    assert (on_foreign.status_code, on_foreign.json()["results"]) == (200, [])
    assert (on_nothing.status_code, on_nothing.json()["results"]) == (200, [])


@pytest.mark.parametrize("value", ["abc", "0", "-1", "1.5", str(2**63)])
def test_an_id_filter_that_is_no_id_is_a_400_naming_it(tree, client_for, value):
    response = client_for(tree["64.01"], "administrator").get("/api/assets/", {"site": value})
    assert response.status_code == 400 and "site" in response.json()
