"""The demo network as `make run` watches it: how it is polled, 90 days of believable history, and one live failure.

Every Pusdalops is reached through its primary internet link: the router behind it, the UPS and the repeater
behind the router, the repeater's solar controller behind the repeater (ProbeConfig.depends_on). The history
is what monitoring would have written: outages with their causes (the dependants' silences counted in their
parent's outage), hourly rollups, links' traffic and UPS power (monitoring.metrics.demo), a morning roll call
on the VHF net every day, and the states they leave.

Live, without a packet leaving loopback: every address is on 127.0.0.0/8, where Linux answers pings, except
Kutai Kartanegara's management path, which is probed by SNMP only on a loopback port where no agent listens.
The poller finds its fibre uplink down and everything behind it unreachable within half a minute, and the
default alert rule tells the technician on duty (alerts.demo).

Written once per agency, in bulk: an agency whose assets already have states (the demo ran, or the poller
did) gets nothing new.
"""

import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from assets.choices import AssetKind, AssetStatus
from assets.models import Agency, Asset
from monitoring.choices import State
from monitoring.metrics.demo import metric_rows, write_history
from monitoring.models import AssetState, HourlyRollup, Outage, ProbeConfig, RadioCheck, RadioCheckEntry
from monitoring.policies import POLLED_STATUSES
from monitoring.services import RADIO_KINDS
from simpul.months import WITA

HOUR = timedelta(hours=1)
# The shortest interval a policy allows: a trial sees a failure confirmed (three polls) within half a minute.
INTERVAL_S = 10
FAILING_AGENCY = "64.03"  # Kutai Kartanegara: its fibre is cut while the demo runs
SILENT_SNMP = {"snmp_port": 161, "snmp_community": "simpul-demo"}  # no agent listens there on loopback
# Each asset's parent on the management path, by the seed's asset names (assets.seed).
PATH = {
    "Router Pusdalops": "Internet utama",
    "UPS ruang radio": "Router Pusdalops",
    "Repeater VHF": "Router Pusdalops",
    "Repeater VHF utara": "Router Pusdalops",
    "Panel surya repeater": "Repeater VHF",
}
# What takes each kind down, and for how long (minutes): a few of these per asset over 90 days.
CAUSES = {
    AssetKind.INTERNET_LINK: [("Kabel fiber putus", 120, 720), ("Gangguan jaringan ISP", 20, 180)],
    AssetKind.SATELLITE_TERMINAL: [("Hujan lebat, sinyal hilang", 10, 60), ("Listrik padam", 30, 150)],
    AssetKind.ROUTER: [("Listrik padam", 30, 180), ("Perangkat hang, di-restart", 10, 45)],
    AssetKind.UPS: [("Baterai habis saat listrik padam", 60, 300)],
    AssetKind.REPEATER: [("Listrik padam", 40, 240), ("Hujan lebat", 20, 120), ("Sambaran petir", 360, 1800)],
    AssetKind.SOLAR_POWER: [("Cuaca mendung, baterai habis", 180, 720)],
}
# Typical round trip from the Pusdalops, by kind (ms); the backup cellular link is slower.
RTT_MS = {
    AssetKind.INTERNET_LINK: 18.0,
    AssetKind.SATELLITE_TERMINAL: 45.0,
    AssetKind.ROUTER: 20.0,
    AssetKind.UPS: 22.0,
    AssetKind.REPEATER: 34.0,
    AssetKind.SOLAR_POWER: 37.0,
}
BACKUP_RTT_MS = 70.0
ROLLUP_BATCH = 500  # rows per INSERT: 3,500 parameters, within every backend's limit
BROKEN = "Perangkat rusak, tidak bisa memancar"  # why the faulty handheld stopped answering roll calls


@dataclass
class NetworkSummary:
    created: dict[str, int] = field(
        default_factory=lambda: {
            "probe configs": 0,
            "states": 0,
            "outages": 0,
            "rollups": 0,
            "roll calls": 0,
            "metric values": 0,
        }
    )


@transaction.atomic
def seed_network_demo(now: datetime | None = None) -> NetworkSummary:
    now = now or timezone.now()
    summary = NetworkSummary()
    metrics = []  # every agency's, written at once and rolled up
    for agency in Agency.objects.order_by("code"):
        assets = list(Asset.objects.filter(agency=agency, status__in=POLLED_STATUSES).order_by("pk"))
        _seed_probes(agency, assets, summary)
        if AssetState.objects.filter(asset__agency=agency).exists():
            continue
        metrics += _seed_history(agency, assets, now, summary)
    if metrics:
        write_history(metrics, now)
    summary.created["metric values"] = len(metrics)
    return summary


