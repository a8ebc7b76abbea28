"""Raw history in hour blocks (monitoring.history): `Sample` becomes the staging table of recent results
(partitioned by hour on PostgreSQL), `SampleBlock` holds one packed row per asset and finished hour
(partitioned by UTC day on PostgreSQL). Existing results older than the current hour are packed here: on
PostgreSQL in SQL, one INSERT ... SELECT a day, so a long history migrates without a row through Python."""

from collections import defaultdict
from datetime import UTC

import django.db.models.deletion
from django.db import migrations, models
from django.utils import timezone

from monitoring import partitions
from monitoring.blocks import Result, pack, sql_record, unpack

FLAT = "monitoring_sample_flat"
COLUMNS = "at, source, verdict, rtt_ms, rtt_max_ms, loss, reason, asset_id"
ROLLUP_COLUMNS = "asset_id, hour, samples, up, rtt_avg_ms, rtt_max_ms, loss_avg"


def forward(apps, schema_editor):
    current = partitions.floor_hour(timezone.now())
    if schema_editor.connection.vendor == "postgresql":
        _forward_postgres(schema_editor.connection, current)
    else:
        _forward_plain(apps, schema_editor, current)


def _forward_postgres(connection, current):
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no table is dropped or indexed with checks pending
        cursor.execute(f"ALTER TABLE monitoring_sample RENAME TO {FLAT}")
        cursor.execute("ALTER INDEX sample_asset_at RENAME TO sample_flat_asset_at")
        partitions.create_tables(cursor)
        partitions.ensure_hours(cursor, [current + i * partitions.HOUR for i in range(3)])
        cursor.execute(f"SELECT min(at) FROM {FLAT}")  # by the index on `at`, not a scan of the history
        (first,) = cursor.fetchone()
        days = []
        if first is not None and first < current:
            day = partitions.floor_day(first)
            while day < current:
                days.append(day)
                day += partitions.DAY
        partitions.ensure_days(cursor, set(days))
        hour = "date_trunc('hour', at, 'UTC')"
        for day in days:
            # Rollups of these hours were written before from the same rows; a pruned hour's would be partial.
            cursor.execute(
                f"""
                WITH hour AS (
                    SELECT asset_id, {hour} AS hour, count(*) AS n,
                           string_agg({sql_record(hour)}, ''::bytea ORDER BY at) AS data,
                           count(*) FILTER (WHERE verdict IN ('up', 'degraded')) AS up,
                           avg(rtt_ms) AS rtt_avg, max(rtt_max_ms) AS rtt_max, avg(loss) AS loss_avg
                    FROM {FLAT} WHERE at >= %s AND at < %s GROUP BY asset_id, {hour}
                ), blocks AS (
                    INSERT INTO {partitions.BLOCKS} (asset_id, hour, count, data) SELECT asset_id, hour, n, data FROM hour
                )
                INSERT INTO monitoring_hourlyrollup ({ROLLUP_COLUMNS})
                SELECT asset_id, hour, n, up, rtt_avg, rtt_max, loss_avg FROM hour ON CONFLICT DO NOTHING
                """,
                [day, min(day + partitions.DAY, current)],
            )
        cursor.execute(
            f"INSERT INTO {partitions.STAGING} ({COLUMNS}) SELECT {COLUMNS} FROM {FLAT} WHERE at >= %s", [current]
        )
        cursor.execute(f"DROP TABLE {FLAT}")


