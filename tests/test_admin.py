"""The back office keeps the same rules as the API: secrets are write-only, and staff see only their agencies."""

import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.db import connection
from django.urls import reverse

from maintenance.models import WebhookEndpoint, WorkOrder
from monitoring.models import ProbeConfig
from simpul.admin import ScopedAdmin, ScopedInline
from simpul.encrypted import EncryptedTextField
from tests import factories

COMMUNITY, AUTH_KEY, PRIV_KEY = "KOMUNITAS-RAHASIA", "AUTH-KUNCI-RAHASIA-1", "PRIV-KUNCI-RAHASIA-1"
WEBHOOK_SECRET = "WEBHOOK-RAHASIA-12345"


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def secrets(tree):
    asset = factories.asset(tree["64.01"], management_address="127.64.1.3")
    probe = ProbeConfig.objects.create(
        asset=asset,
        snmp=True,
        snmp_version="3",
        snmp_community=COMMUNITY,
        snmp_username="simpul",
        snmp_auth_protocol="SHA",
        snmp_auth_key=AUTH_KEY,
        snmp_priv_protocol="AES",
        snmp_priv_key=PRIV_KEY,
    )
    hook = WebhookEndpoint.objects.create(agency=tree["64.01"], url="http://8.8.8.8/h", secret=WEBHOOK_SECRET)
    with connection.cursor() as cursor:
        cursor.execute("SELECT snmp_community, snmp_auth_key, snmp_priv_key FROM monitoring_probeconfig")
        stored = list(cursor.fetchone())
        cursor.execute("SELECT secret FROM maintenance_webhookendpoint")
        stored += list(cursor.fetchone())
    assert all(value.startswith("fernet:") for value in stored)
    return probe, hook, [COMMUNITY, AUTH_KEY, PRIV_KEY, WEBHOOK_SECRET, *stored]


def test_no_admin_page_shows_a_secret_or_its_ciphertext(admin_client, secrets):
    probe, hook, never = secrets
    pages = [
        admin_url(ProbeConfig, "changelist"),
        admin_url(ProbeConfig, "change", probe.pk),
        admin_url(ProbeConfig, "history", probe.pk),
        admin_url(ProbeConfig, "delete", probe.pk),
        admin_url(ProbeConfig, "add"),
        admin_url(WebhookEndpoint, "changelist"),
        admin_url(WebhookEndpoint, "change", hook.pk),
        admin_url(WebhookEndpoint, "history", hook.pk),
        admin_url(WebhookEndpoint, "delete", hook.pk),
    ]
    for url in pages:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert not [secret for secret in never if secret in html], url
    change = admin_client.get(admin_url(ProbeConfig, "change", probe.pk)).content.decode()
    field = re.search(r'<input[^>]*name="snmp_community"[^>]*>', change).group(0)
    assert 'type="password"' in field and "value=" not in field
    assert 'name="snmp_community_clear"' in change


def test_an_empty_secret_field_keeps_the_stored_value_and_a_new_one_replaces_it(admin_client, secrets, tree):
    probe, hook, _never = secrets
    url = admin_url(WebhookEndpoint, "change", hook.pk)
    body = {"agency": tree["64.01"].pk, "url": "http://8.8.8.8/baru", "secret": "", "events": "[]", "active": "on"}
    assert admin_client.post(url, body).status_code == 302
    hook.refresh_from_db()
    assert (hook.url, hook.secret) == ("http://8.8.8.8/baru", WEBHOOK_SECRET)
    assert admin_client.post(url, body | {"secret": "rahasia-baru-yang-panjang"}).status_code == 302
    hook.refresh_from_db()
    assert hook.secret == "rahasia-baru-yang-panjang"
    form_class = admin.site._registry[ProbeConfig].form
    data = {"asset": probe.pk, "snmp_version": "2c", "snmp_port": 161, "snmp": "on", "if_indexes": "[]"}
    form = form_class(data | {"snmp_community": "", "enabled": "on", "icmp": "on"}, instance=probe)
    assert form.is_valid(), form.errors
    assert "snmp_community" not in form.changed_data and form.save().snmp_community == COMMUNITY
    form = form_class(data | {"snmp_auth_key_clear": "on", "snmp_priv_key_clear": "on"}, instance=probe)
    assert form.is_valid(), form.errors
    saved = form.save()
    assert (saved.snmp_community, saved.snmp_auth_key, saved.snmp_priv_key) == (COMMUNITY, "", "")


def test_every_encrypted_field_is_write_only_and_every_admin_is_scoped():
    assert "authtoken" not in {model._meta.app_label for model in admin.site._registry}  # keys in clear
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in (
            "accounts",
            "assets",
            "monitoring",
            "maintenance",
            "reports",
            "alerts",
            "rollcalls",
        ):
            continue  # django-axes' lockout records: operators' data of no agency
        assert isinstance(model_admin, ScopedAdmin), model
        assert all(issubclass(inline, ScopedInline) for inline in model_admin.inlines), model
        encrypted = {f.name for f in model._meta.fields if isinstance(f, EncryptedTextField)}
        assert encrypted <= set(getattr(model_admin.form, "secret_names", ())), model


