"""Admin plumbing every app shares: the back office follows the same scoping rule as the API and the pages,
and secrets are write-only in it as everywhere else.

`ScopedAdmin` (every ModelAdmin of agency data) limits lists, change pages, history pages and the choices
of every related field to what accounts.scoping lets the staff user see, and writes to what it lets them
write; a superuser operates the whole deployment. `ScopedInline` limits the choices of an inline's fields.
`write_only_form` turns encrypted fields into "set / replace" fields that never render the stored value.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.scoping import may_write_agency, scope

# How a model reaches its agency, tried in this order on its own (forward) fields.
_AGENCY_PATHS = (
    ("agency", "agency"),
    ("item", "item__agency"),  # before `asset`: a stock movement belongs to its item's agency, fitted or not
    ("stocktake", "stocktake__agency"),
    ("asset", "asset__agency"),
    ("work_order", "work_order__agency"),
    ("alert", "alert__agency"),
    ("shift", "shift__agency"),
    ("user", "user__agency"),  # last: a row about a person (an alert contact) belongs to the person's agency
)


def agency_path(model: type[models.Model]) -> str | None:
    """The lookup from `model` to its agency ("" for the agency itself), or None for data of no agency."""
    if model._meta.label == "assets.Agency":
        return ""
    own = {field.name for field in model._meta.fields}
    return next((path for name, path in _AGENCY_PATHS if name in own), None)


def agency_id_of(obj: models.Model, path: str) -> int | None:
    if path == "":
        return obj.pk
    *hops, last = path.split("__")
    for hop in hops:
        obj = getattr(obj, hop, None)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id")


def _limit_choices(formfield, user) -> None:
    """Only rows the user sees may be chosen in a related field (another agency's asset, site, user...)."""
    queryset = getattr(formfield, "queryset", None)
    if queryset is not None and (path := agency_path(queryset.model)) is not None:
        formfield.queryset = scope(queryset, user, path)


class ScopedInline:
    """Mixin for inlines: the parent's admin scopes the rows; this scopes the choices."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        _limit_choices(formfield, request.user)
        return formfield

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        _limit_choices(formfield, request.user)
        return formfield


class ScopedAdmin(ScopedInline):
    """Mixin for every ModelAdmin: rows, objects, filters and choices of the agencies the user sees."""

    def _agency_path(self) -> str | None:
        return agency_path(self.model)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        path = self._agency_path()
        return queryset if path is None else scope(queryset, request.user, path)

    def get_list_filter(self, request):
        # A plain related filter lists every agency (or asset) in the database; this lists those in sight.
        return [self._related_only(name) for name in super().get_list_filter(request)]

    def _related_only(self, name):
        if not isinstance(name, str):
            return name
        try:
            field = get_fields_from_path(self.model, name)[-1]
        except FieldDoesNotExist:
            return name
        return (name, admin.RelatedOnlyFieldListFilter) if field.is_relation else name

    def _sees(self, request, obj) -> bool:
        return obj is None or self._agency_path() is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def _may_write(self, request, obj) -> bool:
        path = self._agency_path()
        return path is None or request.user.is_superuser or may_write_agency(request.user, agency_id_of(obj, path))

    # Object permissions matter beyond the change page: simple_history's history pages find objects
    # without get_queryset and ask these.
    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._sees(request, obj)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or (self._sees(request, obj) and self._may_write(request, obj)))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or (self._sees(request, obj) and self._may_write(request, obj)))

    def save_model(self, request, obj, form, change):
        # The choices are already scoped to what the user sees; this refuses what they may not write
        # (a province technician sees its regencies but writes only its own agency).
        if not self._may_write(request, obj):
            raise PermissionDenied
        super().save_model(request, obj, form, change)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            # View-only pages show every field as text: a secret would appear in clear.
            hidden = getattr(self.form, "secret_names", ())
            fields = [name for name in fields if name.removesuffix("_clear") not in hidden]
        return fields


class WriteOnlySecretsForm(forms.ModelForm):
    """Secrets are set or replaced, never shown: empty keeps the stored value, "clear" removes it."""

    secret_names: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.secret_names:
            self.initial.pop(name, None)  # neither rendered nor compared: "changed" means a new value was typed
            if getattr(self.instance, name, ""):
                self.fields[name].help_text = _("Tersimpan (tidak ditampilkan). Kosongkan untuk mempertahankannya.")
                self.fields[name].required = False

    def clean(self):
        cleaned = super().clean()
        for name in self.secret_names:
            if cleaned.get(f"{name}_clear"):
                cleaned[name] = ""
            elif not cleaned.get(name):
                cleaned[name] = getattr(self.instance, name, "")
        return cleaned


def write_only_form(model: type[models.Model], *names: str) -> type[WriteOnlySecretsForm]:
    """A ModelForm of `model` whose fields `names` are "set / replace" password fields (and "clear" boxes
    for the optional ones)."""
    attrs = {"secret_names": names, "Meta": type("Meta", (), {"model": model, "fields": "__all__"})}
    for name in names:
        field = model._meta.get_field(name)
        attrs[name] = forms.CharField(
            label=field.verbose_name,
            required=not field.blank,
            strip=False,
            widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
            help_text=_("Belum diisi."),
        )
        if field.blank:
            attrs[f"{name}_clear"] = forms.BooleanField(
                required=False, label=format_lazy(_("Hapus {}"), field.verbose_name)
            )
    return type(f"{model.__name__}SecretsForm", (WriteOnlySecretsForm,), attrs)
