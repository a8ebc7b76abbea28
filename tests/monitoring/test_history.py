"""Raw history in hour blocks (monitoring.history): packing, reading across blocks and recent rows, pruning,
late and early results, and the migration of a history kept one row a result."""

import io
import math
import threading
import time
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from django.db import connection, transaction

from monitoring import history, partitions
from monitoring.blocks import Result, pack, unpack
from monitoring.models import HourlyRollup, Sample, SampleBlock
from tests import factories

H0 = datetime(2026, 11, 1, 2, 0, tzinfo=UTC)
H = timedelta(hours=1)
POSTGRES = pytest.mark.skipif("connection.vendor != 'postgresql'")


def write(asset, *results: Result) -> None:
    Sample.objects.bulk_create(Sample(asset=asset, **r._asdict()) for r in results)


def result(at: datetime, verdict="up", rtt=1.5, reason="", source="icmp") -> Result:
    return Result(at, source, verdict, rtt, None if rtt is None else rtt * 2, 0.25 if rtt else 1.0, reason)


def everything(asset) -> list[Result]:
    return history.results(asset.pk, newest_first=False, limit=10_000)


def staging_tables() -> set[str]:
    with connection.cursor() as cursor:
        return set(partitions.children(cursor, partitions.STAGING))


ODD = [
    Result(H0 + timedelta(microseconds=1), "icmp", "up", 0.25, 0.5, 0.0, ""),
    Result(H0 + timedelta(minutes=59, seconds=59, microseconds=999_999), "snmp", "degraded", 1.5, 3.0, 0.5, "lambat"),
    Result(H0 + timedelta(minutes=7), "snmp", "down", None, None, None, "Tidak menjawab — “SNMP” 超时 ✓"),
    Result(H0 + timedelta(minutes=8), "radio_check", "unreachable", None, 2.0, 1.0, "x" * 200),
    Result(H0 + timedelta(minutes=9), "icmp", "maintenance", 12.345, 99.0, None, "é" * 200),
    Result(H0 + timedelta(minutes=10), "icmp", "unknown", 0.0, 0.0, 0.0, ""),
]


def same(found: list[Result], expected: list[Result]) -> None:
    assert len(found) == len(expected)
    for got, want in zip(found, sorted(expected), strict=True):
        assert (got.at, got.source, got.verdict, got.reason) == (want.at, want.source, want.verdict, want.reason)
        for a, b in zip(got[3:6], want[3:6], strict=True):
            assert (a is None and b is None) or math.isclose(a, b, rel_tol=1e-6)


def test_the_format_codes_every_verdict_and_source_in_its_bits():
    from monitoring.blocks import SOURCES, VERDICTS
    from monitoring.choices import Source, State

    assert set(VERDICTS) == set(State.values) and len(VERDICTS) <= 8  # three bits
    assert set(SOURCES) == set(Source.values) and len(SOURCES) <= 4  # two bits


def test_a_block_round_trips_every_field():
    assert unpack(H0, pack(H0, ODD))[2] == ODD[2]  # in the order given
    same(sorted(unpack(H0, pack(H0, ODD))), ODD)
    assert len(pack(H0, ODD[:1])) == 17


def test_packing_in_the_database_round_trips_every_field_and_writes_the_rollup(tree):
    router = factories.asset(tree["64.01"])
    write(router, *ODD)
    assert history.pack_finished_hours(H0 + H) == 1
    assert not Sample.objects.exists()
    block = SampleBlock.objects.get()
    assert (block.hour, block.count) == (H0, len(ODD))
    same(everything(router), ODD)
    rollup = HourlyRollup.objects.get()
    assert (rollup.hour, rollup.samples, rollup.up) == (H0, 6, 2)
    assert math.isclose(rollup.rtt_avg_ms, (0.25 + 1.5 + 12.345 + 0.0) / 4, rel_tol=1e-6)
    assert rollup.rtt_max_ms == 99.0 and math.isclose(rollup.loss_avg, 1.5 / 4)


