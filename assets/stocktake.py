"""Stocktakes (inventarisasi): open one for an agency or a site, mark every expected asset as found, found
elsewhere or missing (with its condition), close it, and the register follows: missing assets are flagged
"tidak ditemukan" (never deleted), assets found elsewhere move there, heavy damage takes an asset out of
service, and the condition seen becomes the asset's. Every change to an asset goes through its history, by the
person who closed the stocktake. A manager of the agency then signs the closed count off ("mengetahui")."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assets.choices import AssetStatus, Condition, StocktakeResult, StocktakeStatus
from assets.models import Agency, Asset, Site, Stocktake, StocktakeLine
from simpul.uploads import check_image

# Assets a stocktake does not look for: already written off the register.
_NOT_COUNTED = (AssetStatus.RETIRED, AssetStatus.PLANNED)


@transaction.atomic
def stocktake_open(*, agency: Agency, by, site: Site | None = None, note: str = "") -> Stocktake:
    """A new count with a line per asset the register places there; one open count per agency and site."""
    stocktake = Stocktake(agency=agency, site=site, note=note, opened_by=by)
    stocktake.full_clean()
    if Stocktake.objects.filter(agency=agency, site=site, status=StocktakeStatus.OPEN).exists():
        raise ValidationError({"site": _("Inventarisasi di tempat ini masih berjalan; tutup dulu yang itu.")})
    stocktake.save()
    assets = Asset.objects.filter(agency=agency).exclude(status__in=_NOT_COUNTED)
    if site is not None:
        assets = assets.filter(site=site)
    StocktakeLine.objects.bulk_create(
        StocktakeLine(stocktake=stocktake, asset=asset, expected_site_id=asset.site_id) for asset in assets
    )
    return stocktake


def _open_for_update(stocktake: Stocktake) -> Stocktake:
    stocktake = Stocktake.objects.select_for_update().get(pk=stocktake.pk)
    if stocktake.status != StocktakeStatus.OPEN:
        raise ValidationError({"stocktake": _("Inventarisasi ini sudah ditutup.")})
    return stocktake


@transaction.atomic
def stocktake_mark(
    *,
    stocktake: Stocktake,
    asset: Asset,
    result: str,
    by,
    condition: str = "",
    found_site: Site | None = None,
    note: str = "",
) -> StocktakeLine:
    """Record what the counter saw of one asset. An asset of the agency that the register places elsewhere,
    scanned here, joins the count as found here."""
    stocktake = Stocktake.objects.select_for_update().get(pk=stocktake.pk)
    if stocktake.status != StocktakeStatus.OPEN:
        raise ValidationError({"stocktake": _("Inventarisasi ini sudah ditutup.")})
    if asset.agency_id != stocktake.agency_id:
        raise ValidationError({"asset": _("Aset ini milik instansi lain.")})
    if result not in StocktakeResult.values or result == StocktakeResult.PENDING:
        raise ValidationError({"result": _("Pilih ditemukan, ditemukan di lokasi lain, atau tidak ditemukan.")})
    if condition and condition not in Condition.values:
        raise ValidationError({"condition": _("Pilih Baik, Rusak Ringan atau Rusak Berat.")})
    if result == StocktakeResult.MISSING and condition:
        raise ValidationError({"condition": _("Aset yang tidak ditemukan tidak punya kondisi.")})
    line, _created = StocktakeLine.objects.get_or_create(
        stocktake=stocktake, asset=asset, defaults={"expected_site_id": asset.site_id}
    )
    if result == StocktakeResult.FOUND and stocktake.site_id and line.expected_site_id != stocktake.site_id:
        result, found_site = StocktakeResult.ELSEWHERE, stocktake.site
    if result == StocktakeResult.ELSEWHERE:
        if found_site is None:
            raise ValidationError({"found_site": _("Sebutkan di lokasi mana aset ini ditemukan.")})
        if found_site.agency_id != stocktake.agency_id:
            raise ValidationError({"found_site": _("Lokasi ini milik instansi lain.")})
        if found_site.pk == line.expected_site_id:
            result = StocktakeResult.FOUND
    line.result = result
    line.found_site = found_site if result == StocktakeResult.ELSEWHERE else None
    line.condition = condition
    line.note = note
    line.marked_by = by
    line.marked_at = timezone.now()
    line.save()
    return line


@transaction.atomic
def stocktake_line_photo(*, stocktake: Stocktake, asset: Asset, upload, by) -> StocktakeLine:
    """A photo of what the counter saw (checked like every uploaded photo); it replaces the line's earlier one."""
    stocktake = _open_for_update(stocktake)
    line = StocktakeLine.objects.filter(stocktake=stocktake, asset=asset).first()
    if line is None:
        raise ValidationError({"asset": _("Aset ini tidak ada dalam inventarisasi; tandai dulu.")})
    photo = check_image(upload)
    line.photo_type = photo.content_type
    line.photo.save(Path(upload.name or "foto").name, upload, save=False)
    line.marked_by = line.marked_by or by
    line.save(update_fields=["photo", "photo_type", "marked_by"])
    return line


