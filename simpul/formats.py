"""How people read dates, moments, durations, money and shares: one place for pages, exports and documents.

"10 November 2026", "10 November 2026 15.04 WITA", "2 jam 15 menit", "Rp 51.000.000", "99,20 %". Month
names and units follow the active language (Indonesian by default); nothing here ever returns an ISO
string or Python's None: an absent value reads as EMPTY.
"""

from datetime import date, datetime

from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from simpul.months import WITA

EMPTY = "-"


def day(value: date | datetime | None) -> str:
    """10 November 2026 (a moment reads as its day in WITA)."""
    if value is None:
        return EMPTY
    if isinstance(value, datetime):
        value = value.astimezone(WITA)
    return f"{value.day} {MONTHS[value.month]} {value.year}"


def month(value: date) -> str:
    """November 2026."""
    return f"{MONTHS[value.month]} {value.year}"


def moment(value: datetime | None) -> str:
    """10 November 2026 15.04 WITA."""
    if value is None:
        return EMPTY
    local = value.astimezone(WITA)
    return f"{day(local)} {local:%H.%M} WITA"


def person(user) -> str:
    """A user as a signature or a list shows them: full name, else the login name; nobody reads as empty."""
    return "" if user is None else (user.get_full_name() or user.username)


def stored(text: str | None) -> str:
    """A text Simpul stored in Indonesian (an outage's cause, a state's reason) in the reader's language, when the
    catalogue knows it; free text typed by people and technical replies (an SNMP error) stay as written."""
    return _(text) if text else ""


def local_naive(value: datetime) -> datetime:
    """The WITA wall-clock time without a zone, for spreadsheet cells (which cannot hold one)."""
    return timezone.localtime(value, WITA).replace(tzinfo=None)


def duration(seconds: float) -> str:
    """2 jam 15 menit; 3 hari 4 jam; under a minute reads as "< 1 menit"."""
    minutes = round(seconds / 60)
    if minutes < 1:
        return _("< 1 menit")
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(ngettext("%(n)d hari", "%(n)d hari", days) % {"n": days})
    if hours:
        parts.append(ngettext("%(n)d jam", "%(n)d jam", hours) % {"n": hours})
    if minutes and not days:
        parts.append(ngettext("%(n)d menit", "%(n)d menit", minutes) % {"n": minutes})
    return " ".join(parts)


def thousands(value: int) -> str:
    """51.000.000: Indonesian digit grouping."""
    return f"{value:,}".replace(",", ".")


def rupiah(value: int | None) -> str:
    """Rp 51.000.000."""
    return EMPTY if value is None else f"Rp {thousands(int(value))}"


def percent(share: float | None, digits: int = 2) -> str:
    """99,20 % (a share of 1 as a percentage with a decimal comma)."""
    if share is None:
        return EMPTY
    return f"{share * 100:.{digits}f}".replace(".", ",") + " %"


def number(value: float | None, digits: int = 1) -> str:
    """12,5 (a decimal comma, thousands grouped by dots; trailing zeros dropped: 64 rather than 64,0)."""
    if value is None:
        return EMPTY
    text = f"{value:,.{digits}f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return text.rstrip("0").rstrip(",") if "," in text else text


def bitrate(bps: float | None) -> str:
    """12,5 Mbps: bits per second in the largest unit that keeps a figure of at least 1."""
    if bps is None:
        return EMPTY
    for unit, size in (("Gbps", 1e9), ("Mbps", 1e6), ("kbps", 1e3)):
        if abs(bps) >= size:
            return f"{number(bps / size)} {unit}"
    return f"{number(bps, 0)} bps"
