import pytest
from rest_framework.test import APIClient

from accounts.choices import Role
from tests import factories


@pytest.fixture
def tree(db):
    """Two provinces: Kaltim (64) with two regencies/cities, and a foreign one (63) with one regency."""
    kaltim = factories.agency("64")
    foreign_province = factories.agency("63")
    return {
        "64": kaltim,
        "64.01": factories.agency("64.01", parent=kaltim),
        "64.72": factories.agency("64.72", parent=kaltim, level="city"),
        "63": foreign_province,
        "63.01": factories.agency("63.01", parent=foreign_province),
    }


@pytest.fixture
def client_for():
    """An API client logged in (by token) as a new user of the given agency and role."""
    from rest_framework.authtoken.models import Token

    def make(agency, role=Role.TECHNICIAN, **extra):
        user = factories.user(agency, role, **extra)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
        client.user = user
        return client

    return make


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The dashboard keeps its figures in the cache between poll cycles: every test starts without them."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _alerts_sent_inline(settings):
    """The poller's alert sender runs in a thread of its own; tests send inline, inside the test's database."""
    settings.ALERTS_SENDER_THREAD = False


@pytest.fixture(autouse=True)
def _a_week_of_demo_history(settings):
    """The demo's 90 days of history cost minutes per seeding on a loaded PostgreSQL: a week, unless a test
    that checks the history asks for all of it."""
    settings.DEMO_HISTORY_DAYS = 7
