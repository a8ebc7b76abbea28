"""Simpul's own error pages, with DEBUG off as in production: the user's language, the header, what happened
and what to do, a link home, no stack detail; under /api/ the API's JSON ({"detail": ...}) instead."""

import pytest
from django.db import OperationalError, connection
from django.test import Client

from assets.models import Site
from tests import factories
from tests.error_urls import DATABASE

pytestmark = pytest.mark.urls("tests.error_urls")


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


def _logged_in(user, **kwargs) -> Client:
    client = Client(raise_request_exception=False, **kwargs)
    client.force_login(user)
    return client


def test_an_unknown_address_and_a_foreign_object_get_the_same_404_page_with_the_header(tree):
    client = _logged_in(factories.user(tree["64.01"], "technician"))
    foreign = factories.site(tree["63.01"])
    foreign_asset = factories.asset(tree["63.01"], site=foreign)
    pages = [client.get("/tidak-ada/"), client.get(f"/assets/{foreign_asset.pk}/")]
    for response in pages:
        html = response.content.decode()
        assert response.status_code == 404 and response["Content-Type"].startswith("text/html")
        assert "Halaman tidak ditemukan" in html and "di luar instansi yang dapat Anda lihat" in html
        assert 'id="site-nav"' in html and 'href="/maintenance/my/"' in html  # the technician's own header
        assert "Kembali ke beranda" in html
        assert foreign.name not in html and "Site" not in html.split("<main>")[1]  # nothing of the model or row
    assert Site.objects.filter(pk=foreign.pk).exists()


def test_the_404_page_follows_the_users_language(tree):
    client = _logged_in(factories.user(tree["64.01"], language="en"))  # chosen with the EN switch
    html = client.get("/tidak-ada/").content.decode()
    assert '<html lang="en">' in html and "Page not found" in html
    client = _logged_in(factories.user(tree["64.01"]))  # nobody chose: Indonesian first
    assert '<html lang="id">' in client.get("/tidak-ada/").content.decode()


def test_a_page_beyond_the_role_is_a_403_page_saying_what_to_do(tree):
    response = _logged_in(factories.user(tree["64.01"], "technician")).get("/procurement/gaps/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "Anda tidak berhak membuka halaman ini" in html and "Pilih halaman dari menu di atas" in html
    assert 'id="site-nav"' in html and 'href="/procurement/gaps/"' not in html


def test_a_form_sent_without_its_csrf_token_gets_the_expired_form_page(tree):
    client = _logged_in(factories.user(tree["64.01"]), enforce_csrf_checks=True)
    response = client.post("/rollcalls/schedules/new/", {"net": "Jaring VHF"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "Formulir kedaluwarsa" in html and "Muat ulang halaman" in html
    assert "CSRF" not in html and "Referer" not in html  # Django's reason is for the log, not for people


def test_a_host_not_served_is_a_400_page(tree, settings):
    settings.ALLOWED_HOSTS = ["simpul.example"]
    response = Client(HTTP_HOST="simpul.example").get("/tidak-ada/")
    assert response.status_code == 404  # the allowed host reaches the routes
    response = Client(HTTP_HOST="evil.example").get("/accounts/login/")
    html = response.content.decode()
    assert response.status_code == 400 and "Permintaan tidak dapat diproses" in html and "Kembali ke beranda" in html


def test_a_fault_is_a_500_page_without_its_detail(tree):
    response = _logged_in(factories.user(tree["64.01"])).get("/test-broken/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Terjadi kesalahan" in html and "Coba lagi beberapa menit lagi." in html and 'href="/"' in html
    assert '<html lang="id">' in html and 'class="top"' in html
    assert "ZeroDivisionError" not in html and "secret detail" not in html and "Traceback" not in html


def test_the_500_page_is_drawn_with_the_database_gone(tree):
    """The header's navigation reads the database; the 500 page must not, or it fails a second time."""
    client = _logged_in(factories.user(tree["64.01"], "technician"))  # whose header asks the duty roster
    queried_after = []

    def refuse(execute, sql, params, many, context):
        if DATABASE["gone"] and not sql.startswith(("SAVEPOINT", "ROLLBACK", "RELEASE")):  # the request's own
            queried_after.append(sql)
            raise OperationalError("the database is gone")
        return execute(sql, params, many, context)

    DATABASE["gone"] = False
    with connection.execute_wrapper(refuse):
        response = client.get("/test-database-gone/")
    DATABASE["gone"] = False
    html = response.content.decode()
    assert response.status_code == 500 and "Terjadi kesalahan" in html and "Kembali ke beranda" in html
    assert not queried_after, queried_after
    assert "server closed" not in html


def test_the_api_keeps_answering_json(tree, client_for):
    client = client_for(tree["64.01"], "procurement")
    missing = client.get("/api/tidak-ada/")
    assert missing.status_code == 404 and missing.json() == {"detail": "Data tidak ditemukan."}
    refused = client.post("/api/maintenance/work-orders/", {}, format="json")
    assert refused.status_code == 403 and set(refused.json()) == {"detail"}
    broken = Client(raise_request_exception=False).get("/api/test-broken/")
    assert broken.status_code == 500 and broken["Content-Type"] == "application/json"
    assert set(broken.json()) == {"detail"} and "secret" not in broken.json()["detail"]
