"""What each agency lacks against the Pusdalops standard, what must be renewed, and what closing both costs.

Per agency and standard line:
- working: assets of the kind in service and not past their end of life (faulty, in repair, spare,
  planned and retired ones do not count); for a backup link, only those on a medium the agency's
  primary links do not use;
- expiring: working ones whose end of life falls before the horizon: they must be replaced to keep
  the standard;
- to_buy = max(required - (working - expiring), 0), and cost = to_buy x the line's unit cost.

Subscriptions are paid per year, not bought once, and are counted apart (`yearly_cost_idr`): an internet
link is a service an ISP sells by the month, so the standard's unit cost of a link line is read as a year
of it; and the renewals of an ISP contract, a satellite contract or satellite airtime are a year of their
monthly cost (assets.expiries). Everything else is a one-off cost (`cost_idr`).

Renewals are the agency's lapsing items up to the horizon that cost money to keep (assets.expiries):
support contracts, a year of ISP or satellite subscription, licence renewals and yearly fees, batteries,
at their recorded cost; those already lapsed and not renewed count too, except a licence without a
radio on it (a paper record). A warranty's end is no need by itself (its support contract is), and an
end of life is the standard line's replacement, not a renewal.

Spare parts below their minimum (assets.stock) are a need too: bringing them back to the minimum is a
one-off cost, listed with the agency's lines (an asset-kind filter keeps the spares of that kind).

Every row carries its agency's readiness for BNPB's equipment aid (assets.readiness), so the province
sees beside the need whether the agency can receive equipment now.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet

from assets.choices import AssetKind, AssetStatus, LapseKind, LinkRole
from assets.constants import TRANSMITTING_STATUSES
from assets.expiries import expiries
from assets.models import Asset, StandardItem, StockItem
from assets.readiness import agency_readiness
from assets.stock import below_minimum, restock_cost_idr

NOT_RENEWALS = {LapseKind.WARRANTY, LapseKind.END_OF_LIFE}
LICENCE_KINDS = {LapseKind.LICENCE, LapseKind.LICENCE_FEE}
SUBSCRIPTION_KINDS = {AssetKind.INTERNET_LINK}
SUBSCRIPTION_LAPSES = {LapseKind.ISP_CONTRACT, LapseKind.SATELLITE_CONTRACT, LapseKind.SATELLITE_AIRTIME}


@dataclass(frozen=True, slots=True)
class GapRow:
    agency: str
    agency_name: str
    kind: str
    link_role: str
    required: int
    working: int
    expiring: int
    to_buy: int
    unit_cost_idr: int
    cost_idr: int  # one-off: bought
    yearly_cost_idr: int  # per year: subscribed
    ready: bool
    readiness_missing: str

    @property
    def kind_label(self) -> str:
        label = str(AssetKind(self.kind).label)
        return f"{label} ({LinkRole(self.link_role).label.lower()})" if self.link_role else label


@dataclass(frozen=True, slots=True)
class RenewalRow:
    agency: str
    agency_name: str
    kind: str
    subject: str
    asset_kind: str  # the kind of the asset it belongs to; "" for a licence
    lapses_on: date
    cost_idr: int | None  # one-off, when known
    yearly_cost_idr: int | None  # a subscription's year, when known

    @property
    def kind_label(self) -> str:
        return str(LapseKind(self.kind).label)


@dataclass(frozen=True, slots=True)
class RestockRow:
    agency: str
    agency_name: str
    item: str
    site: str
    kind: str  # the asset kind it is a spare for; "" for a consumable
    unit: str
    quantity: Decimal
    minimum: Decimal
    shortfall: Decimal
    unit_cost_idr: int
    cost_idr: int  # one-off: back up to the minimum
    yearly_cost_idr: int = 0  # stock is bought, never subscribed to (read like every row by the totals)


@dataclass(frozen=True, slots=True)
class GapTotal:
    agency: str
    agency_name: str
    ready: bool
    readiness_missing: str
    cost_idr: int
    yearly_cost_idr: int


def gap_rows(agencies: QuerySet, *, today: date, horizon: date) -> list[GapRow]:
    standard = defaultdict(list)
    for item in StandardItem.objects.all():
        standard[item.level].append(item)
    assets = defaultdict(list)
    columns = ("agency_id", "kind", "link_role", "medium", "end_of_life")
    working = Asset.objects.filter(agency__in=agencies, status=AssetStatus.IN_SERVICE).exclude(end_of_life__lte=today)
    for asset in working.values(*columns):
        assets[asset["agency_id"]].append(asset)

    rows = []
    for agency in agencies.order_by("code"):
        readiness = agency_readiness(agency)
        mine = assets[agency.pk]
        primary_media = {
            a["medium"] for a in mine if a["kind"] == AssetKind.INTERNET_LINK and a["link_role"] == LinkRole.PRIMARY
        }
        for item in standard[agency.level]:
            counted = [
                a for a in mine if a["kind"] == item.kind and (not item.link_role or a["link_role"] == item.link_role)
            ]
            if item.link_role == LinkRole.BACKUP:
                counted = [a for a in counted if a["medium"] not in primary_media]
            expiring = sum(1 for a in counted if a["end_of_life"] is not None and a["end_of_life"] <= horizon)
            to_buy = max(item.required - (len(counted) - expiring), 0)
            subscribed = item.kind in SUBSCRIPTION_KINDS
            rows.append(
                GapRow(
                    agency=agency.code,
                    agency_name=agency.name,
                    kind=item.kind,
                    link_role=item.link_role,
                    required=item.required,
                    working=len(counted),
                    expiring=expiring,
                    to_buy=to_buy,
                    unit_cost_idr=item.unit_cost_idr,
                    cost_idr=0 if subscribed else to_buy * item.unit_cost_idr,
                    yearly_cost_idr=to_buy * item.unit_cost_idr if subscribed else 0,
                    ready=readiness.ready,
                    readiness_missing=readiness.missing_text,
                )
            )
    return rows


def renewal_rows(agencies: QuerySet, *, today: date, horizon: date) -> list[RenewalRow]:
    on_air = set(
        Asset.objects.filter(agency__in=agencies, status__in=TRANSMITTING_STATUSES, licence__isnull=False).values_list(
            "licence_id", flat=True
        )
    )
    items = [
        item
        for item in expiries(agencies, start=None, end=horizon)
        if item.kind not in NOT_RENEWALS
        and not (item.kind in LICENCE_KINDS and item.lapses_on < today and item.licence_id not in on_air)
    ]
    kinds = dict(Asset.objects.filter(pk__in={item.asset_id for item in items}).values_list("pk", "kind"))
    return [
        RenewalRow(
            agency=item.agency,
            agency_name=item.agency_name,
            kind=item.kind,
            subject=item.subject,
            asset_kind=kinds.get(item.asset_id, ""),
            lapses_on=item.lapses_on,
            cost_idr=None if item.kind in SUBSCRIPTION_LAPSES else item.cost_idr,
            yearly_cost_idr=item.cost_idr if item.kind in SUBSCRIPTION_LAPSES else None,
        )
        for item in items
    ]


def restock_rows(agencies: QuerySet) -> list[RestockRow]:
    items = below_minimum(StockItem.objects.filter(agency__in=agencies)).select_related("agency", "site")
    return [
        RestockRow(
            agency=item.agency.code,
            agency_name=item.agency.name,
            item=item.name,
            site=item.site.name,
            kind=item.kind,
            unit=item.unit,
            quantity=item.quantity,
            minimum=item.minimum,
            shortfall=item.shortfall,
            unit_cost_idr=item.unit_cost_idr,
            cost_idr=restock_cost_idr(item),
        )
        for item in items.order_by("agency__code", "site__name", "name")
    ]


def totals_by_agency(rows: list[GapRow], renewals: list = ()) -> dict[str, tuple[int, int]]:
    """agency code -> (one-off cost, cost per year) of its lines, renewals and restocking."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in [*rows, *renewals]:
        totals[row.agency][0] += row.cost_idr or 0
        totals[row.agency][1] += row.yearly_cost_idr or 0
    return {code: (once, yearly) for code, (once, yearly) in totals.items()}


