"""The columns of monitoring's exports (`?format=csv|xlsx`): Indonesian headers, labels for codes."""

from django.utils.translation import gettext_lazy as _

from assets.choices import AssetKind
from monitoring.choices import State
from simpul.exports import MOMENT, NUMBER, PERCENT, YES_NO, Column

STATUS_COLUMNS = (
    Column("agency", _("Kode instansi")),
    Column("asset", _("ID aset"), NUMBER),
    Column("asset_name", _("Aset")),
    Column("kind", _("Jenis"), labels=dict(AssetKind.choices)),
    Column("state", _("Keadaan"), labels=dict(State.choices)),
    Column("since", _("Sejak (WITA)"), MOMENT),
    Column("reason", _("Sebab")),
    Column("last_polled_at", _("Terakhir dicek (WITA)"), MOMENT),
    Column("last_rtt_ms", _("RTT terakhir (ms)"), NUMBER),
    Column("last_loss", _("Paket hilang terakhir"), PERCENT),
)

OUTAGE_COLUMNS = (
    Column("agency", _("Kode instansi")),
    Column("asset", _("ID aset"), NUMBER),
    Column("asset_name", _("Aset")),
    Column("started_at", _("Mulai (WITA)"), MOMENT),
    Column("ended_at", _("Selesai (WITA)"), MOMENT),
    Column("duration_min", _("Durasi (menit)"), NUMBER, total=True, get=lambda row: round(row["duration_s"] / 60)),
    Column("cause", _("Penyebab")),
    Column("took_down", _("Ikut terputus"), NUMBER),
)

AVAILABILITY_COLUMNS = (
    Column("key", _("Kunci")),
    Column("label", _("Nama")),
    Column("assets", _("Jumlah aset"), NUMBER, total=True),
    Column("monitored_h", _("Dipantau (jam)"), NUMBER, get=lambda row: round(row["monitored_s"] / 3600, 1)),
    Column("down_h", _("Terputus (jam)"), NUMBER, total=True, get=lambda row: round(row["down_s"] / 3600, 1)),
    Column("outages", _("Jumlah gangguan"), NUMBER, total=True),
    Column("availability", _("Ketersediaan"), PERCENT),
)

RADIO_CHECK_COLUMNS = (
    Column("agency", _("Kode instansi")),
    Column("held_at", _("Waktu apel (WITA)"), MOMENT),
    Column("net", _("Jaring")),
    Column("operator", _("Operator")),
    Column("asset_name", _("Stasiun")),
    Column("answered", _("Menjawab"), YES_NO),
    Column("readability", _("Kejelasan (1-5)"), NUMBER),
    Column("signal", _("Kekuatan sinyal (1-5)"), NUMBER),
    Column("notes", _("Catatan")),
)


def radio_check_lines(checks: list[dict]) -> list[dict]:
    """One row per station called in each roll call, the roll call's own fields beside it."""
    return [{**check, **entry} for check in checks for entry in check["entries"]]
