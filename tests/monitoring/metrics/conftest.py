import pytest

from tests.monitoring.metrics.agent import values_agent


@pytest.fixture(scope="session")
def agent():
    try:
        with values_agent() as served:
            yield served
    except FileNotFoundError as missing:
        pytest.skip(str(missing))
