"""Safe by default: deploy checks, login lockout and logging, token throttling, passwords, secrets kept secret."""

import logging
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from maintenance.models import WebhookEndpoint
from monitoring.models import ProbeConfig
from tests import factories

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "x-Very-Long-Pass-9"


def test_deploy_check_is_clean_with_only_the_three_required_settings(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "simpul.example",
        "DATABASE_URL": f"sqlite:///{tmp_path}/deploy.sqlite3",
        "SIMPUL_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_login_is_locked_after_repeated_failures_and_failures_are_logged(client, tree, caplog):
    factories.user(tree["64.01"], "manager", username="rina")
    with caplog.at_level(logging.WARNING):
        statuses = [
            client.post(reverse("login"), {"username": "rina", "password": "salah"}).status_code for _ in range(5)
        ]
    assert statuses == [200, 200, 200, 200, 429]  # the form again, then the lock-out at the fifth failure
    assert any("rina" in r.getMessage() and "fail" in r.getMessage().lower() for r in caplog.records)
    locked = client.post(reverse("login"), {"username": "rina", "password": PASSWORD})
    assert locked.status_code == 429  # even the right password is refused while locked out
    assert "_auth_user_id" not in client.session


def test_token_endpoint_is_throttled(client, tree, settings):
    factories.user(tree["64.01"], "manager", username="budi")
    statuses = [client.post("/api/auth/token/", {"username": "nobody", "password": "x"}).status_code for _ in range(25)]
    assert statuses[0] == 400 and 429 in statuses


def test_weak_passwords_are_refused():
    for weak in ("12345678", "password", "bpbd"):
        with pytest.raises(ValidationError):
            validate_password(weak)


@pytest.fixture
def secrets_in_db(tree):
    asset = factories.asset(tree["64.01"], management_address="127.64.1.3")
    ProbeConfig.objects.create(asset=asset, snmp=True, snmp_community="KOMUNITAS-RAHASIA", snmp_version="2c")
    WebhookEndpoint.objects.create(agency=tree["64.01"], url="http://127.0.0.1:9/h", secret="WEBHOOK-RAHASIA-12345")
    return asset


def test_secrets_never_in_api_admin_lists_or_exports(secrets_in_db, client_for, admin_client, tree):
    api = client_for(tree["64.01"], "administrator")
    pages = [
        api.get("/api/monitoring/probe-configs/"),
        api.get(f"/api/monitoring/probe-configs/{secrets_in_db.pk}/"),
        api.get("/api/maintenance/webhooks/"),
        api.get("/api/assets/", {"format": "json"}),
        api.get("/api/gaps/", {"format": "csv"}),
        admin_client.get(reverse("admin:monitoring_probeconfig_changelist")),
        admin_client.get(reverse("admin:maintenance_webhookendpoint_changelist")),
    ]
    for page in pages:
        assert page.status_code == 200
        body = page.content.decode()
        assert "KOMUNITAS-RAHASIA" not in body and "WEBHOOK-RAHASIA" not in body


def test_secrets_never_in_logs_of_a_poll(secrets_in_db, caplog, transactional_db):
    from django.core.management import call_command

    with caplog.at_level(logging.DEBUG):
        call_command("poll", "--once", "--asset", str(secrets_in_db.pk))
    assert "KOMUNITAS-RAHASIA" not in caplog.text
