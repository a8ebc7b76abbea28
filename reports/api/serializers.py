"""The dashboard's figures as the API writes them (and documents them in the OpenAPI schema)."""

from rest_framework import serializers

from maintenance.choices import WorkOrderStatus
from monitoring.asset_status import Bucket, Reason
from monitoring.choices import State
from monitoring.remote.health import PollerHealth
from reports.dashboard import WINDOWS

REPORT_STATUSES = ["on_time", "late", "missing", "pending"]
# A work order's status, or "window" for a maintenance window.
UPCOMING_STATUSES = [*WorkOrderStatus.choices, ("window", "window")]


class FigureSerializer(serializers.Serializer):
    value = serializers.FloatField(
        allow_null=True, help_text="Ketersediaan 0..1; null bila dipantau kurang dari batas cakupan (COVERAGE_FLOOR)"
    )
    watched_s = serializers.IntegerField(help_text="Lama dipantau dalam jendela, rata-rata per aset (detik)")
    window_s = serializers.IntegerField(help_text="Panjang jendela (detik)")
    coverage = serializers.FloatField(help_text="watched_s / window_s")


class WindowsSerializer(serializers.Serializer):
    """One figure per window: 24h, 7d, 30d."""

    def get_fields(self):
        return {label: FigureSerializer() for label in WINDOWS}


class BucketCountsSerializer(serializers.Serializer):
    """How many assets count in each bucket (monitoring.asset_status.Bucket)."""

    def get_fields(self):
        return {bucket: serializers.IntegerField() for bucket in Bucket.values}


class OverviewRowSerializer(serializers.Serializer):
    agency = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField()
    assets = serializers.IntegerField(help_text="Aset yang dimiliki: beroperasi, rusak, dalam perbaikan, cadangan")
    states = BucketCountsSerializer()
    worst = serializers.ChoiceField(choices=Bucket.choices, allow_null=True)
    worst_label = serializers.CharField()
    url = serializers.CharField(help_text="Halaman instansi")
    availability = WindowsSerializer()
    open_outages = serializers.IntegerField()
    outage_since = serializers.DateTimeField(allow_null=True, help_text="Awal gangguan terbuka yang paling lama")
    longest_outage_s = serializers.IntegerField()
    open_work_orders = serializers.IntegerField()
    overdue_work_orders = serializers.IntegerField()
    report_status = serializers.ChoiceField(choices=REPORT_STATUSES, allow_null=True)
    lapsing_30 = serializers.IntegerField()
    lapsing_60 = serializers.IntegerField()
    lapsing_90 = serializers.IntegerField()
    expired_licence_radios = serializers.IntegerField()


class OverviewTotalsSerializer(serializers.Serializer):
    agencies = serializers.IntegerField()
    assets = serializers.IntegerField()
    states = BucketCountsSerializer()
    open_outages = serializers.IntegerField()
    outage_since = serializers.DateTimeField(allow_null=True)
    open_work_orders = serializers.IntegerField()
    overdue_work_orders = serializers.IntegerField()


class PollerRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    agency = serializers.CharField()
    agency_name = serializers.CharField()
    health = serializers.ChoiceField(choices=PollerHealth.choices)
    health_label = serializers.CharField()
    last_contact_at = serializers.DateTimeField(allow_null=True)
    backlog = serializers.IntegerField(help_text="Hasil yang masih di antrean poller pada kontak terakhir")
    dropped = serializers.IntegerField(help_text="Hasil yang dibuang poller karena antreannya penuh")
    version = serializers.CharField(allow_blank=True)
    assets = serializers.IntegerField()


class OverviewFiguresSerializer(serializers.Serializer):
    """The part of the overview that changes once per poll cycle (or write)."""

    generated_at = serializers.DateTimeField()
    agencies = OverviewRowSerializer(many=True, help_text="Yang bermasalah dulu")
    totals = OverviewTotalsSerializer()
    labels = serializers.DictField(child=serializers.CharField(), help_text="Label tiap bucket, dalam bahasa pengguna")


class LivePanelsSerializer(serializers.Serializer):
    """The part read on each request: open alerts and the pollers."""

    alerts = serializers.DictField()
    pollers = PollerRowSerializer(many=True, help_text="Poller jarak jauh aktif, yang diam dulu")


class OverviewSerializer(OverviewFiguresSerializer, LivePanelsSerializer):
    """The figures, then the live panels (the cached body ends where the live part begins)."""


class SiteRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    lat = serializers.FloatField()
    lon = serializers.FloatField()
    state = serializers.ChoiceField(choices=Bucket.choices)
    state_label = serializers.CharField()


class AssetRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    site = serializers.CharField(allow_null=True)
    state = serializers.ChoiceField(choices=Bucket.choices)
    state_label = serializers.CharField()
    reason = serializers.ChoiceField(choices=Reason.choices, allow_blank=True)
    reason_label = serializers.CharField(allow_blank=True)
    since = serializers.DateTimeField(allow_null=True)
    last_rtt_ms = serializers.FloatField(allow_null=True)
    last_loss = serializers.FloatField(allow_null=True)
    address = serializers.CharField(allow_blank=True)


class AssetTotalsSerializer(serializers.Serializer):
    assets = serializers.IntegerField()
    states = BucketCountsSerializer()


class HandlingOrderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    status_label = serializers.CharField()
    assignee = serializers.CharField(allow_null=True, help_text="Teknisi yang ditugaskan; null bila belum ada")


class OutageRowSerializer(serializers.Serializer):
    asset = serializers.CharField()
    asset_id = serializers.IntegerField()
    started_at = serializers.DateTimeField()
    duration_s = serializers.IntegerField()
    cause = serializers.CharField(allow_blank=True)
    took_down = serializers.IntegerField()
    work_order = HandlingOrderSerializer(allow_null=True, help_text="Perintah kerja aktif untuk gangguan ini")


class UpcomingRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True, help_text="Perintah kerja; null untuk jendela pemeliharaan")
    title = serializers.CharField()
    due_date = serializers.DateField()
    overdue = serializers.BooleanField()
    status = serializers.ChoiceField(choices=UPCOMING_STATUSES)
    status_label = serializers.CharField()
    starts_at = serializers.DateTimeField(allow_null=True)
    ends_at = serializers.DateTimeField(allow_null=True)


class AgencyNameSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class AgencyDetailSerializer(serializers.Serializer):
    generated_at = serializers.DateTimeField()
    agency = AgencyNameSerializer()
    sites = SiteRowSerializer(many=True)
    assets = AssetRowSerializer(many=True, help_text="Setiap aset yang dimiliki, yang bermasalah dulu")
    asset_totals = AssetTotalsSerializer()
    labels = serializers.DictField(child=serializers.CharField(), help_text="Label tiap bucket, dalam bahasa pengguna")
    availability = WindowsSerializer()
    daily_availability = serializers.ListField(child=serializers.DictField())
    hourly = serializers.ListField(child=serializers.DictField())
    outages = OutageRowSerializer(many=True, help_text="Gangguan terbuka, yang paling lama dulu")
    upcoming = UpcomingRowSerializer(many=True)
    expired_licence_radios = serializers.ListField(child=serializers.DictField())
    lapsing = serializers.ListField(child=serializers.DictField())


class MapCountSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=State.choices)
    label = serializers.CharField()
    count = serializers.IntegerField()


class MapAgencySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    state = serializers.ChoiceField(choices=State.choices, help_text="Kondisi terburuk asetnya")
    state_label = serializers.CharField()
    counts = MapCountSerializer(many=True, help_text="Aset per kondisi, yang terburuk dulu; tanpa yang nol")
    lat = serializers.FloatField(allow_null=True, help_text="Kantor Pusdalops-nya (atau lokasi pertamanya)")
    lon = serializers.FloatField(allow_null=True)


class MapSiteSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    agency = serializers.CharField(help_text="Nama instansi")
    state = serializers.ChoiceField(choices=State.choices)
    state_label = serializers.CharField()
    lat = serializers.FloatField()
    lon = serializers.FloatField()


class MapLegendSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=State.choices)
    label = serializers.CharField()
    agencies = serializers.IntegerField()
    sites = serializers.IntegerField()
    text = serializers.CharField(help_text="Baris legenda, mis. 'Mati: 1 instansi, 2 lokasi'")


class ProvinceMapSerializer(serializers.Serializer):
    title = serializers.CharField()
    agencies = MapAgencySerializer(many=True)
    unplaced = serializers.ListField(child=serializers.CharField(), help_text="Instansi tanpa lokasi di peta")
    sites = MapSiteSerializer(many=True)
    legend = MapLegendSerializer(many=True, help_text="Yang terburuk dulu")
