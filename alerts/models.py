"""Alerting: rules, the duty roster, channels, alerts with their timeline, and the outbox of messages.

See DESIGN.md: alerts react to monitoring's confirmed transitions (alerts.consumer), decide what deserves
an alert (alerts.decisions), tell whoever is on duty (alerts.roster) over the agency's channels through an
outbox in the database (alerts.outbox, alerts.sender), and escalate what nobody acknowledges (alerts.escalation).
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alerts.choices import (
    ACTIVE_STATES,
    AckVia,
    AlertKind,
    AlertState,
    ChannelKind,
    HttpBodyEncoding,
    MessageKind,
    MessageStatus,
    Severity,
    TimelineKind,
)
from assets.choices import AssetKind
from simpul.egress import validate_target_url
from simpul.encrypted import EncryptedTextField

RULE_KINDS = [AlertKind.DOWN, AlertKind.DEGRADED, AlertKind.UNREACHABLE, AlertKind.REBOOT]


class AlertRule(models.Model):
    """When an asset's change deserves an alert, how urgent it is, and how long nobody may ignore it.

    A rule belongs to an agency and covers its assets; with `include_children` a province's rule also
    covers its regencies and cities. A rule without an agency is a default for every agency (seeded).
    Who is told is always the asset's agency's duty roster; escalation climbs from there.
    """

    agency = models.ForeignKey(
        "assets.Agency", on_delete=models.CASCADE, null=True, blank=True, related_name="alert_rules"
    )
    name = models.CharField(_("nama"), max_length=120)
    include_children = models.BooleanField(_("berlaku juga untuk kabupaten/kota di bawahnya"), default=False)
    asset_kinds = models.JSONField(_("jenis aset"), default=list, blank=True, help_text=_("Kosong: semua jenis."))
    kinds = models.JSONField(_("status"), default=list, help_text=_("down, degraded, unreachable, reboot."))
    severity = models.CharField(_("tingkat"), max_length=10, choices=Severity.choices, default=Severity.CRITICAL)
    delay_minutes = models.PositiveIntegerField(
        _("tunda (menit)"),
        default=0,
        validators=[MaxValueValidator(24 * 60)],
        help_text=_("Hanya jika masih bermasalah setelah sekian menit."),
    )
    quiet_start = models.TimeField(_("jam tenang mulai (WITA)"), null=True, blank=True)
    quiet_end = models.TimeField(_("jam tenang selesai (WITA)"), null=True, blank=True)
    escalate_after_minutes = models.PositiveIntegerField(
        _("eskalasi setelah (menit)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)],
        help_text=_("Kosong: tanpa eskalasi."),
    )
    active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["agency__code", "name", "id"]
        verbose_name = _("aturan peringatan")
        verbose_name_plural = _("aturan peringatan")
        constraints = [
            models.CheckConstraint(
                condition=Q(quiet_start__isnull=True, quiet_end__isnull=True)
                | Q(quiet_start__isnull=False, quiet_end__isnull=False),
                name="alert_rule_quiet_hours_pair",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        kinds = {value for value, _label in AssetKind.choices}
        if not isinstance(self.asset_kinds, list) or not set(self.asset_kinds) <= kinds:
            errors["asset_kinds"] = _("Daftar jenis aset yang dikenal.")
        if not isinstance(self.kinds, list) or not self.kinds or not set(self.kinds) <= set(RULE_KINDS):
            errors["kinds"] = _("Satu atau lebih dari: down, degraded, unreachable, reboot.")
        if (self.quiet_start is None) != (self.quiet_end is None):
            errors["quiet_end"] = _("Jam tenang butuh awal dan akhir.")
        elif self.quiet_start is not None and self.quiet_start == self.quiet_end:
            errors["quiet_end"] = _("Awal dan akhir jam tenang tidak boleh sama.")
        if errors:
            raise ValidationError(errors)


class DutyShift(models.Model):
    """A shift of an agency's duty roster (jadwal piket), in WITA: 08.00-16.00, 16.00-24.00, 00.00-08.00.

    An end at or before the start means the next day (16.00-00.00 ends at midnight, 22.00-06.00 crosses it).
    """

    agency = models.ForeignKey("assets.Agency", on_delete=models.CASCADE, related_name="duty_shifts")
    name = models.CharField(_("nama"), max_length=60)
    starts = models.TimeField(_("mulai (WITA)"))
    ends = models.TimeField(_("selesai (WITA)"))

    class Meta:
        ordering = ["agency__code", "starts", "id"]
        verbose_name = _("shift piket")
        verbose_name_plural = _("shift piket")
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="duty_shift_name_per_agency")]

    def __str__(self) -> str:
        return f"{self.name} {self.starts:%H.%M}-{self.ends:%H.%M}"


class DutyAssignment(models.Model):
    """Who is on one shift on one day (the WITA date the shift starts). A swap keeps who was planned."""

    shift = models.ForeignKey(DutyShift, on_delete=models.CASCADE, related_name="assignments")
    date = models.DateField(_("tanggal (WITA)"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="duty_assignments")
    planned_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Petugas semula bila ditukar."),
    )

    class Meta:
        ordering = ["date", "shift__starts", "id"]
        verbose_name = _("jadwal piket")
        verbose_name_plural = _("jadwal piket")
        constraints = [
            models.UniqueConstraint(fields=["shift", "date", "user"], name="duty_assignment_once"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.shift}: {self.user}"

    @property
    def agency_id(self) -> int:
        return self.shift.agency_id

    def clean(self) -> None:
        if self.user_id and self.shift_id and self.user.agency_id != self.shift.agency_id:
            raise ValidationError({"user": _("Petugas harus dari instansi shift ini.")})


class AlertContact(models.Model):
    """Where a person receives alerts beyond their email: a phone for WhatsApp/SMS, a Telegram chat."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_contact")
    phone = models.CharField(
        _("nomor HP"),
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^\+?\d{8,15}$", _("Nomor HP, mis. 6281234567890."))],
    )
    telegram_chat_id = models.BigIntegerField(_("ID chat Telegram"), null=True, blank=True, unique=True)

    class Meta:
        ordering = ["user_id"]
        verbose_name = _("kontak peringatan")
        verbose_name_plural = _("kontak peringatan")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def agency_id(self) -> int | None:
        return self.user.agency_id

    @property
    def language(self) -> str:
        """The person's chosen language (on their profile, accounts.User.language), in which alerts reach them."""
        return self.user.message_language


