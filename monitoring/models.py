"""Reachability of assets: how to probe them, what they answered, and the state and outages that follow.

See DESIGN.md, "Health model": samples are raw results kept for a retention window; the state of an
asset changes only on a confirmed transition; an outage is an interval [started_at, ended_at);
availability is computed from outages; hourly rollups keep long charts cheap.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assets.choices import AssetKind
from monitoring.choices import EventKind, PollerScope, SnmpAuthProtocol, SnmpPrivProtocol, SnmpVersion, Source, State
from simpul.encrypted import EncryptedTextField
from simpul.validators import validate_plausible_moment


class KindPolicy(models.Model):
    """How assets of one kind are polled and judged. A kind without a row uses the defaults below."""

    kind = models.CharField(_("jenis aset"), max_length=20, choices=AssetKind.choices, unique=True)
    interval_s = models.PositiveIntegerField(
        _("interval (detik)"), default=60, validators=[MinValueValidator(10), MaxValueValidator(86400)]
    )
    confirm_count = models.PositiveSmallIntegerField(
        _("konfirmasi (hasil berturut-turut)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("Berapa hasil berturut-turut sebelum status berubah; juga apel radio yang terlewat."),
    )
    loss_degraded = models.FloatField(
        _("batas loss menurun"), default=0.2, validators=[MinValueValidator(0.0), MaxValueValidator(1.0)]
    )
    rtt_degraded_ms = models.FloatField(_("batas RTT menurun (ms)"), default=500.0, validators=[MinValueValidator(1)])
    extra_oids = models.JSONField(
        _("OID tambahan"),
        default=dict,
        blank=True,
        help_text=_('Label ke OID numerik, mis. {"snr": "1.3.6.1.4.1.x.y.0"}.'),
    )

    class Meta:
        ordering = ["kind"]
        verbose_name = _("kebijakan per jenis")
        verbose_name_plural = _("kebijakan per jenis")

    def __str__(self) -> str:
        return self.get_kind_display()

    def clean(self) -> None:
        if not isinstance(self.extra_oids, dict) or not all(
            isinstance(label, str) and isinstance(oid, str) and _is_numeric_oid(oid)
            for label, oid in self.extra_oids.items()
        ):
            raise ValidationError({"extra_oids": _("Harus objek label -> OID numerik (1.3.6...).")})


def _is_numeric_oid(oid: str) -> bool:
    parts = oid.strip(".").split(".")
    return len(parts) >= 2 and all(part.isdigit() for part in parts)


class ProbeConfig(models.Model):
    """Per-asset polling settings beyond the defaults: SNMP, interfaces, dependency, own interval.

    An asset with a management address and no ProbeConfig is pinged at its kind's interval.
    Secrets are encrypted at rest and never leave the API (write-only fields).
    """

    asset = models.OneToOneField(
        "assets.Asset", on_delete=models.CASCADE, primary_key=True, related_name="probe_config"
    )
    enabled = models.BooleanField(_("dipantau"), default=True)
    icmp = models.BooleanField(_("ping ICMP"), default=True)
    snmp = models.BooleanField(_("SNMP"), default=False)
    interval_s = models.PositiveIntegerField(
        _("interval (detik)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(10), MaxValueValidator(86400)],
        help_text=_("Kosong: ikut kebijakan jenisnya."),
    )
    depends_on = models.ForeignKey(
        "assets.Asset",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dependants",
        verbose_name=_("bergantung pada"),
        help_text=_("Aset induk jalur jaringan, mis. link internet lokasi ini."),
    )
    snmp_version = models.CharField(max_length=2, choices=SnmpVersion.choices, default=SnmpVersion.V2C)
    snmp_port = models.PositiveIntegerField(default=161, validators=[MinValueValidator(1), MaxValueValidator(65535)])
    snmp_community = EncryptedTextField(blank=True)
    snmp_username = models.CharField(max_length=64, blank=True)
    snmp_auth_protocol = models.CharField(max_length=8, choices=SnmpAuthProtocol.choices, blank=True)
    snmp_auth_key = EncryptedTextField(blank=True)
    snmp_priv_protocol = models.CharField(max_length=8, choices=SnmpPrivProtocol.choices, blank=True)
    snmp_priv_key = EncryptedTextField(blank=True)
    if_indexes = models.JSONField(_("ifIndex yang dipantau"), default=list, blank=True)

    class Meta:
        ordering = ["asset_id"]
        verbose_name = _("konfigurasi probe")
        verbose_name_plural = _("konfigurasi probe")

    def __str__(self) -> str:
        return f"probe {self.asset_id}"

    @property
    def agency_id(self) -> int:
        """The owning agency is the asset's: what the API's per-object write permission asks for."""
        return self.asset.agency_id

    def clean(self) -> None:
        errors = {}
        if self.depends_on_id is not None and self.depends_on_id == self.asset_id:
            errors["depends_on"] = _("Aset tidak bisa bergantung pada dirinya sendiri.")
        elif self.depends_on_id is not None and _depends_on_chain(self.depends_on_id, self.asset_id):
            errors["depends_on"] = _("Ketergantungan melingkar.")
        if self.depends_on_id and self.asset_id and self.depends_on.agency_id != self.asset.agency_id:
            errors["depends_on"] = _("Induk harus milik instansi yang sama.")
        if not isinstance(self.if_indexes, list) or not all(
            isinstance(i, int) and not isinstance(i, bool) and i > 0 for i in self.if_indexes
        ):
            errors["if_indexes"] = _("Daftar bilangan ifIndex positif.")
        if self.snmp and self.snmp_version == SnmpVersion.V2C and not self.snmp_community:
            errors["snmp_community"] = _("Community wajib untuk SNMP v2c.")
        if self.snmp and self.snmp_version == SnmpVersion.V3:
            if not self.snmp_username:
                errors["snmp_username"] = _("Pengguna wajib untuk SNMP v3.")
            if self.snmp_priv_protocol and not self.snmp_auth_protocol:
                errors["snmp_priv_protocol"] = _("authPriv butuh protokol autentikasi.")
            for protocol, key, field in (
                (self.snmp_auth_protocol, self.snmp_auth_key, "snmp_auth_key"),
                (self.snmp_priv_protocol, self.snmp_priv_key, "snmp_priv_key"),
            ):
                if protocol and len(key or "") < 8:
                    errors[field] = _("Kunci SNMP v3 minimal 8 karakter.")
        if self.snmp and not self.asset.management_address:
            errors["snmp"] = _("SNMP butuh alamat manajemen pada aset.")
        if errors:
            raise ValidationError(errors)


def _depends_on_chain(start_id: int, target_id: int | None, limit: int = 16) -> bool:
    """Whether following depends_on from `start_id` reaches `target_id` (a cycle if it is saved)."""
    current = start_id
    for _step in range(limit):
        current = ProbeConfig.objects.filter(asset_id=current).values_list("depends_on_id", flat=True).first()
        if current is None:
            return False
        if current == target_id:
            return True
    return True  # a chain this long is a cycle somewhere


class AssetState(models.Model):
    """The current, confirmed state of an asset and the bookkeeping to confirm the next one."""

    asset = models.OneToOneField("assets.Asset", on_delete=models.CASCADE, primary_key=True, related_name="state")
    state = models.CharField(max_length=12, choices=State.choices, default=State.UNKNOWN)
    since = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    caused_by = models.ForeignKey(
        "assets.Asset", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )  # the asset whose outage made this one unreachable: the root cause, up the depends_on chain
    pending_state = models.CharField(max_length=12, choices=State.choices, blank=True)
    pending_count = models.PositiveSmallIntegerField(default=0)
    pending_since = models.DateTimeField(null=True, blank=True)
    monitored_since = models.DateTimeField(null=True, blank=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    # Its last answer: a dependant silent since then may be behind this asset's outage (monitoring.health.attribute).
    last_answered_at = models.DateTimeField(null=True, blank=True)
    next_poll_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_rtt_ms = models.FloatField(null=True, blank=True)
    last_loss = models.FloatField(null=True, blank=True)
    sys_uptime = models.BigIntegerField(null=True, blank=True)
    sys_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["asset_id"]
        verbose_name = _("status aset")
        verbose_name_plural = _("status aset")

    def __str__(self) -> str:
        return f"{self.asset_id}: {self.state}"


class Transition(models.Model):
    """One confirmed state change of an asset, written by the recorder in the cycle's transaction.

    The durable record later apps react to (alerts): they read rows by id after each cycle, so a change
    recorded just before a restart is still seen afterwards. Monitoring never reads them back.
    """

    asset = models.ForeignKey("assets.Asset", on_delete=models.CASCADE, related_name="transitions")
    old_state = models.CharField(max_length=12, choices=State.choices)
    new_state = models.CharField(max_length=12, choices=State.choices)
    at = models.DateTimeField(help_text=_("Sejak kapan status baru berlaku (hasil pertama yang menunjukkannya)."))
    recorded_at = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)
    caused_by = models.ForeignKey(
        "assets.Asset", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )  # the parent whose outage made this asset unreachable

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["asset", "at"], name="transition_asset_at")]

    def __str__(self) -> str:
        return f"{self.asset_id}: {self.old_state} -> {self.new_state}"


class Sample(models.Model):
    """One recent probe or roll-call result, as the recorder writes it (COPY on PostgreSQL).

    A staging table: each finished hour is packed into `SampleBlock`s by the poller's hourly upkeep, which then
    drops the hour (on PostgreSQL the table is partitioned by hour). Read through monitoring.history, which
    joins both.
    """

    asset = models.ForeignKey("assets.Asset", on_delete=models.CASCADE, related_name="samples", db_index=False)
    at = models.DateTimeField()
    source = models.CharField(max_length=12, choices=Source.choices)
    verdict = models.CharField(max_length=12, choices=State.choices)
    rtt_ms = models.FloatField(null=True, blank=True)
    rtt_max_ms = models.FloatField(null=True, blank=True)
    loss = models.FloatField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["asset", "at"], name="sample_asset_at")]

    def __str__(self) -> str:
        return f"{self.asset_id}@{self.at:%Y-%m-%d %H:%M}: {self.verdict}"


class SampleBlock(models.Model):
    """One asset's results of one finished hour, packed (monitoring.blocks): ~1 KB where 60 rows took ~10 KB.

    Kept for SAMPLE_RETENTION_DAYS; on PostgreSQL the table is partitioned by UTC day, so pruning drops a day.
    """

    pk = models.CompositePrimaryKey("asset", "hour")
    asset = models.ForeignKey("assets.Asset", on_delete=models.CASCADE, related_name="+")
    hour = models.DateTimeField()
    count = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        ordering = ["asset", "hour"]

    def __str__(self) -> str:
        return f"{self.asset_id}@{self.hour:%Y-%m-%d %H}"


class Outage(models.Model):
    """An interval during which an asset was confirmed down: [started_at, ended_at), open while ended_at is NULL."""

    asset = models.ForeignKey("assets.Asset", on_delete=models.CASCADE, related_name="outages")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    cause = models.CharField(max_length=200, blank=True)
    took_down = models.PositiveIntegerField(
        default=0, help_text=_("Aset bergantung yang ikut tak terjangkau karena gangguan ini.")
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            # One open outage per asset: a restarted poller can never open a second one.
            models.UniqueConstraint(
                fields=["asset"], condition=Q(ended_at__isnull=True), name="outage_one_open_per_asset"
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="outage_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["started_at"], name="outage_started"),
            models.Index(fields=["ended_at"], name="outage_ended"),
        ]

    def __str__(self) -> str:
        return f"outage {self.asset_id} from {self.started_at:%Y-%m-%d %H:%M}"


class HourlyRollup(models.Model):
    """Per-asset, per-hour summary of samples, for charts over months."""

    asset = models.ForeignKey("assets.Asset", on_delete=models.CASCADE, related_name="rollups", db_index=False)
    hour = models.DateTimeField()
    samples = models.PositiveIntegerField()
    up = models.PositiveIntegerField(help_text=_("Sampel normal atau menurun."))
    rtt_avg_ms = models.FloatField(null=True)
    rtt_max_ms = models.FloatField(null=True)
    loss_avg = models.FloatField(null=True)

    class Meta:
        ordering = ["asset_id", "hour"]
        constraints = [models.UniqueConstraint(fields=["asset", "hour"], name="rollup_one_per_asset_hour")]

    def __str__(self) -> str:
        return f"{self.asset_id}@{self.hour:%Y-%m-%d %H}"


class Event(models.Model):
    """Something worth a line in an asset's log that is not a state change: a reboot, an SNMP auth error."""

    asset = models.ForeignKey("assets.Asset", on_delete=models.CASCADE, related_name="monitoring_events")
    at = models.DateTimeField()
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["asset", "at"], name="event_asset_at")]

    def __str__(self) -> str:
        return f"{self.kind} {self.asset_id}"


