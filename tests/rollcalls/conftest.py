import pytest

from rollcalls.models import RollCallSchedule
from rollcalls.occurrences import WITA
from tests import factories


@pytest.fixture
def radios(tree):
    """Three VHF radios of Paser (64.01)."""
    return [factories.radio(tree["64.01"], name=f"Radio Paser {n}") for n in (1, 2, 3)]


@pytest.fixture
def make_schedule(tree):
    def make(agency=None, *, stations=(), created=None, **fields):
        from datetime import datetime

        values = {"net": "Jaring VHF Paser", "times": ["08:00", "20:00"], "days": [1, 2, 3, 4, 5, 6, 7]}
        schedule = RollCallSchedule(agency=agency or tree["64.01"], **(values | fields))
        schedule.full_clean()
        schedule.created_at = created or datetime(2026, 10, 1, tzinfo=WITA)
        schedule.save()
        schedule.stations.set(stations)
        return schedule

    return make
