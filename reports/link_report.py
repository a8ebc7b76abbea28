"""The link report: how each provider's internet links and satellite terminals served a month (WITA).

Per link: availability and downtime from outages (monitoring.availability, the one rule for that), latency
and loss from the hourly rollups, throughput from the SNMP metrics against the contracted bandwidth. Per
provider: the same figures over its links, each link weighed by how long it was watched (availability) or
by its polls (latency, loss). The evidence procurement brings to renew a contract or drop it: worst first.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from assets.choices import AssetKind, LinkMedium, LinkRole, SatelliteNetwork
from monitoring.availability import availability
from monitoring.metrics import store
from monitoring.metrics.catalog import IF_IN_BPS, IF_OUT_BPS
from monitoring.models import HourlyRollup
from simpul.months import month_bounds

LINK_KINDS = (AssetKind.INTERNET_LINK, AssetKind.SATELLITE_TERMINAL)
FULL_SHARE = 0.9  # an hour whose mean traffic passes this share of the contracted bandwidth: the link ran full


@dataclass
class LinkRow:
    asset: int
    agency: str
    agency_name: str
    name: str
    kind: str
    kind_label: str
    provider: str
    medium_label: str
    role_label: str
    circuit: str
    contracted_down_mbps: float | None
    contracted_up_mbps: float | None
    monthly_cost_idr: int | None
    contract_end: date | None
    availability: float | None = None
    monitored_s: float = 0.0
    down_s: float = 0.0
    outages: int = 0
    rtt_avg_ms: float | None = None
    loss_avg: float | None = None
    rtt_polls: int = field(default=0, repr=False)
    loss_polls: int = field(default=0, repr=False)
    # Traffic on the watched interface (SNMP): in is the download, out the upload; None where nothing was read.
    in_avg_mbps: float | None = None
    in_peak_mbps: float | None = None
    out_avg_mbps: float | None = None
    out_peak_mbps: float | None = None
    full_hours: int = 0  # hours whose mean traffic passed FULL_SHARE of the contract, either way

    @property
    def in_share(self) -> float | None:
        """The month's mean download as a share of the contracted download."""
        if self.in_avg_mbps is None or not self.contracted_down_mbps:
            return None
        return round(self.in_avg_mbps / self.contracted_down_mbps, 4)


@dataclass
class ProviderRow:
    provider: str
    links: int = 0
    monitored_s: float = 0.0
    down_s: float = 0.0
    outages: int = 0
    monthly_cost_idr: int = 0
    full_hours: int = 0
    rtt_sum: float = field(default=0.0, repr=False)
    rtt_polls: int = field(default=0, repr=False)
    loss_sum: float = field(default=0.0, repr=False)
    loss_polls: int = field(default=0, repr=False)

    @property
    def availability(self) -> float | None:
        return None if self.monitored_s <= 0 else round(1 - self.down_s / self.monitored_s, 6)

    @property
    def rtt_avg_ms(self) -> float | None:
        return round(self.rtt_sum / self.rtt_polls, 1) if self.rtt_polls else None

    @property
    def loss_avg(self) -> float | None:
        return round(self.loss_sum / self.loss_polls, 4) if self.loss_polls else None


def provider_of(kind: str, provider: str, sat_network: str, partner: str | None) -> str:
    """Who is paid for the link: an ISP by its recorded name, a satellite terminal by its network."""
    if kind == AssetKind.SATELLITE_TERMINAL and sat_network:
        return str(SatelliteNetwork(sat_network).label)
    return provider.strip() or partner or _("Penyedia tidak dicatat")


def link_report(assets: QuerySet, month: date, *, provider: str = "") -> dict:
    """Every link among `assets` (already scoped) for `month`, and a total per provider, worst first."""
    start, end = month_bounds(month)
    links = _links(assets.filter(kind__in=LINK_KINDS))
    if provider:
        links = {pk: row for pk, row in links.items() if row.provider == provider}
    linked = assets.filter(pk__in=list(links))
    for row in availability(linked, start=start, end=end, group_by="asset"):
        link = links[row.key]
        link.availability, link.monitored_s, link.down_s, link.outages = (
            row.availability,
            row.monitored_s,
            row.down_s,
            row.outages,
        )
    _latency(links, start, end)
    _throughput(links, start, end)
    providers: dict[str, ProviderRow] = {}
    for link in links.values():
        total = providers.setdefault(link.provider, ProviderRow(link.provider))
        total.links += 1
        total.monitored_s += link.monitored_s
        total.down_s += link.down_s
        total.outages += link.outages
        total.monthly_cost_idr += link.monthly_cost_idr or 0
        total.full_hours += link.full_hours
        if link.rtt_avg_ms is not None:
            total.rtt_sum += link.rtt_avg_ms * link.rtt_polls
            total.rtt_polls += link.rtt_polls
        if link.loss_avg is not None:
            total.loss_sum += link.loss_avg * link.loss_polls
            total.loss_polls += link.loss_polls
    return {
        "month": month,
        "until": min(end, timezone.now()),
        "providers": sorted(providers.values(), key=_worst_first),
        "results": sorted(links.values(), key=_worst_first),
    }