def test_the_current_hour_waits_and_reads_span_blocks_and_recent_rows(tree, client_for):
    router, ups = factories.asset(tree["64.01"]), factories.asset(tree["64.01"])
    for minute in range(0, 120, 10):
        write(router, result(H0 + timedelta(minutes=minute), rtt=float(minute)))
    write(ups, result(H0 + timedelta(minutes=5), source="snmp"))
    assert history.pack_finished_hours(H0 + H + timedelta(minutes=30)) == 2  # hour 1 is still running
    assert Sample.objects.filter(asset=router).count() == 6 and SampleBlock.objects.count() == 2
    newest = history.results(router.pk, limit=8)
    assert [r.rtt_ms for r in newest] == [float(m) for m in range(110, 30, -10)]
    window = history.results(router.pk, since=H0 + timedelta(minutes=45), until=H0 + timedelta(minutes=75), limit=50)
    assert [r.rtt_ms for r in window] == [70.0, 60.0, 50.0]
    # The API pages through both, by the results' moments, forwards and back, each result once.
    client, seen, url = client_for(tree["64.01"], "manager"), [], "/api/monitoring/samples/"
    page = client.get(url, {"asset": router.pk, "page_size": 5}).json()
    while True:
        seen += [row["rtt_ms"] for row in page["results"]]
        if not page["next"]:
            break
        page = client.get(page["next"]).json()
    assert seen == [float(m) for m in range(110, -10, -10)]
    back = client.get(page["previous"]).json()
    assert [row["rtt_ms"] for row in back["results"]] == [60.0, 50.0, 40.0, 30.0, 20.0]
    oldest = client.get(url, {"asset": router.pk, "ordering": "at", "verdict": "up", "page_size": 2}).json()
    assert [row["rtt_ms"] for row in oldest["results"]] == [0.0, 10.0]
    assert set(oldest["results"][0]) == {"at", "source", "verdict", "rtt_ms", "rtt_max_ms", "loss", "reason"}
    assert client.get(url, {"asset": ups.pk, "source": "icmp"}).json()["results"] == []


def test_packing_twice_changes_nothing(tree):
    router = factories.asset(tree["64.01"])
    write(router, *(result(H0 + timedelta(minutes=m)) for m in range(60)))
    assert history.pack_finished_hours(H0 + 2 * H) == 1
    assert history.pack_finished_hours(H0 + 2 * H) == 0
    assert SampleBlock.objects.get().count == 60 and HourlyRollup.objects.get().samples == 60


def test_a_crash_between_packing_and_dropping_leaves_no_duplicate(tree):
    router, ups = factories.asset(tree["64.01"]), factories.asset(tree["64.01"])
    write(router, *(result(H0 + timedelta(minutes=m)) for m in range(0, 60, 5)))
    write(ups, result(H0 + timedelta(minutes=1), rtt=12.345))
    with transaction.atomic():
        history.pack_hour(H0)  # committed, and then the poller died before the hour was dropped
    assert Sample.objects.count() == 13 and SampleBlock.objects.count() == 2
    assert history.pack_finished_hours(H0 + H) == 2
    assert not Sample.objects.exists()
    assert dict(SampleBlock.objects.values_list("asset_id", "count")) == {router.pk: 12, ups.pk: 1}
    assert len(everything(router)) == 12 and HourlyRollup.objects.get(asset=router).samples == 12


def test_a_late_result_lands_and_is_merged_into_its_hour(tree):
    router = factories.asset(tree["64.01"])
    write(router, result(H0 + timedelta(minutes=1)), result(H0 + timedelta(minutes=2)))
    history.upkeep(H0 + H + timedelta(minutes=1))
    write(router, result(H0 + timedelta(minutes=30), verdict="down", rtt=None, reason="terlambat"))  # hour gone
    assert [r.verdict for r in everything(router)] == ["up", "up", "down"]
    history.upkeep(H0 + H + timedelta(minutes=2))
    assert not Sample.objects.exists() and SampleBlock.objects.get().count == 3
    assert [r.reason for r in everything(router)] == ["", "", "terlambat"]
    rollup = HourlyRollup.objects.get()
    assert (rollup.samples, rollup.up) == (3, 2)


def test_a_clock_step_loses_no_result(tree):
    router = factories.asset(tree["64.01"])
    history.prepare(H0)
    ahead = [result(H0 + timedelta(hours=5, minutes=m)) for m in (1, 2)]  # labelled by a clock set forward
    write(router, result(H0 + timedelta(minutes=1)), *ahead)
    history.upkeep(H0 + timedelta(hours=4))  # stepped back: hour 5 is made ahead and takes its rows over
    if connection.vendor == "postgresql":
        assert partitions.hour_name(H0 + 5 * H) in staging_tables()
    assert len(everything(router)) == 3 and SampleBlock.objects.count() == 1
    history.upkeep(H0 + timedelta(hours=6, minutes=1))
    assert len(everything(router)) == 3 and SampleBlock.objects.count() == 2 and not Sample.objects.exists()


