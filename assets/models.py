"""The inventory: agencies (BPBD), their sites, partners, every communication asset, radio licences, spare-part
stock and stocktakes."""

import uuid
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assets.choices import (
    AgencyLevel,
    AssetKind,
    AssetStatus,
    Band,
    Condition,
    FundingSource,
    LicenceStatus,
    LinkMedium,
    LinkRole,
    PowerSource,
    SatelliteNetwork,
    SiteKind,
    StockMovementKind,
    StocktakeResult,
    StocktakeStatus,
)
from assets.constants import (
    BAND_RANGES_MHZ,
    DEFAULT_LICENCE_RENEWAL_LEAD_DAYS,
    FIELD_GROUPS,
    KIND_BAND,
    KIND_FIELD_GROUPS,
    KIND_REQUIRED_FIELDS,
    LATITUDE_RANGE,
    LONGITUDE_RANGE,
    TRANSMITTING_STATUSES,
)
from assets.validators import (
    emission_bandwidth_khz,
    mhz,
    normalise_frequencies,
    validate_callsign,
    validate_emission,
    validate_management_address,
    validate_tone,
)
from simpul.uploads import EXTENSIONS

# A parent must sit above its child: national > province > regency/city.
_PARENT_LEVEL = {
    AgencyLevel.PROVINCE: AgencyLevel.NATIONAL,
    AgencyLevel.REGENCY: AgencyLevel.PROVINCE,
    AgencyLevel.CITY: AgencyLevel.PROVINCE,
}