@transaction.atomic
def stocktake_tick_scanned(*, asset: Asset, by, stocktake: Stocktake | None = None) -> list[StocktakeLine]:
    """A label scanned during a count: found, in the count the scanner was opened from, or else in every open
    count of the agency that still waits for this asset. A line already marked keeps what the counter said."""
    if stocktake is not None:
        line = StocktakeLine.objects.filter(stocktake=stocktake, asset=asset).first()
        if line is not None and line.result != StocktakeResult.PENDING:
            return []
        return [stocktake_mark(stocktake=stocktake, asset=asset, result=StocktakeResult.FOUND, by=by)]
    waiting = StocktakeLine.objects.filter(
        asset=asset, stocktake__status=StocktakeStatus.OPEN, result=StocktakeResult.PENDING
    ).select_related("stocktake")
    return [
        stocktake_mark(stocktake=line.stocktake, asset=asset, result=StocktakeResult.FOUND, by=by) for line in waiting
    ]


def discrepancies(stocktake: Stocktake) -> list[StocktakeLine]:
    """What differs from the register, trouble first: missing (or not yet seen), elsewhere, damaged."""
    order = {StocktakeResult.MISSING: 0, StocktakeResult.PENDING: 1, StocktakeResult.ELSEWHERE: 2}
    lines = [
        line
        for line in stocktake.lines.select_related("asset", "expected_site", "found_site")
        if line.result != StocktakeResult.FOUND or line.condition in (Condition.LIGHT_DAMAGE, Condition.HEAVY_DAMAGE)
    ]
    return sorted(lines, key=lambda line: (order.get(line.result, 3), line.asset.name))


@transaction.atomic
def stocktake_close(*, stocktake: Stocktake, by) -> Stocktake:
    """Close the count: assets not seen count as missing, and the register takes what was found."""
    stocktake = _open_for_update(stocktake)
    now = timezone.now()
    stocktake.lines.filter(result=StocktakeResult.PENDING).update(result=StocktakeResult.MISSING)
    for line in stocktake.lines.select_related("asset"):
        asset = line.asset
        before = (asset.status, asset.site_id, asset.condition)
        if line.result == StocktakeResult.MISSING:
            asset.status = AssetStatus.MISSING
        else:
            if asset.status == AssetStatus.MISSING:
                asset.status = AssetStatus.IN_SERVICE
            if line.result == StocktakeResult.ELSEWHERE:
                asset.site_id = line.found_site_id
            if line.condition == Condition.HEAVY_DAMAGE and asset.status == AssetStatus.IN_SERVICE:
                asset.status = AssetStatus.FAULTY
            asset.condition = line.condition or asset.condition
        if (asset.status, asset.site_id, asset.condition) != before:
            asset._history_user = by
            asset._change_reason = _("Inventarisasi #%(number)s") % {"number": stocktake.pk}
            asset.save(update_fields=["status", "site", "condition", "updated_at"])
    stocktake.status = StocktakeStatus.CLOSED
    stocktake.closed_by = by
    stocktake.closed_at = now
    stocktake.save(update_fields=["status", "closed_by", "closed_at"])
    return stocktake


@transaction.atomic
def stocktake_sign(*, stocktake: Stocktake, by) -> Stocktake:
    """The manager's "mengetahui" on the record of a closed count: once, by whoever the caller checked may sign
    (accounts.scoping.may_sign_stocktake)."""
    stocktake = Stocktake.objects.select_for_update().get(pk=stocktake.pk)
    if stocktake.status != StocktakeStatus.CLOSED:
        raise ValidationError({"stocktake": _("Inventarisasi harus ditutup dulu sebelum disahkan.")})
    if stocktake.signed_at is not None:
        raise ValidationError({"stocktake": _("Inventarisasi ini sudah disahkan.")})
    stocktake.signed_by = by
    stocktake.signed_at = timezone.now()
    stocktake.save(update_fields=["signed_by", "signed_at"])
    return stocktake
