"""What lapses when: warranties, support contracts, ISP and satellite subscriptions, radio licences and
their yearly fees (BHP frekuensi), battery replacements and end of life, per agency.

One selector for everyone who asks (the expiry list and its page, the dashboard, the monthly report, the
gap report's horizon, maintenance's reminders), so an item lapses on the same day everywhere. Dates are
calendar days in WITA: an item lapses on its last valid day, and lapses "within the next N days" when that
day falls in [today, today + N], today being `timezone.localdate()`.

Retired assets lapse no more. A licence's fee counts while the licence runs: a fee falling after its last
day is paid with the renewal, which the licence's own item reminds of.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from assets.choices import AssetKind, AssetStatus, LapseKind
from assets.models import Asset, RadioLicence, StandardItem

EXPIRY_WINDOWS_DAYS = (30, 60, 90)
MONTHS_PER_YEAR = 12


@dataclass(frozen=True, slots=True)
class Expiry:
    """One thing that lapses on a day. `act_by` is when to act: for a licence, the renewal filing deadline."""

    agency_id: int
    agency: str
    agency_name: str
    kind: str
    subject: str
    asset_id: int | None
    licence_id: int | None
    lapses_on: date
    act_by: date
    cost_idr: int | None  # what renewing or replacing it costs, when known

    def days_left(self, today: date) -> int:
        return (self.lapses_on - today).days


def _yearly(monthly: int | None) -> int | None:
    return None if monthly is None else monthly * MONTHS_PER_YEAR


def _asset_items(asset: Asset, standard_cost: dict) -> list[tuple[str, date, int | None]]:
    """(kind, date, cost) of every date of the asset that can lapse."""
    items = [
        (LapseKind.WARRANTY, asset.warranty_end, None),  # nothing to pay: support after it is its own item
        (LapseKind.SUPPORT, asset.support_end, asset.support_cost_idr),
        (LapseKind.BATTERY, asset.battery_due, asset.battery_cost_idr),
        (
            LapseKind.END_OF_LIFE,
            asset.end_of_life,
            standard_cost.get((asset.agency.level, asset.kind, asset.link_role), asset.cost_idr),
        ),
    ]
    if asset.kind == AssetKind.INTERNET_LINK:
        items.append((LapseKind.ISP_CONTRACT, asset.contract_end, _yearly(asset.monthly_cost_idr)))
    elif asset.kind == AssetKind.SATELLITE_TERMINAL:
        # One subscription is paid once: by its contract when it has one, else by its airtime.
        items.append((LapseKind.SATELLITE_CONTRACT, asset.contract_end, _yearly(asset.monthly_cost_idr)))
        airtime_cost = None if asset.contract_end else _yearly(asset.monthly_cost_idr)
        items.append((LapseKind.SATELLITE_AIRTIME, asset.airtime_end, airtime_cost))
    return [(kind, day, cost) for kind, day, cost in items if day is not None]


def _date_range(field: str, start: date | None, end: date) -> Q:
    return Q(**{f"{field}__lte": end}) & (Q(**{f"{field}__gte": start}) if start else Q())


def expiries(agencies: QuerySet, *, start: date | None, end: date) -> list[Expiry]:
    """Everything of `agencies` that lapses on a day from `start` (None: any time before) through `end`,
    soonest first."""
    asset_fields = ("warranty_end", "support_end", "contract_end", "airtime_end", "battery_due", "end_of_life")
    condition = Q()
    for field in asset_fields:
        condition |= _date_range(field, start, end)
    assets = (
        Asset.objects.filter(condition, agency__in=agencies)
        .exclude(status=AssetStatus.RETIRED)
        .select_related("agency")
    )
    standard_cost = {(item.level, item.kind, item.link_role): item.unit_cost_idr for item in StandardItem.objects.all()}
    result = []
    for asset in assets:
        for kind, day, cost in _asset_items(asset, standard_cost):
            if (start is None or day >= start) and day <= end:
                result.append(
                    Expiry(
                        agency_id=asset.agency_id,
                        agency=asset.agency.code,
                        agency_name=asset.agency.name,
                        kind=kind,
                        subject=asset.name,
                        asset_id=asset.pk,
                        licence_id=None,
                        lapses_on=day,
                        act_by=day,
                        cost_idr=cost,
                    )
                )
    licences = RadioLicence.objects.filter(
        _date_range("valid_until", start, end) | _date_range("fee_due_date", start, end), agency__in=agencies
    ).select_related("agency")
    for licence in licences:
        subject = _("ISR %(number)s") % {"number": licence.number}
        common = {
            "agency_id": licence.agency_id,
            "agency": licence.agency.code,
            "agency_name": licence.agency.name,
            "subject": subject,
            "asset_id": None,
            "licence_id": licence.pk,
            "cost_idr": licence.fee_amount_idr,  # a renewal pays the next year's fee
        }
        if (start is None or licence.valid_until >= start) and licence.valid_until <= end:
            result.append(
                Expiry(
                    kind=LapseKind.LICENCE,
                    lapses_on=licence.valid_until,
                    act_by=max(licence.renewal_due_on, licence.valid_from),
                    **common,
                )
            )
        fee = licence.fee_due_date
        if fee is not None and (start is None or fee >= start) and fee <= min(end, licence.valid_until):
            result.append(Expiry(kind=LapseKind.LICENCE_FEE, lapses_on=fee, act_by=fee, **common))
    result.sort(key=lambda e: (e.lapses_on, e.agency, e.kind, e.subject))
    return result


def expiry_row(item: Expiry, today: date) -> dict:
    """The item as the API, its exports and the reminders show it."""
    return {
        "agency": item.agency,
        "agency_name": item.agency_name,
        "kind": item.kind,
        "kind_label": str(LapseKind(item.kind).label),
        "subject": item.subject,
        "asset": item.asset_id,
        "licence": item.licence_id,
        "lapses_on": item.lapses_on,
        "days_left": item.days_left(today),
        "act_by": item.act_by,
        "cost_idr": item.cost_idr,
    }


def counts_by_agency(items: list[Expiry], *, today: date) -> dict[str, dict[int, int]]:
    """agency code -> {30: n, 60: n, 90: n}: how many items lapse within each window from today."""
    counts: dict[str, dict[int, int]] = {}
    for item in items:
        windows = counts.setdefault(item.agency, dict.fromkeys(EXPIRY_WINDOWS_DAYS, 0))
        for days in EXPIRY_WINDOWS_DAYS:
            if 0 <= item.days_left(today) <= days:
                windows[days] += 1
    return counts


def radios_on_expired_licence(agencies: QuerySet, *, today: date) -> QuerySet:
    """Radios that may be on the air under a licence past its last day (`Asset.on_expired_licence`)."""
    return (
        Asset.objects.filter(Asset.on_expired_licence_q(today), agency__in=agencies)
        .select_related("agency", "licence")
        .order_by("agency__code", "name", "id")
    )


def expired_licence_row(radio: Asset) -> dict:
    """A radio of `radios_on_expired_licence` as pages, reports and the API show it."""
    return {
        "asset": radio.pk,
        "name": radio.name,
        "kind": radio.kind,
        "status": radio.status,
        "licence": radio.licence_id,
        "licence_number": radio.licence.number,
        "valid_until": radio.licence.valid_until,
    }
