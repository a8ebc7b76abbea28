"""The confirmed-transition rule and the attribution rule, alone (no database)."""

from datetime import UTC, datetime, timedelta

import pytest

from monitoring.health import Ancestor, Attribution, HealthState, advance, attribute, proposed_state

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
    assert proposed_state("down", path_down=True, in_maintenance=False) == "unreachable"
    assert proposed_state("down", path_down=False, in_maintenance=False) == "down"
    assert proposed_state("up", path_down=True, in_maintenance=False) == "up"
    assert proposed_state("down", path_down=False, in_maintenance=True) == "maintenance"
    assert proposed_state("error", path_down=False, in_maintenance=False) == "unknown"


def test_maintenance_is_immediate():
    state = advance(HealthState("up", T0), "maintenance", T0, confirm=3)
    assert state.state == "maintenance"


def test_silence_keeps_counting_when_the_parent_falls_mid_streak():
    state = HealthState("up", T0)
    for minute, proposal in enumerate(["down", "down", "unreachable"]):
        state = advance(state, proposal, T0 + timedelta(minutes=minute), confirm=3)
    assert state.state == "unreachable" and state.since == T0


def test_a_confirmed_outage_found_to_be_the_parents_becomes_unreachable_from_the_same_moment():
    state = advance(HealthState("down", T0), "unreachable", T0 + timedelta(minutes=5), confirm=3)
    assert state == HealthState("unreachable", T0)


def test_a_held_streak_keeps_counting_and_is_confirmed_once_released():
    state = HealthState("up", T0)
    for minute in range(1, 5):
        state = advance(state, "down", T0 + timedelta(minutes=minute), confirm=3, hold=True)
    assert (state.state, state.pending_count, state.pending_since) == ("up", 4, T0 + timedelta(minutes=1))
    assert advance(state, "down", T0 + timedelta(minutes=5), confirm=3) == HealthState(
        "down", T0 + timedelta(minutes=1)
    )
    assert advance(state, "unreachable", T0 + timedelta(minutes=5), confirm=3).state == "unreachable"


@pytest.mark.parametrize("unseen", ["unknown", "unreachable"])
def test_first_answer_of_an_asset_we_could_not_see_is_immediate(unseen):
    assert advance(HealthState(unseen, T0), "up", T0 + timedelta(minutes=1), confirm=3).state == "up"
    assert advance(HealthState("down", T0), "up", T0 + timedelta(minutes=1), confirm=3).state == "down"


def ancestor(asset_id, state="up", answered=None, pending="", caused_by=None, polled=True) -> Ancestor:
    answered_at = None if answered is None else T0 + timedelta(minutes=answered)
    return Ancestor(asset_id, state, pending, answered_at, caused_by, polled)


SILENT_SINCE = T0 + timedelta(minutes=10)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        pytest.param([ancestor(1, "down", answered=9)], Attribution(culprit=1), id="parent down, last answer before"),
        pytest.param([ancestor(1, "down", answered=10)], Attribution(), id="parent answered at that very poll"),
        pytest.param([ancestor(1, "down", answered=None)], Attribution(culprit=1), id="parent never answered"),
        pytest.param(
            [ancestor(2, "unreachable", answered=8, caused_by=1), ancestor(1, "down", answered=8)],
            Attribution(culprit=1),
            id="unreachable parent: the root cause is the culprit",
        ),
        pytest.param(
            [ancestor(2, "up", answered=12), ancestor(1, "down", answered=8)],
            Attribution(),
            id="parent answered since: grandparent's outage is not the cause",
        ),
        pytest.param(
            [ancestor(2, "up", answered=9), ancestor(1, "down", answered=8)],
            Attribution(culprit=1),
            id="parent not heard since, grandparent down",
        ),
        pytest.param(
            [ancestor(1, "up", answered=9, pending="down")],
            Attribution(suspect=True, unheard=True),
            id="parent failing, not confirmed: hold",
        ),
        pytest.param([ancestor(1, "up", answered=9)], Attribution(unheard=True), id="parent not polled since"),
        pytest.param(
            [ancestor(1, "up", answered=9, pending="down", polled=False)],
            Attribution(),
            id="parent no longer polled: nothing to wait for",
        ),
    ],
)
def test_whose_outage_a_silence_is(path, expected):
    assert attribute(SILENT_SINCE, path) == expected
