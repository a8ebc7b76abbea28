"""State rows read and written in bulk (monitoring.state_rows) and the `__among` lookup, on the real database."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assets.models import Asset
from monitoring.lookups import CHUNK
from monitoring.models import AssetState, ProbeConfig
from monitoring.state_rows import COLUMNS, read_states, write_states
from tests import factories

T0 = datetime(2026, 11, 1, 2, 0, tzinfo=UTC)


@pytest.fixture
def three(tree):
    assets = [factories.asset(tree["64.01"], management_address=f"127.64.2.{n}") for n in (1, 2, 3)]
    AssetState.objects.bulk_create(
        AssetState(asset=asset, state="up", since=T0, last_polled_at=T0, pending_count=0) for asset in assets
    )
    return assets


def test_a_batch_writes_exactly_the_rows_it_changed(three):
    fell, untouched, taken_down = three
    rows = read_states(asset.pk for asset in three)
    # Written behind the batch's back after it read: a row the batch did not change must keep this.
    AssetState.objects.filter(asset=untouched).update(sys_name="written meanwhile")
    rows[fell.pk].state, rows[fell.pk].since, rows[fell.pk].reason = "down", T0 + timedelta(minutes=3), "100% loss"
    rows[fell.pk].sys_uptime, rows[fell.pk].last_loss, rows[fell.pk].last_polled_at = 2**40, 1.0, None
    rows[taken_down.pk].state, rows[taken_down.pk].caused_by_id = "unreachable", fell.pk
    rows[taken_down.pk].pending_state, rows[taken_down.pk].pending_count = "down", 2
    rows[taken_down.pk].pending_since = T0 + timedelta(seconds=90, microseconds=5)

    with CaptureQueriesContext(connection) as queries:
        assert write_states(rows.values()) == 2
    assert sum("UPDATE monitoring_assetstate" in q["sql"] for q in queries) == 1  # one, whatever the batch size

    states = {s.asset_id: s for s in AssetState.objects.all()}
    assert (states[fell.pk].state, states[fell.pk].since, states[fell.pk].reason) == (
        "down",
        T0 + timedelta(minutes=3),
        "100% loss",
    )
    assert (states[fell.pk].sys_uptime, states[fell.pk].last_loss, states[fell.pk].last_polled_at) == (2**40, 1.0, None)
    assert states[untouched.pk].sys_name == "written meanwhile"
    assert (states[taken_down.pk].state, states[taken_down.pk].caused_by_id) == ("unreachable", fell.pk)
    assert (states[taken_down.pk].pending_state, states[taken_down.pk].pending_count) == ("down", 2)
    assert states[taken_down.pk].pending_since == T0 + timedelta(seconds=90, microseconds=5)
    assert states[taken_down.pk].since == T0  # unchanged columns of a changed row keep their values

    # Written, the rows are as read again: the same batch writes nothing more.
    with CaptureQueriesContext(connection) as queries:
        assert write_states(rows.values()) == 0
    assert not queries


def test_a_row_that_only_moved_what_every_poll_moves_writes_those_columns_alone(three):
    """A steady poll moves HOT columns only: on PostgreSQL they go on their own, and a state column written
    meanwhile by someone else is kept; a row whose state changed is written whole beside it."""
    steady, fell, _untouched = three
    rows = read_states(asset.pk for asset in three)
    AssetState.objects.filter(asset=steady).update(sys_name="written meanwhile")
    rows[steady.pk].last_polled_at = rows[steady.pk].last_answered_at = T0 + timedelta(minutes=1)
    rows[steady.pk].last_rtt_ms, rows[steady.pk].last_loss, rows[steady.pk].sys_uptime = 0.25, 0.0, 9000
    rows[fell.pk].state, rows[fell.pk].last_polled_at = "down", T0 + timedelta(minutes=1)
    assert rows[steady.pk].only_hot_changed and not rows[fell.pk].only_hot_changed
    with CaptureQueriesContext(connection) as queries:
        assert write_states(rows.values()) == 2
    assert sum("UPDATE monitoring_assetstate" in q["sql"] for q in queries) <= 2
    state = AssetState.objects.get(asset=steady)
    assert (state.last_polled_at, state.last_answered_at, state.last_rtt_ms, state.last_loss, state.sys_uptime) == (
        T0 + timedelta(minutes=1), T0 + timedelta(minutes=1), 0.25, 0.0, 9000,
    )  # fmt: skip
    if connection.vendor == "postgresql":
        assert state.sys_name == "written meanwhile"
    assert AssetState.objects.values_list("state", "last_polled_at").get(asset=fell) == (
        "down",
        T0 + timedelta(minutes=1),
    )


def test_rows_read_are_as_the_model_reads_them(three):
    AssetState.objects.filter(asset=three[0]).update(pending_since=T0 + timedelta(microseconds=7), last_rtt_ms=1.25)
    row = read_states([three[0].pk, 10**9])  # an id without a row is left out
    assert set(row) == {three[0].pk}
    model = AssetState.objects.get(asset=three[0])
    assert (row[three[0].pk].pending_since, row[three[0].pk].last_rtt_ms, row[three[0].pk].since) == (
        model.pending_since,
        model.last_rtt_ms,
        model.since,
    )
    assert row[three[0].pk].since.utcoffset() == timedelta(0)  # aware, comparable with an observation's time
    # Every column, as the ORM reads it (PostgreSQL sends the rows in its binary format).
    AssetState.objects.filter(asset=three[1]).update(
        reason="putus", caused_by_id=three[0].pk, pending_count=2, sys_uptime=2**40, sys_name="r1", last_loss=0.5
    )
    assert {pk: row.values() for pk, row in read_states([a.pk for a in three]).items()} == {
        pk: tuple(values) for pk, *values in AssetState.objects.values_list("asset_id", *COLUMNS)
    }


def test_among_takes_more_ids_than_a_chunk_as_one_parameter_on_postgresql(three):
    ids = [*range(10**9, 10**9 + CHUNK + 1000), three[0].pk, three[2].pk, None]
    query = Asset.objects.filter(pk__among=ids)
    assert set(query.values_list("pk", flat=True)) == {three[0].pk, three[2].pk}
    sql, params = query.query.get_compiler(using="default").as_sql()
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql and len(params) == 1
    else:
        assert " IN (" in sql and len(params) == CHUNK + 1002


def test_among_sends_plain_ids_as_one_array_text_on_postgresql(three):
    """A batch's ids (plain ints, repeated or not) skip per-value preparation: the same rows, one parameter."""
    ids = [three[2].pk, three[0].pk, three[2].pk, 10**12]
    query = AssetState.objects.filter(asset_id__among=ids)
    assert sorted(query.values_list("asset_id", flat=True)) == sorted({three[0].pk, three[2].pk})
    _sql, params = query.query.get_compiler(using="default").as_sql()
    if connection.vendor == "postgresql":
        assert params == (f"{{{three[2].pk},{three[0].pk},{three[2].pk},{10**12}}}",)
    assert not Asset.objects.filter(pk__among=set()).exists()


def test_among_on_a_relation_takes_ids_and_instances(three):
    ProbeConfig.objects.create(asset=three[1], depends_on=three[0])
    assert list(ProbeConfig.objects.filter(depends_on_id__among=[three[0].pk]).values_list("asset_id", flat=True)) == [
        three[1].pk
    ]
    assert ProbeConfig.objects.filter(depends_on__among=[three[0], three[2]]).count() == 1
    assert not AssetState.objects.filter(asset_id__among=[]).exists()  # nothing matches, as with __in