def _forward_plain(apps, schema_editor, current):
    Sample, SampleBlock = apps.get_model("monitoring", "Sample"), apps.get_model("monitoring", "SampleBlock")
    HourlyRollup = apps.get_model("monitoring", "HourlyRollup")
    schema_editor.create_model(SampleBlock)
    schema_editor.execute("DROP INDEX IF EXISTS sample_at")
    hours = defaultdict(list)
    old = Sample.objects.filter(at__lt=current).order_by("at", "id")
    for row in old.values_list("asset_id", "at", "source", "verdict", "rtt_ms", "rtt_max_ms", "loss", "reason"):
        hours[row[0], partitions.floor_hour(row[1])].append(Result(*row[1:]))
    blocks, rollups = [], []
    for (asset_id, hour), found in hours.items():
        blocks.append(SampleBlock(asset_id=asset_id, hour=hour, count=len(found), data=pack(hour, found)))
        rtts = [r.rtt_ms for r in found if r.rtt_ms is not None]
        losses = [r.loss for r in found if r.loss is not None]
        rollups.append(
            HourlyRollup(
                asset_id=asset_id,
                hour=hour,
                samples=len(found),
                up=sum(r.verdict in ("up", "degraded") for r in found),
                rtt_avg_ms=sum(rtts) / len(rtts) if rtts else None,
                rtt_max_ms=max((r.rtt_max_ms for r in found if r.rtt_max_ms is not None), default=None),
                loss_avg=sum(losses) / len(losses) if losses else None,
            )
        )
    SampleBlock.objects.bulk_create(blocks, batch_size=500)
    HourlyRollup.objects.bulk_create(rollups, batch_size=500, ignore_conflicts=True)
    old.delete()


def backward(apps, schema_editor):
    """Back to one row a result (for a rollback, and the migration's test): blocks are unpacked in Python."""
    Sample, SampleBlock = apps.get_model("monitoring", "Sample"), apps.get_model("monitoring", "SampleBlock")
    unpacked = [
        Sample(asset_id=asset_id, **result._asdict())
        for asset_id, hour, data in SampleBlock.objects.values_list("asset_id", "hour", "data").iterator()
        for result in unpack(hour.astimezone(UTC), bytes(data))
    ]
    if schema_editor.connection.vendor != "postgresql":
        schema_editor.delete_model(SampleBlock)
        schema_editor.execute('CREATE INDEX "sample_at" ON "monitoring_sample" ("at")')
        Sample.objects.bulk_create(unpacked, batch_size=500)
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"""
            CREATE TABLE {FLAT} (
                id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                at timestamptz NOT NULL, source varchar(12) NOT NULL, verdict varchar(12) NOT NULL,
                rtt_ms double precision, rtt_max_ms double precision, loss double precision,
                reason varchar(200) NOT NULL,
                asset_id bigint NOT NULL REFERENCES assets_asset (id) DEFERRABLE INITIALLY DEFERRED
            )
        """)
        cursor.execute(f"INSERT INTO {FLAT} ({COLUMNS}) SELECT {COLUMNS} FROM {partitions.STAGING}")
        cursor.execute(f"DROP TABLE {partitions.STAGING}, {partitions.BLOCKS}")
        cursor.execute(f"ALTER TABLE {FLAT} RENAME TO {partitions.STAGING}")
        cursor.execute(f"CREATE INDEX sample_asset_at ON {partitions.STAGING} (asset_id, at)")
        cursor.execute(f"CREATE INDEX sample_at ON {partitions.STAGING} (at)")
    Sample.objects.bulk_create(unpacked, batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("assets", "0006_stocktake_signoff_photos_condition"),
        ("monitoring", "0007_poller_constraint_message"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SampleBlock",
                    fields=[
                        (
                            "pk",
                            models.CompositePrimaryKey(
                                "asset", "hour", blank=True, editable=False, primary_key=True, serialize=False
                            ),
                        ),
                        (
                            "asset",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, related_name="+", to="assets.asset"
                            ),
                        ),
                        ("hour", models.DateTimeField()),
                        ("count", models.PositiveIntegerField()),
                        ("data", models.BinaryField()),
                    ],
                    options={"ordering": ["asset", "hour"]},
                ),
                migrations.RemoveIndex(model_name="sample", name="sample_at"),
            ],
        ),
        migrations.RunPython(forward, backward),
    ]
