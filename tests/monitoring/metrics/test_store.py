"""The metric store's interface on the real database: write, series, hourly rollups, packing into hour blocks,
pruning."""

import math
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from monitoring import partitions
from monitoring.metrics import store
from monitoring.metrics.blocks import pack, to_float32, unpack
from monitoring.metrics.models import MetricBlock, MetricHourly, MetricValue
from tests import factories

T0 = datetime(2026, 11, 14, 7, 0, tzinfo=UTC)
H = timedelta(hours=1)
POSTGRES = pytest.mark.skipif("connection.vendor != 'postgresql'")


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
    assert store.prune(at(0) + timedelta(days=15)) in (0, 1)  # PostgreSQL estimates what it drops
    assert store.series(a.pk, "ups_charge_pct", at(0), at(60)) == []
    assert store.hourly([a.pk], "ups_charge_pct", at(0), at(60)) == {a.pk: [(at(0), 360 / 7, 60.0, 7)]}


def test_a_write_is_one_statement_whatever_its_size(tree):
    assets = [factories.asset(tree["64.01"], name=f"R{i}") for i in range(50)]
    rows = [(asset.pk, metric, at(1), 1.0) for asset in assets for metric in ("if_in_bps", "if_out_bps")]
    with CaptureQueriesContext(connection) as queries:
        store.write(rows)
    assert len(queries) <= 1  # one executemany; PostgreSQL's COPY goes past Django's query log
    assert MetricValue.objects.count() == 100


def staged_hours() -> set[str]:
    with connection.cursor() as cursor:
        return set(partitions.children(cursor, partitions.METRICS.staging))


def block_days() -> set[str]:
    with connection.cursor() as cursor:
        return set(partitions.children(cursor, partitions.METRICS.blocks))


def test_a_block_keeps_each_microsecond_and_value_as_float32():
    values = [
        (T0, 0.0),
        (T0 + timedelta(microseconds=1), 1.5),
        (T0 + timedelta(minutes=30), 9_876_543_210.123),  # float32: ~7 significant digits kept
        (T0 + timedelta(minutes=59, seconds=59, microseconds=999_999), -273.15),
    ]
    data = pack(T0, values)
    assert len(data) == 8 * len(values)
    assert unpack(T0, data) == [(moment, to_float32(value)) for moment, value in values]
    assert unpack(T0, data)[2][1] == pytest.approx(9_876_543_210.123, rel=1e-7)


def test_nan_and_infinities_are_kept_and_out_of_range_values_saturate():
    (nan, inf, minus_inf, huge, tiny) = [
        value
        for _at, value in unpack(
            T0, pack(T0, [(at(m), v) for m, v in enumerate([math.nan, math.inf, -math.inf, -1e300, 1e-300])])
        )
    ]
    assert math.isnan(nan) and inf == math.inf and minus_inf == -math.inf
    assert huge == -math.inf and tiny == 0.0


def test_series_reads_blocks_and_staged_values_and_hourly_figures_stay_the_same_after_packing(links):
    a, b, _c = links
    store.write([(a.pk, "if_in_bps", at(m), float(m) * 1000) for m in range(0, 150, 10)])  # 07.00-09.20
    store.write([(a.pk, "if_out_bps", at(5), 7.0), (b.pk, "if_in_bps", at(65), 8e6)])
    before = store.hourly([a.pk, b.pk], "if_in_bps", at(0), at(180))
    series = store.series(a.pk, "if_in_bps", at(25), at(135))
    assert store.roll_up(at(130)) == 4  # 07.00 (a in, a out) and 08.00 (a in, b in); 09.00 still runs
    assert MetricBlock.objects.count() == 4
    assert list(MetricValue.objects.values_list("at", flat=True)) == [at(120), at(130), at(140)]
    assert store.series(a.pk, "if_in_bps", at(25), at(135)) == series  # two blocks and the staging rows
    assert store.series(a.pk, "if_out_bps", at(0), at(60)) == [(at(5), 7.0)]
    assert store.hourly([a.pk, b.pk], "if_in_bps", at(0), at(180)) == before
    assert before[a.pk][0] == (at(0), 25_000.0, 50_000.0, 6)


