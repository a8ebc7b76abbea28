"""The columns of the inventory's exports (`?format=csv|xlsx`): Indonesian headers, labels for codes."""

from django.utils.translation import gettext_lazy as _

from assets.choices import AssetKind, AssetStatus, FundingSource, LapseKind, LinkRole, PowerSource, SiteKind
from simpul.exports import DATE, MONEY, NUMBER, YES_NO, Column

AGENCY = Column("agency", _("Kode instansi"))
AGENCY_NAME = Column("agency_name", _("Instansi"))

SITE_COLUMNS = (
    Column("id", _("ID"), NUMBER),
    AGENCY,
    Column("name", _("Nama lokasi")),
    Column("kind", _("Jenis"), labels=dict(SiteKind.choices)),
    Column("latitude", _("Lintang"), NUMBER),
    Column("longitude", _("Bujur"), NUMBER),
    Column("elevation_m", _("Ketinggian (m)"), NUMBER),
    Column("address", _("Alamat")),
    Column("power_source", _("Sumber daya"), labels=dict(PowerSource.choices)),
    Column("access_notes", _("Catatan akses")),
)

ASSET_COLUMNS = (
    Column("id", _("ID"), NUMBER),
    AGENCY,
    Column("site", _("ID lokasi"), NUMBER),
    Column("kind", _("Jenis"), labels=dict(AssetKind.choices)),
    Column("name", _("Nama")),
    Column("tag", _("Nomor inventaris")),
    Column("manufacturer", _("Merek")),
    Column("model", _("Model")),
    Column("serial_number", _("Nomor seri")),
    Column("status", _("Status"), labels=dict(AssetStatus.choices)),
    Column("acquisition_date", _("Tanggal perolehan"), DATE),
    Column("cost_idr", _("Harga perolehan (Rp)"), MONEY, total=True),
    Column("funding_source", _("Sumber dana"), labels=dict(FundingSource.choices)),
    Column("warranty_end", _("Akhir garansi"), DATE),
    Column("support_end", _("Akhir kontrak dukungan"), DATE),
    Column("end_of_life", _("Akhir masa pakai"), DATE),
    Column("management_address", _("Alamat IP")),
    Column("link_role", _("Peran link"), labels=dict(LinkRole.choices)),
    Column("monthly_cost_idr", _("Biaya bulanan (Rp)"), MONEY, total=True),
    Column("contract_end", _("Akhir kontrak"), DATE),
    Column("notes", _("Catatan")),
)

EXPIRY_COLUMNS = (
    AGENCY,
    AGENCY_NAME,
    Column("kind", _("Apa"), labels=dict(LapseKind.choices)),
    Column("subject", _("Nama")),
    Column("lapses_on", _("Berakhir"), DATE),
    Column("days_left", _("Sisa hari"), NUMBER),
    Column("act_by", _("Bertindak paling lambat"), DATE),
    Column("cost_idr", _("Biaya (Rp)"), MONEY, total=True),
)

EXPIRY_TOTAL_COLUMNS = (
    AGENCY,
    AGENCY_NAME,
    Column("within_30", _("Dalam 30 hari"), NUMBER, total=True),
    Column("within_60", _("Dalam 60 hari"), NUMBER, total=True),
    Column("within_90", _("Dalam 90 hari"), NUMBER, total=True),
    Column("cost_idr", _("Biaya (Rp)"), MONEY, total=True),
)

# The gap report: a summary sheet, then one sheet per agency of its lines; CSV is every line in one list.
GAP_SUMMARY_COLUMNS = (
    AGENCY,
    AGENCY_NAME,
    Column("ready", _("Siap menerima bantuan BNPB"), YES_NO),
    Column("readiness_missing", _("Syarat yang belum terpenuhi")),
    Column("cost_idr", _("Beli dan perpanjang (Rp)"), MONEY, total=True),
    Column("yearly_cost_idr", _("Langganan per tahun (Rp)"), MONEY, total=True),
)
GAP_LINE_COLUMNS = (
    AGENCY,
    AGENCY_NAME,
    Column("need", _("Kebutuhan")),
    Column("subject", _("Nama")),
    Column("required", _("Wajib"), NUMBER),
    Column("working", _("Berfungsi"), NUMBER),
    Column("expiring", _("Segera diganti"), NUMBER),
    Column("to_buy", _("Perlu"), NUMBER, total=True),
    Column("lapses_on", _("Berakhir"), DATE),
    Column("unit_cost_idr", _("Harga satuan (Rp)"), MONEY),
    Column("cost_idr", _("Beli dan perpanjang (Rp)"), MONEY, total=True),
    Column("yearly_cost_idr", _("Langganan per tahun (Rp)"), MONEY, total=True),
)


def gap_lines(data: dict) -> list[dict]:
    """The report's standard lines to fill and its renewals as one list of rows, agency by agency."""
    kinds, roles, lapses = dict(AssetKind.choices), dict(LinkRole.choices), dict(LapseKind.choices)
    lines = [
        {
            **row,
            "need": f"{kinds[row['kind']]} ({str(roles[row['link_role']]).lower()})"
            if row["link_role"]
            else str(kinds[row["kind"]]),
        }
        for row in data["results"]
        if row["to_buy"]
    ]
    lines += [{**renewal, "need": str(lapses[renewal["kind"]])} for renewal in data["renewals"]]
    lines += [
        {
            **line,
            "need": str(_("Stok di bawah minimum")),
            "subject": f"{line['item']} ({line['site']})",
            "required": line["minimum"],
            "working": line["quantity"],
            "to_buy": line["shortfall"],
        }
        for line in data["restock"]
    ]
    return sorted(lines, key=lambda line: line["agency"])  # stable: lines, renewals soonest first, then stock