def test_pruning_drops_expired_days_only(tree, settings):
    settings.SAMPLE_RETENTION_DAYS = 7
    router = factories.asset(tree["64.01"])
    day = H0.replace(hour=0)
    write(router, *(result(day + timedelta(days=d, hours=h)) for d in range(3) for h in (0, 23)))
    history.upkeep(day + timedelta(days=3))
    assert SampleBlock.objects.count() == 6
    assert history.prune(day + timedelta(days=8)) in (0, 2)  # PostgreSQL estimates what it drops
    assert sorted(SampleBlock.objects.values_list("hour", flat=True)) == [
        day + timedelta(days=d, hours=h) for d in (1, 2) for h in (0, 23)
    ]
    assert HourlyRollup.objects.count() == 6


@POSTGRES
def test_postgres_packs_by_dropping_the_hour_and_prunes_by_dropping_the_day(tree, settings):
    settings.SAMPLE_RETENTION_DAYS = 7
    router = factories.asset(tree["64.01"])
    history.prepare(H0)
    write(router, result(H0 + timedelta(minutes=1)))
    assert partitions.hour_name(H0) in staging_tables()
    history.upkeep(H0 + H)
    assert partitions.hour_name(H0) not in staging_tables()
    with connection.cursor() as cursor:
        assert partitions.day_name(H0) in partitions.children(cursor, partitions.BLOCKS)
        history.prune(H0 + timedelta(days=8))
        assert partitions.day_name(H0) not in partitions.children(cursor, partitions.BLOCKS)
        cursor.execute("SELECT to_regclass(%s)", [partitions.day_name(H0)])
        assert cursor.fetchone()[0] is None
    assert not SampleBlock.objects.exists() and HourlyRollup.objects.count() == 1


BEFORE = [("monitoring", "0007_poller_constraint_message")]
AFTER = [("monitoring", "0008_history_blocks")]


def _old_history(executor) -> tuple[int, list[Result]]:
    """A router's history kept one row a result, as before migration 0008: two old hours and this hour's result."""
    from django.utils import timezone

    old = executor.loader.project_state(BEFORE).apps
    Agency, Asset = old.get_model("assets", "Agency"), old.get_model("assets", "Asset")
    OldSample = old.get_model("monitoring", "Sample")
    agency = Agency.objects.create(code="64", name="BPBD Kaltim", level="province")
    router = Asset.objects.create(agency=agency, name="Router", kind="router")
    current = partitions.floor_hour(timezone.now())
    kept = [*ODD, *(result(H0 + timedelta(days=1, minutes=m), rtt=float(m)) for m in range(3))]
    kept.append(result(current + timedelta(seconds=1), reason="sekarang"))  # this hour's: stays a recent row
    OldSample.objects.bulk_create(OldSample(asset_id=router.pk, **r._asdict()) for r in kept)
    return router.pk, kept


def legacy_table() -> bool:
    with connection.cursor() as cursor:
        return history._legacy_exists(cursor) if connection.vendor == "postgresql" else False


def migrate_after() -> None:
    """Migration 0008 in this process, which has read the history before: as a restarted process would, it
    asks again whether the old table is there."""
    from django.db.migrations.executor import MigrationExecutor

    MigrationExecutor(connection).migrate(AFTER)
    history._Legacy.gone = False


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_every_result_readable_and_they_are_packed_while_the_poller_runs(settings):
    """On PostgreSQL the migration only renames and creates (a long history costs no more than a restart); the
    old rows are read beside the blocks until the upkeep or `packhistory` packs them, an hour at a time."""
    from django.core.management import call_command
    from django.db.migrations.executor import MigrationExecutor
    from django.utils import timezone

    settings.SAMPLE_RETENTION_DAYS = 60  # H0 is weeks ago
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    router, kept = _old_history(executor)
    migrate_after()
    try:
        same(history.results(router, newest_first=False, limit=100), kept)
        same(history.results(router, newest_first=True, limit=100)[::-1], kept)
        if connection.vendor == "postgresql":
            assert SampleBlock.objects.count() == 0 and legacy_table()
            assert history.pack_legacy(timezone.now(), budget_s=0) == (1, False)  # one hour, then its budget
            same(history.results(router, newest_first=False, limit=100), kept)  # half packed: still all there
            call_command("packhistory", stdout=io.StringIO())
            assert not legacy_table()
        same(history.results(router, newest_first=False, limit=100), kept)
        assert SampleBlock.objects.count() == 2 and Sample.objects.count() == 1
        assert HourlyRollup.objects.filter(asset_id=router).count() == 2
        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)  # and back, one row a result
        back = executor.loader.project_state(BEFORE).apps.get_model("monitoring", "Sample")
        assert back.objects.count() == len(kept)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


