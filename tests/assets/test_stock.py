"""Spare-part stock: arithmetic of every movement, the below-minimum flag procurement reads, refusals that write
nothing, parts issued to a work order becoming its part lines, transfers to a regency, scoping, and two
technicians issuing the last part at once on PostgreSQL."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection

from accounts.choices import Role
from assets import stock
from assets.choices import SiteKind
from assets.models import StockItem, StockMovement
from maintenance.models import PartLine, WorkOrder
from tests import factories


@pytest.fixture
def paser(tree):
    return tree["64.01"]


@pytest.fixture
def warehouse(paser):
    return factories.site(paser, name="Gudang Logistik", kind=SiteKind.WAREHOUSE)


@pytest.fixture
def technician(paser, client_for):
    return client_for(paser)


def _item(site, **fields) -> StockItem:
    values = {"name": "Baterai HT", "unit": "buah", "minimum": Decimal(4), "unit_cost_idr": 350_000}
    return StockItem.objects.create(agency=site.agency, site=site, **(values | fields))


def _order(agency, by, **fields) -> WorkOrder:
    fields.setdefault("asset", factories.radio(agency))
    return WorkOrder.objects.create(agency=agency, kind="corrective", title="Ganti baterai HT", reporter=by, **fields)


def test_movements_add_up_and_keep_their_history(warehouse, paser):
    by = factories.user(paser)
    item = _item(warehouse)
    stock.stock_receive(item=item, quantity=Decimal(10), by=by, reason="SPK 12/2026")
    stock.stock_issue(item=item, quantity=Decimal(3), asset=factories.radio(paser), by=by)
    stock.stock_adjust(item=item, quantity=Decimal(-1), by=by, reason="Hitung ulang")
    stock.stock_write_off(item=item, quantity=Decimal("1.5"), by=by, reason="Bocor")
    item.refresh_from_db()
    assert item.quantity == Decimal("4.5")
    history = list(item.movements.order_by("id").values_list("kind", "quantity", "balance"))
    assert history == [
        ("received", Decimal(10), Decimal(10)),
        ("issued", Decimal(-3), Decimal(7)),
        ("adjusted", Decimal(-1), Decimal(6)),
        ("written_off", Decimal("-1.5"), Decimal("4.5")),
    ]
    assert sum(quantity for _, quantity, _ in history) == item.quantity
    assert all(m.by == by and m.at is not None for m in item.movements.all())


def test_below_minimum_is_flagged_with_its_restocking_cost(warehouse, paser):
    by = factories.user(paser)
    short = _item(warehouse)
    stock.stock_receive(item=short, quantity=Decimal(1), by=by)
    full = _item(warehouse, name="Konektor N", minimum=Decimal(2), unit_cost_idr=50_000)
    stock.stock_receive(item=full, quantity=Decimal(2), by=by)  # at the minimum is not below it
    short.refresh_from_db()
    full.refresh_from_db()
    assert short.below_minimum and short.shortfall == 3 and stock.restock_cost_idr(short) == 1_050_000
    assert not full.below_minimum and stock.restock_cost_idr(full) == 0
    assert list(stock.below_minimum(StockItem.objects.all())) == [short]


def test_a_movement_that_would_go_negative_is_refused_and_writes_nothing(warehouse, paser):
    by = factories.user(paser)
    item = _item(warehouse)
    stock.stock_receive(item=item, quantity=Decimal(2), by=by)
    order = _order(paser, by)
    with pytest.raises(ValidationError) as refused:
        stock.stock_issue(item=item, quantity=Decimal(3), work_order=order, by=by)
    assert refused.value.message_dict == {"quantity": ["Stok Baterai HT tidak cukup: tersisa 2 buah."]}
    item.refresh_from_db()
    assert item.quantity == 2
    assert item.movements.count() == 1 and not PartLine.objects.exists()


def test_a_transfer_short_of_stock_does_not_leave_the_target_item_behind(warehouse, paser, tree):
    by = factories.user(paser)
    item = _item(warehouse)
    other = factories.site(paser, name="Pos Lapangan", kind=SiteKind.FIELD_POST)
    with pytest.raises(ValidationError):
        stock.stock_transfer(item=item, to_site=other, quantity=Decimal(1), by=by)
    assert not StockItem.objects.filter(site=other).exists() and not StockMovement.objects.exists()


def test_issue_to_a_work_order_becomes_its_part_line(warehouse, paser):
    by = factories.user(paser)
    item = _item(warehouse)
    stock.stock_receive(item=item, quantity=Decimal(5), by=by)
    radio = factories.radio(paser)
    order = _order(paser, by, asset=radio)
    movement = stock.stock_issue(item=item, quantity=Decimal(2), work_order=order, by=by)
    assert movement.asset == radio  # the part goes into the order's asset
    line = order.parts.get()
    assert (line.name, line.quantity, line.unit_cost_idr, line.total_idr) == ("Baterai HT", 2, 350_000, 700_000)


def test_province_supplies_a_regency_warehouse(tree):
    province, regency = tree["64"], tree["64.01"]
    by = factories.user(province)
    source = _item(factories.site(province, name="Gudang Provinsi", kind=SiteKind.WAREHOUSE))
    target_site = factories.site(regency, name="Gudang Logistik", kind=SiteKind.WAREHOUSE)
    stock.stock_receive(item=source, quantity=Decimal(6), by=by)
    out = stock.stock_transfer(item=source, to_site=target_site, quantity=Decimal(4), by=by)
    target = StockItem.objects.get(site=target_site, name="Baterai HT")
    assert (target.agency, target.quantity, target.unit_cost_idr) == (regency, 4, 350_000)
    source.refresh_from_db()
    assert source.quantity == 2
    assert out.counterpart.item == target and out.counterpart.counterpart == out
    assert (out.kind, out.counterpart.kind) == ("transfer_out", "transfer_in")


def test_api_movements_and_their_refusals(technician, warehouse, paser):
    created = technician.post(
        "/api/stock/items/",
        {"site": warehouse.pk, "name": "Baterai HT", "unit": "buah", "minimum": "4", "unit_cost_idr": 350_000},
        format="json",
    )
    assert created.status_code == 201, created.content
    item = created.json()
    assert (item["agency"], item["quantity"], item["below_minimum"], item["restock_cost_idr"]) == (
        "64.01",
        "0.00",
        True,
        1_400_000,
    )
    url = f"/api/stock/items/{item['id']}"
    received = technician.post(f"{url}/receive/", {"quantity": "5", "reason": "SPK 12"}, format="json")
    assert received.status_code == 201 and received.json()["balance"] == "5.00"
    assert received.json()["by"] == technician.user.username

    order = _order(paser, technician.user)
    for body, field in (
        ({"quantity": "6", "work_order": order.pk}, "quantity"),  # more than the shelf holds
        ({"quantity": "0", "work_order": order.pk}, "quantity"),
        ({"quantity": "-1", "work_order": order.pk}, "quantity"),
        ({"quantity": 1, "work_order": order.pk}, "quantity"),  # a number where the schema says text
        ({"quantity": "1"}, "work_order"),  # issued to nothing
        ({"quantity": "1", "work_order": 999_999}, "work_order"),
    ):
        refused = technician.post(f"{url}/issue/", body, format="json")
        assert refused.status_code == 400 and field in refused.json(), (body, refused.content)
    assert technician.post(f"{url}/adjust/", {"quantity": "1"}, format="json").json().keys() == {"reason"}
    assert technician.get(url + "/").json()["quantity"] == "5.00"
    assert StockMovement.objects.count() == 1 and not PartLine.objects.exists()

    issued = technician.post(f"{url}/issue/", {"quantity": "2", "work_order": order.pk}, format="json")
    assert issued.status_code == 201 and issued.json()["work_order"] == order.pk
    assert order.parts.get().quantity == 2
    # The quantity is not written by hand, nor the shelf moved by an edit.
    patched = technician.patch(url + "/", {"quantity": "99", "minimum": "4"}, format="json")
    assert patched.status_code == 200 and patched.json()["quantity"] == "3.00"
    moved = technician.patch(url + "/", {"site": factories.site(paser).pk}, format="json")
    assert moved.status_code == 400 and "site" in moved.json()
    history = technician.get(f"/api/stock/movements/?item={item['id']}").json()["results"]
    assert [m["kind"] for m in history] == ["issued", "received"]
    listed = technician.get("/api/stock/items/?below_minimum=true").json()
    assert [row["id"] for row in listed["results"]] == [item["id"]]
    assert technician.get("/api/stock/items/?below_minimum=false").json()["count"] == 0
    assert technician.get("/api/stock/items/?below_minimum=maybe").status_code == 400


def test_another_agencys_stock_is_not_found(tree, client_for):
    foreign_site = factories.site(tree["63.01"], name="Gudang Logistik", kind=SiteKind.WAREHOUSE)
    foreign = _item(foreign_site)
    own = _item(factories.site(tree["64.01"], name="Gudang Logistik", kind=SiteKind.WAREHOUSE))
    stock.stock_receive(item=foreign, quantity=Decimal(3), by=factories.user(tree["63.01"]))
    stock.stock_receive(item=own, quantity=Decimal(3), by=factories.user(tree["64.01"]))
    technician = client_for(tree["64.01"])
    assert technician.get(f"/api/stock/items/{foreign.pk}/").status_code == 404
    assert technician.post(f"/api/stock/items/{foreign.pk}/issue/", {"quantity": "1"}, format="json").status_code == 404
    assert [row["id"] for row in technician.get("/api/stock/items/").json()["results"]] == [own.pk]
    assert technician.get("/api/stock/movements/").json()["count"] == 1
    # Another agency's warehouse or work order named in a body reads as unknown.
    to_foreign = technician.post(
        f"/api/stock/items/{own.pk}/transfer/", {"quantity": "1", "to_site": foreign_site.pk}, format="json"
    )
    assert to_foreign.status_code == 400 and "to_site" in to_foreign.json()
    foreign_order = _order(tree["63.01"], factories.user(tree["63.01"]))
    issued = technician.post(
        f"/api/stock/items/{own.pk}/issue/", {"quantity": "1", "work_order": foreign_order.pk}, format="json"
    )
    assert issued.status_code == 400 and "work_order" in issued.json()
    # A manager reads but does not move stock; a province manager sees the regency's shelf.
    manager = client_for(tree["64"], Role.MANAGER)
    assert manager.get(f"/api/stock/items/{own.pk}/").status_code == 200
    assert manager.post(f"/api/stock/items/{own.pk}/receive/", {"quantity": "1"}, format="json").status_code == 403
    own.refresh_from_db()
    assert own.quantity == 3


@pytest.mark.django_db(transaction=True)
def test_two_technicians_issuing_the_last_part_at_once_get_one_part(tree):
    """On PostgreSQL both requests reach the row at once; the row lock lets one through and refuses the other."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite writes one transaction at a time: there is no race to lose")
    paser = tree["64.01"]
    item = _item(factories.site(paser, name="Gudang Logistik", kind=SiteKind.WAREHOUSE))
    by = factories.user(paser)
    stock.stock_receive(item=item, quantity=Decimal(1), by=by)
    orders = [_order(paser, by), _order(paser, by)]
    start = threading.Barrier(2)
    outcomes = []

    def issue(order):
        try:
            start.wait()
            stock.stock_issue(item=StockItem.objects.get(pk=item.pk), quantity=Decimal(1), work_order=order, by=by)
            outcomes.append("issued")
        except ValidationError as error:
            outcomes.append(error.message_dict["quantity"][0])
        finally:
            close_old_connections()

    threads = [threading.Thread(target=issue, args=(order,)) for order in orders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["Stok Baterai HT tidak cukup: tersisa 0 buah.", "issued"]
    item.refresh_from_db()
    assert item.quantity == 0 and PartLine.objects.count() == 1
    assert list(item.movements.values_list("balance", flat=True)) == [Decimal(0), Decimal(1)]
