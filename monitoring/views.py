"""The roll-call page: a technician on a phone ticks who answered, and the same service as the API records it."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.pages import page_for
from accounts.scoping import may_write
from assets.models import Asset
from monitoring.policies import POLLED_STATUSES
from monitoring.services import RADIO_KINDS, RollCallAnswer, radio_check_record

# The RS report: readability 1-5, strength 1-9.
REPORT_CHOICES = {
    "readability": [("", "–"), *((str(n), f"R{n}") for n in range(1, 6))],
    "signal": [("", "–"), *((str(n), f"S{n}") for n in range(1, 10))],
}


class RadioCheckForm(forms.Form):
    """Net and notes, then per radio: answered, readability and signal (fields named by the radio's id)."""

    net = forms.CharField(label=gettext_lazy("Jaringan/kanal"), max_length=120)
    notes = forms.CharField(label=gettext_lazy("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, radios: list[Asset], **kwargs):
        super().__init__(*args, **kwargs)
        self.radios = radios
        for radio in radios:
            self.fields[f"answered_{radio.pk}"] = forms.BooleanField(label=gettext_lazy("Menjawab"), required=False)
            for name, label in (("readability", gettext_lazy("Kejelasan")), ("signal", gettext_lazy("Sinyal"))):
                self.fields[f"{name}_{radio.pk}"] = forms.TypedChoiceField(
                    label=label, choices=REPORT_CHOICES[name], coerce=int, empty_value=None, required=False
                )

    def rows(self):
        """Per radio, its three bound fields, in the order the template shows them."""
        for radio in self.radios:
            yield radio, self[f"answered_{radio.pk}"], self[f"readability_{radio.pk}"], self[f"signal_{radio.pk}"]

    def answers(self) -> list[RollCallAnswer]:
        result = []
        for radio in self.radios:
            answered = self.cleaned_data[f"answered_{radio.pk}"]
            result.append(
                RollCallAnswer(
                    asset=radio,
                    answered=answered,
                    # A report left selected on an unticked radio is a slip of the thumb, not evidence.
                    readability=self.cleaned_data[f"readability_{radio.pk}"] if answered else None,
                    signal=self.cleaned_data[f"signal_{radio.pk}"] if answered else None,
                )
            )
        return result


def records_radio_checks(user) -> bool:
    """A roll call is of the user's own agency's radios, recorded by one who writes its data."""
    return may_write(user) and user.agency_id is not None


@page_for(records_radio_checks, gettext_lazy("Hanya teknisi dan administrator instansi yang mencatat apel radio."))
def radio_check_new(request):
    user = request.user
    radios = list(
        Asset.objects.filter(agency_id=user.agency_id, kind__in=RADIO_KINDS, status__in=POLLED_STATUSES)
        .select_related("site", "state")
        .order_by("name")
    )
    form = RadioCheckForm(request.POST or None, radios=radios)
    if request.method == "POST" and form.is_valid():
        answers = form.answers()
        try:
            check = radio_check_record(
                agency=user.agency,
                held_at=timezone.now(),
                net=form.cleaned_data["net"],
                notes=form.cleaned_data["notes"],
                operator=user,
                entries=answers,
            )
        except DjangoValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request,
                _("Apel %(net)s tercatat: %(answered)s dari %(total)s stasiun menjawab.")
                % {"net": check.net, "answered": sum(a.answered for a in answers), "total": len(answers)},
            )
            return redirect("radio-check-new")
    return render(request, "monitoring/radio_check_form.html", {"form": form, "agency": user.agency})
