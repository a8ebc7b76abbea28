"""Demo spare-part stock for the Kaltim seed: the same shelf in every agency's "Gudang Logistik", stocked
unevenly so that some agencies fall below their minimum and procurement has a list to read. Safe to re-run."""

from decimal import Decimal

from django.db import transaction

from assets.choices import AssetKind
from assets.models import Agency, StockItem
from assets.stock import stock_receive

# name, kind it spares, unit, minimum, unit cost (Rp)
SHELF = [
    ("Baterai HT VHF", AssetKind.VHF_RADIO, "buah", 4, 350_000),
    ("Antena VHF 147 MHz", AssetKind.VHF_RADIO, "buah", 1, 1_200_000),
    ("Konektor N male", "", "buah", 10, 45_000),
    ("Kabel koaksial RG-8", "", "meter", 50, 38_000),
    ("Aki kering 12 V 100 Ah", AssetKind.UPS, "buah", 2, 2_750_000),
]


@transaction.atomic
def seed_spare_stock() -> int:
    """Create the shelves that are missing, each with an opening balance; returns how many were created."""
    created = 0
    for index, agency in enumerate(Agency.objects.exclude(level="national").order_by("code")):
        warehouse = agency.sites.filter(name__startswith="Gudang Logistik").first()
        if warehouse is None:
            continue
        for position, (name, kind, unit, minimum, cost) in enumerate(SHELF):
            if StockItem.objects.filter(site=warehouse, name=name).exists():
                continue
            item = StockItem(
                agency=agency, site=warehouse, name=name, kind=kind, unit=unit, minimum=minimum, unit_cost_idr=cost
            )
            item.full_clean()
            item.save()
            # Every third agency runs short of one item: a gap on procurement's list.
            opening = minimum * 2 if (index + position) % 3 else max(minimum // 2, 0)
            if opening:
                stock_receive(item=item, quantity=Decimal(opening), by=None, reason="Saldo awal")
            created += 1
    return created
