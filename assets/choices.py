"""Choices of the inventory. Values are stable API strings; labels are Bahasa Indonesia (translatable)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyLevel(models.TextChoices):
    NATIONAL = "national", _("Nasional")
    PROVINCE = "province", _("Provinsi")
    REGENCY = "regency", _("Kabupaten")
    CITY = "city", _("Kota")


class SiteKind(models.TextChoices):
    PUSDALOPS = "pusdalops", _("Kantor Pusdalops")
    REPEATER_SITE = "repeater_site", _("Menara/bukit repeater")
    FIELD_POST = "field_post", _("Pos lapangan")
    WAREHOUSE = "warehouse", _("Gudang")


class PowerSource(models.TextChoices):
    GRID = "grid", _("PLN")
    GENSET = "genset", _("Genset")
    SOLAR = "solar", _("Surya")
    BATTERY = "battery", _("Baterai")


class AssetKind(models.TextChoices):
    HF_RADIO = "hf_radio", _("Radio HF")
    VHF_RADIO = "vhf_radio", _("Radio VHF")
    UHF_RADIO = "uhf_radio", _("Radio UHF")
    REPEATER = "repeater", _("Repeater")
    INTERNET_LINK = "internet_link", _("Link internet")
    SATELLITE_TERMINAL = "satellite_terminal", _("Terminal satelit")
    ROUTER = "router", _("Router/switch")
    UPS = "ups", _("UPS")
    GENSET = "genset", _("Genset")
    SOLAR_POWER = "solar_power", _("Panel surya")


class AssetStatus(models.TextChoices):
    PLANNED = "planned", _("Direncanakan")
    IN_SERVICE = "in_service", _("Beroperasi")
    FAULTY = "faulty", _("Rusak")
    IN_REPAIR = "in_repair", _("Dalam perbaikan")
    SPARE = "spare", _("Cadangan")
    MISSING = "missing", _("Tidak ditemukan")
    RETIRED = "retired", _("Dihapus")


class FundingSource(models.TextChoices):
    APBD = "apbd", _("APBD")
    APBN = "apbn", _("APBN")
    BNPB_GRANT = "bnpb_grant", _("Hibah BNPB")
    PARTNER = "partner", _("Mitra")


class Band(models.TextChoices):
    HF = "hf", "HF"
    VHF = "vhf", "VHF"
    UHF = "uhf", "UHF"


class LinkMedium(models.TextChoices):
    FIBRE = "fibre", _("Serat optik")
    COPPER = "copper", _("Tembaga")
    CELLULAR = "cellular", _("Seluler")
    MICROWAVE = "microwave", _("Microwave")
    VSAT = "vsat", _("VSAT")


class LinkRole(models.TextChoices):
    PRIMARY = "primary", _("Utama")
    BACKUP = "backup", _("Cadangan")


class SatelliteNetwork(models.TextChoices):
    VSAT = "vsat", "VSAT"
    BGAN = "bgan", "BGAN (Inmarsat)"
    STARLINK = "starlink", "Starlink"
    IRIDIUM = "iridium", "Iridium"
    THURAYA = "thuraya", "Thuraya"
    OTHER = "other", _("Lainnya")


class LapseKind(models.TextChoices):
    """What can lapse on a date: the rows of the expiry list and of its reminders."""

    WARRANTY = "warranty", _("Garansi")
    SUPPORT = "support", _("Kontrak dukungan/pemeliharaan")
    ISP_CONTRACT = "isp_contract", _("Kontrak ISP")
    SATELLITE_CONTRACT = "satellite_contract", _("Langganan satelit")
    SATELLITE_AIRTIME = "satellite_airtime", _("Airtime satelit")
    LICENCE = "licence", _("Izin stasiun radio (ISR)")
    LICENCE_FEE = "licence_fee", _("BHP frekuensi")
    BATTERY = "battery", _("Penggantian baterai")
    END_OF_LIFE = "end_of_life", _("Akhir masa pakai")


class LicenceStatus(models.TextChoices):
    NOT_YET_VALID = "not_yet_valid", _("Belum berlaku")
    VALID = "valid", _("Berlaku")
    RENEWAL_DUE = "renewal_due", _("Waktunya diperpanjang")
    EXPIRED = "expired", _("Kedaluwarsa")


class StockMovementKind(models.TextChoices):
    """What moved a spare part: the sign of the quantity follows from it (assets.stock)."""

    RECEIVED = "received", _("Diterima")
    ISSUED = "issued", _("Dikeluarkan")
    TRANSFER_OUT = "transfer_out", _("Dikirim ke gudang lain")
    TRANSFER_IN = "transfer_in", _("Diterima dari gudang lain")
    ADJUSTED = "adjusted", _("Penyesuaian")
    WRITTEN_OFF = "written_off", _("Dihapusbukukan")


class StocktakeStatus(models.TextChoices):
    OPEN = "open", _("Berjalan")
    CLOSED = "closed", _("Ditutup")


class StocktakeResult(models.TextChoices):
    """What the counter saw of one expected asset."""

    PENDING = "pending", _("Belum diperiksa")
    FOUND = "found", _("Ditemukan")
    ELSEWHERE = "elsewhere", _("Ditemukan di lokasi lain")
    MISSING = "missing", _("Tidak ditemukan")


class Condition(models.TextChoices):
    """The government's categories of an inventoried good's condition."""

    GOOD = "good", _("Baik")
    LIGHT_DAMAGE = "light_damage", _("Rusak Ringan")
    HEAVY_DAMAGE = "heavy_damage", _("Rusak Berat")