class Channel(models.Model):
    """One way an agency's alerts leave Simpul: email, a Telegram bot, an HTTP gateway (WhatsApp, SMS), or a
    signed webhook (the same JSON POST and HMAC signature as maintenance's webhooks, simpul.webhook_signature).

    The secret (bot token, gateway API key) is encrypted at rest and write-only in the API. An HTTP
    channel's headers and body are templates: {to}, {text}, {subject}, {delivery_id}, {ack_url} and
    {secret} are filled in per message; success is a 2xx answer containing `success_contains` if set.
    """

    agency = models.ForeignKey("assets.Agency", on_delete=models.CASCADE, related_name="alert_channels")
    name = models.CharField(_("nama"), max_length=120)
    kind = models.CharField(_("jenis"), max_length=10, choices=ChannelKind.choices)
    active = models.BooleanField(_("aktif"), default=True)
    url = models.URLField(
        _("URL"),
        max_length=500,
        blank=True,
        validators=[validate_target_url],
        help_text=_("Telegram: kosong untuk api.telegram.org."),
    )
    method = models.CharField(_("metode"), max_length=6, choices=[("POST", "POST"), ("GET", "GET")], default="POST")
    headers = models.JSONField(_("header"), default=dict, blank=True)
    body = models.JSONField(_("isi"), default=dict, blank=True)
    body_encoding = models.CharField(
        _("format isi"), max_length=4, choices=HttpBodyEncoding.choices, default=HttpBodyEncoding.JSON
    )
    success_contains = models.CharField(_("jawaban sukses memuat"), max_length=120, blank=True)
    secret = EncryptedTextField(_("rahasia"), blank=True)
    failing_since = models.DateTimeField(null=True, blank=True, editable=False)
    consecutive_failures = models.PositiveIntegerField(default=0, editable=False)
    last_error = models.CharField(max_length=300, blank=True, editable=False)

    class Meta:
        ordering = ["agency__code", "name", "id"]
        verbose_name = _("kanal peringatan")
        verbose_name_plural = _("kanal peringatan")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.kind in (ChannelKind.HTTP, ChannelKind.WEBHOOK) and not self.url:
            errors["url"] = _("Gateway HTTP butuh URL.")
        if self.kind == ChannelKind.WEBHOOK and len(self.secret or "") < 16:
            errors["secret"] = _("Rahasia minimal 16 karakter.")
        if self.kind == ChannelKind.TELEGRAM and not self.secret:
            errors["secret"] = _("Telegram butuh token bot.")
        for name in ("headers", "body"):
            value = getattr(self, name)
            if not isinstance(value, dict) or (
                name == "headers" and not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
            ):
                errors[name] = _("Harus objek JSON (nama -> teks).")
        if errors:
            raise ValidationError(errors)