def _seed_probes(agency: Agency, assets: list[Asset], summary: NetworkSummary) -> None:
    by_name = {asset.name: asset for asset in assets}
    configured = set(ProbeConfig.objects.filter(asset__agency=agency).values_list("asset_id", flat=True))
    failing = agency.code == FAILING_AGENCY
    configs = []
    for asset in assets:
        if not asset.management_address or asset.pk in configured:
            continue
        parent = by_name.get(PATH.get(asset.name, ""))
        on_path = asset.name == "Internet utama" or asset.name in PATH
        probe = {"icmp": False, "snmp": True, **SILENT_SNMP} if failing and on_path else {}
        configs.append(ProbeConfig(asset=asset, interval_s=INTERVAL_S, depends_on=parent, **probe))
    for config in configs:
        config.full_clean()  # the demo obeys the rules typed configuration does
    ProbeConfig.objects.bulk_create(configs)
    summary.created["probe configs"] += len(configs)


def _seed_history(agency: Agency, assets: list[Asset], now: datetime, summary: NetworkSummary) -> list[tuple]:
    """Write the agency's history; its metric values are returned, for the store."""
    rng = random.Random(agency.code)  # the same history for the same agency, run after run
    start = now - timedelta(days=settings.DEMO_HISTORY_DAYS)
    polled = [a for a in assets if a.management_address]
    radios = [a for a in assets if not a.management_address and a.kind in RADIO_KINDS]
    parents = {a.pk: _parent_of(a, assets) for a in polled}
    children = defaultdict(list)
    for child, parent in parents.items():
        if parent is not None:
            children[parent].append(child)

    own, silent = {}, {}  # silent: the asset's outages and its ancestors' (parents come first, in seed order)
    for a in polled:
        above = silent.get(parents[a.pk], [])
        own[a.pk] = [o for o in _outages(a, rng, start, now) if all(o[1] < s or o[0] > e for s, e in above)]
        silent[a.pk] = above + [(s, e) for s, e, _cause in own[a.pk]]
    outages = [
        Outage(asset=a, started_at=s, ended_at=e, cause=cause, took_down=_count_below(a.pk, children))
        for a in polled
        for s, e, cause in own[a.pk]
    ]
    hours = Hours.between(start, now)
    rollups = [row for a in polled for row in _rollups(a, silent[a.pk], rng, hours)]
    _insert_rollups(rollups, hours)
    measured = random.Random(f"metrics {agency.code}")  # apart, so the rest of the history stays as it was
    metrics = [row for a in polled for row in metric_rows(a, silent[a.pk], own[a.pk], measured, start, now)]

    checks, radio_states = _roll_calls(agency, radios, rng, start, now)
    for radio in radios:
        if radio_states[radio.pk].state == State.DOWN:
            outages.append(Outage(asset=radio, started_at=radio_states[radio.pk].since, cause=BROKEN))

    states = [
        AssetState(
            asset=a,
            state=State.UP,
            since=max((e for _s, e in silent[a.pk]), default=start),
            monitored_since=start,
            # No raw result of the history is kept (rollups summarise it): the poller's first is the first, and a
            # result recorded for any moment from now on counts.
        )
        for a in polled
    ] + list(radio_states.values())
    Outage.objects.bulk_create(outages)
    AssetState.objects.bulk_create(states)
    summary.created["outages"] += len(outages)
    summary.created["rollups"] += len(rollups)
    summary.created["states"] += len(states)
    summary.created["roll calls"] += len(checks)
    return metrics


def _parent_of(asset: Asset, assets: list[Asset]) -> int | None:
    name = PATH.get(asset.name)
    return next((a.pk for a in assets if a.name == name), None)


def _count_below(asset_id: int, children: dict[int, list[int]]) -> int:
    return sum(1 + _count_below(child, children) for child in children.get(asset_id, []))


def _outages(asset: Asset, rng: random.Random, start: datetime, now: datetime) -> list[tuple]:
    """A few closed outages of the asset, apart from each other, within the 90 days."""
    causes = CAUSES.get(asset.kind)
    if not causes:
        return []
    found: list[tuple] = []
    for _n in range(rng.randint(1, 4)):
        cause, shortest, longest = rng.choice(causes)
        began = start + timedelta(minutes=rng.randint(60, (settings.DEMO_HISTORY_DAYS - 2) * 24 * 60))
        ended = began + timedelta(minutes=rng.randint(shortest, longest))
        if ended < now - HOUR and all(ended < s or began > e for s, e, _c in found):
            found.append((began, ended, cause))
    return sorted(found)


def _rtt(asset: Asset, rng: random.Random, office_hours: bool) -> float:
    base = BACKUP_RTT_MS if asset.link_role == "backup" else RTT_MS.get(asset.kind, 25.0)
    busy = 1.3 if office_hours else 1.0  # office hours load the uplink
    return round(base * busy * (0.85 + 0.4 * rng.random()), 1)


