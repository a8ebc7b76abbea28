"""The maintenance pages' forms: server-side validation, errors beside their field.

The rules themselves live in maintenance.services and the models; a form only gathers input and
places a service's ValidationError next to the field it names (`place_errors`).
"""

from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assets.choices import AssetStatus
from assets.models import Asset, Site
from maintenance.choices import Priority, WorkOrderKind
from maintenance.dispatch import assignable_technicians, checklist_templates
from maintenance.models import PreventivePlan, WorkOrder

MAX_DUE_DAYS = 3 * 366  # a due date years ahead is a typo


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def checklist_lines(text: str) -> list[str]:
    """One checklist item per non-empty line."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def place_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's errors beside the form's fields of the same name; the rest above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


class WorkLogForm(forms.Form):
    hours = forms.DecimalField(label=_("Jam kerja"), min_value=0, max_value=1000, decimal_places=2)
    description = forms.CharField(label=_("Yang dikerjakan"), widget=forms.Textarea(attrs={"rows": 3}))


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Foto"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    caption = forms.CharField(label=_("Keterangan"), required=False, max_length=200)


class HoldForm(forms.Form):
    note = forms.CharField(
        label=_("Alasan menunda"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}), strip=True
    )


class ReopenForm(forms.Form):
    note = forms.CharField(
        label=_("Alasan membuka kembali"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}), strip=True
    )


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Petugas"), queryset=None)

    def __init__(self, *args, order: WorkOrder, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignable_technicians(order.agency_id)


class FinishForm(forms.Form):
    """The resolution, and a reason for every checklist item still unticked (fields `reason_<id>`)."""

    resolution = forms.CharField(label=_("Penyelesaian"), widget=forms.Textarea(attrs={"rows": 3}))
    asset_status = forms.ChoiceField(
        label=_("Status aset sesudahnya"),
        required=False,
        choices=[("", _("(tidak diubah)")), *AssetStatus.choices],
    )

    def __init__(self, *args, order: WorkOrder, **kwargs):
        super().__init__(*args, **kwargs)
        self.unticked = [item for item in order.checklist.all() if not item.done]
        for item in self.unticked:
            # Required or not is the service's rule: it answers naming every item without a reason.
            self.fields[f"reason_{item.pk}"] = forms.CharField(
                label=_("%(item)s: tidak dapat dikerjakan karena …") % {"item": item.text},
                required=False,
                max_length=300,
                widget=forms.TextInput(attrs={"data-item": item.pk}),
            )

    def skipped(self) -> dict[int, str]:
        return {item.pk: self.cleaned_data.get(f"reason_{item.pk}", "") for item in self.unticked}

    def place_skipped(self, error: ValidationError) -> bool:
        """Put "needs a reason" beside each item the service named; False when the error is not that one."""
        named = [e for e in getattr(error, "error_dict", {}).get("skipped", []) if e.code == "reason_missing"]
        if not named:
            return False
        for item_id in named[0].params["items"]:
            self.add_error(f"reason_{item_id}", _("Tulis alasan butir ini tidak dikerjakan."))
        return True


class DispatchForm(forms.Form):
    """A new work order of one agency (fixed by the page): what, where, who, by when, with which checklist."""

    title = forms.CharField(label=_("Judul"), max_length=150)
    kind = forms.ChoiceField(label=_("Jenis"), choices=WorkOrderKind.choices, initial=WorkOrderKind.CORRECTIVE)
    priority = forms.ChoiceField(label=_("Prioritas"), choices=Priority.choices, initial=Priority.NORMAL)
    asset = forms.ModelChoiceField(label=_("Aset"), queryset=None, required=False)
    site = forms.ModelChoiceField(label=_("Lokasi"), queryset=None, required=False)
    description = forms.CharField(label=_("Uraian"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    assignee = forms.ModelChoiceField(
        label=_("Petugas"),
        queryset=None,
        required=False,
        empty_label=_("(petugas bawaan instansi)"),
        help_text=_("Kosong: diserahkan ke petugas bawaan instansi, bila ada."),
    )
    due_date = forms.DateField(label=_("Tenggat"), required=False, widget=DateInput())
    template = forms.ModelChoiceField(
        label=_("Daftar periksa dari rencana"),
        queryset=None,
        required=False,
        empty_label=_("(tanpa)"),
        help_text=_("Butir periksa disalin dari rencana preventif ini."),
    )
    checklist = forms.CharField(
        label=_("Butir periksa tambahan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Satu butir per baris."),
    )

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.fields["asset"].queryset = Asset.objects.filter(agency=agency).order_by("name", "pk")
        self.fields["site"].queryset = Site.objects.filter(agency=agency).order_by("name", "pk")
        self.fields["assignee"].queryset = assignable_technicians(agency.pk)
        self.fields["template"].queryset = checklist_templates(agency.pk)

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        today = timezone.localdate()
        if due is not None and due < today:
            raise ValidationError(_("Tenggat tidak boleh sebelum hari ini."))
        if due is not None and due > today + timedelta(days=MAX_DUE_DAYS):
            raise ValidationError(_("Tenggat paling lambat tiga tahun dari sekarang."))
        return due

    def clean_checklist(self):
        lines = checklist_lines(self.cleaned_data["checklist"])
        if too_long := [line for line in lines if len(line) > 200]:
            raise ValidationError(_("Satu butir paling panjang 200 karakter: %(b)s") % {"b": too_long[0][:40]})
        return lines

    def clean(self):
        data = super().clean()
        if not data.get("asset") and not data.get("site"):
            self.add_error("asset", _("Pilih aset atau lokasi."))
        return data

    def work_order_fields(self) -> dict:
        """Keyword arguments for services.work_order_create."""
        data = self.cleaned_data
        template = data["template"]
        return {
            "agency": self.agency,
            "title": data["title"],
            "kind": data["kind"],
            "priority": data["priority"],
            "asset": data["asset"],
            "site": data["site"],
            "description": data["description"],
            "assignee": data["assignee"],
            "due_date": data["due_date"],
            "checklist": [*(template.checklist if template else []), *data["checklist"]],
        }


class PlanForm(forms.ModelForm):
    """A preventive plan of the page's agency; the model's clean() places its errors beside the fields."""

    checklist_text = forms.CharField(
        label=_("Daftar periksa"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Satu butir per baris; disalin ke setiap perintah kerja."),
    )

    class Meta:
        model = PreventivePlan
        fields = ["title", "asset", "asset_kind", "every", "unit", "day_of_month", "starts_on", "lead_days", "priority"]
        widgets = {"starts_on": DateInput()}
        labels = {"asset": _("Aset"), "priority": _("Prioritas")}
        help_texts = {"asset": _("Satu aset, atau kosongkan dan pilih jenis aset.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["asset"].queryset = Asset.objects.filter(agency=self.instance.agency).order_by("name", "pk")

    def clean_checklist_text(self):
        lines = checklist_lines(self.cleaned_data["checklist_text"])
        if any(len(line) > 200 for line in lines):
            raise ValidationError(_("Satu butir paling panjang 200 karakter."))
        return lines

    def _post_clean(self):
        self.instance.checklist = self.cleaned_data.get("checklist_text", [])
        super()._post_clean()
