"""What each agency lacks against the Pusdalops standard, and what closing the gap costs.

Per agency and standard line:
- working: assets of the kind in service and not past their end of life (faulty, in repair, spare,
  planned and retired ones do not count); for a backup link, only those on a medium the agency's
  primary links do not use;
- expiring: working ones whose warranty, contract, airtime or end of life falls before the horizon;
- to_buy = max(required - (working - expiring), 0), and cost = to_buy x the line's unit cost.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from assets.choices import AssetKind, AssetStatus, LinkRole
from assets.models import Asset, StandardItem


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


def _replacement_date(asset: dict) -> date | None:
    dates = [asset[f] for f in ("warranty_end", "contract_end", "airtime_end", "end_of_life") if asset[f]]
    return min(dates) if dates else None


def gap_rows(agencies: QuerySet, *, today: date, horizon: date) -> list[GapRow]:
    standard = defaultdict(list)
    for item in StandardItem.objects.all():
        standard[item.level].append(item)
    assets = defaultdict(list)
    columns = ("agency_id", "kind", "link_role", "medium", "warranty_end", "contract_end", "airtime_end", "end_of_life")
    working = Asset.objects.filter(agency__in=agencies, status=AssetStatus.IN_SERVICE).exclude(end_of_life__lte=today)
    for asset in working.values(*columns):
        assets[asset["agency_id"]].append(asset)

    rows = []
    for agency in agencies.order_by("code"):
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
            expiring = sum(1 for a in counted if (d := _replacement_date(a)) is not None and d <= horizon)
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
                )
            )
    return rows


def totals_by_agency(rows: list[GapRow]) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for row in rows:
        totals[row.agency] += row.cost_idr
    return dict(totals)
