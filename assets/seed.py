"""The East Kalimantan demo inventory: real agencies and codes, plausible sites and equipment.

Every management address is a loopback address (127.64.<regency>.<n>), so the poller finds the demo
network alive on any Linux machine. Seeding only creates what is missing: a second run, or a run after
people edited the data, changes nothing.
"""

import csv
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from accounts.choices import Role
from assets.choices import AgencyLevel, AssetKind, AssetStatus, FundingSource, PowerSource, SiteKind
from assets.models import Agency, Asset, Partner, Site

AGENCIES_CSV = Path(__file__).with_name("data") / "kaltim_agencies.csv"

PARTNERS = [
    ("ORARI Daerah Kalimantan Timur", Partner.Kind.RADIO_ORGANISATION),
    ("RAPI Daerah Kalimantan Timur", Partner.Kind.RADIO_ORGANISATION),
    ("Telkom Indonesia", Partner.Kind.ISP),
    ("Telkomsel", Partner.Kind.ISP),
]

# (site suffix, kind, power, lat/lon offset in degrees, elevation)
SITES = [
    ("Pusdalops", SiteKind.PUSDALOPS, PowerSource.GRID, (0.0, 0.0), 20),
    ("Repeater Bukit", SiteKind.REPEATER_SITE, PowerSource.SOLAR, (0.045, 0.032), 310),
    ("Gudang Logistik", SiteKind.WAREHOUSE, PowerSource.GRID, (-0.012, 0.018), 15),
]


@dataclass
class SeedSummary:
    created: dict[str, int] = field(default_factory=lambda: {"agencies": 0, "partners": 0, "sites": 0, "assets": 0})


def _address_prefix(code: str) -> str:
    """127.64.<n> where n is the regency/city number (0 for the province): unique per agency."""
    province, _, regency = code.partition(".")
    return f"127.{int(province)}.{int(regency or 0)}"


def _assets_for(agency: Agency, sites: dict[str, Site], partners: dict[str, Partner]) -> list[dict]:
    prefix = _address_prefix(agency.code)
    number = agency.code.replace(".", "")
    office, hill, warehouse = sites["Pusdalops"], sites["Repeater Bukit"], sites["Gudang Logistik"]
    # Regency numbers spread the repeater channels so neighbours do not share one.
    channel = Decimal(int(agency.code.partition(".")[2] or 0) % 20) * Decimal("0.025")
    tx = Decimal("147.000") + channel
    bought = date(2021, 3, 1)
    common = {"funding_source": FundingSource.APBD, "acquisition_date": bought}
    rows = [
        dict(
            site=office,
            kind=AssetKind.INTERNET_LINK,
            name="Internet utama",
            manufacturer="Telkom",
            provider="Telkom Indonesia",
            medium="fibre",
            link_role="primary",
            down_mbps=50,
            up_mbps=20,
            circuit_id=f"TLK-{number}-01",
            monthly_cost_idr=1_500_000,
            contract_end=date(2027, 1, 31),
            management_address=f"{prefix}.1",
            owner_partner=partners["Telkom Indonesia"],
        ),
        dict(
            site=office,
            kind=AssetKind.INTERNET_LINK,
            name="Internet cadangan",
            manufacturer="Telkomsel",
            provider="Telkomsel",
            medium="cellular",
            link_role="backup",
            down_mbps=20,
            up_mbps=5,
            monthly_cost_idr=450_000,
            contract_end=date(2026, 12, 31),
            management_address=f"{prefix}.2",
        ),
        dict(
            site=office,
            kind=AssetKind.ROUTER,
            name="Router Pusdalops",
            manufacturer="MikroTik",
            model="RB4011",
            serial_number=f"MT{number}4011",
            cost_idr=4_200_000,
            warranty_end=date(2023, 3, 1),
            management_address=f"{prefix}.3",
            **common,
        ),
        dict(
            site=office,
            kind=AssetKind.SATELLITE_TERMINAL,
            name="Starlink Pusdalops",
            manufacturer="SpaceX",
            model="Standard Kit",
            serial_number=f"SLK{number}001",
            sat_network="starlink",
            terminal_id=f"ut-{number}-0001",
            service_plan="Standard",
            monthly_cost_idr=750_000,
            airtime_end=date(2027, 6, 30),
            cost_idr=7_800_000,
            management_address=f"{prefix}.4",
            funding_source=FundingSource.BNPB_GRANT,
            acquisition_date=date(2024, 2, 1),
        ),
        dict(
            site=office,
            kind=AssetKind.UPS,
            name="UPS ruang radio",
            manufacturer="APC",
            model="SRT3KXLI",
            serial_number=f"AS{number}3000",
            cost_idr=18_500_000,
            warranty_end=date(2024, 3, 1),
            management_address=f"{prefix}.5",
            **common,
        ),
        dict(
            site=office,
            kind=AssetKind.GENSET,
            name="Genset Pusdalops",
            manufacturer="Yanmar",
            model="YDG5500",
            cost_idr=14_000_000,
            **common,
        ),
        dict(
            site=office,
            kind=AssetKind.HF_RADIO,
            name="Radio HF base",
            manufacturer="Codan",
            model="Envoy X2",
            serial_number=f"CD{number}X2",
            tx_freq_mhz=Decimal("7.065"),
            rx_freq_mhz=Decimal("7.065"),
            power_w=125,
            cost_idr=95_000_000,
            funding_source=FundingSource.APBN,
            acquisition_date=date(2019, 8, 1),
            end_of_life=date(2029, 8, 1),
        ),
        dict(
            site=office,
            kind=AssetKind.VHF_RADIO,
            name="Radio VHF base",
            manufacturer="Icom",
            model="IC-F5061",
            serial_number=f"IC{number}5061",
            tx_freq_mhz=tx,
            rx_freq_mhz=tx,
            tone="88.5",
            power_w=50,
            cost_idr=12_000_000,
            **common,
        ),
        dict(
            site=office,
            kind=AssetKind.VHF_RADIO,
            name="HT VHF 1",
            manufacturer="Motorola",
            model="XiR C1200",
            tx_freq_mhz=tx,
            rx_freq_mhz=tx,
            tone="88.5",
            power_w=5,
            cost_idr=3_500_000,
            **common,
        ),
        dict(
            site=office,
            kind=AssetKind.VHF_RADIO,
            name="HT VHF 2",
            manufacturer="Motorola",
            model="XiR C1200",
            tx_freq_mhz=tx,
            rx_freq_mhz=tx,
            tone="88.5",
            power_w=5,
            cost_idr=3_500_000,
            status=AssetStatus.FAULTY,
            **common,
        ),
        dict(
            site=hill,
            kind=AssetKind.REPEATER,
            name="Repeater VHF",
            manufacturer="Motorola",
            model="SLR 5500",
            serial_number=f"MR{number}5500",
            band="vhf",
            tx_freq_mhz=tx + Decimal("0.6"),
            rx_freq_mhz=tx,
            tone="88.5",
            power_w=50,
            cost_idr=45_000_000,
            management_address=f"{prefix}.10",
            owner_partner=partners["ORARI Daerah Kalimantan Timur"] if agency.level == AgencyLevel.CITY else None,
            **common,
        ),
        dict(
            site=hill,
            kind=AssetKind.SOLAR_POWER,
            name="Panel surya repeater",
            manufacturer="Suryamas",
            model="1 kWp",
            cost_idr=25_000_000,
            management_address=f"{prefix}.11",
            **common,
        ),
        dict(
            site=warehouse,
            kind=AssetKind.VHF_RADIO,
            name="HT VHF cadangan",
            manufacturer="Motorola",
            model="XiR C1200",
            tx_freq_mhz=tx,
            rx_freq_mhz=tx,
            power_w=5,
            status=AssetStatus.SPARE,
            cost_idr=3_500_000,
            **common,
        ),
    ]
    for index, row in enumerate(rows, start=1):
        row["tag"] = f"BPBD-{number}-{index:03d}"
    return rows


