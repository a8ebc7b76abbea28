"""Backup and restore of everything Simpul keeps: every table (through Django's serializers, so it moves
between SQLite and PostgreSQL) and every uploaded file, in one .tar.gz.

Secrets stay encrypted inside the archive; restoring needs the same ENCRYPTION_KEYS (or SECRET_KEY, or the
embedded default's var/encryption.key).
"""

import io
import tarfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.db import connection, transaction

DATA_MEMBER = "data.json"
MEDIA_PREFIX = "media/"
# Rebuilt by Django itself on migrate; restoring them would clash with what migrate created.
SKIPPED = {"contenttypes", "auth.permission", "sessions", "admin.logentry"}


def _models():
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label in SKIPPED or label in SKIPPED or model._meta.proxy:
            continue
        yield model


def backup(path: Path) -> dict[str, int]:
    """Write the archive; returns how many rows and files went in."""
    objects = []
    for model in _models():
        objects.extend(model._default_manager.order_by("pk"))
    data = serializers.serialize("json", objects, use_natural_foreign_keys=True)
    media_root = Path(settings.MEDIA_ROOT)
    files = [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []
    with tarfile.open(path, "w:gz") as archive:
        payload = data.encode()
        info = tarfile.TarInfo(DATA_MEMBER)
        info.size = len(payload)
        archive.addfile(info, io.BytesIO(payload))
        for file in files:
            archive.add(file, arcname=MEDIA_PREFIX + str(file.relative_to(media_root)))
    return {"rows": len(objects), "files": len(files)}


@transaction.atomic
def restore(path: Path) -> dict[str, int]:
    """Load an archive into an empty, migrated database and put the files back under MEDIA_ROOT."""
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(path, "r:gz") as archive:
        data = archive.extractfile(DATA_MEMBER).read().decode()
        members = [m for m in archive.getmembers() if m.isfile() and m.name.startswith(MEDIA_PREFIX)]
        for member in members:
            target = (media_root / member.name[len(MEDIA_PREFIX) :]).resolve()
            if media_root.resolve() not in target.parents:
                raise ValueError(f"refusing to write outside MEDIA_ROOT: {member.name}")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(archive.extractfile(member).read())
    rows = 0
    for obj in serializers.deserialize("json", data, handle_forward_references=True):
        obj.save()
        rows += 1
    _reset_sequences()
    return {"rows": rows, "files": len(members)}


def _reset_sequences() -> None:
    """PostgreSQL keeps id counters apart from the rows: move them past the restored ids."""
    if connection.vendor != "postgresql":
        return
    statements = connection.ops.sequence_reset_sql(no_style(), list(_models()))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
