"""Small builders for test data: each returns a saved, valid object with overridable fields."""

import itertools
from datetime import date
from decimal import Decimal

from accounts.choices import Role
from accounts.models import User
from assets.choices import AgencyLevel, AssetKind, PowerSource, SiteKind
from assets.models import Agency, Asset, RadioLicence, Site

_serial = itertools.count(1)


def agency(code: str, *, parent: Agency | None = None, level: str | None = None) -> Agency:
    if level is None:
        level = AgencyLevel.PROVINCE if "." not in code else AgencyLevel.REGENCY
    return Agency.objects.create(code=code, name=f"BPBD {code}", level=level, parent=parent)


def user(agency: Agency | None, role: str = Role.TECHNICIAN, **extra) -> User:
    name = extra.pop("username", f"{role}-{agency.code if agency else 'none'}-{next(_serial)}")
    return User.objects.create_user(name, password="x-Very-Long-Pass-9", agency=agency, role=role, **extra)


def site(agency: Agency, **fields) -> Site:
    values = {
        "name": f"Site {next(_serial)}",
        "kind": SiteKind.PUSDALOPS,
        "latitude": Decimal("-0.5"),
        "longitude": Decimal("117.15"),
        "power_source": PowerSource.GRID,
    }
    values.update(fields)
    obj = Site(agency=agency, **values)
    obj.full_clean()
    obj.save()
    return obj


def asset(agency: Agency, **fields) -> Asset:
    values = {"name": f"Asset {next(_serial)}", "kind": AssetKind.ROUTER}
    values.update(fields)
    obj = Asset(agency=agency, **values)
    obj.full_clean()
    obj.save()
    return obj


def radio(agency: Agency, **fields) -> Asset:
    """A VHF base radio: no management address, so only roll calls tell whether it works."""
    return asset(agency, **({"name": f"Radio {next(_serial)}", "kind": AssetKind.VHF_RADIO} | fields))


def licence(agency: Agency, **fields) -> RadioLicence:
    """A VHF station licence for 147.000 and 147.600 MHz at 50 W, valid 2024-2029."""
    values = {
        "number": f"ISR-{next(_serial)}",
        "frequencies_mhz": ["147.000", "147.600"],
        "emission": "11K0F3E",
        "power_w": Decimal(50),
        "valid_from": date(2024, 1, 1),
        "valid_until": date(2028, 12, 31),
    }
    values.update(fields)
    obj = RadioLicence(agency=agency, **values)
    obj.full_clean()
    obj.save()
    return obj
