"""Where each asset on hand counts: its state, "belum dicek" or "tidak dipantau" with the reason."""

from collections import Counter
from datetime import UTC, datetime

import pytest

from assets.models import Asset
from monitoring.asset_status import Bucket, Reason, Standing, classify, counts, standing_counts, standings, worst
from monitoring.models import AssetState, ProbeConfig
from tests import factories

SEEN = datetime(2026, 11, 1, tzinfo=UTC)


def standing(kind="router", status="in_service", address="", probe_enabled=None, state=None, monitored_since=None):
    return classify(
        kind=kind,
        status=status,
        has_address=bool(address),
        probe_enabled=probe_enabled,
        state=state,
        seen=monitored_since is not None,
    )


@pytest.mark.parametrize(
    ("asset", "expected"),
    [
        ({"address": "10.0.0.1", "state": "down", "monitored_since": SEEN}, Standing(Bucket.DOWN)),
        ({"address": "10.0.0.1", "state": "up", "monitored_since": SEEN, "status": "faulty"}, Standing(Bucket.UP)),
        ({"address": "10.0.0.1"}, Standing(Bucket.UNCHECKED, Reason.FIRST_RESULT)),  # no state row yet
        ({"address": "10.0.0.1", "state": "unknown"}, Standing(Bucket.UNCHECKED, Reason.FIRST_RESULT)),
        ({"address": "10.0.0.1", "state": "unknown", "monitored_since": SEEN}, Standing(Bucket.UNKNOWN)),
        ({"kind": "vhf_radio"}, Standing(Bucket.UNCHECKED, Reason.NEVER_CALLED)),
        ({"kind": "repeater", "state": "degraded", "monitored_since": SEEN}, Standing(Bucket.DEGRADED)),
        ({"kind": "hf_radio", "status": "spare"}, Standing(Bucket.UNMONITORED, Reason.SPARE)),
        (
            {"address": "10.0.0.1", "status": "spare", "state": "up", "monitored_since": SEEN},
            Standing(Bucket.UNMONITORED, Reason.SPARE),
        ),
        (
            {"address": "10.0.0.1", "probe_enabled": False, "state": "down", "monitored_since": SEEN},
            Standing(Bucket.UNMONITORED, Reason.PROBE_OFF),  # its state row is stale: nobody polls it
        ),
        ({"address": "10.0.0.1", "probe_enabled": True}, Standing(Bucket.UNCHECKED, Reason.FIRST_RESULT)),
        ({"kind": "vhf_radio", "status": "in_repair"}, Standing(Bucket.UNMONITORED, Reason.IN_REPAIR)),
        ({"status": "faulty"}, Standing(Bucket.UNMONITORED, Reason.FAULTY)),
        ({"kind": "genset"}, Standing(Bucket.UNMONITORED, Reason.KIND_NOT_POLLED)),
        ({"kind": "solar_power"}, Standing(Bucket.UNMONITORED, Reason.KIND_NOT_POLLED)),
        ({"kind": "genset", "address": "10.0.0.9"}, Standing(Bucket.UNCHECKED, Reason.FIRST_RESULT)),  # a controller
        ({"kind": "ups"}, Standing(Bucket.UNMONITORED, Reason.NO_ADDRESS)),
        (
            {"kind": "router", "state": "up", "monitored_since": SEEN},
            Standing(Bucket.UNMONITORED, Reason.NO_ADDRESS),  # its address was removed: the old state is stale
        ),
    ],
)
def test_classify(asset, expected):
    assert standing(**asset) == expected


def test_the_worst_of_a_group_ignores_unmonitored_assets_unless_nothing_else_is_there():
    assert worst(["up", "unmonitored", "unchecked"]) == Bucket.UNCHECKED
    assert worst(["up", "unmonitored"]) == Bucket.UP  # a genset without an address does not colour an agency
    assert worst(["maintenance", "degraded", "unreachable"]) == Bucket.UNREACHABLE
    assert worst(["unmonitored", "unmonitored"]) == Bucket.UNMONITORED
    assert worst([]) is None


def test_counts_name_every_bucket():
    assert counts(["up", "up", "down"]) == {bucket: {"up": 2, "down": 1}.get(bucket, 0) for bucket in Bucket.values}


def test_standing_counts_count_what_standings_classify_one_by_one(tree):
    """The dashboard counts standings in the database: per agency, as many of each as classifying every asset."""
    a, b = tree["64.01"], tree["64.72"]
    for n in range(3):
        seen = factories.asset(a, management_address=f"10.0.0.{n}")
        AssetState.objects.create(asset=seen, state="down" if n else "up", monitored_since=SEEN)
    factories.asset(a, management_address="10.0.1.1")  # no state row yet
    AssetState.objects.create(asset=factories.asset(b, management_address="10.0.2.1"), state="unknown")
    off = factories.asset(b, management_address="10.0.2.2")
    ProbeConfig.objects.create(asset=off, enabled=False)
    factories.radio(b)  # never called
    factories.asset(b, kind="genset")
    factories.asset(b, status="spare", management_address="10.0.2.3")
    factories.asset(b, status="retired", management_address="10.0.2.4")  # not on hand
    one_by_one = Counter((code, s) for (code,), s in standings(Asset.objects.all(), "agency__code"))
    counted = Counter()
    for code, s, number in standing_counts(Asset.objects.all(), "agency__code"):
        counted[code, s] += number
    assert (
        counted
        == one_by_one
        == {
            ("64.01", Standing(Bucket.UP)): 1,
            ("64.01", Standing(Bucket.DOWN)): 2,
            ("64.01", Standing(Bucket.UNCHECKED, Reason.FIRST_RESULT)): 1,
            ("64.72", Standing(Bucket.UNCHECKED, Reason.FIRST_RESULT)): 1,
            ("64.72", Standing(Bucket.UNMONITORED, Reason.PROBE_OFF)): 1,
            ("64.72", Standing(Bucket.UNCHECKED, Reason.NEVER_CALLED)): 1,
            ("64.72", Standing(Bucket.UNMONITORED, Reason.KIND_NOT_POLLED)): 1,
            ("64.72", Standing(Bucket.UNMONITORED, Reason.SPARE)): 1,
        }
    )
