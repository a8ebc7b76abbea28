"""The alert rules as pure functions: no database, every case spelled out."""

from datetime import UTC, datetime, time, timedelta

from alerts.decisions import (
    AssetFacts,
    Attach,
    Change,
    Raise,
    Resolve,
    RuleFacts,
    decide,
    decide_reboots,
    matching_rule,
    may_raise,
    notify_time,
)

T0 = datetime(2026, 11, 14, 7, 0, tzinfo=UTC)  # 15.00 WITA
PROVINCE, REGENCY, OTHER = 64, 6401, 63
REPEATER = AssetFacts(kind="repeater", agencies=(REGENCY, PROVINCE))
ROUTER = AssetFacts(kind="router", agencies=(REGENCY, PROVINCE))
DEFAULT = RuleFacts(
    id=1,
    agency_id=None,
    include_children=False,
    asset_kinds=frozenset({"repeater", "internet_link"}),
    kinds=frozenset({"down", "unreachable"}),
    escalate_after_minutes=15,
)


def change(asset_id, old, new, minutes=0, caused_by=None):
    return Change(asset_id, old, new, T0 + timedelta(minutes=minutes), caused_by)


def run(changes, facts, rules=(DEFAULT,), active=(), recent=None, now=T0):
    return decide(changes, facts=facts, rules=list(rules), active=set(active), recent=recent or {}, now=now)


def test_down_raises_and_up_resolves():
    assert run([change(1, "up", "down")], {1: REPEATER}) == [Raise(1, "down", T0, DEFAULT)]
    assert run([change(1, "down", "up", 5)], {1: REPEATER}, active={(1, "down")}) == [
        Resolve(1, ("down",), T0 + timedelta(minutes=5))
    ]


def test_no_rule_no_alert_and_muted_assets_are_silent():
    assert run([change(1, "up", "down")], {1: ROUTER}) == []
    muted = AssetFacts(kind="repeater", agencies=(REGENCY, PROVINCE), muted=True)
    assert run([change(1, "up", "down")], {1: muted}) == []


def test_storm_of_dependants_is_one_alert_naming_them():
    facts = {1: AssetFacts(kind="internet_link", agencies=(REGENCY, PROVINCE))} | {i: REPEATER for i in range(2, 502)}
    changes = [change(1, "up", "down")] + [change(i, "up", "unreachable", caused_by=1) for i in range(2, 502)]
    actions = run(changes, facts)
    assert [a for a in actions if isinstance(a, Raise)] == [Raise(1, "down", T0, DEFAULT)]
    assert sum(isinstance(a, Attach) for a in actions) == 500


def test_unreachable_raises_the_parents_alert_when_the_parent_has_none():
    """A router nobody alerts on takes two repeaters down: one alert, for the router, naming both."""
    actions = run(
        [change(2, "up", "unreachable", caused_by=1), change(3, "up", "unreachable", caused_by=1)],
        {1: ROUTER, 2: REPEATER, 3: REPEATER},
    )
    assert actions == [Raise(1, "down", T0, DEFAULT), Attach(1, 2, T0), Attach(1, 3, T0)]


def test_flapping_turns_into_one_unstable_alert_and_is_damped():
    recent = {1: [T0 - timedelta(minutes=10), T0 - timedelta(minutes=5), T0]}
    actions = run([change(1, "up", "down")], {1: REPEATER}, recent=recent)
    assert actions == [Raise(1, "unstable", T0, DEFAULT)]
    assert run([change(1, "down", "up")], {1: REPEATER}, active={(1, "unstable")}, recent=recent) == []


def test_changes_spread_over_more_than_the_window_are_not_flapping():
    recent = {1: [T0 - timedelta(minutes=20), T0 - timedelta(minutes=16), T0]}
    assert run([change(1, "up", "down")], {1: REPEATER}, recent=recent) == [Raise(1, "down", T0, DEFAULT)]


def test_maintenance_closes_without_recovery():
    assert run([change(1, "down", "maintenance")], {1: REPEATER}, active={(1, "down")}) == [
        Resolve(1, ("down",), T0, recovered=False)
    ]


