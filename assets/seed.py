"""The East Kalimantan demo inventory: real agencies and codes, plausible sites and equipment.

Each regency and city has its Pusdalops at its seat, a repeater hill a few kilometres north and a
warehouse; the province has its own Pusdalops in Samarinda, two repeater hills and a warehouse, apart from
Kota Samarinda's. The history, the live failure and the work on top of this inventory are the later apps'
(monitoring.demo, maintenance.demo, reports.demo).

Every management address is a loopback address (127.64.<regency>.<n>), so the poller finds the demo
network alive on any Linux machine. Seeding only creates what is missing: a second run, or a run after
people edited the data, changes nothing.

Licences, support contracts and batteries are dated from the day of seeding, so a fresh demo always shows
something lapsing: the province's VHF fee falls due within 30 days, Paser's VHF licence ends within 60
days, and Samarinda's has expired while its radios are still in service.
"""

import csv
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts.choices import Role
from assets.choices import AgencyLevel, AssetKind, AssetStatus, FundingSource, PowerSource, SiteKind
from assets.models import Agency, Asset, Partner, RadioLicence, Site

AGENCIES_CSV = Path(__file__).with_name("data") / "kaltim_agencies.csv"

PARTNERS = [
    ("ORARI Daerah Kalimantan Timur", Partner.Kind.RADIO_ORGANISATION),
    ("RAPI Daerah Kalimantan Timur", Partner.Kind.RADIO_ORGANISATION),
    ("Telkom Indonesia", Partner.Kind.ISP),
    ("Telkomsel", Partner.Kind.ISP),
]

# A regency's or city's sites, from its seat: (role, name prefix, kind, power, lat/lon offset in degrees, elevation).
# The repeater hill lies a few kilometres north of the seat: inland, clear of the coast and of Balikpapan's bay.
SITES = [
    ("office", "Pusdalops", SiteKind.PUSDALOPS, PowerSource.GRID, (0.0, 0.0), 20),
    ("hill", "Repeater Bukit", SiteKind.REPEATER_SITE, PowerSource.SOLAR, (0.045, -0.012), 310),
    ("warehouse", "Gudang Logistik", SiteKind.WAREHOUSE, PowerSource.GRID, (-0.012, 0.018), 15),
]
# The province's own sites, apart from Kota Samarinda's: (role, name, kind, power, lat, lon, elevation, address).
PROVINCE_SITES = [
    ("office", "Pusdalops BPBD Provinsi Kaltim", SiteKind.PUSDALOPS, PowerSource.GRID,
     "-0.4872", "117.1388", 25, "Samarinda Ulu, Kota Samarinda"),
    ("hill", "Repeater Bukit Soeharto", SiteKind.REPEATER_SITE, PowerSource.SOLAR,
     "-0.8663", "117.0046", 110, "Tahura Bukit Soeharto, Samboja, Kutai Kartanegara"),
    ("north_hill", "Repeater Bukit Pelangi", SiteKind.REPEATER_SITE, PowerSource.SOLAR,
     "0.5214", "117.5096", 95, "Bukit Pelangi, Sangatta, Kutai Timur"),
    ("warehouse", "Gudang Logistik Provinsi Palaran", SiteKind.WAREHOUSE, PowerSource.GRID,
     "-0.5794", "117.1862", 12, "Palaran, Kota Samarinda"),
]  # fmt: skip


def _site_rows(row: dict) -> list[tuple[str, str, dict]]:
    """(role, name, defaults) of an agency's sites."""
    if row["level"] == "province":
        return [
            (role, name, {"kind": kind, "power_source": power, "latitude": Decimal(lat), "longitude": Decimal(lon),
                          "elevation_m": elevation, "address": address})
            for role, name, kind, power, lat, lon, elevation, address in PROVINCE_SITES
        ]  # fmt: skip
    return [
        (role, f"{prefix} {row['seat']}", {
            "kind": kind,
            "power_source": power,
            "latitude": Decimal(row["lat"]) + Decimal(str(dlat)),
            "longitude": Decimal(row["lon"]) + Decimal(str(dlon)),
            "elevation_m": elevation,
            "address": f"{prefix}, {row['seat']}",
        })
        for role, prefix, kind, power, (dlat, dlon), elevation in SITES
    ]  # fmt: skip


# BNPB's conditions for equipment aid as some agencies stated them: (own building, room length x width in m,
# operators committed for three years, maintenance commitment). The others have not stated them yet.
READINESS = {
    "64": (True, ("8", "6"), True, True),
    "64.72": (True, ("6", "4"), True, True),
    "64.01": (True, ("4", "3"), True, None),
    "64.05": (False, None, True, True),
}

# Station licences: (agency, band, last valid day in days from today, yearly fee due in days from today or
# None, yearly fee in rupiah).
LICENCES = [
    ("64", "vhf", 3 * 365, 25, 1_850_000),
    ("64", "hf", 400, 150, 2_400_000),
    ("64.01", "vhf", 45, 10, 1_250_000),
    ("64.72", "vhf", -20, None, 1_250_000),
]
LICENCE_YEARS = 5  # an ISR runs five years before it is renewed
FAULTY_HANDHELDS = ("64.01", "64.72")  # a second handheld broke at Paser and at Samarinda


@dataclass
class SeedSummary:
    created: dict[str, int] = field(
        default_factory=lambda: {"agencies": 0, "partners": 0, "sites": 0, "licences": 0, "assets": 0}
    )


def _address_prefix(code: str) -> str:
    """127.64.<n> where n is the regency/city number (0 for the province): unique per agency."""
    province, _, regency = code.partition(".")
    return f"127.{int(province)}.{int(regency or 0)}"


