"""Raw history in hour blocks (monitoring.history): `Sample` becomes the staging table of recent results
(partitioned by hour on PostgreSQL), `SampleBlock` holds one packed row per asset and finished hour
(partitioned by UTC day on PostgreSQL). On PostgreSQL the old table is kept under another name and packed
after the restart (monitoring.history.pack_legacy), so a long history costs the poller no more than a restart;
on SQLite, the embedded default with a small history, it is packed here."""

from collections import defaultdict
from datetime import UTC

import django.db.models.deletion
from django.db import migrations, models
from django.utils import timezone

from monitoring import partitions
from monitoring.blocks import Result, pack, unpack

FLAT = partitions.LEGACY
COLUMNS = "at, source, verdict, rtt_ms, rtt_max_ms, loss, reason, asset_id"


def forward(apps, schema_editor):
    current = partitions.floor_hour(timezone.now())
    if schema_editor.connection.vendor == "postgresql":
        _forward_postgres(schema_editor.connection, current)
    else:
        _forward_plain(apps, schema_editor, current)


def _forward_postgres(connection, current):
    """Only renames and creates, whatever the history's size: the old table stays as it is, read beside the blocks,
    and is packed an hour at a time after the poller restarts (monitoring.history.pack_legacy)."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no table is dropped or indexed with checks pending
        cursor.execute(f"ALTER TABLE monitoring_sample RENAME TO {FLAT}")
        cursor.execute("ALTER INDEX sample_asset_at RENAME TO sample_flat_asset_at")
        cursor.execute("ALTER INDEX sample_at RENAME TO sample_flat_at")
        # An asset deleted meanwhile must not be held back by its old rows (packing skips them).
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'", [FLAT]
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'ALTER TABLE {FLAT} DROP CONSTRAINT "{name}"')
        partitions.create_tables(cursor)
        partitions.ensure_hours(cursor, [current + i * partitions.HOUR for i in range(3)])
        cursor.execute(
            f"WITH moved AS (DELETE FROM {FLAT} WHERE at >= %s RETURNING {COLUMNS}) "
            f"INSERT INTO {partitions.STAGING} ({COLUMNS}) SELECT {COLUMNS} FROM moved",
            [current],
        )
        cursor.execute(f"SELECT EXISTS (SELECT FROM {FLAT})")
        if not cursor.fetchone()[0]:  # a new database, or a history of this hour only: nothing to pack later
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
        cursor.execute("SELECT to_regclass(%s)", [FLAT])
        if cursor.fetchone()[0] is None:
            cursor.execute(f"""
                CREATE TABLE {FLAT} (
                    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                    at timestamptz NOT NULL, source varchar(12) NOT NULL, verdict varchar(12) NOT NULL,
                    rtt_ms double precision, rtt_max_ms double precision, loss double precision,
                    reason varchar(200) NOT NULL, asset_id bigint NOT NULL
                )
            """)
            cursor.execute(f"CREATE INDEX sample_flat_asset_at ON {FLAT} (asset_id, at)")
            cursor.execute(f"CREATE INDEX sample_flat_at ON {FLAT} (at)")
        else:  # not packed yet: its rows are still there; those of deleted assets go
            cursor.execute(f"DELETE FROM {FLAT} f WHERE NOT EXISTS (SELECT FROM assets_asset a WHERE a.id = f.asset_id)")
        cursor.execute(
            f"ALTER TABLE {FLAT} ADD FOREIGN KEY (asset_id) REFERENCES assets_asset (id) DEFERRABLE INITIALLY DEFERRED"
        )
        cursor.execute(f"INSERT INTO {FLAT} ({COLUMNS}) SELECT {COLUMNS} FROM {partitions.STAGING}")
        cursor.execute(f"DROP TABLE {partitions.STAGING}, {partitions.BLOCKS}")
        cursor.execute(f"ALTER TABLE {FLAT} RENAME TO {partitions.STAGING}")
        cursor.execute("ALTER INDEX sample_flat_asset_at RENAME TO sample_asset_at")
        cursor.execute("ALTER INDEX sample_flat_at RENAME TO sample_at")
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
