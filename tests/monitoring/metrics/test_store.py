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


def test_hourly_gives_average_peak_and_count_per_hour_rolled_up_or_not(links):
    a, b, c = links
    store.write([(a.pk, "if_in_bps", at(m), float(m)) for m in range(0, 120, 10)])  # 07.00-08.50 UTC
    store.write([(b.pk, "if_in_bps", at(5), 8e6)])
    expected = {
        a.pk: [(at(0), 25.0, 50.0, 6), (at(60), 85.0, 110.0, 6)],
        b.pk: [(at(0), 8e6, 8e6, 1)],
    }
    assert store.hourly([a.pk, b.pk, c.pk], "if_in_bps", at(0), at(120)) == expected  # from raw values
    assert store.roll_up(at(90)) == 2  # the hour 07.00 of a and b; 08.00 is not over yet
    assert MetricHourly.objects.count() == 2
    assert store.hourly([a.pk, b.pk, c.pk], "if_in_bps", at(0), at(120)) == expected  # kept and raw, the same
    assert store.hourly([a.pk], "if_in_bps", at(60), at(120)) == {a.pk: [expected[a.pk][1]]}


def test_late_values_are_rolled_up_again_and_pruning_keeps_the_hours(links, settings):
    settings.SAMPLE_RETENTION_DAYS = 14
    a = links[0]
    store.write([(a.pk, "ups_charge_pct", at(m), 60.0) for m in range(0, 60, 10)])
    store.roll_up(at(60))
    store.write([(a.pk, "ups_charge_pct", at(55), 0.0)])  # a remote poller's spool, late
    store.roll_up(at(120))
    assert store.hourly([a.pk], "ups_charge_pct", at(0), at(60)) == {a.pk: [(at(0), 360 / 7, 60.0, 7)]}
    assert store.prune(at(0) + timedelta(days=15)) == 7
    assert store.series(a.pk, "ups_charge_pct", at(0), at(60)) == []
    assert store.hourly([a.pk], "ups_charge_pct", at(0), at(60)) == {a.pk: [(at(0), 360 / 7, 60.0, 7)]}


def test_a_write_is_one_statement_whatever_its_size(tree):
    assets = [factories.asset(tree["64.01"], name=f"R{i}") for i in range(50)]
    rows = [(asset.pk, metric, at(1), 1.0) for asset in assets for metric in ("if_in_bps", "if_out_bps")]
    with CaptureQueriesContext(connection) as queries:
        store.write(rows)
    assert len(queries) <= 1  # one executemany; PostgreSQL's COPY goes past Django's query log
    assert MetricValue.objects.count() == 100
