"""Validators for values technicians type in the field."""

import ipaddress
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from assets.constants import CTCSS_TONES, LICENCE_FREQUENCY_RANGE_MHZ, LICENCE_MAX_FREQUENCIES
from simpul.egress import KINDS, address_kind

_HOSTNAME_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")
_DCS_CODE = re.compile(r"^D[0-7]{3}[NI]$")
# ITU Radio Regulations, Appendix 1: after the four characters of the bandwidth, the class of emission
# (modulation, nature of the modulating signal, information sent) and up to two optional characters.
_EMISSION_CLASS = re.compile(r"^[NAHRJBCFGDPKLMQVWX][0-3789X][NABCDEFWX][A-Z]{0,2}$")
_BANDWIDTH_UNIT = {"H": Decimal("0.001"), "K": Decimal(1), "M": Decimal(1000), "G": Decimal(1_000_000)}
_CALLSIGN = re.compile(r"^[A-Z0-9][A-Z0-9 /-]{1,19}$", re.IGNORECASE)  # written in capitals by clean()
FREQUENCY_QUANTUM = Decimal("0.00001")  # the 5 decimals of MHz (10 Hz) that asset frequencies are stored with


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


def emission_bandwidth_khz(value: str) -> Decimal | None:
    """The necessary bandwidth an emission designator states, in kHz ("16K0F3E" -> 16, "3K00J3E" -> 3)."""
    bandwidth = value[:4]
    letters = [c for c in bandwidth if c in _BANDWIDTH_UNIT]
    if len(value) < 7 or len(letters) != 1 or not all(c.isdigit() or c in _BANDWIDTH_UNIT for c in bandwidth):
        return None
    if bandwidth[0] in "0KMG" or not _EMISSION_CLASS.match(value[4:]):
        return None
    return Decimal(bandwidth.replace(letters[0], ".")) * _BANDWIDTH_UNIT[letters[0]]


def validate_emission(value: str) -> None:
    """An ITU emission designator as written on an ISR: 16K0F3E (FM voice, 25 kHz), 3K00J3E (HF SSB)."""
    if emission_bandwidth_khz(value) is None:
        raise ValidationError(
            _(
                "%(value)s bukan penandaan emisi ITU: 4 karakter lebar pita lalu kelas emisi, "
                "mis. 16K0F3E (FM 25 kHz), 11K0F3E (FM 12,5 kHz) atau 3K00J3E (SSB)."
            ),
            code="invalid_emission",
            params={"value": value},
        )


def validate_callsign(value: str) -> None:
    """A station callsign as the licence gives it: letters, digits, spaces, / and - (e.g. PK2XYZ, BPBD KALTIM 01)."""
    if not _CALLSIGN.match(value):
        raise ValidationError(
            _("Tanda panggil hanya huruf, angka, spasi, / dan -, 2 sampai 20 karakter."),
            code="invalid_callsign",
        )


def normalise_frequencies(values) -> list[str]:
    """A licence's frequency list, checked and written one way: unique, sorted, 5 decimals ("147.00000").

    Written as the asset API writes a radio's frequencies, so the two compare as equal decimals.
    """
    if not isinstance(values, list) or not values:
        raise ValidationError(_("Isi minimal satu frekuensi (MHz), mis. [147.0, 147.6]."), code="required")
    if len(values) > LICENCE_MAX_FREQUENCIES:
        raise ValidationError(
            _("Paling banyak %(n)d frekuensi per izin."), code="too_many", params={"n": LICENCE_MAX_FREQUENCIES}
        )
    low, high = LICENCE_FREQUENCY_RANGE_MHZ
    frequencies = set()
    for value in values:
        try:
            frequency = Decimal(str(value)) if not isinstance(value, bool) else Decimal("NaN")
        except InvalidOperation:
            frequency = Decimal("NaN")
        if not frequency.is_finite():
            raise ValidationError(
                _("%(value)s bukan frekuensi dalam MHz."), code="invalid_frequency", params={"value": value}
            )
        if not low <= frequency < high:
            raise ValidationError(
                _("Frekuensi %(value)s MHz di luar HF sampai UHF (%(low)s-%(high)s MHz)."),
                code="frequency_out_of_range",
                params={"value": value, "low": low, "high": high},
            )
        if frequency != frequency.quantize(FREQUENCY_QUANTUM):
            raise ValidationError(
                _("Frekuensi %(value)s MHz: paling banyak 5 angka di belakang koma."),
                code="frequency_precision",
                params={"value": value},
            )
        frequencies.add(frequency.quantize(FREQUENCY_QUANTUM))
    return [str(frequency) for frequency in sorted(frequencies)]


def mhz(value: Decimal) -> str:
    """A frequency as people write it: 147.6, not 147.60000."""
    return f"{value.normalize():f}"
