"""The metric store's interface on the real database: write, series, hourly rollups, pruning."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from monitoring.metrics import store
from monitoring.metrics.models import MetricHourly, MetricValue
from tests import factories

T0 = datetime(2026, 11, 14, 7, 0, tzinfo=UTC)


def at(minute: float) -> datetime:
    return T0 + timedelta(minutes=minute)


@pytest.fixture
def links(tree):
    return [factories.asset(tree["64.01"], kind="router", name=f"Router {i}") for i in range(3)]


def test_write_then_series_in_time_order_within_the_window(links):
    a, b, _c = links
    store.write([(a.pk, "if_in_bps", at(2), 30.0), (a.pk, "if_in_bps", at(1), 20.0), (b.pk, "if_in_bps", at(1), 5.0)])
    store.write([(a.pk, "if_out_bps", at(1), 1.0), (a.pk, "if_in_bps", at(3), 40.0)])
    assert store.series(a.pk, "if_in_bps", at(1), at(3)) == [(at(1), 20.0), (at(2), 30.0)]  # end excluded
    assert store.series(a.pk, "ups_charge_pct", at(0), at(9)) == []


def test_hourly_gives_average_peak_and_count_per_hour_and_merges_late_values(links):
    a, b, c = links
    store.write([(a.pk, "if_in_bps", at(m), float(m)) for m in range(0, 120, 10)])  # 07.00-08.50 UTC
    store.write([(b.pk, "if_in_bps", at(5), 8e6)])
    store.write([(a.pk, "if_in_bps", at(55), 1000.0)])  # late, into a hour already rolled up
    result = store.hourly([a.pk, b.pk, c.pk], "if_in_bps", at(0), at(120))
    assert set(result) == {a.pk, b.pk}  # nothing for c
    (first, avg, peak, count), second = result[a.pk]
    assert (first, count, peak) == (at(0), 7, 1000.0) and avg == pytest.approx((0 + 10 + 20 + 30 + 40 + 50 + 1000) / 7)
    assert second == (at(60), pytest.approx(85.0), 110.0, 6)
    assert result[b.pk] == [(at(0), 8e6, 8e6, 1)]
    assert store.hourly([a.pk], "if_in_bps", at(60), at(120)) == {a.pk: [second]}


def test_a_write_is_a_couple_of_statements_whatever_its_size(tree):
    assets = [factories.asset(tree["64.01"], name=f"R{i}") for i in range(50)]
    rows = [(asset.pk, metric, at(1), 1.0) for asset in assets for metric in ("if_in_bps", "if_out_bps")]
    with CaptureQueriesContext(connection) as queries:
        store.write(rows)
    assert len([q for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]) <= 2
    assert MetricValue.objects.count() == 100 and MetricHourly.objects.count() == 100


def test_prune_removes_raw_values_past_retention_and_keeps_hourly(links, settings):
    settings.SAMPLE_RETENTION_DAYS = 14
    a = links[0]
    old, recent = at(0) - timedelta(days=15), at(0) - timedelta(days=13)
    store.write([(a.pk, "ups_charge_pct", old, 50.0), (a.pk, "ups_charge_pct", recent, 60.0)])
    assert store.prune(at(0)) == 1
    assert store.series(a.pk, "ups_charge_pct", old, at(0)) == [(recent, 60.0)]
    assert len(store.hourly([a.pk], "ups_charge_pct", old - timedelta(hours=1), at(0))[a.pk]) == 2
