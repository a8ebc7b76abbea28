"""The phone form of a scheduled call: one tap per station (clear / weak / no answer), and an RS report."""

from django import forms
from django.utils.translation import gettext_lazy

from assets.models import Asset
from monitoring.services import RollCallAnswer
from rollcalls.choices import Heard

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