@transaction.atomic
def seed_kaltim() -> SeedSummary:
    """Create whatever of the Kaltim demo data is missing; never overwrite what exists."""
    summary = SeedSummary()

    def ensure(model, bucket: str, lookup: dict, defaults: dict):
        existing = model.objects.filter(**lookup).first()
        if existing is not None:
            return existing
        obj = model(**lookup, **defaults)
        obj.full_clean()  # demo data obeys the same rules as typed data
        obj.save()
        summary.created[bucket] += 1
        return obj

    partners = {name: ensure(Partner, "partners", {"name": name}, {"kind": kind}) for name, kind in PARTNERS}
    with AGENCIES_CSV.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    province = None
    for row in rows:  # the province comes first in the file
        agency = ensure(
            Agency,
            "agencies",
            {"code": row["code"]},
            {"name": row["name"], "level": row["level"], "parent": None if row["level"] == "province" else province},
        )
        province = province or agency
        sites = {}
        for suffix, kind, power, (dlat, dlon), elevation in SITES:
            name = f"{suffix} {row['seat']}"
            sites[suffix] = ensure(
                Site,
                "sites",
                {"agency": agency, "name": name},
                {
                    "kind": kind,
                    "power_source": power,
                    "latitude": Decimal(row["lat"]) + Decimal(str(dlat)),
                    "longitude": Decimal(row["lon"]) + Decimal(str(dlon)),
                    "elevation_m": elevation,
                    "address": f"{suffix}, {row['seat']}",
                },
            )
        for asset in _assets_for(agency, sites, partners):
            ensure(Asset, "assets", {"agency": agency, "tag": asset.pop("tag")}, asset)
    return summary


# Demo logins for a local trial: one per role at the province, and a technician of Samarinda city.
DEMO_USERS = [
    ("teknisi", "64", Role.TECHNICIAN),
    ("manajer", "64", Role.MANAGER),
    ("pengadaan", "64", Role.PROCUREMENT),
    ("administrator", "64", Role.ADMINISTRATOR),
    ("teknisi-samarinda", "64.72", Role.TECHNICIAN),
]


@transaction.atomic
def seed_demo_users(password: str) -> list[str]:
    """Create the demo logins that are missing; returns the usernames created."""
    User = get_user_model()
    created = []
    for username, code, role in DEMO_USERS:
        if User.objects.filter(username=username).exists():
            continue
        User.objects.create_user(username, password=password, agency=Agency.objects.get(code=code), role=role)
        created.append(username)
    return created
