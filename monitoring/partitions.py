"""PostgreSQL's partitions of the raw history: each staging table by hour (with a DEFAULT partition), its blocks
by UTC day. Two pairs: the poll results (`Sample`, `SampleBlock`) and the metric values (`MetricValue`,
`MetricBlock`).

Made ahead (and on demand) by the poller's hourly upkeep and dropped whole, so neither packing an hour nor
pruning a day deletes row by row. A row whose hour has no partition (late, or early after a clock step)
lands in the staging table's DEFAULT partition; making a partition first moves such rows into it, since
PostgreSQL refuses a partition whose range the DEFAULT partition already holds rows of.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

HOUR, DAY = timedelta(hours=1), timedelta(days=1)
_SUFFIX = re.compile(r"_(?:h(\d{10})|d(\d{8}))")  # an hour's partition or a day's, never the DEFAULT


def _bounds(start: datetime, length: timedelta) -> str:
    return f"FROM ('{start.isoformat()}') TO ('{(start + length).isoformat()}')"


def children(cursor, table: str) -> dict[str, datetime]:
    """The partitions of `table` by name, with the start of their range (the DEFAULT partition left out)."""
    cursor.execute(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = %s::regclass",
        [table],
    )
    found = {}
    for (name,) in cursor.fetchall():
        if match := _SUFFIX.fullmatch(name[len(table) :]):
            hour, day = match.groups()
            found[name] = datetime.strptime(hour or day, "%Y%m%d%H" if hour else "%Y%m%d").replace(tzinfo=UTC)
    return found


def drop(cursor, name: str) -> None:
    """Drop a partition. Rows written to it in this transaction still owe their deferred foreign-key checks,
    and PostgreSQL drops no table with checks pending: they run first."""
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute(f"DROP TABLE {name}")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@dataclass(frozen=True)
class Pair:
    """A staging table partitioned by hour on `at` (with a DEFAULT partition), its blocks by UTC day on `hour`."""

    staging: str
    blocks: str

    @property
    def default(self) -> str:
        return f"{self.staging}_default"

    def hour_name(self, hour: datetime) -> str:
        return f"{self.staging}_h{hour:%Y%m%d%H}"

    def day_name(self, day: datetime) -> str:
        return f"{self.blocks}_d{day:%Y%m%d}"

    def ensure_hours(self, cursor, hours: list[datetime]) -> None:
        """Staging partitions for these UTC hours, taking over any rows of theirs the DEFAULT partition holds."""
        existing = set(children(cursor, self.staging))
        for hour in hours:
            name = self.hour_name(hour)
            if name in existing:
                continue
            cursor.execute(f"SELECT 1 FROM {self.default} WHERE at >= %s AND at < %s LIMIT 1", [hour, hour + HOUR])
            if cursor.fetchone() is None:
                cursor.execute(f"CREATE TABLE {name} PARTITION OF {self.staging} FOR VALUES {_bounds(hour, HOUR)}")
                continue
            cursor.execute(f"ALTER TABLE {self.staging} DETACH PARTITION {self.default}")
            cursor.execute(f"CREATE TABLE {name} PARTITION OF {self.staging} FOR VALUES {_bounds(hour, HOUR)}")
            cursor.execute(
                f"WITH moved AS (DELETE FROM {self.default} WHERE at >= %s AND at < %s RETURNING *) "
                f"INSERT INTO {name} SELECT * FROM moved",
                [hour, hour + HOUR],
            )
            cursor.execute(f"ALTER TABLE {self.staging} ATTACH PARTITION {self.default} DEFAULT")

    def ensure_days(self, cursor, days: set[datetime]) -> None:
        existing = set(children(cursor, self.blocks))
        for day in sorted(days):
            if self.day_name(day) not in existing:
                cursor.execute(
                    f"CREATE TABLE {self.day_name(day)} PARTITION OF {self.blocks} FOR VALUES {_bounds(day, DAY)}"
                )

    def finished_hours(self, cursor, current: datetime) -> list[datetime]:
        """The hours before `current` the staging table still holds: its partitions and the DEFAULT's rows."""
        hours = {hour for hour in children(cursor, self.staging).values() if hour < current}
        cursor.execute(f"SELECT DISTINCT date_trunc('hour', at, 'UTC') FROM {self.default} WHERE at < %s", [current])
        hours.update(hour for (hour,) in cursor.fetchall())
        return sorted(floor_hour(hour) for hour in hours)

    def lock_writers(self, cursor) -> None:
        """Writers wait until the hour is packed and dropped, so a row committed meanwhile is never dropped
        unpacked; readers go on. The whole staging table, before any of its partitions: dropping the hour's
        partition takes the table's strongest lock, and a writer that holds the table (this hour's results)
        while it waits for the packed hour (a late result) would otherwise deadlock with the pack."""
        cursor.execute(f"LOCK TABLE {self.staging} IN SHARE ROW EXCLUSIVE MODE")

    def clear_hour(self, cursor, hour: datetime) -> None:
        """The hour gone from the staging table: its partition dropped, its late rows deleted from the DEFAULT."""
        if self.hour_name(hour) in children(cursor, self.staging):
            drop(cursor, self.hour_name(hour))
        cursor.execute(f"DELETE FROM {self.default} WHERE at >= %s AND at < %s", [hour, hour + HOUR])

    def drop_days(self, cursor, cutoff: datetime) -> int:
        """Drop the block partitions that end by `cutoff`; the number of blocks they held, as PostgreSQL's
        statistics estimate it (counting would read what is being dropped)."""
        removed = 0
        for name, day in sorted(children(cursor, self.blocks).items(), key=lambda item: item[1]):
            if day + DAY > cutoff:
                continue
            cursor.execute("SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE relname = %s", [name])
            removed += cursor.fetchone()[0]
            drop(cursor, name)
        return removed


