"""Bad input answers 4xx over real HTTP, never 500: deep JSON, lone surrogates, formats a route does not
offer. Each case was a 500 seen from outside (issue 9, item 9)."""

import json
from datetime import UTC, datetime, timedelta

import pytest
import requests
from rest_framework.authtoken.models import Token

from assets.models import Asset
from monitoring.models import MaintenanceWindow
from tests import factories

DEEP = "[" * 100_000 + "]" * 100_000


@pytest.fixture
def server(live_server, transactional_db):
    """A real server, an administrator of Kaltim with a token, and one asset of a regency."""
    province = factories.agency("64")
    regency = factories.agency("64.01", parent=province)
    admin = factories.user(province, "administrator", username="admin-64")
    session = requests.Session()
    session.headers["Authorization"] = f"Token {Token.objects.create(user=admin).key}"
    session.base_url = live_server.url
    session.asset = factories.asset(regency, management_address="127.64.1.3")
    return session


def _post_json(session, path: str, text: str, **kwargs):
    return session.post(
        session.base_url + path, data=text.encode("utf-8"), headers={"Content-Type": "application/json"}, **kwargs
    )


@pytest.mark.parametrize("path", ["/api/auth/token/", "/api/assets/"])
def test_json_nested_100000_deep_is_a_400(server, path):
    response = _post_json(server, path, DEEP)
    assert response.status_code == 400, response.text[:300]
    assert "terlalu dalam" in response.json()["detail"]


def test_json_deeper_than_the_limit_is_a_400(server):
    body = {"kind": "router", "extra_oids": {"snr": json.loads("[" * 40 + "]" * 40)}}
    response = _post_json(server, "/api/monitoring/kind-policies/", json.dumps(body))
    assert response.status_code == 400 and "terlalu dalam" in response.json()["detail"]


@pytest.mark.parametrize(
    "field, value",
    [("kind", "router\ud800"), ("status", "\udfff"), ("management_address", "127.0.0.\ud800")],
    ids=["choice", "choice-alone", "address"],
)
def test_a_lone_surrogate_in_a_field_is_a_400_naming_where(server, field, value):
    body = {"name": "Router", "kind": "router", field: value}
    # json.dumps writes the surrogate as the escape "\\ud800": valid JSON syntax, but no character.
    response = _post_json(server, "/api/assets/", json.dumps(body))
    assert response.status_code == 400, response.text[:300]
    assert f"/{field}" in response.json()["detail"]
    assert Asset.objects.count() == 1


@pytest.mark.parametrize(
    "path",
    [
        "/api/assets/?status=%ED%A0%80",  # a surrogate's UTF-8-like bytes in a query parameter
        "/api/assets/?kind=%5Cud800",
        "/api/agencies/%ED%A0%80/",  # ... and in a path segment
        "/api/assets/%ED%A0%80/",
    ],
)
def test_a_surrogate_in_a_query_or_path_is_a_4xx(server, path):
    response = server.get(server.base_url + path)
    assert 400 <= response.status_code < 500, response.text[:300]
    response.json()  # the error is JSON that parses


def test_an_error_echoing_a_surrogate_is_still_json(rf):
    from simpul.renderers import JSONRenderer

    body = JSONRenderer().render({"kind": ['"\ud800" bukan pilihan yang sah.']})
    assert json.loads(body) == {"kind": ['"\ud800" bukan pilihan yang sah.']}


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_delete_asking_for_a_file_is_refused_before_anything_is_deleted(server, fmt):
    response = server.delete(f"{server.base_url}/api/assets/{server.asset.pk}/?format={fmt}")
    assert response.status_code == 406
    assert response.headers["Content-Type"] == "application/json"
    assert Asset.objects.filter(pk=server.asset.pk).exists()


@pytest.mark.parametrize(
    "method, path, body",
    [
        ("post", "/api/assets/?format=xlsx", {"name": "Router baru", "kind": "router"}),
        ("patch", "/api/assets/{pk}/?format=xlsx", {"name": "Nama baru"}),
        ("post", "/api/assets/?format=xlsx", {"name": "", "kind": "bukan"}),
        ("get", "/api/assets/{pk}/history/?format=xlsx", None),
        ("get", "/api/assets/{pk}/?format=csv", None),
        ("post", "/api/reports/monthly/64.01/submit/?format=xlsx", {}),
    ],
)
def test_a_file_format_on_a_route_without_an_export_is_a_406_and_writes_nothing(server, method, path, body):
    before = list(Asset.objects.values_list("pk", "name").order_by("pk"))
    url = server.base_url + path.format(pk=server.asset.pk)
    response = getattr(server, method)(url, json=body) if body is not None else getattr(server, method)(url)
    assert response.status_code == 406, response.text[:300]
    assert response.headers["Content-Type"] == "application/json"
    assert list(Asset.objects.values_list("pk", "name").order_by("pk")) == before


