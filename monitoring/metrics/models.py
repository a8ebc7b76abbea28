"""Metric profiles per asset kind, the values polled, their hourly rollups, and the counters a rate needs.

Values live in their own narrow tables (see store.py), apart from the reachability samples: one row per
asset, metric and poll while its hour runs, then one packed block per asset, metric and hour, pruned after
SAMPLE_RETENTION_DAYS; the hourly rows are kept.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from assets.choices import AssetKind
from monitoring.metrics.catalog import GROUPS, STANDARD_METRICS
from monitoring.models import _is_numeric_oid

LABEL_LIMIT = 40


class MetricProfile(models.Model):
    """Which standard MIB objects the assets of one kind are asked for, and when their values are a problem.

    Vendor objects (a modem's signal, a radio's SNR) stay in the kind policy's extra OIDs; their numbers
    are stored as metrics under their labels too. `oids` adds other gauges (HOST-RESOURCES, whose
    indexes differ per device: hrProcessorLoad.196608, hrStorageUsed.1) the same way.
    """

    kind = models.CharField(_("jenis aset"), max_length=20, choices=AssetKind.choices, unique=True)
    groups = models.JSONField(
        _("MIB standar"), default=list, blank=True, help_text=_("if_mib (antarmuka), ups_mib (UPS, RFC 1628).")
    )
    oids = models.JSONField(
        _("OID lain"),
        default=dict,
        blank=True,
        help_text=_('Label ke OID numerik, mis. {"cpu_load_pct": "1.3.6.1.2.1.25.3.3.1.2.196608"}.'),
    )
    on_battery_degraded = models.BooleanField(_("menurun saat dari baterai"), default=True)
    charge_below_pct = models.FloatField(
        _("menurun bila baterai di bawah (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    throughput_above_pct = models.FloatField(
        _("menurun bila trafik di atas (% kontrak)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text=_("Dari kecepatan unduh/unggah kontrak pada aset."),
    )
    throughput_minutes = models.PositiveIntegerField(
        _("selama (menit)"), default=15, validators=[MinValueValidator(1), MaxValueValidator(24 * 60)]
    )

    class Meta:
        ordering = ["kind"]
        verbose_name = _("profil metrik")
        verbose_name_plural = _("profil metrik")

    def __str__(self) -> str:
        return self.get_kind_display()

    def clean(self) -> None:
        errors = {}
        if not isinstance(self.groups, list) or not set(self.groups) <= set(GROUPS):
            errors["groups"] = _("Daftar dari: %(groups)s.") % {"groups": ", ".join(GROUPS)}
        if not isinstance(self.oids, dict) or not all(
            isinstance(label, str) and isinstance(oid, str) and _is_numeric_oid(oid) for label, oid in self.oids.items()
        ):
            errors["oids"] = _("Harus objek label -> OID numerik (1.3.6...).")
        elif bad := [
            label
            for label in self.oids
            if not label.isidentifier() or len(label) > LABEL_LIMIT or label in STANDARD_METRICS
        ]:
            errors["oids"] = _("Label tidak sah atau sudah dipakai metrik standar: %(labels)s.") % {
                "labels": ", ".join(bad)
            }
        if errors:
            raise ValidationError(errors)


class MetricValue(models.Model):
    """One metric of one asset at one poll, staged until the hourly upkeep packs its hour into a `MetricBlock`
    (on PostgreSQL the table is partitioned by hour, and packing drops the hour's partition).

    The key is the series order itself, so a row costs no surrogate id and no second index.
    """

    pk = models.CompositePrimaryKey("asset", "metric", "at")
    asset = models.ForeignKey("assets.Asset", on_delete=models.CASCADE, related_name="+", db_constraint=False)
    metric = models.CharField(max_length=LABEL_LIMIT)
    at = models.DateTimeField()
    value = models.FloatField()

    class Meta:
        ordering = ["asset_id", "metric", "at"]

    def __str__(self) -> str:
        return f"{self.asset_id} {self.metric} {self.at:%Y-%m-%d %H:%M}"


class MetricBlock(models.Model):
    """One metric of one asset over one finished hour, packed (monitoring.metrics.blocks): 8 bytes a value.

    Kept for SAMPLE_RETENTION_DAYS; on PostgreSQL the table is partitioned by UTC day, so pruning drops a day.
    """

    pk = models.CompositePrimaryKey("asset", "metric", "hour")
    asset = models.ForeignKey("assets.Asset", on_delete=models.CASCADE, related_name="+", db_constraint=False)
    metric = models.CharField(max_length=LABEL_LIMIT)
    hour = models.DateTimeField()
    count = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        ordering = ["asset_id", "metric", "hour"]

    def __str__(self) -> str:
        return f"{self.asset_id} {self.metric} {self.hour:%Y-%m-%d %H}"


class MetricHourly(models.Model):
    """One metric of one asset over one hour, kept long: rolled up from the raw values by the hourly upkeep."""

    asset = models.ForeignKey("assets.Asset", on_delete=models.CASCADE, related_name="+", db_constraint=False)
    metric = models.CharField(max_length=LABEL_LIMIT)
    hour = models.DateTimeField()
    total = models.FloatField()
    peak = models.FloatField()
    count = models.PositiveIntegerField()

    class Meta:
        ordering = ["asset_id", "metric", "hour"]
        constraints = [models.UniqueConstraint(fields=["asset", "metric", "hour"], name="metric_hourly_once")]
        indexes = [models.Index(fields=["hour"], name="metric_hourly_hour")]  # how far the upkeep has rolled

    def __str__(self) -> str:
        return f"{self.asset_id} {self.metric} {self.hour:%Y-%m-%d %H}"


class MetricCounters(models.Model):
    """The last counters read from an asset, so the next poll gives a rate, also after a poller restart;
    and since when its traffic has been above the profile's limit."""

    asset = models.OneToOneField("assets.Asset", on_delete=models.CASCADE, primary_key=True, related_name="+")
    at = models.DateTimeField()
    sys_uptime = models.BigIntegerField(null=True)
    counters = models.JSONField(default=dict)  # "ifHCInOctets.2" -> value (JSON keeps all 64 bits)
    over_since = models.JSONField(default=dict)  # "in"/"out" -> ISO moment

    class Meta:
        ordering = ["asset_id"]

    def __str__(self) -> str:
        return f"counters {self.asset_id}"


class AssetInterfaces(models.Model):
    """The interface table an asset's agent listed at its last walk: what the watched interfaces are chosen from."""

    asset = models.OneToOneField("assets.Asset", on_delete=models.CASCADE, primary_key=True, related_name="+")
    walked_at = models.DateTimeField()
    interfaces = models.JSONField(default=list)  # [{"index", "name", "descr", "speed_mbps"}], by index
    error = models.CharField(max_length=300, blank=True)  # why the last walk failed; the list is the previous one

    class Meta:
        ordering = ["asset_id"]

    def __str__(self) -> str:
        return f"interfaces {self.asset_id}"
