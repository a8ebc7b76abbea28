"""The large lists page by keyset: every row once, in order, forwards and back, whatever the ordering; no count."""

from datetime import date, timedelta
from io import BytesIO
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from accounts.choices import Role
from monitoring.models import Outage
from tests import factories


@pytest.fixture
def assets(tree):
    """13 assets over two agencies, with repeated and empty values in the orderings' fields."""
    made = []
    for n in range(13):
        agency = tree["64.01"] if n % 3 else tree["64.72"]
        made.append(
            factories.asset(
                agency,
                name=f"Aset {n % 4}",  # four names, each repeated
                warranty_end=date(2027, 1, 1) + timedelta(days=n % 3) if n % 4 else None,
                cost_idr=None if n % 5 == 0 else 1000 * (n % 2),
            )
        )
    factories.asset(tree["63.01"], name="Aset 0")  # another province's: never on any page
    return made


def walk(client, url, params):
    """Every page forwards, then every page back from the last: the ids in order, and the pages' sizes."""
    forward, links, page = [], [], client.get(url, params)
    while True:
        assert page.status_code == 200, page.content
        body = page.json()
        assert "count" not in body
        forward += [row["id"] for row in body["results"]]
        links.append(body)
        if not body["next"]:
            break
        page = client.get(body["next"])
    backward, body = [], links[-1]
    while body["previous"]:
        body = client.get(body["previous"]).json()
        backward = [row["id"] for row in body["results"]] + backward
    return forward, backward + [row["id"] for row in links[-1]["results"]]


@pytest.mark.parametrize(
    "ordering", ["", "name", "-name", "warranty_end", "-warranty_end", "-cost_idr", "agency__code", "-id"]
)
def test_every_row_once_in_order_both_ways(assets, tree, client_for, ordering):
    client = client_for(tree["64"], Role.MANAGER)
    params = {"page_size": 4, **({"ordering": ordering} if ordering else {})}
    everything = [row["id"] for row in client.get("/api/assets/", {**params, "page_size": 500}).json()["results"]]
    assert sorted(everything) == sorted(a.pk for a in assets)
    forward, backward = walk(client, "/api/assets/", params)
    assert forward == everything
    assert backward == everything


def test_the_default_order_is_the_id(assets, tree, client_for):
    rows = client_for(tree["64"], Role.MANAGER).get("/api/assets/").json()["results"]
    assert [row["id"] for row in rows] == sorted(a.pk for a in assets)


def test_outages_page_newest_first(tree, client_for):
    asset = factories.asset(tree["64.01"])
    now = timezone.now()
    made = [
        Outage.objects.create(
            asset=asset, started_at=now - timedelta(hours=n % 3 + 1), ended_at=now - timedelta(hours=1)
        )
        for n in range(7)
    ]
    forward, backward = walk(client_for(tree["64"], Role.MANAGER), "/api/monitoring/outages/", {"page_size": 2})
    expected = [o.pk for o in sorted(made, key=lambda o: (-o.started_at.timestamp(), -o.pk))]
    assert forward == backward == expected


def test_a_page_neither_counts_nor_offsets(assets, tree, client_for):
    client = client_for(tree["64"], Role.MANAGER)
    second = client.get(client.get("/api/assets/", {"page_size": 4}).json()["next"])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(second.json()["next"]).status_code == 200
    sql = " ".join(q["sql"].upper() for q in queries.captured_queries)
    assert "COUNT(" not in sql and "OFFSET" not in sql


@pytest.mark.parametrize("cursor", ["junk", "eyJvIjpbInBrIl19:1abc:forged"])
def test_a_forged_cursor_is_a_404(assets, tree, client_for, cursor):
    response = client_for(tree["64"], Role.MANAGER).get("/api/assets/", {"cursor": cursor})
    assert response.status_code == 404
    assert "kursor" in response.json()["detail"].lower()


def test_a_cursor_of_another_ordering_is_a_404(assets, tree, client_for):
    client = client_for(tree["64"], Role.MANAGER)
    following = client.get("/api/assets/", {"page_size": 2, "ordering": "name"}).json()["next"]
    cursor = parse_qs(urlsplit(following).query)["cursor"][0]
    assert client.get("/api/assets/", {"cursor": cursor, "ordering": "-name"}).status_code == 404


def test_a_bad_page_size_names_the_field(assets, tree, client_for):
    response = client_for(tree["64"], Role.MANAGER).get("/api/assets/", {"page_size": "0"})
    assert response.status_code == 400 and "page_size" in response.json()


def test_the_export_holds_every_row_whatever_the_cursor(assets, tree, client_for):
    client = client_for(tree["64"], Role.MANAGER)
    following = client.get("/api/assets/", {"page_size": 2}).json()["next"]
    cursor = parse_qs(urlsplit(following).query)["cursor"][0]
    response = client.get("/api/assets/", {"format": "xlsx", "cursor": cursor, "page_size": 2})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet.max_row == 1 + len(assets) + 1  # the header, every asset, the cost total
    assert client.get("/api/assets/", {"format": "xlsx", "cursor": "junk"}).status_code == 404
