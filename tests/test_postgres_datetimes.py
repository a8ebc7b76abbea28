"""simpul.postgres: datetimes read through the fast loader are the ones Django's own loader gives."""

from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from django.db import DataError, connection
from django.db.backends.postgresql.psycopg_any import register_tzloader
from django.utils import timezone
from psycopg.postgres import types

from monitoring.models import AssetState
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.skipif("connection.vendor != 'postgresql'")]
TEXTS = [
    "2026-11-30 01:02:03+00",
    "2026-11-30 01:02:03.5+00",
    "2026-11-30 01:02:03.000001+00",
    "0001-01-01 00:00:00+00",
    "9999-12-31 23:59:59.999999+00",
    "2026-11-30 09:02:03.25+08",
    "1900-01-01 00:00:00+00",
]


def _read(texts: list[str], on=connection) -> list[datetime]:
    with on.cursor() as cursor:
        cursor.execute("SELECT unnest(%s::text[])::timestamptz", [texts])
        return [value for (value,) in cursor.fetchall()]


@contextmanager
def _new_connection():
    """A connection of its own, opened (and so set up) now, outside the test's transaction."""
    other = connection.copy()
    try:
        other.ensure_connection()
        yield other
    finally:
        other.close()


def _loader(on):
    return on.connection.adapters.get_loader(types["timestamptz"].oid, 0)


def test_new_connections_read_datetimes_through_the_fast_loader():
    with _new_connection() as other:
        assert _loader(other).__name__ == "FastTzLoader"
        assert _loader(other).timezone == other.timezone == UTC


def test_values_equal_djangos_own_loader():
    """Django's own loader on another connection: the same texts, the same values."""
    with _new_connection() as other:
        register_tzloader(other.timezone, other.connection)
        slow = _read(TEXTS, other)
    fast = _read(TEXTS)
    assert fast == slow
    assert [value.tzinfo for value in fast] == [value.tzinfo for value in slow] == [UTC] * len(TEXTS)
    assert fast[1] == datetime(2026, 11, 30, 1, 2, 3, 500000, tzinfo=UTC)


def test_a_text_fromisoformat_refuses_gets_psycopgs_own_error():
    """infinity is no datetime: psycopg's parser says so, as a database error Django wraps, not a ValueError."""
    with pytest.raises(DataError, match="too large"):
        _read(["infinity"])


def test_orm_round_trip():
    asset = factories.asset(factories.agency("64"))
    at = timezone.now().replace(microsecond=123456) - timedelta(days=3)
    AssetState.objects.create(asset=asset, since=at, last_polled_at=at)
    assert AssetState.objects.values_list("since", "last_polled_at").get(asset=asset) == (at, at)


def test_naive_settings_read_naive(settings):
    """With USE_TZ off Django wants naive datetimes in TIME_ZONE's wall time: the fast loader gives the same."""
    settings.USE_TZ = False
    with _new_connection() as fast, _new_connection() as slow:
        register_tzloader(slow.timezone, slow.connection)
        texts = [text for text in TEXTS if not text.startswith("9999")]  # year 10000 in WITA
        assert _read(texts, fast) == _read(texts, slow)
        assert _read(["2026-11-30 01:02:03+00"], fast) == [datetime(2026, 11, 30, 9, 2, 3)]  # WITA
