"""Validators for values technicians type in the field."""

import ipaddress
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from assets.constants import CTCSS_TONES
from simpul.egress import KINDS, address_kind

_HOSTNAME_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")
_DCS_CODE = re.compile(r"^D[0-7]{3}[NI]$")


def validate_management_address(value: str) -> None:
    """An IPv4 or IPv6 address of one device, or an RFC 1123 host name (resolved at poll time, not here).

    Loopback and private addresses are fine (the seed polls 127.64.x.y); broadcast, multicast and the
    unspecified address are not one device: polling them would ask a whole network, or this machine."""
    try:
        ip = ipaddress.ip_address(value)
    except ValueError:
        pass
    else:
        kind = address_kind(ip)
        if kind in ("unspecified", "multicast", "broadcast"):
            raise ValidationError(
                _("%(value)s adalah alamat %(kind)s, bukan alamat satu perangkat."),
                code="not_unicast",
                params={"value": value, "kind": KINDS[kind]},
            )
        return
    name = value[:-1] if value.endswith(".") else value
    labels = name.split(".")
    if (
        len(name) > 253
        or not all(_HOSTNAME_LABEL.match(label) for label in labels)
        or labels[-1].isdigit()  # "300.1.1.1" is a broken IPv4 address, not a host name
    ):
        raise ValidationError(
            _("%(value)s bukan alamat IPv4/IPv6 atau nama host yang sah."),
            code="invalid_address",
            params={"value": value},
        )


def validate_tone(value: str) -> None:
    """A CTCSS tone in Hz (e.g. 88.5) or a DCS code (e.g. D023N)."""
    if value in CTCSS_TONES or _DCS_CODE.match(value):
        return
    raise ValidationError(
        _("%(value)s bukan nada CTCSS standar (mis. 88.5) atau kode DCS (mis. D023N)."),
        code="invalid_tone",
        params={"value": value},
    )
