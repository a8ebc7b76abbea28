"""Choices of the alerting app. Values are stable API strings; labels are Bahasa Indonesia (translatable)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AlertKind(models.TextChoices):
    """What an alert is about; also what a rule listens to (a rule's `states`)."""

    DOWN = "down", _("Mati")
    DEGRADED = "degraded", _("Menurun")
    UNREACHABLE = "unreachable", _("Tak terjangkau")
    REBOOT = "reboot", _("Reboot")
    UNSTABLE = "unstable", _("Tidak stabil")
    CHANNEL_FAILURE = "channel_failure", _("Kanal peringatan gagal")
    OVERRUN = "overrun", _("Pemeliharaan melewati jadwal")
    MISSED_ROLL_CALL = "missed_roll_call", _("Apel radio terlewat")
    POLLER_SILENT = "poller_silent", _("Poller diam")


class AlertState(models.TextChoices):
    OPEN = "open", _("Terbuka")
    ESCALATED = "escalated", _("Dieskalasi")
    ACKNOWLEDGED = "acknowledged", _("Diterima")
    RESOLVED = "resolved", pgettext_lazy("alert", "Selesai")  # an alert resolved, not work done


ACTIVE_STATES = (AlertState.OPEN, AlertState.ESCALATED, AlertState.ACKNOWLEDGED)
UNACKNOWLEDGED_STATES = (AlertState.OPEN, AlertState.ESCALATED)


class Severity(models.TextChoices):
    CRITICAL = "critical", _("Kritis")
    WARNING = "warning", _("Peringatan")
    INFO = "info", _("Info")


class ChannelKind(models.TextChoices):
    EMAIL = "email", _("Email")
    TELEGRAM = "telegram", "Telegram"
    HTTP = "http", _("Gateway HTTP (WhatsApp/SMS)")
    WEBHOOK = "webhook", _("Webhook bertanda tangan (HMAC)")


class MessageKind(models.TextChoices):
    RAISED = "raised", _("Peringatan")
    ESCALATED = "escalated", _("Eskalasi")
    RECOVERED = "recovered", _("Pulih")


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu")
    SENT = "sent", _("Terkirim")
    FAILED = "failed", _("Gagal")


class TimelineKind(models.TextChoices):
    RAISED = "raised", _("Muncul")
    JOINED = "joined", _("Aset ikut terdampak")
    MERGED = "merged", _("Digabung ke peringatan induk")
    UNSTABLE = "unstable", _("Tidak stabil")
    QUEUED = "queued", _("Dijadwalkan kirim")
    SENT = "sent", _("Terkirim")
    FAILED = "failed", _("Gagal kirim")
    ESCALATED = "escalated", _("Dieskalasi")
    ACKNOWLEDGED = "acknowledged", _("Diterima")
    RECOVERED = "recovered", _("Pulih")
    RESOLVED = "resolved", pgettext_lazy("alert", "Selesai")  # an alert resolved, not work done


class AckVia(models.TextChoices):
    LINK = "link", _("Tautan")
    WEB = "web", _("Halaman web")
    API = "api", "API"
    TELEGRAM = "telegram", "Telegram"


class HttpBodyEncoding(models.TextChoices):
    JSON = "json", "JSON"
    FORM = "form", _("Formulir (x-www-form-urlencoded)")