class MaintenanceWindow(models.Model):
    """A planned period when an asset, a site or a whole agency is worked on: no outage, no availability loss."""

    agency = models.ForeignKey("assets.Agency", on_delete=models.CASCADE, related_name="maintenance_windows")
    site = models.ForeignKey("assets.Site", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    asset = models.ForeignKey("assets.Asset", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    starts_at = models.DateTimeField(validators=[validate_plausible_moment])
    ends_at = models.DateTimeField(validators=[validate_plausible_moment])
    reason = models.CharField(max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="window_ends_after_start")
        ]

    def __str__(self) -> str:
        return self.reason

    def clean(self) -> None:
        if self.site_id and self.agency_id and self.site.agency_id != self.agency_id:
            raise ValidationError({"site": _("Lokasi milik instansi lain.")})
        if self.asset_id and self.agency_id and self.asset.agency_id != self.agency_id:
            raise ValidationError({"asset": _("Aset milik instansi lain.")})


class RadioCheck(models.Model):
    """A roll call on a radio net: the operator calls every station and notes who answered and how well."""

    agency = models.ForeignKey("assets.Agency", on_delete=models.PROTECT, related_name="radio_checks")
    held_at = models.DateTimeField(validators=[validate_plausible_moment])
    net = models.CharField(_("jaringan/kanal"), max_length=120, help_text=_("mis. VHF 147.000 Pusdalops"))
    operator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-held_at", "-id"]

    def __str__(self) -> str:
        return f"{self.net} {self.held_at:%Y-%m-%d %H:%M}"


class RadioCheckEntry(models.Model):
    """One station's answer in a roll call, with an RS report: readability 1-5, strength 1-9 ("5/9")."""

    radio_check = models.ForeignKey(RadioCheck, on_delete=models.CASCADE, related_name="entries")
    asset = models.ForeignKey("assets.Asset", on_delete=models.CASCADE, related_name="radio_check_entries")
    answered = models.BooleanField()
    readability = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    signal = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(9)]
    )

    class Meta:
        ordering = ["radio_check_id", "asset_id"]
        constraints = [
            models.UniqueConstraint(fields=["radio_check", "asset"], name="radio_check_entry_once"),
            models.CheckConstraint(
                condition=Q(answered=True) | Q(readability__isnull=True, signal__isnull=True),
                name="radio_check_report_only_if_answered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.asset_id}: {'answered' if self.answered else 'missed'}"


class Poller(models.Model):
    """A remote poller inside an agency's own network: it polls its assignment and ships results to the centre.

    Its assignment is its agency's pollable assets (scope "agency") or those of chosen sites (scope "sites");
    a sites poller takes its sites from the agency poller, and every other asset stays with the central
    poller (monitoring.remote.assignment, the one place that rule lives). The token is stored as its
    SHA-256 only and shown once, when made or rotated; a revoked poller's assets go back to the centre.
    """

    name = models.CharField(_("nama"), max_length=100)
    agency = models.ForeignKey("assets.Agency", on_delete=models.PROTECT, related_name="pollers")
    scope = models.CharField(_("cakupan"), max_length=10, choices=PollerScope.choices, default=PollerScope.AGENCY)
    sites = models.ManyToManyField("assets.Site", through="PollerSite", blank=True, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # What its last results POST (its heartbeat) said.
    last_contact_at = models.DateTimeField(_("kontak terakhir"), null=True, blank=True)
    last_backlog = models.PositiveBigIntegerField(_("antrean terakhir"), default=0)
    version = models.CharField(_("versi"), max_length=40, blank=True)
    last_seq = models.PositiveBigIntegerField(default=0, help_text=_("Nomor urut hasil terakhir yang tercatat."))
    dropped_results = models.PositiveBigIntegerField(
        _("hasil terbuang"), default=0, help_text=_("Hasil yang dibuang poller karena antreannya penuh.")
    )

    class Meta:
        ordering = ["agency__code", "name"]
        verbose_name = _("poller jarak jauh")
        verbose_name_plural = _("poller jarak jauh")
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="poller_name_per_agency"),
            # Two active pollers for a whole agency would each think its assets theirs.
            models.UniqueConstraint(
                fields=["agency"],
                condition=Q(scope="agency", revoked_at__isnull=True),
                name="poller_one_active_per_agency",
                violation_error_message=_("Instansi ini sudah punya poller aktif untuk seluruh instansinya."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PollerSite(models.Model):
    """A site whose assets a sites-scoped poller polls; a site belongs to at most one poller."""

    poller = models.ForeignKey(Poller, on_delete=models.CASCADE, related_name="poller_sites")
    site = models.OneToOneField("assets.Site", on_delete=models.CASCADE, related_name="poller_site")

    class Meta:
        ordering = ["poller_id", "site_id"]

    def __str__(self) -> str:
        return f"{self.poller_id}: {self.site_id}"

    def clean(self) -> None:
        if self.site_id and self.poller_id and self.site.agency_id != self.poller.agency_id:
            raise ValidationError({"site": _("Lokasi milik instansi lain.")})
        held = PollerSite.objects.filter(site_id=self.site_id).exclude(pk=self.pk).select_related("poller").first()
        if held is not None:
            raise ValidationError(
                {
                    "site": _("%(site)s sudah dipantau %(poller)s.")
                    % {"site": self.site.name, "poller": held.poller.name}
                }
            )
