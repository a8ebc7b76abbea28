"""The demo's stocktake: last quarter's count of the province's Pusdalops, every asset found, one handheld
worn (Rusak Ringan) with a note, closed by the province's technician and signed off by its manager, so the
berita acara reads as a finished record. Made through the same services a person uses; needs the demo logins
(assets.seed.seed_demo_users), and is made once."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from assets.choices import AssetKind, Condition, StocktakeResult
from assets.models import Site, Stocktake
from assets.stocktake import stocktake_close, stocktake_mark, stocktake_open, stocktake_sign

NOTE = "Inventarisasi triwulan (demo)"
WORN = "Baterai cepat habis; perlu diganti."
AGO = timedelta(days=40)  # opened 40 days ago, counted in an afternoon, signed two days later


@transaction.atomic
def seed_stocktake_demo() -> int:
    """Create the demo's closed and signed stocktake if it is missing; returns how many were created (0 or 1)."""
    User = get_user_model()
    counter = User.objects.filter(username="teknisi", is_active=True).first()
    manager = User.objects.filter(username="manajer", is_active=True).first()
    office = Site.objects.filter(agency__code="64", name__startswith="Pusdalops").order_by("pk").first()
    if None in (counter, manager, office) or Stocktake.objects.filter(agency=office.agency, note=NOTE).exists():
        return 0
    count = stocktake_open(agency=office.agency, site=office, by=counter, note=NOTE)
    lines = list(count.lines.select_related("asset").order_by("asset__name"))
    worn = next((line for line in lines if line.asset.kind == AssetKind.VHF_RADIO), None)
    for line in lines:
        stocktake_mark(
            stocktake=count,
            asset=line.asset,
            result=StocktakeResult.FOUND,
            condition=Condition.LIGHT_DAMAGE if line == worn else Condition.GOOD,
            note=WORN if line == worn else "",
            by=counter,
        )
    stocktake_close(stocktake=count, by=counter)
    stocktake_sign(stocktake=count, by=manager)
    opened = timezone.now() - AGO
    count.lines.update(marked_at=opened + timedelta(hours=2))
    Stocktake.objects.filter(pk=count.pk).update(
        opened_at=opened, closed_at=opened + timedelta(hours=3), signed_at=opened + timedelta(days=2)
    )
    return 1
