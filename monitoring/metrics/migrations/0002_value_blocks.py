"""Metric values in hour blocks (monitoring.metrics.store): `MetricValue` becomes the staging table of the
current hours (partitioned by hour on PostgreSQL, with a DEFAULT partition for late values), `MetricBlock`
holds one packed row per asset, metric and finished hour (partitioned by UTC day on PostgreSQL). Values already
stored move over as they are; the next hourly upkeep packs them."""

from datetime import UTC

import django.db.models.deletion
from django.db import migrations, models
from django.utils import timezone

from monitoring import partitions
from monitoring.metrics.blocks import unpack

TABLES = partitions.METRICS
KEPT = "metrics_metricvalue_kept"
COLUMNS = "asset_id, metric, at, value"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        schema_editor.create_model(apps.get_model("metrics", "MetricBlock"))
        return
    current = partitions.floor_hour(timezone.now())
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {KEPT} AS SELECT {COLUMNS} FROM {TABLES.staging}")
        cursor.execute(f"DROP TABLE {TABLES.staging}")
        cursor.execute(f"""
            CREATE TABLE {TABLES.staging} (
                asset_id bigint NOT NULL,
                metric varchar(40) NOT NULL,
                at timestamptz NOT NULL,
                value double precision NOT NULL,
                PRIMARY KEY (asset_id, metric, at)
            ) PARTITION BY RANGE (at)
        """)
        cursor.execute(f"CREATE TABLE {TABLES.default} PARTITION OF {TABLES.staging} DEFAULT")
        cursor.execute(f"INSERT INTO {TABLES.staging} ({COLUMNS}) SELECT {COLUMNS} FROM {KEPT}")
        cursor.execute(f"DROP TABLE {KEPT}")
        TABLES.ensure_hours(cursor, [current + i * partitions.HOUR for i in range(3)])
        cursor.execute(f"""
            CREATE TABLE {TABLES.blocks} (
                asset_id bigint NOT NULL,
                metric varchar(40) NOT NULL,
                hour timestamptz NOT NULL,
                count integer NOT NULL CHECK (count >= 0),
                data bytea NOT NULL,
                PRIMARY KEY (asset_id, metric, hour)
            ) PARTITION BY RANGE (hour)
        """)


def backward(apps, schema_editor):
    """Back to one plain row a value: blocks are unpacked in Python."""
    MetricValue, MetricBlock = apps.get_model("metrics", "MetricValue"), apps.get_model("metrics", "MetricBlock")
    unpacked = [
        MetricValue(asset_id=asset_id, metric=metric, at=at, value=value)
        for asset_id, metric, hour, data in MetricBlock.objects.values_list("asset_id", "metric", "hour", "data")
        for at, value in unpack(hour.astimezone(UTC), bytes(data))
    ]
    if schema_editor.connection.vendor != "postgresql":
        schema_editor.delete_model(MetricBlock)
    else:
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f"CREATE TEMPORARY TABLE {KEPT} AS SELECT {COLUMNS} FROM {TABLES.staging}")
            cursor.execute(f"DROP TABLE {TABLES.staging}, {TABLES.blocks}")
        schema_editor.create_model(MetricValue)
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {TABLES.staging} ({COLUMNS}) SELECT {COLUMNS} FROM {KEPT}")
            cursor.execute(f"DROP TABLE {KEPT}")
    MetricValue.objects.bulk_create(unpacked, batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("assets", "0006_stocktake_signoff_photos_condition"),
        ("metrics", "0001_metrics"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="MetricBlock",
                    fields=[
                        (
                            "pk",
                            models.CompositePrimaryKey(
                                "asset", "metric", "hour", blank=True, editable=False, primary_key=True, serialize=False
                            ),
                        ),
                        ("metric", models.CharField(max_length=40)),
                        ("hour", models.DateTimeField()),
                        ("count", models.PositiveIntegerField()),
                        ("data", models.BinaryField()),
                        (
                            "asset",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="assets.asset",
                            ),
                        ),
                    ],
                    options={"ordering": ["asset_id", "metric", "hour"]},
                ),
            ],
        ),
        migrations.RunPython(forward, backward),
    ]