def _vhf_channel(code: str) -> Decimal:
    """The agency's simplex/repeater-input frequency: regency numbers spread them so neighbours do not share one."""
    return Decimal("147.000") + Decimal(int(code.partition(".")[2] or 0) % 20) * Decimal("0.025")


def _agency_defaults(row: dict, province: Agency | None) -> dict:
    defaults = {"name": row["name"], "level": row["level"], "parent": None if row["level"] == "province" else province}
    if row["code"] in READINESS:
        building, room, operators, maintenance = READINESS[row["code"]]
        defaults |= {
            "own_building": building,
            "radio_room_length_m": Decimal(room[0]) if room else None,
            "radio_room_width_m": Decimal(room[1]) if room else None,
            "operators_committed": operators,
            "maintenance_committed": maintenance,
        }
    return defaults


def _licences_for(agency: Agency, sites: dict[str, Site], today: date) -> dict[str, tuple[dict, dict]]:
    """band -> (lookup, defaults) of the agency's station licences."""
    number = agency.code.replace(".", "")
    tx = _vhf_channel(agency.code)
    bands = {
        "vhf": ([tx, tx + Decimal("0.6")], "11K0F3E", Decimal(50), sites["hill"]),
        "hf": ([Decimal("7.065")], "3K00J3E", Decimal(125), sites["office"]),
    }
    licences = {}
    for code, band, ends_in, fee_in, fee in LICENCES:
        if code != agency.code:
            continue
        frequencies, emission, power, site = bands[band]
        valid_until = today + timedelta(days=ends_in)
        licences[band] = (
            {"number": f"{number}-{band.upper()}-001"},
            {
                "agency": agency,
                "callsign": f"BPBD {number}",
                "frequencies_mhz": [str(f) for f in frequencies],
                "emission": emission,
                "power_w": power,
                "site": site,
                "location": site.address,
                "valid_from": valid_until - timedelta(days=LICENCE_YEARS * 365),
                "valid_until": valid_until,
                "fee_due_date": today + timedelta(days=fee_in) if fee_in is not None else None,
                "fee_amount_idr": fee,
            },
        )
    return licences


def _assets_for(
    agency: Agency,
    sites: dict[str, Site],
    partners: dict[str, Partner],
    licences: dict[str, RadioLicence],
    today: date,
) -> list[dict]:
    prefix = _address_prefix(agency.code)
    number = agency.code.replace(".", "")
    office, hill, warehouse = sites["office"], sites["hill"], sites["warehouse"]
    tx = _vhf_channel(agency.code)
    vhf = {"licence": licences["vhf"]} if "vhf" in licences else {}
    # Support contracts and batteries come due on different days at each agency, within a quarter.
    soon = today + timedelta(days=15 + int(number) * 7 % 80)
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
            battery_due=soon,
            battery_cost_idr=7_500_000,
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
            **({"licence": licences["hf"]} if "hf" in licences else {}),
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
            **vhf,
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
            **vhf,
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
            status=AssetStatus.FAULTY if agency.code in FAULTY_HANDHELDS else AssetStatus.IN_SERVICE,
            **vhf,
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
            support_end=soon + timedelta(days=30),
            support_cost_idr=6_000_000,
            management_address=f"{prefix}.10",
            owner_partner=partners["ORARI Daerah Kalimantan Timur"] if agency.level == AgencyLevel.CITY else None,
            **({} if agency.level == AgencyLevel.CITY else vhf),  # ORARI's repeater runs under ORARI's licence
            **common,
        ),
        dict(
            site=hill,
            kind=AssetKind.SOLAR_POWER,
            name="Panel surya repeater",
            manufacturer="Suryamas",
            model="1 kWp",
            cost_idr=25_000_000,
            battery_due=soon + timedelta(days=200),
            battery_cost_idr=12_000_000,
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
            **vhf,
            **common,
        ),
    ]
    if "north_hill" in sites:  # the province relays the northern coast from a second hill
        rows.append(
            dict(
                site=sites["north_hill"],
                kind=AssetKind.REPEATER,
                name="Repeater VHF utara",
                manufacturer="Motorola",
                model="SLR 5500",
                serial_number=f"MR{number}5501",
                band="vhf",
                tx_freq_mhz=tx + Decimal("0.6"),
                rx_freq_mhz=tx,
                tone="88.5",
                power_w=50,
                cost_idr=45_000_000,
                management_address=f"{prefix}.12",
                **vhf,
                **common,
            )
        )
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
    today = timezone.localdate()
    for row in rows:  # the province comes first in the file
        agency = ensure(Agency, "agencies", {"code": row["code"]}, _agency_defaults(row, province))
        province = province or agency
        sites = {
            role: ensure(Site, "sites", {"agency": agency, "name": name}, defaults)
            for role, name, defaults in _site_rows(row)
        }
        licences = {
            band: ensure(RadioLicence, "licences", lookup, defaults)
            for band, (lookup, defaults) in _licences_for(agency, sites, today).items()
        }
        for asset in _assets_for(agency, sites, partners, licences, today):
            ensure(Asset, "assets", {"agency": agency, "tag": asset.pop("tag")}, asset)
    return summary


# Demo logins for a local trial: one per role at the province, and technicians of Samarinda and Kutai Kartanegara.
DEMO_USERS = [
    ("teknisi", "64", Role.TECHNICIAN),
    ("manajer", "64", Role.MANAGER),
    ("pengadaan", "64", Role.PROCUREMENT),
    ("administrator", "64", Role.ADMINISTRATOR),
    ("teknisi-samarinda", "64.72", Role.TECHNICIAN),
    ("teknisi-kukar", "64.03", Role.TECHNICIAN),  # on duty when Kutai Kartanegara's uplink falls (monitoring.demo)
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