def test_an_export_with_bad_filters_answers_json_not_a_file(server):
    response = server.get(f"{server.base_url}/api/assets/?format=xlsx&status=rusak-berat")
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/json"
    assert "status" in response.json()


MONTH_ROUTES = [
    "/api/maintenance/metrics/",
    "/api/monitoring/availability/",
    "/api/reports/monthly/",
    "/api/reports/monthly/64.01/",
]


@pytest.mark.parametrize("route", MONTH_ROUTES)
@pytest.mark.parametrize("month", ["0000-01", "0001-01", "9999-12", "2026-13", "2026-1", "26-01", "2026-01-01"])
def test_a_month_outside_2000_to_2099_or_misspelt_is_a_400_naming_month(tree, client_for, route, month):
    client = client_for(tree["64"], "administrator")
    client.raise_request_exception = False
    response = client.get(route, {"month": month})
    assert response.status_code == 400, response.content[:300]
    assert "YYYY-MM" in response.json()["month"][0]


@pytest.mark.parametrize("route", MONTH_ROUTES)
def test_a_month_within_the_range_is_read(tree, client_for, route):
    assert client_for(tree["64"], "administrator").get(route, {"month": "2026-10"}).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "/api/monitoring/outages/?from=0001-01-01T00:00:00%2B08:00",
        "/api/monitoring/outages/?to=9999-12-31T23:59:59-12:00",
        "/api/monitoring/events/?from=0001-01-01",
        "/api/monitoring/maintenance-windows/?active_at=0001-01-01T00:00:00",
        "/api/monitoring/radio-checks/?to=9999-12-31T23:59:59.999999-12:00",
        "/api/monitoring/availability/?from=0001-01-01T00:00:00%2B08:00&to=2020-01-01T00:00:00Z",
    ],
)
def test_a_moment_beyond_the_years_of_any_data_reads_as_since_or_until_ever(tree, client_for, query):
    client = client_for(tree["64"], "administrator")
    client.raise_request_exception = False
    response = client.get(query)
    assert response.status_code == 200, response.content[:300]


def test_a_moment_with_an_offset_postgresql_cannot_take_is_read_as_the_same_moment(tree, client_for):
    """ISO 8601 and Python take offsets up to 23:59, PostgreSQL only up to 15:59: found by schemathesis."""
    starts = datetime(2026, 4, 22, 21, 0, tzinfo=UTC)
    MaintenanceWindow.objects.create(
        agency=tree["64.01"], starts_at=starts, ends_at=starts + timedelta(hours=1), reason="Ganti aki"
    )
    client = client_for(tree["64"], "administrator")
    inside = client.get("/api/monitoring/maintenance-windows/", {"active_at": "2026-04-22T01:35:20-19:54"})
    assert inside.status_code == 200 and [w["reason"] for w in inside.json()["results"]] == ["Ganti aki"]
    outside = client.get("/api/monitoring/maintenance-windows/", {"active_at": "2026-04-22T01:35:20+19:54"})
    assert outside.status_code == 200 and outside.json()["results"] == []
    since = client.get("/api/monitoring/outages/", {"from": "2026-04-22T01:35:20-23:59"})
    assert since.status_code == 200


def test_availability_says_which_window_it_read_when_a_moment_was_beyond_the_years(tree, client_for):
    body = (
        client_for(tree["64"], "administrator")
        .get("/api/monitoring/availability/", {"from": "0001-01-01T00:00:00+08:00", "to": "2020-01-01T00:00:00Z"})
        .json()
    )
    assert body["start"] == "2000-01-01T08:00:00+08:00" and body["end"] == "2020-01-01T08:00:00+08:00"


@pytest.mark.parametrize("path", ["/api/sites/999999/", "/api/monitoring/kind-policies/genset/"])
def test_not_found_says_only_that_in_indonesian(tree, client_for, path):
    response = client_for(tree["64"], "administrator").get(path, HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 404
    assert response.json() == {"detail": "Data tidak ditemukan."}
