"""Backup, then restore into an empty database, and everything is back: rows, history, files, secrets."""

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from maintenance.models import Attachment
from maintenance.services import attachment_add, work_order_create
from monitoring.metrics import store
from monitoring.models import ProbeConfig
from tests import factories
from tests.maintenance.test_api import png_bytes

COUNTED = [
    "assets.agency",
    "assets.asset",
    "assets.historicalasset",
    "maintenance.workorder",
    "maintenance.attachment",
    "monitoring.probeconfig",
    "accounts.user",
    "authtoken.token",
]


def counts() -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in COUNTED}


def test_backup_and_restore_into_an_empty_database(transactional_db, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_kaltim")
    paser = factories.agency("63")  # a second province, to see ids survive
    technician = factories.user(paser, "technician")
    asset = factories.asset(paser, management_address="127.63.0.1")
    ProbeConfig.objects.create(asset=asset, snmp=True, snmp_community="rahasia-komunitas")
    store.write([(asset.pk, "if_in_bps", timezone.now(), 1e6)])  # a table keyed by (asset, metric, at)
    order = work_order_create(reporter=technician, agency=paser, asset=asset, kind="corrective", title="Cek")
    attachment_add(order=order, upload=SimpleUploadedFile("bukti.png", png_bytes()), by=technician)
    before = counts()
    photo = Attachment.objects.get().file.read()

    archive = tmp_path / "simpul.tar.gz"
    call_command("backup", str(archive))
    assert b"rahasia-komunitas" not in archive.read_bytes()  # gzip of ciphertext, never the secret
    call_command("flush", "--no-input")
    for file in (tmp_path / "media").rglob("*.png"):
        file.unlink()
    assert counts()["assets.agency"] == 0

    call_command("restore", str(archive))
    assert counts() == before
    assert ProbeConfig.objects.get(asset=asset).snmp_community == "rahasia-komunitas"  # the demo has its own
    assert Attachment.objects.get().file.read() == photo
    if connection.vendor == "postgresql":  # sequences moved past the restored ids
        assert factories.asset(paser).pk > asset.pk