@dataclass(frozen=True)
class Hours:
    """The completed hours of the history, once for every asset: their start and whether in office hours."""

    first: datetime
    starts: list[datetime]
    office: list[bool]

    @classmethod
    def between(cls, start: datetime, now: datetime) -> "Hours":
        first = start.replace(minute=0, second=0, microsecond=0) + HOUR
        starts = [first + n * HOUR for n in range(int((now - first) / HOUR))]
        return cls(first, starts, [8 <= hour.astimezone(WITA).hour < 17 for hour in starts])


def _rollups(asset: Asset, silent: list[tuple], rng: random.Random, hours: Hours) -> Iterator[tuple]:
    """One rollup per completed hour (ROLLUP_COLUMNS, the hour by its index): a sample every INTERVAL_S, the
    silent part of the hour unanswered."""
    per_hour = 3600 // INTERVAL_S
    down = [0.0] * len(hours.starts)
    for began, ended in silent:
        index = max(int((began - hours.first) / HOUR), 0)
        while index < len(down) and hours.starts[index] < ended:
            hour = hours.starts[index]
            down[index] += max((min(ended, hour + HOUR) - max(began, hour)).total_seconds(), 0)
            index += 1
    for index, down_s in enumerate(down):
        up = round(per_hour * (1 - min(down_s, 3600) / 3600))
        rtt = _rtt(asset, rng, hours.office[index]) if up else None
        rtt_max = round(rtt * (1.5 + 1.5 * rng.random()), 1) if rtt else None
        loss = round(1 - up / per_hour + (0.01 * rng.random() if up else 0), 4)
        yield (asset.pk, index, per_hour, up, rtt, rtt_max, loss)


ROLLUP_COLUMNS = ("asset_id", "hour", "samples", "up", "rtt_avg_ms", "rtt_max_ms", "loss_avg")


def _insert_rollups(rows: list[tuple], hours: Hours) -> None:
    """Multi-row INSERTs: 90 days of an agency's rollups are some 15,000 rows, too many for model instances
    to stay within the few seconds a seed may take."""
    adapted = [connection.ops.adapt_datetimefield_value(hour) for hour in hours.starts]
    table, columns = HourlyRollup._meta.db_table, ", ".join(ROLLUP_COLUMNS)
    connection.ensure_connection()
    # A cursor without DEBUG's query log, which would quote every parameter of every row for nobody to read.
    with connection.make_cursor(connection.create_cursor()) as cursor:
        for begin in range(0, len(rows), ROLLUP_BATCH):
            batch = rows[begin : begin + ROLLUP_BATCH]
            values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(batch))
            params = [value for pk, index, *rest in batch for value in (pk, adapted[index], *rest)]
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {values}", params)


def _roll_calls(agency: Agency, radios: list[Asset], rng: random.Random, start: datetime, now: datetime):
    """The morning roll call (08.00 WITA) of every day; a faulty handheld has been silent since it broke."""
    if not radios:
        return [], {}
    operator = User.objects.filter(agency=agency, is_active=True).order_by("username").first()
    tx = next((r.tx_freq_mhz for r in radios if r.kind == AssetKind.VHF_RADIO and r.tx_freq_mhz), None)
    net = f"VHF {tx} Pusdalops" if tx else "Apel radio Pusdalops"
    broke = now - timedelta(days=rng.randint(4, 9))
    days = [start.astimezone(WITA).date() + timedelta(days=n) for n in range(1, settings.DEMO_HISTORY_DAYS + 1)]
    held = [datetime.combine(day, time(8), tzinfo=WITA) for day in days]
    held = [moment for moment in held if moment < now]
    checks = RadioCheck.objects.bulk_create(
        RadioCheck(agency=agency, held_at=moment, net=net, operator=operator, notes="Apel pagi") for moment in held
    )
    entries, first_silent, last_answer = [], {}, {}
    for check in checks:
        rainy = rng.random() < 0.15  # heavy rain weakens the handhelds' reports
        for radio in radios:
            answered = not (radio.status == AssetStatus.FAULTY and check.held_at >= broke) and rng.random() > 0.02
            report = {}
            if answered:
                low = 2 if rainy or radio.kind == AssetKind.HF_RADIO else 3
                report = {"readability": rng.randint(low, 5), "signal": rng.randint(low, 5)}
            entries.append(RadioCheckEntry(radio_check=check, asset=radio, answered=answered, **report))
            if answered:
                last_answer[radio.pk] = check.held_at
            elif radio.status == AssetStatus.FAULTY and check.held_at >= broke:
                first_silent.setdefault(radio.pk, check.held_at)
    RadioCheckEntry.objects.bulk_create(entries, batch_size=5000)
    last = checks[-1].held_at if checks else now
    states = {
        radio.pk: AssetState(
            asset=radio,
            state=State.DOWN if radio.pk in first_silent else State.UP,
            since=first_silent.get(radio.pk, start),
            monitored_since=start,
            last_polled_at=last,
            last_answered_at=last_answer.get(radio.pk),
        )
        for radio in radios
    }
    return checks, states
