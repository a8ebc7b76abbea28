"""The roll-call forms: a schedule's page form, and the phone form of a scheduled call (one tap per station:
clear / weak / no answer, and an RS report)."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from accounts.scoping import agencies_under, scope
from assets.models import Asset
from monitoring.services import RADIO_KINDS, RollCallAnswer
from rollcalls.choices import WEEKDAYS, Heard
from rollcalls.models import RollCallSchedule

READABILITY = [("", "R"), *((str(n), f"R{n}") for n in range(1, 6))]
STRENGTH = [("", "S"), *((str(n), f"S{n}") for n in range(1, 10))]
# A tap without a report says as much as the usual report for it: "five by nine", or weak both ways
# (R3 S3, which the health rule counts as degraded: monitoring.services.POOR_REPORT).
DEFAULT_REPORT = {Heard.CLEAR: (5, 9), Heard.WEAK: (3, 3)}


class ScheduledCallForm(forms.Form):
    notes = forms.CharField(
        label=gettext_lazy("Catatan"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, stations: list[Asset], **kwargs):
        super().__init__(*args, **kwargs)
        self.stations = stations
        for station in stations:
            self.fields[f"heard_{station.pk}"] = forms.ChoiceField(
                label=station.name,
                choices=Heard.choices,
                widget=forms.RadioSelect,
                error_messages={"required": gettext_lazy("Ketuk salah satu untuk %(name)s.") % {"name": station.name}},
            )
            for name, choices, label in (
                ("readability", READABILITY, gettext_lazy("Kejelasan (R1-R5)")),
                ("signal", STRENGTH, gettext_lazy("Kekuatan (S1-S9)")),
            ):
                self.fields[f"{name}_{station.pk}"] = forms.TypedChoiceField(
                    label=label, choices=choices, coerce=int, empty_value=None, required=False
                )

    def rows(self):
        for station in self.stations:
            yield (
                station,
                self[f"heard_{station.pk}"],
                self[f"readability_{station.pk}"],
                self[f"signal_{station.pk}"],
            )

    def answers(self) -> list[RollCallAnswer]:
        result = []
        for station in self.stations:
            heard = self.cleaned_data[f"heard_{station.pk}"]
            if heard == Heard.NONE:
                result.append(RollCallAnswer(asset=station, answered=False))
                continue
            readability, signal = DEFAULT_REPORT[heard]
            result.append(
                RollCallAnswer(
                    asset=station,
                    answered=True,
                    readability=self.cleaned_data[f"readability_{station.pk}"] or readability,
                    signal=self.cleaned_data[f"signal_{station.pk}"] or signal,
                )
            )
        return result


class TimesField(forms.CharField):
    """Call times in WITA as people write them ("08.00, 20.00" or "08:00 20:00"), kept as ["08:00", "20:00"]."""

    def to_python(self, value):
        times = []
        for part in re.split(r"[,;\s]+", super().to_python(value)):
            if not part:
                continue
            match = re.fullmatch(r"(\d{1,2})[.:](\d{2})", part)
            if match is None or int(match[1]) > 23 or int(match[2]) > 59:
                raise ValidationError(
                    gettext_lazy("“%(value)s” bukan jam: tulis jam WITA seperti 08.00, 20.00."), params={"value": part}
                )
            times.append(f"{int(match[1]):02d}:{match[2]}")
        return times

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(str(at).replace(":", ".") for at in value)
        return value


class ScheduleForm(forms.ModelForm):
    """A schedule of the page's agency. Its stations are offered only among the radios the user sees of that agency
    and of those under it (rollcalls.models.validate_stations' reach, scoped like the API), so another one is
    refused as an invalid choice; the model's clean() checks times, days and window."""

    times = TimesField(
        label=gettext_lazy("Jam apel (WITA)"), help_text=gettext_lazy("Pisahkan dengan koma, mis. 08.00, 20.00.")
    )
    days = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Hari"),
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Pilih minimal satu hari.")},
    )

    class Meta:
        model = RollCallSchedule
        fields = ["net", "band", "times", "days", "window_minutes", "stations"]
        widgets = {"stations": forms.CheckboxSelectMultiple}
        labels = {"net": gettext_lazy("Nama jaringan"), "stations": gettext_lazy("Stasiun yang wajib menjawab")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        reach = agencies_under(self.instance.agency_id).values("pk")
        stations = self.fields["stations"]
        stations.queryset = (
            scope(Asset.objects.filter(kind__in=RADIO_KINDS, agency__in=reach), user)
            .select_related("agency")
            .order_by("agency__code", "name", "pk")
        )
        stations.label_from_instance = lambda radio: f"{radio.name} · {radio.agency.name}"
        stations.help_text = gettext_lazy("Radio instansi ini dan instansi di bawahnya.")

    def _update_errors(self, errors):
        # The model's clean() checks times and days again, from their defaults when their fields failed: one
        # error per field says it.
        if hasattr(errors, "error_dict"):
            errors = ValidationError({f: e for f, e in errors.error_dict.items() if f not in self._errors})
        super()._update_errors(errors)

    def clean_net(self):
        net = self.cleaned_data["net"].strip()
        twin = RollCallSchedule.objects.filter(agency_id=self.instance.agency_id, net=net).exclude(pk=self.instance.pk)
        if twin.exists():  # the model's unique constraint, said beside the field it is about
            raise ValidationError(gettext_lazy("Instansi ini sudah punya jadwal untuk jaringan ini."))
        return net
