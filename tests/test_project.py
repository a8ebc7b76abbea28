"""Project-wide checks: configuration, schema, docs offline, admin on every model."""

import subprocess
import sys

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse

from tests import factories


def test_openapi_schema_is_valid_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    assert "/api/assets/{id}/history/" in (tmp_path / "schema.yml").read_text()


@pytest.mark.django_db
def test_no_missing_migrations():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db
def test_api_docs_are_served_without_a_cdn(client):
    html = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower() and "https://" not in html
    assert client.get("/api/schema/").status_code == 200


@pytest.mark.parametrize("model_admin", list(admin.site._registry.values()), ids=lambda a: a.model.__name__)
def test_admin_changelist_filters_and_searches(admin_client, model_admin, tree):
    assert model_admin.list_filter and model_admin.search_fields
    url = reverse(f"admin:{model_admin.model._meta.app_label}_{model_admin.model._meta.model_name}_changelist")
    assert admin_client.get(url, {"q": "64"}).status_code == 200


def _settings_with(env: dict[str, str]) -> subprocess.CompletedProcess:
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    base = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "simpul.settings"}
    return subprocess.run([sys.executable, "-c", code], env=base | env, capture_output=True, text=True)


def test_settings_refuse_production_without_secret_key():
    result = _settings_with({"DEBUG": "false"})
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr
    weak = _settings_with({"DEBUG": "false", "SECRET_KEY": "short"})
    assert weak.returncode != 0
    ok = _settings_with({"DEBUG": "false", "SECRET_KEY": "k" * 50, "ALLOWED_HOSTS": "simpul.example"})
    assert ok.returncode == 0 and ok.stdout.strip() == "False"
    assert _settings_with({}).stdout.strip() == "True"  # embedded default: DEBUG on SQLite


def test_time_zone_and_language(settings):
    assert settings.TIME_ZONE == "Asia/Makassar" and settings.USE_TZ
    assert settings.LANGUAGE_CODE == "id" and ("en", "English") in settings.LANGUAGES


@pytest.mark.django_db
def test_session_login_reaches_the_api(client, tree):
    user = factories.user(tree["64.01"], "manager", username="siti")
    login = client.post("/accounts/login/", {"username": "siti", "password": "x-Very-Long-Pass-9"})
    assert login.status_code == 302
    assert client.get("/api/agencies/").json()["count"] == 1
    assert user.is_authenticated


@pytest.mark.django_db
def test_token_endpoint(client, tree):
    factories.user(tree["64.01"], "manager", username="rudi")
    response = client.post("/api/auth/token/", {"username": "rudi", "password": "x-Very-Long-Pass-9"})
    assert response.status_code == 200 and response.json()["token"]
    assert client.post("/api/auth/token/", {"username": "rudi", "password": "wrong"}).status_code == 400
