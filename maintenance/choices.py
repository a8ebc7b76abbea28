from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkOrderKind(models.TextChoices):
    PREVENTIVE = "preventive", _("Preventif")
    CORRECTIVE = "corrective", _("Korektif")
    INSPECTION = "inspection", _("Inspeksi")
    INSTALLATION = "installation", _("Instalasi")
    DECOMMISSION = "decommission", _("Penghapusan")


class Priority(models.TextChoices):
    LOW = "low", _("Rendah")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("Tinggi")
    URGENT = "urgent", _("Darurat")


class WorkOrderStatus(models.TextChoices):
    OPEN = "open", _("Terbuka")
    ASSIGNED = "assigned", _("Ditugaskan")
    IN_PROGRESS = "in_progress", _("Dikerjakan")
    ON_HOLD = "on_hold", _("Ditunda")
    DONE = "done", _("Selesai")
    CANCELLED = "cancelled", _("Dibatalkan")


class RecurrenceUnit(models.TextChoices):
    DAYS = "days", _("hari")
    WEEKS = "weeks", _("minggu")
    MONTHS = "months", _("bulan")
    DAY_OF_MONTH = "day_of_month", _("tanggal tiap bulan")


class NotificationEvent(models.TextChoices):
    ASSIGNED = "assigned", _("Ditugaskan")
    OVERDUE = "overdue", _("Lewat tenggat")
    OUTAGE_OPENED = "outage_opened", _("Gangguan membuka perintah kerja")
    LAPSING = "lapsing", _("Garansi, kontrak, izin atau baterai akan berakhir")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu")
    SENT = "sent", _("Terkirim")
    FAILED = "failed", _("Gagal")
