"""The confirmed-transition rule, alone (no database)."""

from datetime import UTC, datetime, timedelta

import pytest

from monitoring.health import HealthState, advance, proposed_state

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def run(verdicts: str, confirm: int = 3, start: HealthState | None = None) -> list[HealthState]:
    """Feed 'u'p/'d'own/'g' degraded observations one minute apart; return every intermediate state."""
    names = {"u": "up", "d": "down", "g": "degraded"}
    state, states = start or HealthState(), []
    for minute, letter in enumerate(verdicts):
        state = advance(state, names[letter], T0 + timedelta(minutes=minute), confirm)
        states.append(state)
    return states


def test_first_up_from_unknown_is_immediate():
    assert run("u")[-1].state == "up"


def test_one_lost_packet_is_no_transition():
    assert [s.state for s in run("uduu")] == ["up"] * 4


def test_down_is_confirmed_after_n_and_dates_from_the_first():
    states = run("uddd")
    assert [s.state for s in states] == ["up", "up", "up", "down"]
    assert states[-1].since == T0 + timedelta(minutes=1)


def test_interrupted_streak_starts_over():
    assert run("uddudd")[-1].state == "up"
    assert run("uddudddd")[-1].state == "down"


def test_down_from_unknown_needs_confirmation():
    assert [s.state for s in run("ddd")] == ["unknown", "unknown", "down"]


@pytest.mark.parametrize("confirm", [1, 2, 5])
def test_confirm_count_is_honoured(confirm):
    states = run("u" + "d" * confirm, confirm=confirm)
    assert states[-1].state == "down" and states[-2].state == "up"
    assert run("u" + "d" * (confirm - 1), confirm=confirm)[-1].state == "up"


def test_proposals():
    assert proposed_state("down", parent_state="down", in_maintenance=False) == "unreachable"
    assert proposed_state("down", parent_state="unreachable", in_maintenance=False) == "unreachable"
    assert proposed_state("down", parent_state="up", in_maintenance=False) == "down"
    assert proposed_state("up", parent_state="down", in_maintenance=False) == "up"
    assert proposed_state("down", parent_state=None, in_maintenance=True) == "maintenance"
    assert proposed_state("error", parent_state=None, in_maintenance=False) == "unknown"


def test_maintenance_is_immediate():
    state = advance(HealthState("up", T0), "maintenance", T0, confirm=3)
    assert state.state == "maintenance"


def test_silence_keeps_counting_when_the_parent_falls_mid_streak():
    state = HealthState("up", T0)
    for minute, proposal in enumerate(["down", "down", "unreachable"]):
        state = advance(state, proposal, T0 + timedelta(minutes=minute), confirm=3)
    assert state.state == "unreachable" and state.since == T0


def test_an_asset_down_on_its_own_stays_down_when_its_parent_follows():
    state = advance(HealthState("down", T0), "unreachable", T0 + timedelta(minutes=5), confirm=1)
    assert state.state == "down" and state.since == T0
