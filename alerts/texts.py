"""What a message says: short enough for a phone's lock screen, Bahasa Indonesia first (English per person).

One line of what and where, since when in WITA, what it took down, and the acknowledge link.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import translation
from django.utils.translation import gettext as _

from alerts.choices import AlertKind, MessageKind
from alerts.models import Alert
from simpul import formats

WITA = ZoneInfo("Asia/Makassar")
NAMED_AFFECTED = 3  # names listed before "+N lainnya"


@dataclass(frozen=True)
class Text:
    subject: str
    body: str


def clock(moment: datetime, now: datetime) -> str:
    """15.04 WITA today, 14/11 15.04 WITA on another day."""
    local, today = moment.astimezone(WITA), now.astimezone(WITA).date()
    return local.strftime("%H.%M WITA" if local.date() == today else "%d/%m %H.%M WITA")


def duration(span: timedelta) -> str:
    seconds = max(int(span.total_seconds()), 0)
    if seconds < 60:
        return _("%(s)d dtk") % {"s": seconds}  # "0 mnt" would read as no outage at all
    minutes = seconds // 60
    hours, minutes = divmod(minutes, 60)
    if hours:
        return _("%(h)d j %(m)d mnt") % {"h": hours, "m": minutes}
    return _("%(m)d mnt") % {"m": minutes}


def _where(alert: Alert) -> str:
    if alert.asset is None:
        named = alert.channel or alert.poller
        parts = [named.name, alert.agency.name] if named else [alert.agency.name]
    else:
        parts = [alert.asset.name, alert.asset.site.name if alert.asset.site else "", alert.agency.name]
    # One line: a name with a line break would break an email header and a lock-screen preview alike.
    return ", ".join(" ".join(part.split()) for part in parts if part)


def _affected(alert: Alert) -> str:
    if not alert.affected_count:
        return ""
    names = list(alert.affected.order_by("name").values_list("name", flat=True)[:NAMED_AFFECTED])
    rest = alert.affected_count - len(names)
    listed = ", ".join(names) + (_(" +%(n)d lainnya") % {"n": rest} if rest > 0 else "")
    if alert.kind == AlertKind.POLLER_SILENT:
        return _("Tanpa kabar: %(count)d aset (%(names)s).") % {"count": alert.affected_count, "names": listed}
    if alert.kind == AlertKind.OVERRUN:
        return _("Juga belum kembali: %(count)d aset (%(names)s).") % {"count": alert.affected_count, "names": listed}
    return _("Ikut terputus: %(count)d aset (%(names)s).") % {"count": alert.affected_count, "names": listed}


def headline(alert: Alert) -> str:
    """The alert's summary line, stored on the alert (and shown on pages)."""
    label = AlertKind(alert.kind).label
    return f"{str(label).upper()}: {_where(alert)}"[:200]


def render(*, alert: Alert, kind: str, ack_url: str, language: str, now: datetime) -> Text:
    with translation.override(language):
        what = str(AlertKind(alert.kind).label).upper()
        where = _where(alert)
        if kind == MessageKind.RECOVERED:
            ended = alert.resolved_at or now
            body = _("PULIH: %(where)s, %(when)s (gangguan %(duration)s).") % {
                "where": where,
                "when": clock(ended, now),
                "duration": duration(ended - alert.started_at),
            }
            return Text(subject=_("[Simpul] Pulih: %(where)s") % {"where": where}, body=body)
        lines = [
            _("%(what)s: %(where)s sejak %(when)s.")
            % {"what": what, "where": where, "when": clock(alert.started_at, now)}
        ]
        if alert.reason:
            lines.append(_("Sebab: %(reason)s.") % {"reason": " ".join(formats.stored(alert.reason).split())})
        if kind == MessageKind.ESCALATED:
            lines.insert(0, _("ESKALASI (belum diterima):"))
        affected = _affected(alert)
        if affected:
            lines.append(affected)
        if ack_url:
            lines.append(_("Terima: %(url)s") % {"url": ack_url})
        return Text(subject=f"[Simpul] {what}: {where}", body="\n".join(lines))
