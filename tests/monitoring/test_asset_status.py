"""Where each asset on hand counts: its state, "belum dicek" or "tidak dipantau" with the reason."""

from datetime import UTC, datetime

import pytest

from monitoring.asset_status import Bucket, Reason, Standing, classify, counts, worst

SEEN = datetime(2026, 11, 1, tzinfo=UTC)


def standing(kind="router", status="in_service", address="", probe_enabled=None, state=None, monitored_since=None):
    return classify(
        kind=kind,
        status=status,
        address=address,
        probe_enabled=probe_enabled,
        state=state,
        monitored_since=monitored_since,
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
