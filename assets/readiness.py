"""Whether an agency meets BNPB's conditions for Pusdalops equipment aid, from its profile.

BNPB hands equipment to an agency that has its own building, a radio room of at least 4 x 6 m, operators
committed for three years and a commitment to maintain what it receives. A condition not stated yet
counts as not met, and says so: the province asks before it ships.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from assets.constants import RADIO_ROOM_MIN_M
from assets.models import Agency


@dataclass(frozen=True, slots=True)
class Readiness:
    ready: bool
    missing: list[str] = field(default_factory=list)

    @property
    def missing_text(self) -> str:
        return "; ".join(self.missing)


def _stated(value: bool | None, condition: str) -> str | None:
    if value is None:
        return _("%(condition)s: belum diisi") % {"condition": condition}
    return None if value else condition


def agency_readiness(agency: Agency) -> Readiness:
    short, long = (Decimal(side) for side in RADIO_ROOM_MIN_M)
    room = _("ruang radio minimal %(short)s x %(long)s m") % {"short": short, "long": long}
    sides = [agency.radio_room_length_m, agency.radio_room_width_m]
    if None in sides:
        room_problem = _("%(condition)s: belum diisi") % {"condition": room}
    elif min(sides) >= short and max(sides) >= long:
        room_problem = None
    else:
        room_problem = _("%(condition)s (tercatat %(a)s x %(b)s m)") % {
            "condition": room,
            "a": f"{min(sides).normalize():f}",
            "b": f"{max(sides).normalize():f}",
        }
    missing = [
        problem
        for problem in (
            _stated(agency.own_building, _("gedung milik sendiri")),
            room_problem,
            _stated(agency.operators_committed, _("operator ditetapkan 3 tahun")),
            _stated(agency.maintenance_committed, _("komitmen pemeliharaan")),
        )
        if problem
    ]
    return Readiness(ready=not missing, missing=missing)
