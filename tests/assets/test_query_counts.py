"""List endpoints run a fixed number of queries whatever the page size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories


def _queries(client, url, page_size) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, {"page_size": page_size})
    assert response.status_code == 200
    assert len(response.json()["results"]) == page_size
    # ATOMIC_REQUESTS adds SAVEPOINT/RELEASE inside the test's transaction: not queries of the view.
    return sum(1 for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE")))


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/api/assets/", 2),  # token + page (a keyset page counts nothing), nothing per row
        ("/api/sites/", 3),
        ("/api/agencies/", 3),
        ("/api/partners/", 3),
        ("/api/licences/", 4),  # and the radios of the page's licences, in one query
    ],
)
def test_list_query_count_is_independent_of_page_size(tree, client_for, url, expected):
    from assets.models import Agency, Partner

    for index in range(30):
        agency = tree["64.01"] if index % 2 else tree["64.72"]
        site = factories.site(agency)
        licence = factories.licence(agency)
        factories.radio(agency, site=site, tx_freq_mhz="147.000", licence=licence)
        factories.asset(agency, site=site, owner_partner=Partner.objects.create(name=f"P{index}", kind="isp"))
    for index in range(30):
        Agency.objects.create(code=f"64.{index + 20}", name=f"X{index}", level="regency", parent=tree["64"])
    client = client_for(tree["64"], "manager")
    small, large = _queries(client, url, 2), _queries(client, url, 25)
    assert small == large
    assert large == expected
