"""What each agency lacks against the Pusdalops standard, what must be renewed, and what closing both costs.

Per agency and standard line:
- working: assets of the kind in service and not past their end of life (faulty, in repair, spare,
  planned and retired ones do not count); for a backup link, only those on a medium the agency's
  primary links do not use;
- expiring: working ones whose end of life falls before the horizon: they must be replaced to keep
  the standard;
- to_buy = max(required - (working - expiring), 0), and cost = to_buy x the line's unit cost.

Renewals are the agency's lapsing items up to the horizon that cost money to keep (assets.expiries):
support contracts, a year of ISP or satellite subscription, licence renewals and yearly fees, batteries,
at their recorded cost; those already lapsed and not renewed count too, except a licence without a
radio on it (a paper record). A warranty's end is no need by itself (its support contract is), and an
end of life is the standard line's replacement, not a renewal.

Every row carries its agency's readiness for BNPB's equipment aid (assets.readiness), so the province
sees beside the need whether the agency can receive equipment now.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from assets.choices import AssetKind, AssetStatus, LapseKind, LinkRole
from assets.constants import TRANSMITTING_STATUSES
from assets.expiries import expiries
from assets.models import Asset, StandardItem
from assets.readiness import agency_readiness

NOT_RENEWALS = {LapseKind.WARRANTY, LapseKind.END_OF_LIFE}
LICENCE_KINDS = {LapseKind.LICENCE, LapseKind.LICENCE_FEE}


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
    cost_idr: int
    ready: bool
    readiness_missing: str


@dataclass(frozen=True, slots=True)
class RenewalRow:
    agency: str
    agency_name: str
    kind: str
    subject: str
    lapses_on: date
    cost_idr: int | None

    @property
    def kind_label(self) -> str:
        return str(LapseKind(self.kind).label)


@dataclass(frozen=True, slots=True)
class GapTotal:
    agency: str
    agency_name: str
    ready: bool
    readiness_missing: str
    cost_idr: int


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
                    cost_idr=to_buy * item.unit_cost_idr,
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
    return [
        RenewalRow(
            agency=item.agency,
            agency_name=item.agency_name,
            kind=item.kind,
            subject=item.subject,
            lapses_on=item.lapses_on,
            cost_idr=item.cost_idr,
        )
        for item in expiries(agencies, start=None, end=horizon)
        if item.kind not in NOT_RENEWALS
        and not (item.kind in LICENCE_KINDS and item.lapses_on < today and item.licence_id not in on_air)
    ]


def totals_by_agency(rows: list[GapRow], renewals: list[RenewalRow] = ()) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for row in rows:
        totals[row.agency] += row.cost_idr
    for renewal in renewals:
        totals[renewal.agency] += renewal.cost_idr or 0
    return dict(totals)


def gap_totals(agencies: QuerySet, rows: list[GapRow], renewals: list[RenewalRow]) -> list[GapTotal]:
    """Per agency with any line or renewal: the cost of both, and whether it can receive equipment now."""
    costs = totals_by_agency(rows, renewals)
    result = []
    for agency in agencies.filter(code__in=costs).order_by("code"):
        readiness = agency_readiness(agency)
        result.append(
            GapTotal(
                agency=agency.code,
                agency_name=agency.name,
                ready=readiness.ready,
                readiness_missing=readiness.missing_text,
                cost_idr=costs[agency.code],
            )
        )
    return result
