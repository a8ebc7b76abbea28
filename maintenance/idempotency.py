"""Idempotency-Key: a POST sent twice with the same key is applied once, and the second gets the first answer.

The offline technician app queues work on the phone and sends each action with a key it made (a UUID); a
connection that drops after Simpul applied an action but before the phone heard back makes the phone send it
again, and this keeps the tick, log, photo or transition from being applied twice. Keys are per user. The
same key with another request (other path or body) is refused with 422: a client bug, never a replay.

Only answers that were applied are kept: a refused request (4xx raised by a view) rolls back with its key,
so sending it again is judged again.
"""

import hashlib
import json
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from maintenance.models import AppliedAction
from simpul.schema import ERROR, AutoSchema

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
KEY_PARAMETER = OpenApiParameter(
    HEADER,
    OpenApiTypes.UUID,
    OpenApiParameter.HEADER,
    description="A UUID made by the client for this one action: sent again (a lost answer), the action is not "
    "applied twice and the first answer comes back with `Idempotent-Replayed: true`. Per user; the same key "
    "with another path or body answers 422.",
)


class IdempotentSchema(AutoSchema):
    """The schema says it too: every POST takes the key (and the view's `post_headers`) and may answer 422."""

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self.method == "POST":
            return [*parameters, KEY_PARAMETER, *self.view.post_headers]
        return parameters

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is not None and method == "POST":
            operation["responses"]["422"] = {
                "description": "The Idempotency-Key was used before for another request.",
                "content": {"application/json": {"schema": ERROR.ref}},
            }
        return operation


class IdempotencyMixin:
    """For a viewset: every POST that carries an Idempotency-Key is applied at most once per user and key."""

    schema = IdempotentSchema()
    post_headers: tuple[OpenApiParameter, ...] = ()  # more request headers its POSTs read, for the schema

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authenticated, permitted, throttled: only then a key counts
        raw = request.headers.get(HEADER)
        if request.method == "POST" and raw is not None:
            # DRF looks the handler up after initial(): hand it the same handler, wrapped to run once per key.
            self.post = _once(self.post, key=_parse(raw))


def _parse(raw: str) -> uuid.UUID:
    try:
        return uuid.UUID(raw.strip())
    except ValueError:
        raise ValidationError({HEADER: [_("Harus berupa UUID, mis. 3f2b8c1e-9a4d-4e0b-8f6a-2c1d5e7b9a10.")]}) from None


def _once(handler, *, key: uuid.UUID):
    def once(request, *args, **kwargs):
        fingerprint = request_fingerprint(request)
        with transaction.atomic():
            try:
                # The unique (user, key) row first: a concurrent twin waits on it, then replays what this one did.
                with transaction.atomic():
                    record = AppliedAction.objects.create(user=request.user, key=key, fingerprint=fingerprint)
            except IntegrityError:
                return _replay(AppliedAction.objects.get(user=request.user, key=key), fingerprint)
            response = handler(request, *args, **kwargs)  # an exception rolls the row back with the write
            record.status_code = response.status_code
            record.response = json.loads(json.dumps(response.data, cls=JSONEncoder))
            record.save(update_fields=["status_code", "response"])
        return response

    return once


def _replay(record: AppliedAction, fingerprint: str) -> Response:
    if record.fingerprint != fingerprint:
        return Response(
            {HEADER: [_("Kunci ini sudah dipakai untuk permintaan lain; buat kunci baru untuk tindakan baru.")]},
            status=status.HTTP_422_UNPROCESSABLE_ENTITY,
        )
    return Response(record.response, status=record.status_code, headers={REPLAYED: "true"})


def request_fingerprint(request) -> str:
    """SHA-256 of the method, the path with its query, the fields and each file's name and bytes."""
    digest = hashlib.sha256(f"{request.method} {request.get_full_path()}\n".encode())
    files, data = request.FILES, request.data
    fields = {name: data.getlist(name) for name in data if name not in files} if hasattr(data, "getlist") else data
    digest.update(json.dumps(fields, sort_keys=True, cls=JSONEncoder).encode())
    for name in sorted(files):
        for upload in files.getlist(name):
            digest.update(f"\n{name}={upload.name}\n".encode())
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
    return digest.hexdigest()


def prune_applied_actions(now: datetime) -> int:
    """Forget keys older than settings.IDEMPOTENCY_KEEP_DAYS: long past any resend from a phone's queue."""
    cutoff = now - timedelta(days=settings.IDEMPOTENCY_KEEP_DAYS)
    deleted, _ = AppliedAction.objects.filter(created_at__lt=cutoff).delete()
    return deleted