@POSTGRES
@pytest.mark.django_db(transaction=True)
def test_before_the_old_rows_are_packed_an_asset_can_go_and_the_migration_can_be_undone(settings):
    from django.db.migrations.executor import MigrationExecutor
    from django.utils import timezone

    from assets.models import Asset

    settings.SAMPLE_RETENTION_DAYS = 60
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    router, kept = _old_history(executor)
    migrate_after()
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)  # undone with the old rows still unpacked
        back = executor.loader.project_state(BEFORE).apps.get_model("monitoring", "Sample")
        assert back.objects.count() == len(kept)
        migrate_after()
        Asset.objects.filter(pk=router).delete()  # its old rows hold nothing back
        assert history.pack_legacy(timezone.now()) == (0, True) and not legacy_table()
        assert SampleBlock.objects.count() == 0
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.parametrize(
    ("params", "field"),
    [({"verdict": "bogus"}, "verdict"), ({"from": "kemarin"}, "from"), ({"page_size": "0"}, "page_size")],
)
def test_bad_input_to_the_samples_api_names_the_parameter(tree, client_for, params, field):
    router = factories.asset(tree["64.01"])
    response = client_for(tree["64.01"], "manager").get("/api/monitoring/samples/", {"asset": router.pk} | params)
    assert response.status_code == 400 and field in response.json()


def test_a_forged_cursor_is_a_404(tree, client_for):
    router = factories.asset(tree["64.01"])
    response = client_for(tree["64.01"], "manager").get("/api/monitoring/samples/", {"asset": router.pk, "cursor": "x"})
    assert response.status_code == 404


@POSTGRES
@pytest.mark.django_db(transaction=True)
def test_a_batch_holding_this_hour_and_a_late_result_waits_for_the_pack_instead_of_deadlocking(tree):
    """A remote poller's batch writes this hour's results, then a late one of the hour being packed. Dropping that
    hour's partition needs the staging table's strongest lock, which the batch holds: the pack must wait for the
    batch before it locks anything the batch still needs, then pack its late result. Neither fails."""
    router = factories.asset(tree["64.01"])
    history.prepare(H0)
    write(router, result(H0 + timedelta(minutes=1)))
    batch = psycopg.connect(**connection.get_connection_params())
    insert = (
        f"INSERT INTO {partitions.STAGING} (asset_id, at, source, verdict, reason) VALUES (%s, %s, 'icmp', 'up', '')"
    )
    batch.execute(insert, [router.pk, H0 + H + timedelta(minutes=5)])  # this hour's, in the batch's transaction
    failures = []

    def upkeep():
        try:
            history.pack_finished_hours(H0 + H)
        except Exception as error:  # what the pack met is the finding
            failures.append(error)
        finally:
            connection.close()

    packing = threading.Thread(target=upkeep)
    packing.start()
    time.sleep(1)  # the pack is under way: waiting for the batch (as it must) or holding the hour (the deadlock)
    try:
        batch.execute(insert, [router.pk, H0 + timedelta(minutes=59)])  # the late result
        batch.commit()
    except psycopg.Error as error:
        failures.append(error)
    finally:
        batch.close()
    packing.join(timeout=30)
    assert not failures
    assert [r.at for r in everything(router)] == [
        H0 + timedelta(minutes=1),
        H0 + timedelta(minutes=59),
        H0 + H + timedelta(minutes=5),
    ]
    assert SampleBlock.objects.get(asset=router, hour=H0).count == 2
    assert partitions.hour_name(H0) not in staging_tables()
