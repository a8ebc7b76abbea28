"""Availability from outages and maintenance windows, with hand-made histories."""

from datetime import UTC, datetime, timedelta

import pytest

from assets.models import Asset
from monitoring.availability import availability, availability_since
from monitoring.intervals import merge, subtract
from monitoring.models import AssetState, MaintenanceWindow, Outage
from tests import factories

START = datetime(2026, 10, 1, tzinfo=UTC)
END = START + timedelta(hours=24)
H = timedelta(hours=1)


def test_interval_arithmetic():
    a, b, c, d = (START + n * H for n in range(4))
    assert merge([(c, d), (a, b), (b, c)]) == [(a, d)]
    assert subtract([(a, d)], [(b, c)]) == [(a, b), (c, d)]
    assert subtract([(a, b)], [(a, d)]) == []


@pytest.fixture
def watched(tree):
    def make(agency="64.01", status="in_service", since=START - H, kind="router"):
        asset = factories.asset(tree[agency], status=status, kind=kind)
        AssetState.objects.create(asset=asset, state="up", monitored_since=since)
        return asset

    return make


def test_outage_of_2h24m_in_a_day_is_90_percent(watched):
    asset = watched()
    Outage.objects.create(asset=asset, started_at=START + 2 * H, ended_at=START + 2 * H + timedelta(minutes=144))
    [row] = availability(Asset.objects.all(), start=START, end=END)
    assert row.availability == 0.9 and row.outages == 1 and row.down_s == 144 * 60


def test_outage_crossing_the_window_edges_is_clipped_and_open_ones_run_to_the_end(watched):
    asset = watched()
    Outage.objects.create(asset=asset, started_at=START - 5 * H, ended_at=START + H)
    Outage.objects.create(asset=asset, started_at=END - H)  # still open
    [row] = availability(Asset.objects.all(), start=START, end=END)
    assert row.down_s == 2 * 3600


def test_maintenance_counts_neither_up_nor_down(watched, tree):
    asset = watched()
    Outage.objects.create(asset=asset, started_at=START, ended_at=START + 4 * H)
    MaintenanceWindow.objects.create(agency=tree["64.01"], starts_at=START, ends_at=START + 2 * H, reason="x")
    [row] = availability(Asset.objects.all(), start=START, end=END)
    assert row.monitored_s == 22 * 3600 and row.down_s == 2 * 3600


def test_spare_and_retired_assets_are_absent_and_late_starters_count_from_first_watch(watched):
    watched(status="spare")
    watched(status="retired")
    late = watched(since=START + 12 * H)
    rows = availability(Asset.objects.all(), start=START, end=END)
    assert [(r.key, r.monitored_s) for r in rows] == [(late.pk, 12 * 3600)]


def test_groups_add_up_seconds(watched):
    a, b = watched("64.01"), watched("64.72", kind="ups")
    watched("64.72")
    Outage.objects.create(asset=a, started_at=START, ended_at=START + 12 * H)
    Outage.objects.create(asset=b, started_at=START, ended_at=START + 6 * H)
    by_agency = {r.key: r for r in availability(Asset.objects.all(), start=START, end=END, group_by="agency")}
    assert by_agency["64.01"].availability == 0.5
    assert by_agency["64.72"].assets == 2 and by_agency["64.72"].availability == 0.875
    by_kind = {r.key: r.availability for r in availability(Asset.objects.all(), start=START, end=END, group_by="kind")}
    assert by_kind == {"router": 0.75, "ups": 0.75}


def test_window_in_the_future_stops_at_now(watched):
    from django.utils import timezone

    asset = watched(since=timezone.now() - H)
    [row] = availability(Asset.objects.filter(pk=asset.pk), start=timezone.now() - 2 * H, end=timezone.now() + 5 * H)
    assert row.monitored_s == pytest.approx(3600, abs=5)


def test_several_windows_in_one_pass_equal_each_window_alone(watched, tree):
    """The dashboard's 24 h / 7 d / 30 d in one read: every figure as `availability` gives it window by window,
    for assets never down, down across a window's edge, in maintenance, and watched only lately."""
    end = START + 30 * 24 * H
    calm, flaky, kept, late = watched("64.01"), watched("64.01"), watched("64.72"), watched("64.72", since=end - 3 * H)
    watched("64.72", since=START - 40 * 24 * H)
    Outage.objects.create(asset=flaky, started_at=end - 26 * H, ended_at=end - 20 * H)  # across the 24 h edge
    Outage.objects.create(asset=flaky, started_at=end - 10 * 24 * H, ended_at=end - 9 * 24 * H)
    Outage.objects.create(asset=late, started_at=end - H)  # still open
    MaintenanceWindow.objects.create(
        agency=kept.agency, asset=kept, starts_at=end - 3 * 24 * H, ends_at=end - 2 * 24 * H, reason="x"
    )
    MaintenanceWindow.objects.create(agency=tree["64.01"], starts_at=end - 5 * H, ends_at=end - 4 * H, reason="y")
    starts = {"24h": end - 24 * H, "7d": end - 7 * 24 * H, "30d": end - 30 * 24 * H}
    for group_by in ("asset", "agency"):
        together = availability_since(Asset.objects.all(), starts, end=end, group_by=group_by)
        alone = {
            label: availability(Asset.objects.all(), start=s, end=end, group_by=group_by) for label, s in starts.items()
        }
        assert together == alone
    rows = {r.key: r for r in availability_since(Asset.objects.all(), starts, end=end)["24h"]}
    assert rows[calm.pk].monitored_s == 24 * 3600 - 3600 and rows[calm.pk].down_s == 0  # the agency's hour off
    assert rows[flaky.pk].down_s == 4 * 3600 and rows[flaky.pk].outages == 1 and rows[flaky.pk].started == 0
    assert rows[late.pk].monitored_s == 3 * 3600 and rows[late.pk].down_s == 3600 and rows[late.pk].started == 1


def test_assets_never_down_count_from_their_first_result_or_the_window_start(watched):
    """Assets without outages or maintenance are added up per group at once: each window counts each of them
    from the later of its start and the asset's first result, a first result on the start itself included."""
    end = START + 30 * 24 * H
    for since in (START - 40 * 24 * H, end - 5 * 24 * H, end - 3 * H, end - 24 * H):
        watched("64.72", since=since)
    starts = {"24h": end - 24 * H, "7d": end - 7 * 24 * H, "30d": end - 30 * 24 * H, "later": end + H}
    by_window = availability_since(Asset.objects.all(), starts, end=end, group_by="agency")
    hours = {
        label: [(r.key, r.assets, r.monitored_s / 3600, r.down_s) for r in rows] for label, rows in by_window.items()
    }
    assert hours == {
        "24h": [("64.72", 4, 24 + 24 + 3 + 24, 0)],
        "7d": [("64.72", 4, 168 + 120 + 3 + 24, 0)],
        "30d": [("64.72", 4, 720 + 120 + 3 + 24, 0)],
        "later": [("64.72", 4, 0, 0)],  # a window still to come watches nothing
    }