def gap_totals(
    agencies: QuerySet, rows: list[GapRow], renewals: list[RenewalRow], restock: list[RestockRow] = ()
) -> list[GapTotal]:
    """Per agency with any line, renewal or restocking: their cost, and whether it can receive equipment now."""
    costs = totals_by_agency(rows, [*renewals, *restock])
    result = []
    for agency in agencies.filter(code__in=costs).order_by("code"):
        readiness = agency_readiness(agency)
        result.append(
            GapTotal(
                agency=agency.code,
                agency_name=agency.name,
                ready=readiness.ready,
                readiness_missing=readiness.missing_text,
                cost_idr=costs[agency.code][0],
                yearly_cost_idr=costs[agency.code][1],
            )
        )
    return result


@dataclass(frozen=True, slots=True)
class AgencyGaps:
    """One agency's part of the report: its standard lines to fill, its renewals, its stock to bring back to
    the minimum, and their subtotal."""

    total: GapTotal
    rows: list[GapRow]
    renewals: list[RenewalRow]
    restock: list[RestockRow]


@dataclass(frozen=True, slots=True)
class GapReport:
    horizon: date
    rows: list[GapRow]
    renewals: list[RenewalRow]
    restock: list[RestockRow]
    totals: list[GapTotal]

    @property
    def cost_idr(self) -> int:
        return sum(total.cost_idr for total in self.totals)

    @property
    def yearly_cost_idr(self) -> int:
        return sum(total.yearly_cost_idr for total in self.totals)

    def by_agency(self) -> list[AgencyGaps]:
        """Per agency with anything to buy, subscribe to, renew or restock: its lines under its subtotal."""
        return [
            AgencyGaps(
                total=total,
                rows=[row for row in self.rows if row.agency == total.agency and row.to_buy],
                renewals=[renewal for renewal in self.renewals if renewal.agency == total.agency],
                restock=[line for line in self.restock if line.agency == total.agency],
            )
            for total in self.totals
            if total.cost_idr
            or total.yearly_cost_idr
            or any(r.agency == total.agency for r in [*self.renewals, *self.restock])
        ]


def gap_report(agencies: QuerySet, *, today: date, horizon: date, kind: str = "") -> GapReport:
    """The report the page, the API and the exports show; `kind` narrows it to one asset kind (a licence,
    which belongs to no single asset, then drops out)."""
    rows = gap_rows(agencies, today=today, horizon=horizon)
    renewals = renewal_rows(agencies, today=today, horizon=horizon)
    restock = restock_rows(agencies)
    if kind:
        rows = [row for row in rows if row.kind == kind]
        renewals = [renewal for renewal in renewals if renewal.asset_kind == kind]
        restock = [line for line in restock if line.kind == kind]
    totals = gap_totals(agencies, rows, renewals, restock)
    return GapReport(horizon=horizon, rows=rows, renewals=renewals, restock=restock, totals=totals)