class Agency(models.Model):
    """A disaster agency (BPBD), named everywhere by its Kemendagri region code (64, 64.01, ...)."""

    code = models.CharField(
        _("kode wilayah"),
        max_length=13,
        unique=True,
        validators=[RegexValidator(r"^\d{2}(\.\d{2}){0,2}$", _("Kode wilayah Kemendagri, mis. 64 atau 64.01."))],
    )
    name = models.CharField(_("nama"), max_length=120)
    level = models.CharField(_("tingkat"), max_length=10, choices=AgencyLevel.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("induk"),
    )
    pusdalops_decree_number = models.CharField(_("nomor SK Pusdalops PB"), max_length=120, blank=True)
    pusdalops_decree_date = models.DateField(_("tanggal SK Pusdalops PB"), null=True, blank=True)
    phone = models.CharField(_("telepon"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    licence_renewal_lead_days = models.PositiveSmallIntegerField(
        _("perpanjangan ISR diajukan H-"),
        default=DEFAULT_LICENCE_RENEWAL_LEAD_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Hari sebelum ISR berakhir, batas instansi ini mengajukan perpanjangan."),
    )
    # BNPB's conditions for Pusdalops equipment aid (assets.readiness); empty means "not stated yet".
    own_building = models.BooleanField(_("gedung milik sendiri"), null=True, blank=True)
    radio_room_length_m = models.DecimalField(
        _("panjang ruang radio (m)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal(100))],
    )
    radio_room_width_m = models.DecimalField(
        _("lebar ruang radio (m)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal(100))],
    )
    operators_committed = models.BooleanField(
        _("operator ditetapkan untuk 3 tahun"),
        null=True,
        blank=True,
        help_text=_("Ada surat pernyataan/SK penugasan operator radio selama tiga tahun."),
    )
    maintenance_committed = models.BooleanField(
        _("komitmen pemeliharaan"),
        null=True,
        blank=True,
        help_text=_("Ada surat pernyataan kesanggupan memelihara peralatan (anggaran dan petugas)."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("instansi (BPBD)")
        verbose_name_plural = _("instansi (BPBD)")
        constraints = [
            models.CheckConstraint(
                condition=Q(level=AgencyLevel.NATIONAL, parent__isnull=True)
                | Q(level=AgencyLevel.PROVINCE)
                | Q(level__in=[AgencyLevel.REGENCY, AgencyLevel.CITY], parent__isnull=False),
                name="agency_parent_by_level",
                violation_error_message=_("Kabupaten/kota harus punya induk; nasional tidak."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        if self.parent_id and self.parent.level != _PARENT_LEVEL.get(self.level):
            raise ValidationError({"parent": _("Induk harus satu tingkat di atas instansi ini.")})


class Partner(models.Model):
    """An organisation outside the BPBDs that owns or runs part of the network (ORARI, RAPI, an ISP...)."""

    class Kind(models.TextChoices):
        RADIO_ORGANISATION = "radio_organisation", _("Organisasi radio")
        ISP = "isp", _("Penyedia internet")
        AGENCY = "agency", _("Instansi lain")
        OTHER = "other", _("Lainnya")

    name = models.CharField(_("nama"), max_length=120, unique=True)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    contact = models.CharField(_("kontak"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("mitra")
        verbose_name_plural = _("mitra")

    def __str__(self) -> str:
        return self.name


class Site(models.Model):
    """A place where equipment stands: a Pusdalops office, a repeater hill, a field post, a warehouse."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="sites", verbose_name=_("instansi"))
    name = models.CharField(_("nama"), max_length=120)
    kind = models.CharField(_("jenis"), max_length=20, choices=SiteKind.choices)
    latitude = models.DecimalField(
        _("lintang"),
        max_digits=8,
        decimal_places=5,
        validators=[
            MinValueValidator(Decimal(str(LATITUDE_RANGE[0]))),
            MaxValueValidator(Decimal(str(LATITUDE_RANGE[1]))),
        ],
    )
    longitude = models.DecimalField(
        _("bujur"),
        max_digits=8,
        decimal_places=5,
        validators=[
            MinValueValidator(Decimal(str(LONGITUDE_RANGE[0]))),
            MaxValueValidator(Decimal(str(LONGITUDE_RANGE[1]))),
        ],
    )
    elevation_m = models.IntegerField(
        _("ketinggian (m)"), null=True, blank=True, validators=[MinValueValidator(-100), MaxValueValidator(5000)]
    )
    address = models.CharField(_("alamat"), max_length=250, blank=True)
    power_source = models.CharField(_("sumber daya"), max_length=10, choices=PowerSource.choices)
    access_notes = models.TextField(_("catatan akses"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["agency__code", "name"]
        verbose_name = _("lokasi")
        verbose_name_plural = _("lokasi")
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="site_unique_name_per_agency"),
            models.CheckConstraint(
                condition=Q(latitude__gte=LATITUDE_RANGE[0], latitude__lte=LATITUDE_RANGE[1])
                & Q(longitude__gte=LONGITUDE_RANGE[0], longitude__lte=LONGITUDE_RANGE[1]),
                name="site_inside_indonesia",
            ),
        ]

    def __str__(self) -> str:
        return self.name


def licence_status(valid_from: date, valid_until: date, lead_days: int, today: date) -> str:
    """A licence's state on `today`; the renewal falls due `lead_days` (the agency's lead time) before its last day.
    A function of plain values, so that a list read as rows (assets.api.serializers) says the same as the model."""
    if today < valid_from:
        return LicenceStatus.NOT_YET_VALID
    if today > valid_until:
        return LicenceStatus.EXPIRED
    if today >= valid_until - timedelta(days=lead_days):
        return LicenceStatus.RENEWAL_DUE
    return LicenceStatus.VALID


def frequency_offset(tx_mhz: Decimal | None, rx_mhz: Decimal | None) -> Decimal | None:
    return None if tx_mhz is None or rx_mhz is None else tx_mhz - rx_mhz


def transmits_past_licence(status: str, licence_valid_until: date | None, today: date) -> bool:
    """An asset of `status` may be on the air under a licence whose last day is past (None: no licence)."""
    return licence_valid_until is not None and status in TRANSMITTING_STATUSES and licence_valid_until < today


class RadioLicence(models.Model):
    """A station licence (Izin Stasiun Radio, ISR) from the ministry's SDPPI, covering one or more transmitters.

    The licence lists the frequencies the station may use; every radio that carries it must transmit
    (and receive) on one of them, at no more than the licensed power (checked in `Asset.clean()` and,
    when the licence changes, here). It is valid from `valid_from` through `valid_until` (the last day);
    the agency files its renewal `Agency.licence_renewal_lead_days` before, and the yearly frequency fee
    (BHP frekuensi) falls due on `fee_due_date`.
    """

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="licences", verbose_name=_("instansi"))
    number = models.CharField(_("nomor ISR"), max_length=60, unique=True)
    callsign = models.CharField(_("tanda panggil"), max_length=20, blank=True, validators=[validate_callsign])
    holder = models.CharField(
        _("pemegang izin"), max_length=150, blank=True, help_text=_("Kosong: nama instansi pemilik.")
    )
    frequencies_mhz = models.JSONField(
        _("frekuensi (MHz)"), default=list, help_text=_("Semua frekuensi yang diizinkan, mis. [147.0, 147.6].")
    )
    emission = models.CharField(
        _("kelas emisi"),
        max_length=9,
        validators=[validate_emission],
        help_text=_("Penandaan emisi ITU, mis. 16K0F3E, 11K0F3E atau 3K00J3E."),
    )
    power_w = models.DecimalField(
        _("daya maksimum (W)"), max_digits=7, decimal_places=1, validators=[MinValueValidator(Decimal("0.1"))]
    )
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, null=True, blank=True, related_name="licences", verbose_name=_("lokasi")
    )
    location = models.CharField(
        _("lokasi stasiun"), max_length=250, blank=True, help_text=_("Alamat atau wilayah seperti tertulis di ISR.")
    )
    valid_from = models.DateField(_("berlaku sejak"))
    valid_until = models.DateField(_("berlaku sampai"), help_text=_("Hari terakhir masa laku."))
    fee_due_date = models.DateField(_("jatuh tempo BHP frekuensi"), null=True, blank=True)
    fee_amount_idr = models.PositiveBigIntegerField(_("BHP frekuensi per tahun (Rp)"), null=True, blank=True)
    notes = models.TextField(_("catatan"), blank=True)

    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["agency__code", "valid_until", "number"]
        verbose_name = _("izin stasiun radio (ISR)")
        verbose_name_plural = _("izin stasiun radio (ISR)")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gt=models.F("valid_from")),
                name="licence_valid_until_after_from",
                violation_error_message=_("Berlaku sampai harus sesudah berlaku sejak."),
            ),
            models.CheckConstraint(
                condition=Q(fee_due_date__isnull=True) | Q(fee_due_date__gte=models.F("valid_from")),
                name="licence_fee_due_in_validity",
                violation_error_message=_("Jatuh tempo BHP tidak bisa sebelum ISR berlaku."),
            ),
        ]
        indexes = [
            models.Index(fields=["valid_until"], name="licence_valid_until"),
            models.Index(fields=["fee_due_date"], name="licence_fee_due_date"),
        ]

    def __str__(self) -> str:
        return f"ISR {self.number}"

    @property
    def bandwidth_khz(self) -> Decimal | None:
        return emission_bandwidth_khz(self.emission)

    @property
    def renewal_due_on(self) -> date:
        """The day by which the renewal is filed: the agency's lead time before the last valid day."""
        return self.valid_until - timedelta(days=self.agency.licence_renewal_lead_days)

    def status_on(self, today: date) -> str:
        return licence_status(self.valid_from, self.valid_until, self.agency.licence_renewal_lead_days, today)

    def allows(self, frequency: Decimal) -> bool:
        return any(Decimal(allowed) == frequency for allowed in self.frequencies_mhz)

    def clean(self) -> None:
        errors: dict[str, list] = {}
        self.callsign = self.callsign.strip().upper()
        try:
            self.frequencies_mhz = normalise_frequencies(self.frequencies_mhz)
        except ValidationError as error:
            errors["frequencies_mhz"] = error.messages
        if self.valid_from and self.valid_until and self.valid_until <= self.valid_from:
            errors.setdefault("valid_until", []).append(_("Berlaku sampai harus sesudah berlaku sejak."))
        if self.fee_due_date and self.valid_from and self.fee_due_date < self.valid_from:
            errors.setdefault("fee_due_date", []).append(_("Jatuh tempo BHP tidak bisa sebelum ISR berlaku."))
        if self.site_id and self.agency_id and self.site.agency_id != self.agency_id:
            errors.setdefault("site", []).append(_("Lokasi ini milik instansi lain."))
        if self.agency_id and not self.holder:
            self.holder = self.agency.name
        if self.pk and self.agency_id and self.assets.exclude(agency_id=self.agency_id).exists():
            errors.setdefault("agency", []).append(_("ISR ini masih dipakai radio instansi lain."))
        if self.pk and not errors:
            # The radios already on this licence must still fit it after the change.
            for radio in self.assets.all():
                for field, message in radio.licence_mismatches(self).items():
                    errors.setdefault(_LICENCE_FIELD_OF_RADIO_FIELD[field], []).append(
                        _("%(radio)s: %(message)s") % {"radio": radio.name, "message": message}
                    )
        if errors:
            raise ValidationError(errors)


class Asset(models.Model):
    """One piece of communication equipment.

    One table for every kind, with nullable groups of kind-specific columns (radio, link, satellite,
    subscription; see assets.constants.FIELD_GROUPS). With at most a dozen such columns this keeps
    filters plain column lookups (band, provider, contract end...), the API one flat resource and the
    validation one `clean()`, where per-kind detail tables would need a join per filter and nested
    writes. `clean()` rejects a group's fields on a kind that does not own the group.
    """

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="assets", verbose_name=_("instansi"))
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, null=True, blank=True, related_name="assets", verbose_name=_("lokasi")
    )
    kind = models.CharField(_("jenis"), max_length=20, choices=AssetKind.choices)
    name = models.CharField(_("nama"), max_length=120)
    # NULL, not "", for "unknown": unique constraints ignore NULLs, so many untagged assets may coexist.
    tag = models.CharField(_("nomor inventaris"), max_length=60, null=True, blank=True)  # noqa: DJ001
    manufacturer = models.CharField(_("pabrikan"), max_length=80, blank=True)
    model = models.CharField(_("model"), max_length=80, blank=True)
    serial_number = models.CharField(_("nomor seri"), max_length=80, null=True, blank=True)  # noqa: DJ001
    status = models.CharField(_("status"), max_length=12, choices=AssetStatus.choices, default=AssetStatus.IN_SERVICE)
    condition = models.CharField(
        _("kondisi"),
        max_length=12,
        choices=Condition.choices,
        blank=True,
        help_text=_("Kondisi terakhir yang dicatat (Baik / Rusak Ringan / Rusak Berat); kosong bila belum."),
    )
    acquisition_date = models.DateField(_("tanggal perolehan"), null=True, blank=True)
    cost_idr = models.PositiveBigIntegerField(_("harga (Rp)"), null=True, blank=True)
    funding_source = models.CharField(_("sumber dana"), max_length=12, choices=FundingSource.choices, blank=True)
    warranty_end = models.DateField(_("akhir garansi"), null=True, blank=True)
    support_end = models.DateField(_("akhir kontrak dukungan/pemeliharaan"), null=True, blank=True)
    support_cost_idr = models.PositiveBigIntegerField(_("biaya kontrak dukungan per tahun (Rp)"), null=True, blank=True)
    end_of_life = models.DateField(_("perkiraan akhir masa pakai"), null=True, blank=True)
    owner_partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assets",
        verbose_name=_("milik mitra"),
        help_text=_("Kosong bila milik instansi sendiri."),
    )
    management_address = models.CharField(
        _("alamat manajemen"),
        max_length=253,
        blank=True,
        validators=[validate_management_address],
        help_text=_("IPv4/IPv6 atau nama host; kosong untuk radio tanpa jaringan."),
    )
    notes = models.TextField(_("catatan"), blank=True)

    # radio and repeater
    band = models.CharField(_("pita"), max_length=3, choices=Band.choices, blank=True)
    tx_freq_mhz = models.DecimalField(_("frekuensi TX (MHz)"), max_digits=10, decimal_places=5, null=True, blank=True)
    rx_freq_mhz = models.DecimalField(_("frekuensi RX (MHz)"), max_digits=10, decimal_places=5, null=True, blank=True)
    tone = models.CharField(_("nada CTCSS/DCS"), max_length=6, blank=True, validators=[validate_tone])
    power_w = models.DecimalField(
        _("daya pancar (W)"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.1"))],
    )
    licence = models.ForeignKey(
        RadioLicence,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assets",
        verbose_name=_("izin stasiun radio (ISR)"),
    )
    # internet link
    provider = models.CharField(_("penyedia"), max_length=80, blank=True)
    medium = models.CharField(_("media"), max_length=10, choices=LinkMedium.choices, blank=True)
    down_mbps = models.DecimalField(
        _("unduh (Mbps)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    up_mbps = models.DecimalField(
        _("unggah (Mbps)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    circuit_id = models.CharField(_("ID sirkuit"), max_length=80, blank=True)
    link_role = models.CharField(_("peran link"), max_length=8, choices=LinkRole.choices, blank=True)
    # satellite terminal
    sat_network = models.CharField(_("jaringan satelit"), max_length=10, choices=SatelliteNetwork.choices, blank=True)
    terminal_id = models.CharField(_("ID terminal"), max_length=80, blank=True)
    service_plan = models.CharField(_("paket layanan"), max_length=80, blank=True)
    airtime_end = models.DateField(_("akhir airtime"), null=True, blank=True)
    # subscription (link and satellite)
    monthly_cost_idr = models.PositiveBigIntegerField(_("biaya bulanan (Rp)"), null=True, blank=True)
    contract_end = models.DateField(_("akhir kontrak"), null=True, blank=True)
    # battery bank (UPS, solar power): batteries age and are replaced on a schedule
    battery_due = models.DateField(_("jadwal ganti baterai"), null=True, blank=True)
    battery_cost_idr = models.PositiveBigIntegerField(_("biaya ganti baterai (Rp)"), null=True, blank=True)

    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["agency__code", "kind", "name", "id"]
        verbose_name = _("aset")
        verbose_name_plural = _("aset")
        constraints = [
            models.UniqueConstraint(fields=["manufacturer", "serial_number"], name="asset_unique_serial"),
            models.UniqueConstraint(fields=["agency", "tag"], name="asset_unique_tag_per_agency"),
            models.CheckConstraint(
                condition=Q(warranty_end__isnull=True)
                | Q(acquisition_date__isnull=True)
                | Q(warranty_end__gte=models.F("acquisition_date")),
                name="asset_warranty_after_acquisition",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "status"], name="asset_kind_status"),
            models.Index(fields=["warranty_end"], name="asset_warranty_end"),
            models.Index(fields=["contract_end"], name="asset_contract_end"),
            models.Index(fields=["support_end"], name="asset_support_end"),
            models.Index(fields=["battery_due"], name="asset_battery_due"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def offset_mhz(self) -> Decimal | None:
        """Repeater/duplex offset, derived from the two frequencies rather than stored a third time."""
        return frequency_offset(self.tx_freq_mhz, self.rx_freq_mhz)

    def on_expired_licence(self, today: date) -> bool:
        """May be on the air (in service, or faulty but not pulled) under a licence past its last day."""
        return transmits_past_licence(self.status, self.licence.valid_until if self.licence else None, today)

    @staticmethod
    def on_expired_licence_q(today: date, path: str = "") -> Q:
        """`on_expired_licence` as a query condition; `path` leads from the queried model to the asset."""
        return Q(**{f"{path}status__in": TRANSMITTING_STATUSES, f"{path}licence__valid_until__lt": today})

    def licence_mismatches(self, licence: RadioLicence) -> dict[str, str]:
        """What of this radio the licence does not allow, per field: frequencies not on it, power above it."""
        problems = {}
        if self.tx_freq_mhz is None:
            problems["tx_freq_mhz"] = _("Isi frekuensi TX agar bisa dicocokkan dengan ISR %(number)s.") % {
                "number": licence.number
            }
        allowed = ", ".join(mhz(Decimal(f)) for f in licence.frequencies_mhz)
        for field, label in (("tx_freq_mhz", "TX"), ("rx_freq_mhz", "RX")):
            value = getattr(self, field)
            if value is not None and not licence.allows(value):
                problems[field] = _(
                    "Frekuensi %(label)s %(value)s MHz tidak tercantum di ISR %(number)s "
                    "(frekuensi izin: %(allowed)s MHz)."
                ) % {"label": label, "value": mhz(value), "number": licence.number, "allowed": allowed}
        if self.power_w is not None and licence.power_w is not None and self.power_w > licence.power_w:
            problems["power_w"] = _("Daya %(power)s W melebihi daya izin %(max)s W di ISR %(number)s.") % {
                "power": self.power_w,
                "max": licence.power_w,
                "number": licence.number,
            }
        return problems

    def clean(self) -> None:
        # Empty identifiers are "unknown", not a value to be unique about.
        self.tag = self.tag or None
        self.serial_number = self.serial_number or None
        if self.kind in KIND_BAND and not self.band:
            self.band = KIND_BAND[self.kind]

        errors: dict[str, list] = {}

        def error(field: str, message) -> None:
            errors.setdefault(field, []).append(message)

        allowed = KIND_FIELD_GROUPS.get(self.kind, set())
        for group, fields in FIELD_GROUPS.items():
            if group in allowed:
                continue
            for field in fields:
                if getattr(self, field) not in (None, ""):
                    error(field, _("Kolom ini tidak berlaku untuk jenis aset %(kind)s.") % {"kind": self.kind})
        for field in KIND_REQUIRED_FIELDS.get(self.kind, ()):
            if getattr(self, field) in (None, ""):
                error(field, _("Wajib diisi untuk jenis aset ini."))

        if self.kind in KIND_BAND and self.band and self.band != KIND_BAND[self.kind]:
            error(
                "band",
                _("Radio %(kind)s bekerja di pita %(band)s.") % {"kind": self.kind, "band": KIND_BAND[self.kind]},
            )
        if self.band in BAND_RANGES_MHZ:
            low, high = BAND_RANGES_MHZ[self.band]
            for field in ("tx_freq_mhz", "rx_freq_mhz"):
                value = getattr(self, field)
                if value is not None and not (low <= value < high):
                    error(
                        field,
                        _("Frekuensi di luar pita %(band)s (%(low)s-%(high)s MHz).")
                        % {"band": self.band.upper(), "low": low, "high": high},
                    )

        if self.site_id and self.agency_id and self.site.agency_id != self.agency_id:
            error("site", _("Lokasi ini milik instansi lain."))
        if self.licence_id and "licence" not in errors:
            if self.agency_id and self.licence.agency_id != self.agency_id:
                error("licence", _("ISR ini milik instansi lain."))
            else:
                for field, message in self.licence_mismatches(self.licence).items():
                    error(field, message)
        if self.warranty_end and self.acquisition_date and self.warranty_end < self.acquisition_date:
            error("warranty_end", _("Akhir garansi sebelum tanggal perolehan."))
        if self.end_of_life and self.acquisition_date and self.end_of_life < self.acquisition_date:
            error("end_of_life", _("Akhir masa pakai sebelum tanggal perolehan."))
        if self.support_end and self.acquisition_date and self.support_end < self.acquisition_date:
            error("support_end", _("Akhir kontrak dukungan sebelum tanggal perolehan."))
        if errors:
            raise ValidationError(errors)


# A radio's frequency or power that no longer fits its licence is reported on the licence field that changed.
_LICENCE_FIELD_OF_RADIO_FIELD = {
    "tx_freq_mhz": "frequencies_mhz",
    "rx_freq_mhz": "frequencies_mhz",
    "power_w": "power_w",
}


class StandardItem(models.Model):
    """One line of the Pusdalops standard: how many working assets of a kind an agency of a level needs.

    An internet-link line may name a role: the backup link must run on a different medium from the
    primary one to count (a cut fibre should not take both down).
    """

    level = models.CharField(_("tingkat"), max_length=10, choices=AgencyLevel.choices)
    kind = models.CharField(_("jenis aset"), max_length=20, choices=AssetKind.choices)
    link_role = models.CharField(_("peran link"), max_length=8, choices=LinkRole.choices, blank=True)
    required = models.PositiveSmallIntegerField(_("jumlah wajib"))
    unit_cost_idr = models.PositiveBigIntegerField(_("perkiraan harga satuan (Rp)"))
    note = models.CharField(_("catatan"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["level", "kind", "link_role"]
        verbose_name = _("standar Pusdalops")
        verbose_name_plural = _("standar Pusdalops")
        constraints = [
            models.UniqueConstraint(fields=["level", "kind", "link_role"], name="standard_item_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.level}: {self.required} x {self.kind}{f' ({self.link_role})' if self.link_role else ''}"

    def clean(self) -> None:
        if self.link_role and self.kind != AssetKind.INTERNET_LINK:
            raise ValidationError({"link_role": _("Hanya untuk link internet.")})


class StockItem(models.Model):
    """A spare part or consumable kept on a shelf of one of the agency's sites (usually its warehouse).

    `quantity` changes only through a `StockMovement` (assets.stock), so the movements are its history and
    their sum is always the quantity on the shelf; the database refuses a negative one.
    """

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="stock", verbose_name=_("instansi"))
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="stock", verbose_name=_("disimpan di"))
    name = models.CharField(_("nama barang"), max_length=150)
    kind = models.CharField(
        _("jenis aset"),
        max_length=20,
        choices=AssetKind.choices,
        blank=True,
        help_text=_("Kosong untuk bahan habis pakai; isi bila barang ini cadangan untuk jenis aset tertentu."),
    )
    unit = models.CharField(_("satuan"), max_length=20, default="buah")
    quantity = models.DecimalField(_("jumlah"), max_digits=11, decimal_places=2, default=Decimal(0), editable=False)
    minimum = models.DecimalField(
        _("stok minimum"), max_digits=11, decimal_places=2, default=Decimal(0), validators=[MinValueValidator(0)]
    )
    unit_cost_idr = models.PositiveBigIntegerField(_("harga satuan (Rp)"), default=0)
    notes = models.TextField(_("catatan"), blank=True)

    class Meta:
        ordering = ["agency__code", "site__name", "name", "id"]
        verbose_name = _("stok suku cadang")
        verbose_name_plural = _("stok suku cadang")
        constraints = [
            models.UniqueConstraint(fields=["site", "name"], name="stock_item_unique_name_per_site"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="stock_item_quantity_not_negative"),
            models.CheckConstraint(condition=Q(minimum__gte=0), name="stock_item_minimum_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.site})"

    @property
    def below_minimum(self) -> bool:
        return self.quantity < self.minimum

    @property
    def shortfall(self) -> Decimal:
        return max(self.minimum - self.quantity, Decimal(0))

    def clean(self) -> None:
        if self.site_id and self.agency_id and self.site.agency_id != self.agency_id:
            raise ValidationError({"site": _("Lokasi ini milik instansi lain.")})


class StockMovement(models.Model):
    """One change of a stock item's quantity, by whom and when: the item's history (append only).

    `quantity` is signed (received +, issued -); `balance` is the item's quantity right after. A transfer
    is two movements, one per warehouse, each naming the other as `counterpart`.
    """

    item = models.ForeignKey(StockItem, on_delete=models.PROTECT, related_name="movements", verbose_name=_("barang"))
    kind = models.CharField(_("jenis"), max_length=12, choices=StockMovementKind.choices)
    quantity = models.DecimalField(_("jumlah"), max_digits=11, decimal_places=2)
    balance = models.DecimalField(_("sisa sesudahnya"), max_digits=11, decimal_places=2)
    work_order = models.ForeignKey(
        "maintenance.WorkOrder",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stock_movements",
        verbose_name=_("perintah kerja"),
    )
    asset = models.ForeignKey(
        Asset,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stock_movements",
        verbose_name=_("dipasang pada aset"),
    )
    counterpart = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("pasangan pemindahan")
    )
    reason = models.CharField(_("keterangan"), max_length=250, blank=True)
    # Empty only for an opening balance loaded by the demo seed, which nobody counted by hand.
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("oleh"),
    )
    at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("mutasi stok")
        verbose_name_plural = _("mutasi stok")
        constraints = [
            models.CheckConstraint(condition=~Q(quantity=0), name="stock_movement_quantity_not_zero"),
            models.CheckConstraint(condition=Q(balance__gte=0), name="stock_movement_balance_not_negative"),
        ]
        indexes = [models.Index(fields=["item", "at"], name="stock_movement_item_at")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.quantity} {self.item.name}"


class Stocktake(models.Model):
    """An inventory count (inventarisasi) of one agency, or of one of its sites: every asset expected there
    gets a line, the counter marks each, and closing it writes what was found back to the register."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="stocktakes", verbose_name=_("instansi"))
    site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stocktakes",
        verbose_name=_("lokasi"),
        help_text=_("Kosong: semua aset instansi."),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=StocktakeStatus.choices, default=StocktakeStatus.OPEN, editable=False
    )
    note = models.CharField(_("catatan"), max_length=250, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("dibuka oleh")
    )
    opened_at = models.DateTimeField(_("dibuka"), auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ditutup oleh"),
    )
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True)
    # "Mengetahui": the agency's manager signs the closed count off (assets.stocktake.stocktake_sign).
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("disahkan oleh"),
    )
    signed_at = models.DateTimeField(_("disahkan"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("inventarisasi")
        verbose_name_plural = _("inventarisasi")
        constraints = [
            models.CheckConstraint(
                condition=Q(status=StocktakeStatus.OPEN, closed_at__isnull=True)
                | Q(status=StocktakeStatus.CLOSED, closed_at__isnull=False),
                name="stocktake_closed_has_moment",
            ),
            models.CheckConstraint(
                condition=Q(signed_at__isnull=True, signed_by__isnull=True)
                | Q(status=StocktakeStatus.CLOSED, signed_at__isnull=False, signed_by__isnull=False),
                name="stocktake_signed_when_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Inventarisasi')} {self.site or self.agency}"

    def clean(self) -> None:
        if self.site_id and self.agency_id and self.site.agency_id != self.agency_id:
            raise ValidationError({"site": _("Lokasi ini milik instansi lain.")})


def _line_photo_path(instance: "StocktakeLine", filename: str) -> str:
    # A name of our own with the extension of the decoded type: the client's name never reaches the disk.
    return f"stocktakes/{instance.stocktake_id}/{uuid.uuid4().hex}.{EXTENSIONS[instance.photo_type]}"


class StocktakeLine(models.Model):
    """One asset the register expects at the stocktake's place, and what the counter saw of it."""

    stocktake = models.ForeignKey(
        Stocktake, on_delete=models.CASCADE, related_name="lines", verbose_name=_("inventarisasi")
    )
    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="+", verbose_name=_("aset"))
    expected_site = models.ForeignKey(
        Site, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("lokasi tercatat")
    )
    result = models.CharField(
        _("hasil"), max_length=10, choices=StocktakeResult.choices, default=StocktakeResult.PENDING
    )
    found_site = models.ForeignKey(
        Site, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("ditemukan di")
    )
    condition = models.CharField(_("kondisi"), max_length=12, choices=Condition.choices, blank=True)
    note = models.CharField(_("catatan"), max_length=250, blank=True)
    # A photo checked by simpul.uploads, served only through a scoped view (assets.views.stocktake_line_photo).
    photo = models.FileField(_("foto"), upload_to=_line_photo_path, blank=True)
    photo_type = models.CharField(_("jenis foto"), max_length=40, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diperiksa oleh"),
    )
    marked_at = models.DateTimeField(_("diperiksa"), null=True, blank=True)

    class Meta:
        ordering = ["stocktake_id", "asset__name", "id"]
        verbose_name = _("baris inventarisasi")
        verbose_name_plural = _("baris inventarisasi")
        constraints = [
            models.UniqueConstraint(fields=["stocktake", "asset"], name="stocktake_line_unique_asset"),
            models.CheckConstraint(
                condition=~Q(result=StocktakeResult.ELSEWHERE) | Q(found_site__isnull=False),
                name="stocktake_line_elsewhere_has_site",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.asset} — {self.get_result_display()}"
