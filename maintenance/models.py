"""Maintenance: work orders (preventive and corrective), preventive plans, and notifications."""

import secrets
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assets.choices import AssetKind, LapseKind
from maintenance.choices import (
    DeliveryStatus,
    NotificationEvent,
    Priority,
    RecurrenceUnit,
    WorkOrderKind,
    WorkOrderStatus,
)
from simpul.egress import validate_target_url
from simpul.encrypted import EncryptedTextField
from simpul.uploads import EXTENSIONS
from simpul.validators import validate_plausible_moment


class PreventivePlan(models.Model):
    """Recurring preventive work: one asset, or every asset of a kind at an agency ("every repeater, monthly")."""

    agency = models.ForeignKey("assets.Agency", on_delete=models.CASCADE, related_name="preventive_plans")
    title = models.CharField(_("judul"), max_length=150)
    asset = models.ForeignKey("assets.Asset", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    asset_kind = models.CharField(_("jenis aset"), max_length=20, choices=AssetKind.choices, blank=True)
    every = models.PositiveSmallIntegerField(
        _("setiap"), default=1, validators=[MinValueValidator(1), MaxValueValidator(366)]
    )
    unit = models.CharField(_("satuan"), max_length=12, choices=RecurrenceUnit.choices, default=RecurrenceUnit.MONTHS)
    day_of_month = models.PositiveSmallIntegerField(
        _("tanggal"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text=_("Untuk 'tanggal tiap bulan'; 29-31 jatuh ke hari terakhir pada bulan yang lebih pendek."),
    )
    starts_on = models.DateField(_("mulai"))
    lead_days = models.PositiveSmallIntegerField(
        _("dibuat H-"), default=7, validators=[MaxValueValidator(90)], help_text=_("Hari sebelum tenggat.")
    )
    checklist = models.JSONField(_("daftar periksa"), default=list, blank=True)
    priority = models.CharField(max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    active = models.BooleanField(_("aktif"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["agency__code", "title"]
        verbose_name = _("rencana preventif")
        verbose_name_plural = _("rencana preventif")
        constraints = [
            models.CheckConstraint(
                condition=(Q(asset__isnull=False) & Q(asset_kind="")) | (Q(asset__isnull=True) & ~Q(asset_kind="")),
                name="plan_targets_asset_or_kind",
                violation_error_message=_("Pilih satu aset atau satu jenis aset."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = {}
        if bool(self.asset_id) == bool(self.asset_kind):
            errors["asset"] = _("Pilih satu aset atau satu jenis aset, tidak keduanya.")
        if self.asset_id and self.agency_id and self.asset.agency_id != self.agency_id:
            errors["asset"] = _("Aset milik instansi lain.")
        if self.unit == RecurrenceUnit.DAY_OF_MONTH and not self.day_of_month:
            errors["day_of_month"] = _("Wajib untuk 'tanggal tiap bulan'.")
        if not isinstance(self.checklist, list) or not all(isinstance(i, str) and i.strip() for i in self.checklist):
            errors["checklist"] = _("Daftar teks butir periksa.")
        if errors:
            raise ValidationError(errors)


class WorkOrder(models.Model):
    """A piece of maintenance work on one asset (or one site, for site-wide work such as a tower check)."""

    agency = models.ForeignKey("assets.Agency", on_delete=models.PROTECT, related_name="work_orders")
    asset = models.ForeignKey(
        "assets.Asset", on_delete=models.PROTECT, null=True, blank=True, related_name="work_orders"
    )
    site = models.ForeignKey("assets.Site", on_delete=models.PROTECT, null=True, blank=True, related_name="work_orders")
    kind = models.CharField(_("jenis"), max_length=14, choices=WorkOrderKind.choices)
    priority = models.CharField(_("prioritas"), max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    title = models.CharField(_("judul"), max_length=150)
    description = models.TextField(_("uraian"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=WorkOrderStatus.choices, default=WorkOrderStatus.OPEN)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="reported_work_orders"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="work_orders"
    )
    due_date = models.DateField(_("tenggat"), null=True, blank=True)
    resolution = models.TextField(_("penyelesaian"), blank=True)
    plan = models.ForeignKey(
        PreventivePlan, on_delete=models.SET_NULL, null=True, blank=True, related_name="work_orders"
    )
    outages = models.ManyToManyField("monitoring.Outage", blank=True, related_name="work_orders")
    recovered_at = models.DateTimeField(_("pulih"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    overdue_notified = models.BooleanField(default=False)
    # While the order is in progress its asset is in maintenance, through this window (see services).
    maintenance_window = models.OneToOneField(
        "monitoring.MaintenanceWindow", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[])

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("perintah kerja")
        verbose_name_plural = _("perintah kerja")
        constraints = [
            models.CheckConstraint(
                condition=Q(asset__isnull=False) | Q(site__isnull=False), name="work_order_has_asset_or_site"
            ),
            # The scheduler's idempotence, in the database: one order per plan, asset and due date.
            models.UniqueConstraint(
                fields=["plan", "asset", "due_date"],
                condition=Q(plan__isnull=False),
                name="work_order_once_per_plan_due",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"], name="work_order_status_due")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    @property
    def done_with_exceptions(self) -> bool:
        """Finished with checklist items left undone, each with its reason (maintenance.metrics counts these apart)."""
        return self.status == WorkOrderStatus.DONE and any(not item.done for item in self.checklist.all())

    def clean(self) -> None:
        errors = {}
        if not self.asset_id and not self.site_id:
            errors["asset"] = _("Pilih aset atau lokasi.")
        if self.asset_id and self.agency_id and self.asset.agency_id != self.agency_id:
            errors["asset"] = _("Aset milik instansi lain.")
        if self.site_id and self.agency_id and self.site.agency_id != self.agency_id:
            errors["site"] = _("Lokasi milik instansi lain.")
        if self.assignee_id and self.agency_id and self.assignee.agency_id != self.agency_id:
            errors["assignee"] = _("Petugas harus teknisi instansi yang sama.")
        if errors:
            raise ValidationError(errors)


class WorkOrderTransition(models.Model):
    """One status change of a work order: who, when, from what to what, and why."""

    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=12, choices=WorkOrderStatus.choices)
    to_status = models.CharField(max_length=12, choices=WorkOrderStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} -> {self.to_status}"


class ChecklistItem(models.Model):
    """One step of a work order; an order finished with a step undone says why (`skip_reason`)."""

    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="checklist")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=200)
    done = models.BooleanField(default=False)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    skip_reason = models.CharField(
        _("tidak dapat dikerjakan karena"),
        max_length=300,
        blank=True,
        help_text=_("Wajib untuk butir yang tidak dicentang saat selesai."),
    )

    class Meta:
        ordering = ["work_order_id", "position", "id"]

    def __str__(self) -> str:
        return self.text


class WorkLog(models.Model):
    """Time a technician spent on the order and what they did."""

    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="logs")
    technician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True, validators=[validate_plausible_moment])
    ended_at = models.DateTimeField(null=True, blank=True, validators=[validate_plausible_moment])
    hours = models.DecimalField(
        max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1000))]
    )
    description = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["work_order_id", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.hours} h"


class PartLine(models.Model):
    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="parts")
    name = models.CharField(max_length=150)
    quantity = models.DecimalField(max_digits=9, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))])
    unit_cost_idr = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["work_order_id", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def total_idr(self) -> int:
        return int(self.quantity * self.unit_cost_idr)


def _attachment_path(instance: "Attachment", filename: str) -> str:
    # A name of our own, with the extension of the decoded type: the client's name ("evil.html") never
    # reaches the disk; it is kept in `original_name` for display only.
    return f"work_orders/{instance.work_order_id}/{uuid.uuid4().hex}.{EXTENSIONS[instance.content_type]}"


class Attachment(models.Model):
    """A photo from the field (decoded and bounded by simpul.uploads), served only through a scoped view."""

    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=_attachment_path)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    caption = models.CharField(max_length=200, blank=True)
    original_name = models.CharField(max_length=255, blank=True, help_text=_("Nama berkas dari perangkat pengunggah."))

    class Meta:
        ordering = ["work_order_id", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.file.name


class AgencyMaintenanceSettings(models.Model):
    """An agency's default assignment rule for orders nobody assigned, e.g. corrective work from an outage."""

    agency = models.OneToOneField("assets.Agency", on_delete=models.CASCADE, primary_key=True)
    default_assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    notify_email = models.EmailField(blank=True, help_text=_("Alamat yang menerima notifikasi instansi."))

    class Meta:
        ordering = ["agency__code"]
        verbose_name = _("pengaturan pemeliharaan instansi")
        verbose_name_plural = _("pengaturan pemeliharaan instansi")

    def __str__(self) -> str:
        return str(self.agency)

    def clean(self) -> None:
        if self.default_assignee_id and self.default_assignee.agency_id != self.agency_id:
            raise ValidationError({"default_assignee": _("Petugas harus dari instansi ini.")})


class CorrectiveRule(models.Model):
    """How long an outage of a kind of asset may last before it opens a corrective work order."""

    kind = models.CharField(max_length=20, choices=AssetKind.choices, unique=True)
    after_minutes = models.PositiveIntegerField(default=15, validators=[MaxValueValidator(7 * 24 * 60)])
    priority = models.CharField(max_length=8, choices=Priority.choices, default=Priority.HIGH)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("aturan korektif")
        verbose_name_plural = _("aturan korektif")

    def __str__(self) -> str:
        return f"{self.kind}: {self.after_minutes} min"


class WebhookEndpoint(models.Model):
    """An agency's signed webhook (to its WhatsApp or Telegram gateway): HMAC-SHA256 of the body."""

    agency = models.ForeignKey("assets.Agency", on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=300, validators=[validate_target_url])
    secret = EncryptedTextField()
    events = models.JSONField(default=list, blank=True, help_text=_("Kosong: semua kejadian."))
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["agency__code", "id"]

    def __str__(self) -> str:
        return self.url

    def clean(self) -> None:
        valid = set(NotificationEvent.values)
        if not isinstance(self.events, list) or not set(self.events) <= valid:
            raise ValidationError({"events": _("Daftar dari: %(v)s.") % {"v": ", ".join(sorted(valid))}})
        if len(self.secret or "") < 16:
            raise ValidationError({"secret": _("Rahasia minimal 16 karakter.")})


class Delivery(models.Model):
    """One notification to one destination, retried with backoff until sent or given up.

    About a work order, or (event "lapsing") an agency's digest of what is about to lapse, without one.
    """

    event = models.CharField(max_length=16, choices=NotificationEvent.choices)
    work_order = models.ForeignKey(
        WorkOrder, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    webhook = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, null=True, blank=True)
    email = models.EmailField(blank=True)
    payload = models.JSONField()
    status = models.CharField(max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.event} -> {self.webhook_id or self.email}"


def _new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """A secret iCalendar URL of an agency's upcoming maintenance, for a phone calendar to subscribe to."""

    agency = models.ForeignKey("assets.Agency", on_delete=models.CASCADE, related_name="calendar_feeds")
    token = models.CharField(max_length=64, unique=True, default=_new_feed_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agency__code", "id"]

    def __str__(self) -> str:
        return f"feed {self.agency}"


class LapseReminder(models.Model):
    """That an agency was reminded of one lapsing item (assets.expiries) at one lead time.

    The unique constraints make each reminder happen once per (item, lapse date, lead time), even when
    two runners (the poller's hook and Celery beat) race: the loser's transaction fails and sends nothing.
    A new lapse date (a renewed contract or licence) is a new item.
    """

    agency = models.ForeignKey("assets.Agency", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=LapseKind.choices)
    asset = models.ForeignKey("assets.Asset", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    licence = models.ForeignKey(
        "assets.RadioLicence", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    lapses_on = models.DateField()
    lead_days = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("pengingat masa berlaku")
        verbose_name_plural = _("pengingat masa berlaku")
        constraints = [
            models.CheckConstraint(
                condition=Q(asset__isnull=False, licence__isnull=True) | Q(asset__isnull=True, licence__isnull=False),
                name="lapse_reminder_asset_or_licence",
            ),
            # Two partial constraints, not one over both columns: NULLs never collide in a unique index.
            models.UniqueConstraint(
                fields=["asset", "kind", "lapses_on", "lead_days"],
                condition=Q(asset__isnull=False),
                name="lapse_reminder_once_per_asset_item",
            ),
            models.UniqueConstraint(
                fields=["licence", "kind", "lapses_on", "lead_days"],
                condition=Q(licence__isnull=False),
                name="lapse_reminder_once_per_licence_item",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.lapses_on} H-{self.lead_days}"


class AppliedAction(models.Model):
    """A write sent with an Idempotency-Key (maintenance.idempotency) and the answer it got.

    The offline technician app sends each queued action with a key made on the phone; when the answer is
    lost on the way back the phone sends it again, and the same key then replays this answer instead of
    applying the action twice. Keys are per user: two phones that made the same key never collide.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.UUIDField()
    # SHA-256 of method, path and body: the same key with another request is refused, not replayed.
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(default=0)
    response = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("tindakan terkirim")
        verbose_name_plural = _("tindakan terkirim")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="applied_action_once_per_user_key")]

    def __str__(self) -> str:
        return f"{self.key} -> {self.status_code}"
