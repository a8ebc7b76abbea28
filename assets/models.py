"""The inventory: agencies (BPBD), their sites, partners, and every communication asset."""

from decimal import Decimal

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
    FundingSource,
    LinkMedium,
    LinkRole,
    PowerSource,
    SatelliteNetwork,
    SiteKind,
)
from assets.constants import (
    BAND_RANGES_MHZ,
    FIELD_GROUPS,
    KIND_BAND,
    KIND_FIELD_GROUPS,
    KIND_REQUIRED_FIELDS,
    LATITUDE_RANGE,
    LONGITUDE_RANGE,
)
from assets.validators import validate_management_address, validate_tone

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
    acquisition_date = models.DateField(_("tanggal perolehan"), null=True, blank=True)
    cost_idr = models.PositiveBigIntegerField(_("harga (Rp)"), null=True, blank=True)
    funding_source = models.CharField(_("sumber dana"), max_length=12, choices=FundingSource.choices, blank=True)
    warranty_end = models.DateField(_("akhir garansi"), null=True, blank=True)
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
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def offset_mhz(self) -> Decimal | None:
        """Repeater/duplex offset, derived from the two frequencies rather than stored a third time."""
        if self.tx_freq_mhz is None or self.rx_freq_mhz is None:
            return None
        return self.tx_freq_mhz - self.rx_freq_mhz

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
        if self.warranty_end and self.acquisition_date and self.warranty_end < self.acquisition_date:
            error("warranty_end", _("Akhir garansi sebelum tanggal perolehan."))
        if self.end_of_life and self.acquisition_date and self.end_of_life < self.acquisition_date:
            error("end_of_life", _("Akhir masa pakai sebelum tanggal perolehan."))
        if errors:
            raise ValidationError(errors)


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
