"""Safe by default: deploy checks, login lockout and logging, token throttling, passwords, secrets kept secret."""

import base64
import logging
import secrets
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from axes.helpers import get_lockout_message
from axes.models import AccessAttempt
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
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


def token(live_server, username: str, password: str, forwarded_for: str | None = None) -> requests.Response:
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    data = {"username": username, "password": password}
    return requests.post(f"{live_server.url}/api/auth/token/", data=data, headers=headers, timeout=30)


def login_page(live_server, username: str, password: str) -> requests.Response:
    session = requests.Session()
    session.get(f"{live_server.url}/accounts/login/", timeout=30)
    data = {"username": username, "password": password, "csrfmiddlewaretoken": session.cookies["csrftoken"]}
    return session.post(f"{live_server.url}/accounts/login/", data=data, allow_redirects=False, timeout=30)


def test_token_endpoint_locks_out_like_the_login_page_whatever_x_forwarded_for_says(live_server, tree):
    """Seen on PostgreSQL: the 400 of a wrong password rolled back axes' record of it (ATOMIC_REQUESTS), so the
    token endpoint allowed unlimited guessing. A real server, so the request's own transaction is in play."""
    factories.user(tree["64.01"], "manager", username="rina")
    factories.user(tree["64.01"], "manager", username="rudi")
    statuses = [token(live_server, "rina", "salah", f"127.10.0.{i}").status_code for i in range(1, 6)]
    assert statuses == [400, 400, 400, 400, 429]  # the fifth failure locks out, as on the login page
    assert AccessAttempt.objects.get(username="rina", ip_address="127.0.0.1").failures_since_start == 5

    locked = token(live_server, "rina", PASSWORD, "127.10.0.9")
    assert locked.status_code == 429 and "token" not in locked.json()  # even the right password
    assert locked.json()["detail"] == str(get_lockout_message())
    assert login_page(live_server, "rina", PASSWORD).status_code == 429  # one lock-out for page and API
    assert token(live_server, "rudi", PASSWORD).status_code == 200  # per username and address, not per address


def test_token_success_resets_the_failures_like_a_login(live_server, tree):
    factories.user(tree["64.01"], "manager", username="rina")
    assert [token(live_server, "rina", "salah").status_code for _ in range(4)] == [400] * 4
    assert token(live_server, "rina", PASSWORD).status_code == 200
    assert [token(live_server, "rina", "salah").status_code for _ in range(4)] == [400] * 4


def test_token_throttle_is_not_reset_by_x_forwarded_for(live_server):
    """Seen from outside: a different X-Forwarded-For on each request gave each its own throttle bucket."""
    statuses = [token(live_server, f"nobody-{i}", "x", f"127.10.{i}.1").status_code for i in range(22)]
    assert statuses == [400] * 20 + [429] * 2  # TOKEN_RATE 20/min from the one real address


def test_behind_trusted_proxies_the_address_they_give_is_the_client(live_server, tree, settings):
    settings.TRUSTED_PROXY_COUNT = 1  # one reverse proxy, which appends the address it saw to X-Forwarded-For
    factories.user(tree["64.01"], "manager", username="rina")
    # The client's own claim (left) is ignored; the proxy's entry (right) identifies it.
    statuses = [token(live_server, "rina", "salah", f"127.99.0.{i}, 127.10.0.1").status_code for i in range(5)]
    assert statuses == [400, 400, 400, 400, 429]
    assert AccessAttempt.objects.get(username="rina").ip_address == "127.10.0.1"
    assert token(live_server, "rina", PASSWORD, "127.10.0.2").status_code == 200  # another client is not locked

    more = [token(live_server, f"nobody-{i}", "x", "127.10.0.1").status_code for i in range(16)]
    assert more == [400] * 15 + [429]  # TOKEN_RATE 20/min for 127.10.0.1: five above, fifteen here
    assert token(live_server, "nobody", "x", "127.10.0.2").status_code == 400  # 127.10.0.2 has its own budget
    # A proxy that sends no usable address: the connection's address, never a crash.
    assert token(live_server, "nobody", "x", "not-an-address").status_code == 400
    assert AccessAttempt.objects.filter(username="nobody", ip_address="127.0.0.1").exists()


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


def embedded_default(var_dir: Path, code: str) -> subprocess.CompletedProcess:
    """One start of `make run`'s configuration (DEBUG, no SECRET_KEY or ENCRYPTION_KEYS) on its own var/."""
    env = {"PATH": "/usr/bin:/bin", "SIMPUL_VAR_DIR": str(var_dir)}
    command = [sys.executable, "manage.py", "shell", "--verbosity", "0", "-c", code]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_embedded_default_keys_are_random_private_and_kept_across_restarts(tmp_path):
    """Seen from outside: without SECRET_KEY the Fernet key derived from a constant in the source, so any
    demo database or backup could be decrypted by anyone."""
    box, other_box = tmp_path / "box", tmp_path / "other"
    sealing = embedded_default(box, "from simpul.encrypted import encrypt; print(encrypt('KOMUNITAS-RAHASIA'))")
    assert sealing.returncode == 0, sealing.stderr
    sealed = sealing.stdout.strip()
    for name in ("secret.key", "encryption.key"):
        assert stat.S_IMODE((box / name).stat().st_mode) == 0o600

    opening = f"from simpul.encrypted import decrypt; print(decrypt({sealed!r}))"
    again = embedded_default(box, opening)  # the next start of the same box
    assert again.returncode == 0 and again.stdout.strip() == "KOMUNITAS-RAHASIA", again.stderr
    elsewhere = embedded_default(other_box, opening)  # another box made keys of its own
    assert elsewhere.returncode != 0 and "cannot be decrypted" in elsewhere.stderr
    for name in ("secret.key", "encryption.key"):
        assert (box / name).read_text() != (other_box / name).read_text()

    published = b"insecure-dev-key-only-for-debug-mode"  # the constant the key used to derive from
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"simpul-fields", info=b"fernet").derive(published)
    with pytest.raises(InvalidToken):
        Fernet(base64.urlsafe_b64encode(derived)).decrypt(sealed.removeprefix("fernet:").encode())
    signing = embedded_default(box, "from django.conf import settings; print(settings.SECRET_KEY)")
    assert signing.stdout.strip() == (box / "secret.key").read_text().strip()