SAMPLES = Pair("monitoring_sample", "monitoring_sampleblock")
METRICS = Pair("metrics_metricvalue", "metrics_metricblock")
# The samples' pair by its former names, as the history, its migration, tests and bench scripts use them.
STAGING, BLOCKS, DEFAULT = SAMPLES.staging, SAMPLES.blocks, SAMPLES.default
LEGACY = "monitoring_sample_flat"  # one row a result, as before hour blocks: packed after migration 0008
hour_name, day_name = SAMPLES.hour_name, SAMPLES.day_name
ensure_hours, ensure_days = SAMPLES.ensure_hours, SAMPLES.ensure_days


def create_tables(cursor) -> None:
    """The partitioned staging and block tables, as migration 0008 makes them (the old staging table renamed)."""
    cursor.execute(f"""
        CREATE TABLE {STAGING} (
            id bigint GENERATED BY DEFAULT AS IDENTITY,
            at timestamptz NOT NULL,
            source varchar(12) NOT NULL,
            verdict varchar(12) NOT NULL,
            rtt_ms double precision,
            rtt_max_ms double precision,
            loss double precision,
            reason varchar(200) NOT NULL,
            asset_id bigint NOT NULL REFERENCES assets_asset (id) DEFERRABLE INITIALLY DEFERRED
        ) PARTITION BY RANGE (at)
    """)
    cursor.execute(f"CREATE INDEX sample_asset_at ON {STAGING} (asset_id, at)")
    cursor.execute(f"CREATE TABLE {DEFAULT} PARTITION OF {STAGING} DEFAULT")
    cursor.execute(f"""
        CREATE TABLE {BLOCKS} (
            asset_id bigint NOT NULL REFERENCES assets_asset (id) DEFERRABLE INITIALLY DEFERRED,
            hour timestamptz NOT NULL,
            count integer NOT NULL CHECK (count >= 0),
            data bytea NOT NULL,
            PRIMARY KEY (asset_id, hour)
        ) PARTITION BY RANGE (hour)
    """)


def floor_hour(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def floor_day(moment: datetime) -> datetime:
    return floor_hour(moment).replace(hour=0)