class Alert(models.Model):
    """One problem worth telling someone about: one root cause, with what it took down, until it recovers."""

    agency = models.ForeignKey("assets.Agency", on_delete=models.CASCADE, related_name="alerts")
    asset = models.ForeignKey("assets.Asset", on_delete=models.CASCADE, null=True, blank=True, related_name="alerts")
    channel = models.ForeignKey(
        Channel, on_delete=models.CASCADE, null=True, blank=True, related_name="failure_alerts"
    )  # set on an alert about a failing channel
    poller = models.ForeignKey(
        "monitoring.Poller", on_delete=models.CASCADE, null=True, blank=True, related_name="alerts"
    )  # set on an alert about a silent remote poller (alerts.pollers)
    rule = models.ForeignKey(AlertRule, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    kind = models.CharField(_("jenis"), max_length=16, choices=AlertKind.choices)
    state = models.CharField(_("status"), max_length=12, choices=AlertState.choices, default=AlertState.OPEN)
    severity = models.CharField(_("tingkat"), max_length=10, choices=Severity.choices, default=Severity.CRITICAL)
    summary = models.CharField(_("ringkasan"), max_length=200)
    reason = models.CharField(_("sebab"), max_length=200, blank=True)  # as monitoring gave it (roll call, probe)
    started_at = models.DateTimeField(_("mulai"))
    notify_at = models.DateTimeField(null=True, blank=True, help_text=_("Kapan diberitahukan (setelah tunda)."))
    notified_at = models.DateTimeField(null=True, blank=True)
    tier = models.PositiveSmallIntegerField(_("tingkat eskalasi"), default=0)
    escalate_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledged_via = models.CharField(max_length=10, choices=AckVia.choices, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    affected = models.ManyToManyField("assets.Asset", blank=True, related_name="+")
    affected_count = models.PositiveIntegerField(_("aset ikut terdampak"), default=0)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("peringatan")
        verbose_name_plural = _("peringatan")
        constraints = [
            # One active alert per asset and kind: a replayed cycle or a second consumer cannot open another.
            models.UniqueConstraint(
                fields=["asset", "kind"], condition=Q(state__in=ACTIVE_STATES), name="alert_one_active_per_asset"
            ),
            models.UniqueConstraint(
                fields=["channel"], condition=Q(state__in=ACTIVE_STATES), name="alert_one_active_per_channel"
            ),
            models.UniqueConstraint(
                fields=["poller"], condition=Q(state__in=ACTIVE_STATES), name="alert_one_active_per_poller"
            ),
        ]
        indexes = [
            models.Index(fields=["state", "notify_at"], name="alert_state_notify"),
            models.Index(fields=["state", "escalate_at"], name="alert_state_escalate"),
        ]

    def __str__(self) -> str:
        return self.summary


class AlertEvent(models.Model):
    """One line of an alert's timeline: raised, told whom over what, escalated, acknowledged, recovered."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField()
    kind = models.CharField(max_length=14, choices=TimelineKind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    channel = models.ForeignKey(Channel, on_delete=models.SET_NULL, null=True, blank=True)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("riwayat peringatan")
        verbose_name_plural = _("riwayat peringatan")

    def __str__(self) -> str:
        return f"{self.alert_id} {self.kind}"


class Message(models.Model):
    """The outbox: one message to one person over one channel, delivered at least once.

    `delivery_id` travels with the request (Idempotency-Key, X-Simpul-Delivery, the email's Message-ID)
    so a gateway that honours it never delivers a retried message twice. A sender leases a row while it
    sends (`lease_until`); a sender killed mid-delivery leaves it pending and it is sent again later.
    """

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=10, choices=MessageKind.choices)
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="messages")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    address = models.CharField(max_length=254)
    tier = models.PositiveSmallIntegerField(default=0)
    delivery_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reply_to = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=8, choices=MessageStatus.choices, default=MessageStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    provider_ref = models.CharField(max_length=200, blank=True, help_text=_("Mis. message_id Telegram."))
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    ack_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("pesan keluar")
        verbose_name_plural = _("pesan keluar")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="alert_message_due")]

    def __str__(self) -> str:
        return f"{self.kind} -> {self.address}"

    @property
    def agency_id(self) -> int:
        return self.alert.agency_id


class Cursor(models.Model):
    """How far alerts has read a table of monitoring (transitions, events): the last id taken for sure."""

    name = models.CharField(max_length=40, unique=True)
    position = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}@{self.position}"


class Consumed(models.Model):
    """Ids read past the cursor: rows committed out of id order (concurrent recorders) are still read once."""

    stream = models.CharField(max_length=40)
    row_id = models.BigIntegerField()
    at = models.DateTimeField()

    class Meta:
        ordering = ["stream", "row_id"]
        constraints = [models.UniqueConstraint(fields=["stream", "row_id"], name="consumed_once")]

    def __str__(self) -> str:
        return f"{self.stream}:{self.row_id}"
