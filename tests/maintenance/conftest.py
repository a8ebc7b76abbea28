import pytest

from tests import factories


@pytest.fixture
def paser(tree):
    return tree["64.01"]


@pytest.fixture
def technician(paser):
    return factories.user(paser, "technician", username="teknisi-paser", email="teknisi@paser.test")


@pytest.fixture
def repeater(paser):
    return factories.asset(
        paser, kind="repeater", band="vhf", name="Repeater Gunung", status="faulty", management_address="127.64.1.10"
    )
