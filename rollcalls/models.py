"""Roll-call schedules (jadwal apel radio) and the record of each scheduled call: held or missed.

A schedule says when an agency calls its net and which stations must answer; the call itself is an
ordinary monitoring.RadioCheck, so the radios' health follows the usual rule (N missed calls = down).
A ScheduledCall row is written when a call is recorded within its window, or when its window closes
unrecorded (rollcalls.missed): the history compliance is counted from, unchanged by later edits.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from assets.choices import Band
from rollcalls.choices import WEEKDAYS, Outcome
from rollcalls.occurrences import WITA, parse_times, shortest_gap

WINDOW_MINUTES = (5, 180)


class RollCallSchedule(models.Model):
    """When an agency calls a radio net, for how long a call may be recorded, and which stations must answer."""

    agency = models.ForeignKey(
        "assets.Agency", on_delete=models.CASCADE, related_name="roll_call_schedules", verbose_name=_("instansi")
    )
    net = models.CharField(_("jaringan"), max_length=120, help_text=_("mis. Jaring VHF Provinsi"))
    band = models.CharField(_("pita"), max_length=3, choices=Band.choices, default=Band.VHF)
    times = models.JSONField(_("jam apel (WITA)"), default=list, help_text=_('mis. ["08:00", "20:00"]'))
    days = models.JSONField(_("hari"), default=list, help_text=_("1 = Senin ... 7 = Minggu."))
    window_minutes = models.PositiveSmallIntegerField(
        _("jendela pencatatan (menit)"),
        default=30,
        validators=[MinValueValidator(WINDOW_MINUTES[0]), MaxValueValidator(WINDOW_MINUTES[1])],
        help_text=_("Apel dicatat paling lambat sekian menit setelah jamnya, atau dianggap terlewat."),
    )
    stations = models.ManyToManyField(
        "assets.Asset", related_name="roll_call_schedules", verbose_name=_("stasiun"), blank=True
    )
    active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)  # no call before it is owed
    # Nor before the last resume: a paused schedule owes no call for its pause.
    resumed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["agency__code", "net", "id"]
        verbose_name = _("jadwal apel radio")
        verbose_name_plural = _("jadwal apel radio")
        constraints = [models.UniqueConstraint(fields=["agency", "net"], name="roll_call_schedule_net_once")]

    def __str__(self) -> str:
        return self.net

    @property
    def window(self) -> timedelta:
        return timedelta(minutes=self.window_minutes)

    @property
    def clock_times(self):
        return parse_times(self.times)

    def clean(self) -> None:
        errors = {}
        try:
            times = parse_times(self.times) if isinstance(self.times, list) else None
        except ValueError:
            times = None
        if not times:
            errors["times"] = _('Daftar jam WITA "HH:MM", mis. ["08:00", "20:00"].')
        elif len(set(times)) != len(times):
            errors["times"] = _("Jam yang sama tertulis dua kali.")
        else:
            self.times = [at.strftime("%H:%M") for at in times]
        valid_days = {number for number, _label in WEEKDAYS}
        if (
            not isinstance(self.days, list)
            or not self.days
            or not all(isinstance(d, int) and not isinstance(d, bool) and d in valid_days for d in self.days)
        ):
            errors["days"] = _("Daftar hari 1 (Senin) sampai 7 (Minggu), minimal satu.")
        elif len(set(self.days)) != len(self.days):
            errors["days"] = _("Hari yang sama tertulis dua kali.")
        else:
            self.days = sorted(self.days)
        if not errors and self.window_minutes:
            gap = shortest_gap(times, self.days)
            if gap is not None and self.window > gap:
                errors["window_minutes"] = _(
                    "Jendela lebih panjang dari jarak dua apel (%(minutes)s menit): apel akan bertumpuk."
                ) % {"minutes": int(gap.total_seconds() // 60)}
        if errors:
            raise ValidationError(errors)

    def days_text(self) -> str:
        if len(self.days) == len(WEEKDAYS):
            return str(_("setiap hari"))
        labels = dict(WEEKDAYS)
        return ", ".join(str(labels[d]) for d in self.days if d in labels)

    def times_text(self) -> str:
        return ", ".join(value.replace(":", ".") for value in self.times) + " WITA"


class ScheduledCall(models.Model):
    """One call a schedule owed: held (linked to the roll call recorded within its window) or missed."""

    schedule = models.ForeignKey(RollCallSchedule, on_delete=models.CASCADE, related_name="calls")
    # The schedule's agency, kept on the row so every list is scoped like any agency data.
    agency = models.ForeignKey("assets.Agency", on_delete=models.CASCADE, related_name="+")
    due_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    radio_check = models.OneToOneField(
        "monitoring.RadioCheck", on_delete=models.SET_NULL, null=True, blank=True, related_name="scheduled_call"
    )
    recorded_at = models.DateTimeField(help_text=_("Kapan dicatat terlaksana, atau ditandai terlewat."))

    class Meta:
        ordering = ["-due_at", "-id"]
        verbose_name = _("apel terjadwal")
        verbose_name_plural = _("apel terjadwal")
        constraints = [
            models.UniqueConstraint(fields=["schedule", "due_at"], name="scheduled_call_once"),
            models.CheckConstraint(condition=Q(closes_at__gt=F("due_at")), name="scheduled_call_closes_after_due"),
        ]
        indexes = [models.Index(fields=["agency", "due_at"], name="scheduled_call_agency_due")]

    def __str__(self) -> str:
        return f"{self.schedule_id} {date_format(self.due_at.astimezone(WITA), 'j F Y H.i')}"


def validate_stations(agency_id: int, stations) -> None:
    """Stations a schedule may call: radios of its agency or of one under it (a province calls its regencies)."""
    from accounts.scoping import agencies_under
    from monitoring.services import RADIO_KINDS

    reachable = set(agencies_under(agency_id).values_list("pk", flat=True))
    errors = []
    for station in stations:
        if station.kind not in RADIO_KINDS:
            errors.append(_("%(name)s bukan radio.") % {"name": station.name})
        elif station.agency_id not in reachable:
            errors.append(_("%(name)s di luar jangkauan instansi ini.") % {"name": station.name})
    if errors:
        raise ValidationError({"stations": errors})