def test_packing_twice_changes_nothing_and_a_late_value_merges(links):
    a = links[0]
    store.write([(a.pk, "ups_charge_pct", at(m), 60.0) for m in range(0, 60, 10)])
    assert store.roll_up(at(60)) == 1
    assert store.roll_up(at(61)) == 0  # nothing staged of a finished hour
    assert MetricBlock.objects.get().count == 6
    store.write([(a.pk, "ups_charge_pct", at(55), 0.0), (a.pk, "ups_charge_pct", at(10), 50.0)])  # late spool
    assert store.series(a.pk, "ups_charge_pct", at(0), at(60))[1:3] == [(at(10), 50.0), (at(20), 60.0)]
    assert store.roll_up(at(90)) == 1
    block = MetricBlock.objects.get()
    assert block.count == 7 and not MetricValue.objects.exists()
    assert store.series(a.pk, "ups_charge_pct", at(0), at(60)) == sorted(
        [(at(m), 60.0) for m in (0, 20, 30, 40, 50)] + [(at(10), 50.0), (at(55), 0.0)]
    )  # the late value of 07.10 replaced the packed one of the same moment, no duplicate
    assert store.hourly([a.pk], "ups_charge_pct", at(0), at(60)) == {a.pk: [(at(0), 350 / 7, 60.0, 7)]}
    assert MetricHourly.objects.get().count == 7


def test_pruning_removes_only_the_expired_days(links, settings):
    settings.SAMPLE_RETENTION_DAYS = 2
    a = links[0]
    day = datetime(2026, 11, 10, tzinfo=UTC)
    for d in range(3):
        store.write([(a.pk, "if_in_bps", day + timedelta(days=d, hours=h), 1.0) for h in (0, 23)])
    store.roll_up(day + timedelta(days=3))
    assert MetricBlock.objects.count() == 6
    store.prune(day + timedelta(days=4))  # the cutoff is the end of day 1: days 0 and 1 go whole
    assert sorted(MetricBlock.objects.values_list("hour", flat=True)) == [
        day + timedelta(days=2),
        day + timedelta(days=2, hours=23),
    ]
    assert MetricHourly.objects.count() == 6  # the hourly rows are kept


@POSTGRES
def test_postgres_packs_by_dropping_the_hour_and_prunes_by_dropping_the_day(links, settings):
    settings.SAMPLE_RETENTION_DAYS = 7
    a = links[0]
    store.roll_up(T0)  # the upkeep makes the current hour's partition and the next ones
    assert partitions.METRICS.hour_name(T0) in staged_hours()
    store.write([(a.pk, "if_in_bps", at(1), 1.0)])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {partitions.METRICS.hour_name(T0)}")
        assert cursor.fetchone()[0] == 1
    store.upkeep(T0 + H)
    assert partitions.METRICS.hour_name(T0) not in staged_hours()
    assert partitions.METRICS.day_name(T0.replace(hour=0)) in block_days()
    store.prune(T0 + timedelta(days=8))
    assert partitions.METRICS.day_name(T0.replace(hour=0)) not in block_days()
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [partitions.METRICS.day_name(T0.replace(hour=0))])
        assert cursor.fetchone()[0] is None
    assert not MetricBlock.objects.exists() and MetricHourly.objects.count() == 1


def test_the_database_packs_values_as_python_does(links):
    """PostgreSQL packs in SQL, SQLite in Python: the same bytes, out-of-range values saturated alike."""
    a = links[0]
    values = [math.inf, 1e300, -1e-300, 0.1, 1e-40]  # 1e-40 is a float32 subnormal, kept
    store.write([(a.pk, "processes", at(m), value) for m, value in enumerate(values)])
    store.roll_up(at(60))
    assert bytes(MetricBlock.objects.get().data) == pack(T0, [(at(m), value) for m, value in enumerate(values)])
    assert [value for _at, value in store.series(a.pk, "processes", at(0), at(60))][:3] == [math.inf, math.inf, 0.0]
