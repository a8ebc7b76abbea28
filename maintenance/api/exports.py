"""The columns of maintenance's exports (`?format=csv|xlsx`): Indonesian headers, labels for codes."""

from django.utils.translation import gettext_lazy as _

from maintenance.choices import Priority, WorkOrderKind, WorkOrderStatus
from simpul.exports import DATE, MOMENT, MONEY, NUMBER, PERCENT, YES_NO, Column

WORK_ORDER_COLUMNS = (
    Column("id", _("Nomor"), NUMBER),
    Column("agency", _("Kode instansi")),
    Column("title", _("Judul")),
    Column("kind", _("Jenis"), labels=dict(WorkOrderKind.choices)),
    Column("priority", _("Prioritas"), labels=dict(Priority.choices)),
    Column("status", _("Status"), labels=dict(WorkOrderStatus.choices)),
    Column("asset", _("ID aset"), NUMBER),
    Column("site", _("ID lokasi"), NUMBER),
    Column("assignee", _("Teknisi")),
    Column("due_date", _("Tenggat"), DATE),
    Column("overdue", _("Lewat tenggat"), YES_NO),
    Column("created_at", _("Dibuat (WITA)"), MOMENT),
    Column("done_at", _("Selesai (WITA)"), MOMENT),
    Column("resolution", _("Penyelesaian")),
)

METRICS_COLUMNS = (
    Column("key", _("Kunci")),
    Column("mttr_h", _("MTTR (jam)"), NUMBER, get=lambda row: _hours(row["mttr_s"])),
    Column("mtbf_h", _("MTBF (jam)"), NUMBER, get=lambda row: _hours(row["mtbf_s"])),
    Column("pm_due", _("Preventif jatuh tempo"), NUMBER, total=True),
    Column("pm_on_time", _("Preventif tepat waktu"), NUMBER, total=True),
    Column("pm_compliance", _("Kepatuhan preventif"), PERCENT),
    Column("open", _("Terbuka"), NUMBER, total=True),
    Column("overdue", _("Lewat tenggat"), NUMBER, total=True),
    Column("repairs", _("Perbaikan"), NUMBER, total=True),
    Column("outages", _("Gangguan"), NUMBER, total=True),
    Column("cost_idr", _("Biaya (Rp)"), MONEY, total=True),
)


def _hours(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 3600, 1)