def _worst_first(row) -> tuple:
    """Lowest availability first; links never watched this month after every watched one, then by name."""
    return (row.availability is None, row.availability or 0, getattr(row, "agency", ""), row.provider)


def _links(assets: QuerySet) -> dict[int, LinkRow]:
    rows = assets.order_by("agency__code", "name").values(
        "pk", "agency__code", "agency__name", "name", "kind", "provider", "sat_network", "owner_partner__name",
        "medium", "link_role", "circuit_id", "terminal_id", "down_mbps", "up_mbps", "monthly_cost_idr", "contract_end",
    )  # fmt: skip
    return {
        row["pk"]: LinkRow(
            asset=row["pk"],
            agency=row["agency__code"],
            agency_name=row["agency__name"],
            name=row["name"],
            kind=row["kind"],
            kind_label=str(AssetKind(row["kind"]).label),
            provider=provider_of(row["kind"], row["provider"], row["sat_network"], row["owner_partner__name"]),
            medium_label=str(LinkMedium(row["medium"]).label) if row["medium"] else "",
            role_label=str(LinkRole(row["link_role"]).label) if row["link_role"] else "",
            circuit=row["circuit_id"] or row["terminal_id"],
            contracted_down_mbps=None if row["down_mbps"] is None else float(row["down_mbps"]),
            contracted_up_mbps=None if row["up_mbps"] is None else float(row["up_mbps"]),
            monthly_cost_idr=row["monthly_cost_idr"],
            contract_end=row["contract_end"],
        )
        for row in rows
    }


def _latency(links: dict[int, LinkRow], start, end) -> None:
    """Mean RTT and loss over the month's polls, from the hourly rollups (hours that began inside the month)."""
    sums = (
        HourlyRollup.objects.filter(asset_id__in=list(links), hour__gte=start, hour__lt=end)
        .values("asset_id")
        .annotate(
            rtt=Sum(F("rtt_avg_ms") * F("samples"), filter=Q(rtt_avg_ms__isnull=False)),
            rtt_n=Sum("samples", filter=Q(rtt_avg_ms__isnull=False)),
            loss=Sum(F("loss_avg") * F("samples"), filter=Q(loss_avg__isnull=False)),
            loss_n=Sum("samples", filter=Q(loss_avg__isnull=False)),
        )
    )
    for row in sums:
        link = links[row["asset_id"]]
        if row["rtt_n"]:
            link.rtt_avg_ms, link.rtt_polls = round(row["rtt"] / row["rtt_n"], 1), row["rtt_n"]
        if row["loss_n"]:
            link.loss_avg, link.loss_polls = round(row["loss"] / row["loss_n"], 4), row["loss_n"]


def _throughput(links: dict[int, LinkRow], start, end) -> None:
    """Mean and peak traffic each way over the month's hours (SNMP metrics), and the hours it ran full."""
    full_hours: dict[int, set] = {pk: set() for pk in links}
    for metric, contract, avg_field, peak_field in (
        (IF_IN_BPS, "contracted_down_mbps", "in_avg_mbps", "in_peak_mbps"),
        (IF_OUT_BPS, "contracted_up_mbps", "out_avg_mbps", "out_peak_mbps"),
    ):
        for pk, hours in store.hourly(list(links), metric, start, end).items():
            link, count = links[pk], sum(n for _hour, _avg, _peak, n in hours)
            setattr(link, avg_field, round(sum(avg * n for _hour, avg, _peak, n in hours) / count / 1e6, 2))
            setattr(link, peak_field, round(max(peak for _hour, _avg, peak, _n in hours) / 1e6, 2))
            limit = getattr(link, contract)
            if limit:
                full_hours[pk].update(hour for hour, avg, _peak, _n in hours if avg > FULL_SHARE * limit * 1e6)
    for pk, hours in full_hours.items():
        links[pk].full_hours = len(hours)
