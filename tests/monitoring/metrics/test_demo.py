"""`make run`'s demo has metric history to show: the link report's throughput and the asset pages' charts."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from accounts.choices import Role
from assets.models import Agency, Asset
from monitoring.metrics.models import MetricHourly, MetricValue
from monitoring.models import Outage


def test_the_demo_seeds_traffic_and_power_the_report_and_charts_show(db, settings, client_for):
    call_command("seed_kaltim", stdout=StringIO())  # a week of history (tests/conftest.py)
    now = timezone.now()
    assert MetricHourly.objects.exists()
    assert not MetricValue.objects.filter(at__lt=now - timedelta(days=settings.SAMPLE_RETENTION_DAYS)).exists()

    month = timezone.localtime(now - timedelta(hours=2)).strftime("%Y-%m")
    province = Agency.objects.get(code="64")
    body = client_for(province, Role.PROCUREMENT).get(f"/api/reports/links/?month={month}").json()
    links = {row["name"]: row for row in body["results"] if row["agency"] == "64.01"}
    main = links["Internet utama"]
    assert 5 < main["in_avg_mbps"] < 45 and 45 <= main["in_peak_mbps"] <= 50  # office hours, now and then full
    assert 0 < main["out_avg_mbps"] < main["in_avg_mbps"]
    assert links["Starlink Pusdalops"]["in_avg_mbps"] > 0
    assert any(row["full_hours"] for row in body["results"])  # some hours ran above 90 % of the contract

    client = client_for(province, Role.TECHNICIAN)
    link = Asset.objects.get(agency__code="64.01", name="Internet utama")
    series = client.get(f"/api/monitoring/metrics/{link.pk}/").json()["series"]
    assert len(series["if_in_bps"]) > 24 * 5 and len(series["if_out_bps"]) == len(series["if_in_bps"])
    ups = Asset.objects.filter(kind="ups", agency__code="64.01").get()
    body = client.get(f"/api/monitoring/metrics/{ups.pk}/", {"metric": ["ups_input_v", "ups_runtime_min"]}).json()
    assert len(body["series"]["ups_charge_pct"]) > 24 * 5 and body["series"]["ups_input_v"]
    assert all(0 <= hour["avg"] <= 100 for hour in body["series"]["ups_charge_pct"])
    on_battery = MetricHourly.objects.filter(metric="ups_on_battery", peak=1)
    assert on_battery.exists()  # the power cuts
    # A UPS's battery ran out into each outage of its own the history recorded: on battery the hour before.
    drained = Outage.objects.filter(asset__kind="ups", cause__icontains="baterai", ended_at__isnull=False).first()
    if drained is not None:
        before = drained.started_at.replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
        assert on_battery.filter(asset=drained.asset, hour=before).exists()
