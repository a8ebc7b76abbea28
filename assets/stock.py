"""Spare-part stock: every change of a quantity is one movement, written with the new quantity in one
transaction under a row lock, so two technicians issuing the last part at once get one part and one refusal,
and a quantity never goes below zero (the database's check constraint is the last guard)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils.translation import gettext as _

from assets.choices import StockMovementKind
from assets.models import Asset, Site, StockItem, StockMovement


def below_minimum(items: QuerySet) -> QuerySet:
    """Items with less on the shelf than their minimum: procurement's restocking list."""
    return items.filter(quantity__lt=F("minimum"))


def restock_cost_idr(item: StockItem) -> int:
    """What bringing the item back up to its minimum costs, in whole rupiah."""
    return int((item.shortfall * item.unit_cost_idr).to_integral_value())


def _positive(quantity: Decimal) -> Decimal:
    if quantity is None or quantity <= 0:
        raise ValidationError({"quantity": _("Jumlah harus lebih dari nol.")})
    return quantity


def _move(item: StockItem, delta: Decimal, kind: str, *, by, **links) -> StockMovement:
    """Apply `delta` to the item under a row lock and record it; refuse a shelf that would go negative.
    Call inside a transaction (the services are atomic)."""
    locked = StockItem.objects.select_for_update().get(pk=item.pk)
    balance = locked.quantity + delta
    if balance < 0:
        raise ValidationError(
            {
                "quantity": _("Stok %(name)s tidak cukup: tersisa %(left)s %(unit)s.")
                % {"name": locked.name, "left": _number(locked.quantity), "unit": locked.unit}
            }
        )
    locked.quantity = balance
    locked.save(update_fields=["quantity"])
    item.quantity = balance
    return StockMovement.objects.create(item=locked, kind=kind, quantity=delta, balance=balance, by=by, **links)


def _number(value: Decimal) -> str:
    """A quantity as people write it in Indonesian: 2 or 2,5."""
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


@transaction.atomic
def stock_receive(*, item: StockItem, quantity: Decimal, by, reason: str = "") -> StockMovement:
    """Parts delivered to the warehouse (from procurement)."""
    return _move(item, _positive(quantity), StockMovementKind.RECEIVED, by=by, reason=reason)


@transaction.atomic
def stock_issue(
    *, item: StockItem, quantity: Decimal, by, work_order=None, asset: Asset | None = None, reason: str = ""
) -> StockMovement:
    """Parts taken off the shelf for a work order or an asset. Issued to a work order, the order gets a part
    line in the same transaction, so the order's parts and the stock never disagree."""
    _positive(quantity)
    if work_order is None and asset is None:
        raise ValidationError({"work_order": _("Sebutkan perintah kerja atau aset yang memakai barang ini.")})
    if work_order is not None and work_order.agency_id != item.agency_id:
        raise ValidationError({"work_order": _("Perintah kerja ini milik instansi lain.")})
    if asset is not None and asset.agency_id != item.agency_id:
        raise ValidationError({"asset": _("Aset ini milik instansi lain.")})
    if work_order is not None and asset is None:
        asset = work_order.asset
    movement = _move(
        item, -quantity, StockMovementKind.ISSUED, by=by, work_order=work_order, asset=asset, reason=reason
    )
    if work_order is not None:
        # Imported here: stock is an asset-side noun that maintenance draws on, not the other way round.
        from maintenance.models import PartLine

        PartLine.objects.create(
            work_order=work_order, name=item.name, quantity=quantity, unit_cost_idr=item.unit_cost_idr
        )
    return movement


@transaction.atomic
def stock_transfer(*, item: StockItem, to_site: Site, quantity: Decimal, by, reason: str = "") -> StockMovement:
    """Parts sent to another warehouse, of this agency or another (the province supplies its regencies):
    taken here and added there, to the item of the same name (created when the site has none)."""
    _positive(quantity)
    if to_site.pk == item.site_id:
        raise ValidationError({"to_site": _("Gudang tujuan sama dengan gudang asal.")})
    # Lock in primary-key order, so two transfers in opposite directions cannot deadlock.
    target, created = StockItem.objects.get_or_create(
        site=to_site,
        name=item.name,
        defaults={
            "agency_id": to_site.agency_id,
            "kind": item.kind,
            "unit": item.unit,
            "unit_cost_idr": item.unit_cost_idr,
        },
    )
    if not created and target.unit != item.unit:
        message = _("Di gudang tujuan %(name)s dicatat dalam %(unit)s.") % {"name": item.name, "unit": target.unit}
        raise ValidationError({"to_site": message})
    list(StockItem.objects.select_for_update().filter(pk__in=[item.pk, target.pk]).order_by("pk"))
    out = _move(item, -quantity, StockMovementKind.TRANSFER_OUT, by=by, reason=reason)
    into = _move(target, quantity, StockMovementKind.TRANSFER_IN, by=by, reason=reason, counterpart=out)
    out.counterpart = into
    out.save(update_fields=["counterpart"])
    return out


@transaction.atomic
def stock_adjust(*, item: StockItem, quantity: Decimal, by, reason: str) -> StockMovement:
    """A correction after a count, up or down (`quantity` is the signed change); the reason is required."""
    if not reason.strip():
        raise ValidationError({"reason": _("Tuliskan alasan penyesuaian.")})
    if quantity is None or quantity == 0:
        raise ValidationError({"quantity": _("Perubahan jumlah tidak boleh nol.")})
    return _move(item, quantity, StockMovementKind.ADJUSTED, by=by, reason=reason)


@transaction.atomic
def stock_write_off(*, item: StockItem, quantity: Decimal, by, reason: str) -> StockMovement:
    """Parts broken, expired or lost: taken off the books with the reason."""
    _positive(quantity)
    if not reason.strip():
        raise ValidationError({"reason": _("Tuliskan alasan penghapusan.")})
    return _move(item, -quantity, StockMovementKind.WRITTEN_OFF, by=by, reason=reason)
