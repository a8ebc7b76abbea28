"""Writes of the inventory that are more than a plain save."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assets.choices import Condition
from assets.models import Asset, RadioLicence


def _next_year(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


@transaction.atomic
def licence_fee_paid(*, licence: RadioLicence) -> RadioLicence:
    """The year's frequency fee (BHP) is paid: the next one falls due a year later (kept in the history)."""
    if licence.fee_due_date is None:
        raise ValidationError({"fee_due_date": _("ISR ini belum punya tanggal jatuh tempo BHP.")})
    licence.fee_due_date = _next_year(licence.fee_due_date)
    licence.full_clean()
    licence.save()
    return licence


@transaction.atomic
def asset_condition_record(*, asset: Asset, condition: str, by, note: str = "") -> Asset:
    """The condition seen in the field ("catat kondisi"), kept in the asset's history with who saw it and why."""
    if condition not in Condition.values:
        raise ValidationError({"condition": _("Pilih Baik, Rusak Ringan atau Rusak Berat.")})
    asset = Asset.objects.select_for_update().get(pk=asset.pk)
    asset.condition = condition
    asset._history_user = by
    asset._change_reason = note.strip()[:100] or _("Kondisi dicatat")
    asset.save(update_fields=["condition", "updated_at"])
    return asset