def test_rules_per_agency_and_province_rules_for_regencies():
    own = RuleFacts(id=5, agency_id=REGENCY, include_children=False, asset_kinds=frozenset(), kinds=frozenset({"down"}))
    province_only = RuleFacts(
        id=6, agency_id=PROVINCE, include_children=False, asset_kinds=frozenset(), kinds=frozenset({"down"})
    )
    province_children = RuleFacts(
        id=7,
        agency_id=PROVINCE,
        include_children=True,
        asset_kinds=frozenset(),
        kinds=frozenset({"down"}),
        delay_minutes=5,
    )
    foreign = RuleFacts(
        id=8, agency_id=OTHER, include_children=True, asset_kinds=frozenset(), kinds=frozenset({"down"})
    )
    assert matching_rule([province_only, foreign], ROUTER, "down") is None
    assert matching_rule([province_children], ROUTER, "down") == province_children
    assert matching_rule([province_children, own], ROUTER, "down") == own  # quicker to tell wins
    assert matching_rule([own], ROUTER, "degraded") is None


def test_reboot_raises_once():
    rule = RuleFacts(id=9, agency_id=None, include_children=False, asset_kinds=frozenset(), kinds=frozenset({"reboot"}))
    raised = decide_reboots([(1, T0), (1, T0)], facts={1: ROUTER}, rules=[rule], active=set())
    assert raised == [Raise(1, "reboot", T0, rule, "sysUpTime")]
    assert decide_reboots([(1, T0)], facts={1: ROUTER}, rules=[rule], active={(1, "reboot")}) == []


def test_delay_and_quiet_hours_in_wita():
    delayed = RuleFacts(
        id=2,
        agency_id=None,
        include_children=False,
        asset_kinds=frozenset(),
        kinds=frozenset({"down"}),
        delay_minutes=10,
    )
    assert notify_time(delayed, T0, T0) == T0 + timedelta(minutes=10)
    assert notify_time(delayed, T0 - timedelta(hours=1), T0) == T0  # already overdue: now
    night = RuleFacts(
        id=3,
        agency_id=None,
        include_children=False,
        asset_kinds=frozenset(),
        kinds=frozenset({"down"}),
        quiet_start=time(22, 0),
        quiet_end=time(6, 0),
    )
    at_23_wita = datetime(2026, 11, 14, 15, 0, tzinfo=UTC)
    assert notify_time(night, at_23_wita, at_23_wita) == datetime(2026, 11, 14, 22, 0, tzinfo=UTC)  # 06.00 WITA
    at_02_wita = datetime(2026, 11, 14, 18, 0, tzinfo=UTC)
    assert notify_time(night, at_02_wita, at_02_wita) == datetime(2026, 11, 14, 22, 0, tzinfo=UTC)
    assert notify_time(night, T0, T0) == T0  # 15.00 WITA is not quiet


def test_a_change_that_cannot_raise_does_nothing_to_an_asset_without_an_active_alert():
    """The consumer skips those changes for assets without an active alert: nothing may be lost by it."""
    every = RuleFacts(
        id=9, agency_id=None, include_children=False, asset_kinds=frozenset(), kinds=frozenset({"down", "degraded"})
    )
    recent = {1: [T0 - timedelta(minutes=m) for m in (10, 5, 1)]}  # three changes lately: the next one flaps
    states = ("up", "degraded", "down", "unreachable", "unknown", "maintenance")
    skipped = set()
    for old in states:
        for new in states:
            for caused_by in (None, 2):
                made = change(1, old, new, caused_by=caused_by)
                if not may_raise(made):
                    skipped.add((old, new))
                    assert run([made], {1: REPEATER, 2: ROUTER}, rules=(every,), recent=recent) == [], made
    assert {("unknown", "up"), ("unreachable", "up"), ("down", "maintenance")} <= skipped
    assert not skipped & {("down", "up"), ("up", "down"), ("up", "unreachable"), ("unknown", "degraded")}