@pytest.fixture
def staff(tree, client):
    """A technician of one regency (Paser, 64.01) with every model permission: only scoping limits them."""

    def make(role="technician", code="64.01"):
        user = factories.user(tree[code], role, is_staff=True)
        user.user_permissions.set(Permission.objects.all())
        client.force_login(user)
        return client

    return make


@pytest.fixture
def two_agencies(tree):
    """The same things in Paser (64.01) and in a regency of another province (63.01)."""
    made = {}
    for code, label in (("64.01", "PASER"), ("63.01", "ASING")):
        agency = tree[code]
        site = factories.site(agency, name=f"Situs {label}")
        asset = factories.asset(agency, name=f"Router {label}", site=site, management_address="127.64.9.9")
        made[code] = {
            "asset": asset,
            "site": site,
            "order": WorkOrder.objects.create(agency=agency, asset=asset, kind="corrective", title=f"Order {label}"),
            "probe": ProbeConfig.objects.create(asset=asset, snmp=True, snmp_community=f"KOM-{label}"),
            "hook": WebhookEndpoint.objects.create(
                agency=agency, url="http://8.8.8.8/h", secret=f"secret-{label}-123456"
            ),
            "user": factories.user(agency, "manager", username=f"manajer-{label.lower()}"),
        }
    return made


def test_staff_see_only_their_agencies_in_lists_pages_history_and_choices(staff, two_agencies):
    client = staff()
    for key in ("asset", "site", "order", "probe", "hook", "user"):
        own, foreign = two_agencies["64.01"][key], two_agencies["63.01"][key]
        listing = client.get(admin_url(type(own), "changelist")).content.decode()
        assert f"/{own.pk}/change/" in listing and f"/{foreign.pk}/change/" not in listing, key
        assert client.get(admin_url(type(own), "change", own.pk)).status_code == 200, key
        assert client.get(admin_url(type(foreign), "change", foreign.pk)).status_code in (302, 404), key
        assert client.get(admin_url(type(foreign), "history", foreign.pk)).status_code in (302, 403, 404), key
        assert client.get(admin_url(type(foreign), "delete", foreign.pk)).status_code in (302, 403, 404), key
    for key in ("asset", "site", "order"):  # simple_history's pages, also for an old version
        foreign = two_agencies["63.01"][key]
        version = foreign.history.first().history_id
        url = reverse(
            f"admin:{foreign._meta.app_label}_{foreign._meta.model_name}_simple_history", args=[foreign.pk, version]
        )
        assert client.get(url).status_code in (302, 403, 404), key
    add_order = client.get(admin_url(WorkOrder, "add")).content.decode()
    assert "BPBD 64.01" in add_order and "BPBD 63.01" not in add_order and "BPBD 64.72" not in add_order
    assert "manajer-paser" in add_order and "manajer-asing" not in add_order
    filters = client.get(admin_url(WorkOrder, "changelist")).content.decode()
    assert "BPBD 63.01" not in filters
    found = client.get(
        "/admin/autocomplete/",
        {"app_label": "maintenance", "model_name": "workorder", "field_name": "asset", "term": "Router"},
    ).json()
    assert [item["text"] for item in found["results"]] == ["Router PASER"]


def test_staff_write_only_what_their_role_writes(staff, two_agencies, tree):
    manager = staff("manager")
    own_probe = two_agencies["64.01"]["probe"]
    page = manager.get(admin_url(ProbeConfig, "change", own_probe.pk)).content.decode()
    assert "KOM-PASER" not in page and 'name="snmp_community"' not in page  # view only, secret not shown
    assert manager.post(admin_url(ProbeConfig, "change", own_probe.pk), {}).status_code == 403
    province_technician = staff("technician", "64")
    body = {"agency": tree["64.01"].pk, "url": "http://8.8.8.8/x", "secret": "s" * 20, "events": "[]"}
    assert province_technician.post(admin_url(WebhookEndpoint, "add"), body).status_code == 403
    assert not WebhookEndpoint.objects.filter(url="http://8.8.8.8/x").exists()
    user_page = staff("administrator").get(
        admin_url(type(two_agencies["64.01"]["user"]), "change", two_agencies["64.01"]["user"].pk)
    )
    assert 'name="is_superuser"' not in user_page.content.decode()


def test_alert_channel_secret_never_shows_and_staff_see_only_their_agencies_alert_data(staff, tree):
    from alerts.models import AlertContact, Channel

    own = Channel.objects.create(agency=tree["64.01"], name="Bot PASER", kind="telegram", secret="111:TOKEN-PASER")
    foreign = Channel.objects.create(agency=tree["63.01"], name="Bot ASING", kind="telegram", secret="222:TOKEN-ASING")
    contact = AlertContact.objects.create(user=factories.user(tree["63.01"], "technician"), phone="6281100000001")
    client = staff("administrator")
    listing = client.get(admin_url(Channel, "changelist")).content.decode()
    assert "Bot PASER" in listing and "Bot ASING" not in listing
    page = client.get(admin_url(Channel, "change", own.pk)).content.decode()
    assert "TOKEN-PASER" not in page and 'name="secret"' in page
    assert client.get(admin_url(Channel, "change", foreign.pk)).status_code in (302, 404)
    assert "6281100000001" not in client.get(admin_url(AlertContact, "changelist")).content.decode()
    assert client.get(admin_url(AlertContact, "change", contact.pk)).status_code in (302, 404)
