"""An availability figure carries its coverage, and has no percentage below the floor."""

import pytest

from monitoring.availability import AvailabilityRow
from monitoring.coverage import COVERAGE_FLOOR, covered

DAY = 86400.0
MONTH = 30 * DAY


def row(monitored_s: float, down_s: float = 0.0, assets: int = 1) -> AvailabilityRow:
    return AvailabilityRow("64.01", "Paser", assets, monitored_s, down_s, 0, 0)


def test_two_minutes_of_a_month_give_their_coverage_and_no_percentage():
    figure = covered(row(120), MONTH)
    assert figure.value is None
    assert (figure.watched_s, figure.window_s) == (120, 30 * 86400)
    assert figure.coverage == pytest.approx(120 / MONTH, abs=1e-4)


@pytest.mark.parametrize(
    ("watched_s", "shown"),
    [
        (COVERAGE_FLOOR * MONTH, True),  # at the floor exactly: shown
        (COVERAGE_FLOOR * MONTH - 1, False),  # a second below: withheld
        (MONTH, True),
    ],
)
def test_the_floor_boundary(watched_s, shown):
    figure = covered(row(watched_s, down_s=watched_s / 100), MONTH)
    assert (figure.value is not None) == shown
    if shown:
        assert figure.value == pytest.approx(0.99)


def test_a_group_is_covered_by_its_average_asset():
    # Two assets, one watched all month and one a day: 15.5 days each on average.
    figure = covered(row(MONTH + DAY, down_s=DAY, assets=2), MONTH)
    assert figure.watched_s == round((MONTH + DAY) / 2)
    assert figure.value == pytest.approx(1 - DAY / (MONTH + DAY))


def test_nothing_watched():
    figure = covered(None, DAY)
    assert (figure.value, figure.watched_s, figure.coverage) == (None, 0, 0.0)
    assert figure.as_dict() == {"value": None, "watched_s": 0, "window_s": 86400, "coverage": 0.0}
